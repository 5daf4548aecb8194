"""Drawing people's characteristics from the model: vectorised over arrays of people.

Shared by the generator (one sub-ICB at a time) and by the national pilot sample that fits
the model's frailty and admission levels, so both draw in exactly the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from icsatlas.population import sources
from icsatlas.population.model import EFI_TOTAL_DEFICITS, Model

FRAIL_FROM_AGE = 65


@dataclass
class People:
    """Parallel arrays, one element per person."""

    sex: np.ndarray  # int8: 0 female, 1 male
    age: np.ndarray  # int16: 0-95 (95 = 95+)
    core20: np.ndarray  # int8: lives in an LSOA in national IMD deciles 1-2
    latent: np.ndarray  # int8: index of the latent health factor's value
    cell: np.ndarray  # int64: index into the model's cells

    def __len__(self) -> int:
        return int(self.age.size)


def pilot_people(
    model: Model, counts: np.ndarray, core20_share: np.ndarray, rng: np.random.Generator, size: int
) -> People:
    """A random sample of ``size`` people with England's age, sex and Core20 mix."""
    flat = counts.reshape(-1).astype(float)
    pick = rng.choice(flat.size, size=size, p=flat / flat.sum())
    sex, age = np.divmod(pick, sources.MAX_AGE + 1)
    core20 = (rng.random(size) < core20_share[age]).astype(np.int8)
    latent = rng.integers(0, model.latent.size, size, dtype=np.int8)
    return People(
        sex.astype(np.int8),
        age.astype(np.int16),
        core20,
        latent,
        model.cell_index(sex, age, core20, latent),
    )


def conditions(
    model: Model, table: np.ndarray, index: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """(C, n) condition flags: each person is on a register with the probability the table
    gives for their practice and cell (``index`` = practice * cells + cell)."""
    flags = np.empty((table.shape[0], index.size), dtype=bool)
    for c in range(table.shape[0]):
        flags[c] = rng.random(index.size, dtype=np.float32) < table[c][index]
    return flags


def implied_deficits(model: Model, flags: np.ndarray) -> np.ndarray:
    """eFI deficits implied by recorded conditions (asthma and COPD count once)."""
    total = np.zeros(flags.shape[1], dtype=np.int16)
    for group in model.deficit_groups:
        total += np.logical_or.reduce(flags[list(group)], axis=0)
    return total


def _other_deficit_mean(model: Model, people: People, level: float) -> np.ndarray:
    decades = (people.age.astype(float) - FRAIL_FROM_AGE) / 10
    shared = model.frailty_loading * model.latent[people.latent]
    return np.exp(level + model.frailty_slope * decades + shared)


def frailty_deficits(
    model: Model, people: People, implied: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """eFI deficits for people aged 65+ (-1 below 65): implied ones plus a Poisson number of
    others whose mean rises with age and with the latent factor."""
    old = people.age >= FRAIL_FROM_AGE
    deficits = np.full(len(people), -1, dtype=np.int16)
    mean = _other_deficit_mean(model, _subset(people, old), model.frailty_level)
    others = rng.poisson(mean)
    deficits[old] = np.minimum(implied[old] + others, EFI_TOTAL_DEFICITS)
    return deficits


def frailty_category(model: Model, deficits: np.ndarray) -> np.ndarray:
    """0 fit, 1 mild, 2 moderate, 3 severe; -1 under 65 (no eFI)."""
    category = np.searchsorted(np.array(model.frailty_thresholds), deficits, side="left")
    return np.where(deficits < 0, -1, category).astype(np.int8)


def fit_frailty(
    model: Model, people: People, implied: np.ndarray, target: np.ndarray, rng: np.random.Generator
) -> tuple[float, float]:
    """The level and latent loading of 'other' deficits that make the 65+ eFI category
    shares closest to ``target``: golden-section search on the level for each loading on a
    grid, with common random numbers (a subsample of 15,000 people aged 65+)."""
    old = np.flatnonzero(people.age >= FRAIL_FROM_AGE)
    old = rng.choice(old, size=min(15_000, old.size), replace=False)
    base = _subset(people, np.isin(np.arange(len(people)), old))
    fixed = implied[np.sort(old)]
    uniforms = rng.random(fixed.size)
    best = (np.inf, 0.0, 0.0)
    for loading in FRAILTY_LOADINGS:
        trial = replace(model, frailty_loading=float(loading))
        level = _golden(lambda lv, m=trial: _share_error(m, base, fixed, uniforms, lv, target))
        error = _share_error(trial, base, fixed, uniforms, level, target)
        if error < best[0]:
            best = (error, level, float(loading))
    return best[1], best[2]


FRAILTY_LOADINGS = np.round(np.arange(0.0, 0.51, 0.1), 1)


def _share_error(
    model: Model,
    people: People,
    fixed: np.ndarray,
    uniforms: np.ndarray,
    level: float,
    target: np.ndarray,
) -> float:
    ks = np.arange(EFI_TOTAL_DEFICITS + 1)
    mean = _other_deficit_mean(model, people, level)[:, None]
    log_pmf = ks * np.log(mean) - mean - np.cumsum(np.log(np.maximum(ks, 1)))[None, :]
    others = (np.cumsum(np.exp(log_pmf), axis=1) < uniforms[:, None]).sum(axis=1)
    total = np.minimum(fixed + others, EFI_TOTAL_DEFICITS)
    category = np.searchsorted(np.array(model.frailty_thresholds), total, side="left")
    shares = np.bincount(category, minlength=4) / total.size
    return float(((shares - target) ** 2).sum())


def _golden(error, low: float = -4.0, high: float = 3.0, steps: int = 24) -> float:
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(steps):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if error(a) < error(b):
            high = b
        else:
            low = a
    return (low + high) / 2


def cms_hundredths(model: Model, flags: np.ndarray) -> np.ndarray:
    """Cambridge Multimorbidity Score x 100 from QOF-derived flags."""
    return (model.cms_weights[:, None] * flags).sum(axis=0)


def relative_admission_rate(
    model: Model, flags: np.ndarray, people: People, deficits: np.ndarray
) -> np.ndarray:
    """Admission rate relative to the model's level: exp(cms x CMS + core20 term) x eFI HR."""
    hazard = np.array((1.0, *model.hazard_ratios))  # index 0: under 65
    category = frailty_category(model, deficits) + 1
    cms = cms_hundredths(model, flags) / 100.0
    return (
        np.exp(model.cms_weight * cms + model.core20_admissions * people.core20) * hazard[category]
    )


def admissions(
    model: Model, flags: np.ndarray, people: People, deficits: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Unplanned admissions in the last 12 months (Poisson)."""
    rate = np.exp(model.admissions_level) * relative_admission_rate(model, flags, people, deficits)
    return np.minimum(rng.poisson(rate), 127).astype(np.int8)


def _subset(people: People, mask: np.ndarray) -> People:
    return People(*(getattr(people, f)[mask] for f in ("sex", "age", "core20", "latent", "cell")))
