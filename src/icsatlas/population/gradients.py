"""How each condition's prevalence varies with age, sex and deprivation, on the logit scale.

Two sources, both shipped:

* diabetes, hypertension and COPD: the published age bands by sex (Health Survey for
  England 2019; PHE COPD prevalence model), smoothed by a quadratic in age on the logit
  scale fitted per sex, so a single odd band (HSE diabetes in women 75+) does not make a
  step;
* every other QOF condition: an ecological fit across the 106 sub-ICB locations of QOF
  2024/25 prevalence on their registered age structure (August 2026), their share of
  residents in Core20 LSOAs and their NHS region (so that differences between regions, such
  as London's younger and more diverse population, do not pass for age effects) - a logistic
  curve linear in age up to 85 and flat after (the data thin out there, and a straight logit
  line would overshoot), the same for both sexes (the data cannot separate the sexes).

The deprivation term of every condition comes from the same ecological fit. It is applied
to individuals in Core20 (IMD deciles 1-2), which assumes the area-level association holds
for people; ``fits()`` reports each fit's R-squared so weak ones can be seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from icsatlas.population import sources
from icsatlas.population.conditions import QOF_CONDITIONS
from icsatlas.register import geography

HSE_CONDITIONS = {"DM": "dm", "HYP": "hyp", "COPD": "copd"}
_AGE_SCALE = 10.0  # logit slopes are per decade
_CENTRE = 50.0
PLATEAU_AGE = 85  # ecologically fitted age effects are held flat from this age
# A fitted age slope outside these bounds (logit per decade) means the area data cannot
# identify it (osteoporosis, whose register starts at 50; palliative care): it is held at
# the nearer bound and the rest refitted.
SLOPE_BOUNDS = (0.0, 2.0)


@dataclass(frozen=True)
class Gradient:
    """A condition's logit offset by sex and age (2 x 96) and its Core20 log-odds ratio."""

    qof_code: str
    offset: np.ndarray
    core20: float
    r_squared: float
    method: str

    def logit(
        self, level: float, sex: np.ndarray, age: np.ndarray, core20: np.ndarray
    ) -> np.ndarray:
        return level + self.offset[sex, age] + self.core20 * core20


def _z(ages: np.ndarray) -> np.ndarray:
    return (ages - _CENTRE) / _AGE_SCALE


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0)))


@cache
def gradients() -> dict[str, Gradient]:
    """Gradient of every QOF condition, by QOF code."""
    areas = _area_inputs()
    out = {}
    for condition in QOF_CONDITIONS:
        code = str(condition.qof_code)
        if code in HSE_CONDITIONS:
            offset = _banded_offset(HSE_CONDITIONS[code])
            method = "published bands (smoothed)"
        else:
            offset = None
            method = "ecological fit"
        fitted = _fit(code, areas, offset, method)
        slope = _slope(fitted)
        if offset is None and not SLOPE_BOUNDS[0] <= slope <= SLOPE_BOUNDS[1]:
            bounded = float(np.clip(slope, *SLOPE_BOUNDS))
            ages = _z(np.minimum(sources.AGES, PLATEAU_AGE).astype(float))
            fixed = np.broadcast_to(bounded * ages, (2, ages.size)).copy()
            fitted = _fit(code, areas, fixed, "ecological fit, age slope at its bound")
        out[code] = fitted
    return out


def _slope(gradient: Gradient) -> float:
    return float((gradient.offset[:, 55] - gradient.offset[:, 45]).mean())


@dataclass(frozen=True)
class _Areas:
    counts: np.ndarray  # sub-ICB x sex x age
    core20: np.ndarray  # sub-ICB share of residents in Core20 LSOAs
    regions: np.ndarray  # sub-ICB x (regions - 1) indicators
    register: pd.DataFrame  # group_code x sub-ICB: register, list size


@cache
def _area_inputs() -> _Areas:
    matrices = sources.count_matrix(sources.registered_counts())
    codes = sorted(matrices)
    lsoas = sources.lsoas()
    core = (
        lsoas.assign(core=(lsoas.imd_decile <= 2) * lsoas[list(sources.AGE_GROUPS)].sum(axis=1))
        .assign(total=lsoas[list(sources.AGE_GROUPS)].sum(axis=1))
        .groupby("sub_icb_ods")[["core", "total"]]
        .sum()
    )
    share = (core.core / core.total).reindex(codes).to_numpy()
    qof = _sub_icb_registers()
    tree = geography.sub_icb_tree(sources.EXTRACT_DATE).set_index("sub_icb_ods")
    region = tree.loc[codes, "region_ods"].to_numpy()
    dummies = np.stack([region == r for r in sorted(set(region))[1:]], axis=1).astype(float)
    return _Areas(
        np.stack([matrices[c] for c in codes]), share, dummies, qof.reindex(codes, level=1)
    )


def _sub_icb_registers() -> pd.DataFrame:
    from icsatlas import data

    raw = data.read(sources.QOF, dtype={"practice_code": str})
    lookup = geography.practice_lookup(sources.EXTRACT_DATE)[["practice_code", "sub_icb_ods"]]
    joined = raw.merge(lookup, on="practice_code", how="inner")
    return joined.groupby(["group_code", "sub_icb_ods"])[["register", "practice_list_size"]].sum()


def _fit(code: str, areas: _Areas, fixed: np.ndarray | None, method: str) -> Gradient:
    """Weighted least squares of sub-ICB prevalence on age structure, Core20 share and region
    (damped Gauss-Newton). Region effects only absorb confounding: the generator calibrates
    each practice's level to its own QOF prevalence anyway.

    With ``fixed`` (2 x 96 offsets), only the level and the Core20 term are fitted; otherwise
    the level, a linear age slope and the Core20 term (offsets equal for both sexes)."""
    min_age = sources.qof_min_ages()[code]
    rows = areas.register.loc[code]
    observed = (rows.register / rows.practice_list_size).to_numpy()
    counts = areas.counts.copy()
    counts[:, :, :min_age] = 0
    weight = counts.sum(axis=(1, 2)).astype(float)
    z = _z(np.minimum(sources.AGES, PLATEAU_AGE).astype(float))
    model = _AreaModel(counts, weight, z, areas.core20, areas.regions, fixed)
    level = np.log(observed.mean() / (1 - observed.mean()))
    slopes = 3 if fixed is None else 2
    beta = np.zeros(slopes + areas.regions.shape[1])
    beta[0] = level
    root = np.sqrt(weight / weight.mean())
    loss = model.loss(beta, observed, root)
    for _ in range(200):
        predicted, jacobian = model.predict(beta)
        step = np.linalg.lstsq(jacobian * root[:, None], (observed - predicted) * root, rcond=None)[
            0
        ]
        scale = 1.0
        while scale > 1e-4 and model.loss(beta + scale * step, observed, root) > loss:
            scale /= 2
        beta = beta + scale * step
        previous, loss = loss, model.loss(beta, observed, root)
        if previous - loss < 1e-14:
            break
    spread = ((observed - np.average(observed, weights=weight)) ** 2 * weight).sum()
    r_squared = 1 - loss * weight.mean() / float(spread)
    return Gradient(
        code, model.offset(beta).copy(), float(beta[model.core20_index]), r_squared, method
    )


@dataclass(frozen=True)
class _AreaModel:
    counts: np.ndarray
    weight: np.ndarray
    z: np.ndarray
    core20: np.ndarray
    regions: np.ndarray
    fixed: np.ndarray | None

    @property
    def core20_index(self) -> int:
        return 1 if self.fixed is not None else 2

    def offset(self, beta: np.ndarray) -> np.ndarray:
        if self.fixed is not None:
            return self.fixed
        return np.broadcast_to(beta[1] * self.z, (2, self.z.size))

    def predict(self, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        area = beta[self.core20_index] * self.core20 + self.regions @ beta[self.core20_index + 1 :]
        p = _sigmoid(beta[0] + self.offset(beta)[None] + area[:, None, None])
        slope = p * (1 - p) * self.counts
        total = slope.sum(axis=(1, 2))
        columns = [total]
        if self.fixed is None:
            columns.append((slope * self.z).sum(axis=(1, 2)))
        columns.append(total * self.core20)
        columns += [total * self.regions[:, j] for j in range(self.regions.shape[1])]
        predicted = (p * self.counts).sum(axis=(1, 2)) / self.weight
        return predicted, np.stack(columns, axis=1) / self.weight[:, None]

    def loss(self, beta: np.ndarray, observed: np.ndarray, root: np.ndarray) -> float:
        predicted, _ = self.predict(beta)
        return float((((observed - predicted) * root) ** 2).sum())


def _banded_offset(condition: str) -> np.ndarray:
    """Logit of the published band prevalence, smoothed per sex by a quadratic in age fitted
    to the band midpoints (weighted by band width); ages below the first band take the
    first band's fitted value at its lower bound."""
    bands = sources.condition_bands()
    rows = bands[bands.condition == condition]
    offset = np.zeros((2, sources.MAX_AGE + 1))
    for index, sex in enumerate(("female", "male")):
        own = rows[rows.sex == sex]
        middle = _z((own.age_from.to_numpy() + own.age_to.to_numpy() + 1) / 2)
        width = (own.age_to - own.age_from + 1).to_numpy(dtype=float)
        logit = np.log(np.clip(own.prevalence.to_numpy(), 0.002, 0.998))
        logit = logit - np.log1p(-np.clip(own.prevalence.to_numpy(), 0.002, 0.998))
        design = np.stack([np.ones_like(middle), middle, middle**2], axis=1)
        coef = np.linalg.lstsq(
            design * np.sqrt(width)[:, None], logit * np.sqrt(width), rcond=None
        )[0]
        ages = np.maximum(sources.AGES, own.age_from.min())
        z = _z(ages.astype(float))
        offset[index] = coef[0] + coef[1] * z + coef[2] * z**2
    return offset - offset.mean()


def fits() -> pd.DataFrame:
    """One row per condition: method, age slope per decade at 50, Core20 log-odds, R-squared."""
    rows = []
    for code, gradient in gradients().items():
        slope = _slope(gradient)
        rows.append(
            {
                "qof_code": code,
                "method": gradient.method,
                "logit_per_decade_at_50": round(float(slope), 3),
                "core20_log_odds": round(gradient.core20, 3),
                "r_squared": round(gradient.r_squared, 3),
            }
        )
    return pd.DataFrame(rows)
