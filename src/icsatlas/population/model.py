"""The calibrated model the synthetic population is drawn from.

A person's chance of being on a QOF register is a logistic function of their practice
(a level calibrated so the practice reproduces its published QOF prevalence), their age and
sex, whether they live in a Core20 LSOA, and a latent health factor shared by all their
conditions (so conditions co-occur more than independence would give). Frailty deficits and
unplanned admissions follow from the conditions. ``build_model()`` fits everything that is
national (the co-occurrence loading, the frailty and admission levels) from shipped data;
the per-practice levels are fitted inside each sub-ICB's generation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from statistics import NormalDist

import numpy as np

from icsatlas.parameters import ParameterSet
from icsatlas.population import gradients, sources
from icsatlas.population.conditions import QOF_CONDITIONS

LATENT_BINS = 8  # the latent health factor takes 8 equiprobable values
_GRID = np.linspace(-20.0, 12.0, 321)  # practice levels are found on this logit grid
_PAIRS = {"dm+hyp": ("DM", "HYP"), "hyp+copd": ("HYP", "COPD"), "dm+copd": ("DM", "COPD")}
_LOADINGS = np.round(np.arange(0.0, 2.01, 0.1), 1)
PARAMETER_DATE = date(2026, 11, 1)

# eFI deficits implied by QOF conditions (Clegg et al. 2016, table 1): one deficit each,
# asthma and COPD together make one ("respiratory disease").
EFI_DEFICITS = (
    ("AF",),
    ("STIA",),
    ("CKD",),
    ("DM",),
    ("HF",),
    ("HYP",),
    ("CHD",),
    ("DEM",),
    ("OST",),
    ("PAD",),
    ("AST", "COPD"),
    ("RA",),
)
EFI_TOTAL_DEFICITS = 36
FRAILTY_CATEGORIES = ("fit", "mild", "moderate", "severe")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0)))


def latent_values(bins: int = LATENT_BINS) -> np.ndarray:
    """Conditional means of ``bins`` equiprobable slices of a standard normal."""
    normal = NormalDist()
    edges = [normal.inv_cdf(i / bins) for i in range(1, bins)]
    densities = np.array([0.0, *(normal.pdf(e) for e in edges), 0.0])
    return bins * (densities[:-1] - densities[1:])


@dataclass(frozen=True)
class Model:
    """Everything national the generator needs; per-practice levels are fitted per sub-ICB."""

    codes: tuple[str, ...]  # QOF codes, in column order
    min_age: np.ndarray  # (C,) youngest age on each register
    offsets: np.ndarray  # (C, 2, 96) logit offset by sex and age, given the latent factor
    core20: np.ndarray  # (C,) log-odds ratio for living in a Core20 LSOA
    loading: float  # latent factor loading shared by all conditions
    latent: np.ndarray  # (K,) values of the latent factor
    frailty_level: float = 0.0
    frailty_loading: float = 0.0
    frailty_slope: float = 0.5
    admissions_level: float = 0.0
    cms_weight: float = 0.5
    core20_admissions: float = 0.3
    hazard_ratios: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)
    frailty_thresholds: tuple[int, ...] = (4, 8, 13)
    cms_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (C,) hundredths
    deficit_groups: tuple[tuple[int, ...], ...] = ()

    @property
    def cells(self) -> int:
        """Cells of (sex, age, Core20, latent value) that people are drawn in."""
        return 2 * (sources.MAX_AGE + 1) * 2 * self.latent.size

    def cell_index(
        self, sex: np.ndarray, age: np.ndarray, core20: np.ndarray, latent: np.ndarray
    ) -> np.ndarray:
        k = self.latent.size
        return ((sex.astype(np.int64) * (sources.MAX_AGE + 1) + age) * 2 + core20) * k + latent

    def cell_logits(self) -> np.ndarray:
        """(C, cells) logit of each condition in each cell, before the practice level;
        -inf below a register's minimum age."""
        k = self.latent.size
        ages = sources.MAX_AGE + 1
        x = (
            self.offsets[:, :, :, None, None]
            + self.core20[:, None, None, None, None] * np.arange(2)[None, None, None, :, None]
            + self.loading * self.latent[None, None, None, None, :]
        )
        young = np.arange(ages)[None, :] < self.min_age[:, None]
        x = np.where(young[:, None, :, None, None], -np.inf, x)
        return x.reshape(len(self.codes), 2 * ages * 2 * k)

    def levels(self, cell_weights: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """(P, C) practice levels so that people spread over cells as ``cell_weights``
        (cells,) reach each practice's target prevalence ``targets`` (P, C) among ages on
        the register: the expected prevalence is tabulated on a grid of levels and
        inverted by interpolation (cells are pooled into narrow bins of their logit first,
        which changes prevalence by far less than sampling does)."""
        logits = self.cell_logits()
        out = np.empty_like(targets, dtype=float)
        for c in range(len(self.codes)):
            x, w = _pooled(logits[c], cell_weights)
            curve = sigmoid(_GRID[:, None] + x[None, :]) @ w
            out[:, c] = np.interp(targets[:, c], curve, _GRID, left=-60.0, right=_GRID[-1])
        return out

    def probability_table(self, levels: np.ndarray) -> np.ndarray:
        """(C, P * cells) probability of each condition for each practice and cell."""
        logits = self.cell_logits()
        table = sigmoid(levels.T[:, :, None] + logits[:, None, :])
        return table.reshape(len(self.codes), -1).astype(np.float32)


_BIN = 0.02  # logit width of the bins cells are pooled into when tabulating prevalence


def _pooled(logits: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cells with a finite logit and some weight, pooled into bins of width ``_BIN``: the
    weighted mean logit and the share of the weight in each bin."""
    keep = np.isfinite(logits) & (weights > 0)
    x, w = logits[keep], weights[keep]
    index = np.floor((x - x.min()) / _BIN).astype(np.int64)
    total = np.bincount(index, weights=w)
    used = total > 0
    mean = np.bincount(index, weights=w * x)[used] / total[used]
    return mean, total[used] / total.sum()


@cache
def build_model(params: ParameterSet, on: date = PARAMETER_DATE) -> Model:
    """The national model: gradients, co-occurrence loading, frailty and admission levels."""
    fitted = gradients.gradients()
    codes = tuple(str(c.qof_code) for c in QOF_CONDITIONS)
    loading = fit_loading()
    scale = np.sqrt(1 + np.pi * loading**2 / 8)  # marginal -> conditional logit scale
    weights = params.value("population.cms.general_outcome_weights", on)
    hazard = params.value("population.risk.efi_hospitalisation_hazard_ratios", on)
    thresholds = params.value("population.frailty.efi_category_thresholds", on)
    coefficients = params.value("population.risk.coefficients", on)
    shares = params.value("population.frailty.efi_category_shares", on)
    model = Model(
        codes=codes,
        min_age=np.array([sources.qof_min_ages()[c] for c in codes]),
        offsets=np.stack([fitted[c].offset * scale for c in codes]),
        core20=np.array([fitted[c].core20 * scale for c in codes]),
        loading=loading,
        latent=latent_values(),
        frailty_slope=float(params.value("population.frailty.other_deficits_age_slope", on)),
        cms_weight=float(coefficients["cms"]),
        core20_admissions=float(coefficients["core20"]),
        hazard_ratios=normalised_hazard_ratios(hazard, shares),
        frailty_thresholds=(thresholds["fit"], thresholds["mild"], thresholds["moderate"]),
        cms_weights=np.array(
            [round(100 * weights.get(c.column, 0.0)) for c in QOF_CONDITIONS], dtype=np.int64
        ),
        deficit_groups=tuple(tuple(codes.index(c) for c in group) for group in EFI_DEFICITS),
    )
    return _national_levels(model, shares)


def normalised_hazard_ratios(hazard: dict, shares: dict) -> tuple[float, ...]:
    """eFI hazard ratios (versus fit) rescaled to average 1 over the national category mix,
    so that an admission rate does not jump at 65, where the eFI starts: people under 65
    count as average, fit people aged 65+ as below average."""
    mean = sum(float(hazard[k]) * float(shares[k]) for k in FRAILTY_CATEGORIES)
    return tuple(float(hazard[k]) / mean for k in FRAILTY_CATEGORIES)


@cache
def england_counts() -> np.ndarray:
    """(2, 96) registered patients in England by sex and age."""
    matrices = sources.count_matrix(sources.registered_counts("ICB")).values()
    return np.sum(np.stack(list(matrices)), axis=0)


@cache
def england_prevalence() -> np.ndarray:
    """(C,) QOF 2024/25 England prevalence of each condition (register / eligible list)."""
    from icsatlas import data

    raw = data.read(sources.QOF)
    sums = raw.groupby("group_code")[["register", "practice_list_size"]].sum()
    rates = sums.register / sums.practice_list_size
    return np.array([rates[str(c.qof_code)] for c in QOF_CONDITIONS])


@cache
def core20_by_age() -> np.ndarray:
    """(96,) share of people of each age living in Core20 LSOAs, England (mid-2015)."""
    lsoas = sources.lsoas()
    groups = list(sources.AGE_GROUPS)
    core = lsoas.loc[lsoas.imd_decile <= 2, groups].sum() / lsoas[groups].sum()
    return core.to_numpy()[sources.age_group_of(sources.AGES)]


def cell_weights(model: Model, counts: np.ndarray, core20_share: np.ndarray) -> np.ndarray:
    """(cells,) expected share of people in each cell given counts by sex and age (2, 96)
    and the Core20 share at each age (96,)."""
    k = model.latent.size
    by_core = np.stack([1 - core20_share, core20_share], axis=-1)  # (96, 2)
    weights = counts[:, :, None, None] * by_core[None, :, :, None] * np.full(k, 1.0 / k)
    return weights.reshape(-1)


def fit_loading() -> float:
    """The latent-factor loading that best reproduces CALIBER's co-occurrence of diabetes,
    hypertension and COPD by age (mean squared log ratio), given QOF marginals. CALIBER counts
    conditions ever recorded, so some pairs exceed what QOF registers allow; the loading is a
    compromise and ``co_occurrence()`` reports what it achieves."""
    errors = [np.mean(np.log(co_occurrence(loading).ratio) ** 2) for loading in _LOADINGS]
    return float(_LOADINGS[int(np.argmin(errors))])


def co_occurrence(loading: float):
    """Modelled versus CALIBER prevalence of each pair of conditions by age band."""
    import pandas as pd

    fitted = gradients.gradients()
    counts = england_counts().astype(float)
    nodes, weights = np.polynomial.hermite_e.hermegauss(24)
    weights = weights / weights.sum()
    scale = np.sqrt(1 + np.pi * loading**2 / 8)
    prevalence = dict(
        zip([str(c.qof_code) for c in QOF_CONDITIONS], england_prevalence(), strict=True)
    )
    conditional = {}
    for code in {c for pair in _PAIRS.values() for c in pair}:
        offset = fitted[code].offset * scale
        eligible = counts.copy()
        eligible[:, : sources.qof_min_ages()[code]] = 0
        low, high = -40.0, 20.0
        for _ in range(45):
            level = (low + high) / 2
            p = sigmoid(level + offset[:, :, None] + loading * nodes) @ weights
            if (p * eligible).sum() / eligible.sum() > prevalence[code]:
                high = level
            else:
                low = level
        p = sigmoid(level + offset[:, :, None] + loading * nodes)
        p[:, : sources.qof_min_ages()[code]] = 0.0
        conditional[code] = p
    rows = []
    for band in sources.condition_pairs().itertuples():
        first, second = _PAIRS[band.condition]
        joint = (conditional[first] * conditional[second]) @ weights
        ages = slice(band.age_from, band.age_to + 1)
        modelled = (joint[:, ages] * counts[:, ages]).sum() / counts[:, ages].sum()
        rows.append((band.condition, band.age_from, band.age_to, modelled, band.prevalence))
    table = pd.DataFrame(rows, columns=["pair", "age_from", "age_to", "modelled", "caliber"])
    return table.assign(ratio=table.modelled / table.caliber)


def _national_levels(model: Model, shares: dict) -> Model:
    """Fit the frailty and admission levels on a national pilot sample drawn exactly as the
    generator draws people (fixed seed, so the model is deterministic)."""
    from dataclasses import replace

    from icsatlas.population import draw

    rng = np.random.default_rng(20261101)
    counts = england_counts()
    core = core20_by_age()
    weights = cell_weights(model, counts, core)
    levels = model.levels(weights, england_prevalence()[None, :])
    pilot = draw.pilot_people(model, counts, core, rng, size=400_000)
    flags = draw.conditions(model, model.probability_table(levels), pilot.cell, rng)
    target = np.array([shares[k] for k in FRAILTY_CATEGORIES])
    implied = draw.implied_deficits(model, flags)
    frailty_level, frailty_loading = draw.fit_frailty(model, pilot, implied, target, rng)
    model = replace(model, frailty_level=frailty_level, frailty_loading=frailty_loading)
    deficits = draw.frailty_deficits(model, pilot, implied, rng)
    relative = draw.relative_admission_rate(model, flags, pilot, deficits)
    per_person = sources.national_emergency_admissions() / sources.registered_total()
    return replace(model, admissions_level=float(np.log(per_person / relative.mean())))
