"""The core formula's component weights, and how we estimated them from NHS England's data.

NHS England publishes each practice's weighted population per need component and the
overall ("core") weighted population, but not the weights that combine them; the overall
figure also carries the unavoidable-cost adjustments (market forces factor, emergency
ambulance cost adjustment), which vary by area. We model

    core[p] = m[icb(p)] * sum_k w[k] * component_k[p]

and fit ``w`` (normalised to sum to 1) and one multiplicative factor ``m`` per ICB by
alternating least squares. The factors are the *implied unavoidable-cost index* of each
ICB (population-weighted mean 1). The fitted weights are shipped as the estimate-grade
parameter ``finance.allocation.core_weights``; :func:`implied` re-derives them so a test
can check the parameter against the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icsatlas.finance import weighted_population as wp
from icsatlas.finance import years
from icsatlas.parameters import ParameterSet

WEIGHTS_PARAMETER = "finance.allocation.core_weights"
_ITERATIONS = 50


@dataclass(frozen=True)
class ImpliedFormula:
    """Weights and per-ICB unavoidable-cost factors fitted to one allocation year."""

    year: str
    weights: dict[str, float]
    cost_index: pd.Series  # by ODS code of the ICBs NHS England allocated to that year
    median_abs_error: float  # at practice level, as a fraction


def implied(year: str) -> ImpliedFormula:
    """Fit the weights and unavoidable-cost factors to ``year``'s practice file."""
    year = years.normalise(year)
    rows = wp.file_rows(year)
    components = rows[list(wp.COMPONENTS)].to_numpy()
    core = rows[wp.CORE].to_numpy()
    icb = rows["icb23_ods"].to_numpy()
    factor = np.ones(len(rows))
    for _ in range(_ITERATIONS):
        weights = np.linalg.lstsq(components * factor[:, None], core, rcond=None)[0]
        modelled = components @ weights
        ratio = pd.Series(core).groupby(icb).sum() / pd.Series(modelled).groupby(icb).sum()
        factor = pd.Series(icb).map(ratio).to_numpy()
    total = weights.sum()
    error = np.abs(factor * (components @ weights) / core - 1)
    population = rows.groupby("icb23_ods")["population"].sum()
    index = ratio * total
    index = index / np.average(index, weights=population.loc[index.index])
    return ImpliedFormula(
        year=year,
        weights={k: float(v) for k, v in zip(wp.COMPONENTS, weights / total, strict=True)},
        cost_index=index.rename("unavoidable_cost_index"),
        median_abs_error=float(np.median(error)),
    )


def for_year(params: ParameterSet, year: str) -> dict[str, float]:
    """The weights in force for allocation year ``year``."""
    value = params.value(WEIGHTS_PARAMETER, years.first_day(year))
    return {name: float(value[name]) for name in wp.COMPONENTS}
