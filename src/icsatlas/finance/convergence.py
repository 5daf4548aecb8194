"""Convergence paths: how actual allocations move towards fair shares under a pace-of-change rule.

Each year the total grows by the year's growth rate. Every ICB gets at least the minimum
growth; otherwise it closes a fixed share ``p`` of the gap between its allocation (grown
by a common rate ``c``) and its fair share:

    allocation_t = max(previous x (1 + floor), (1 - p) x previous x (1 + c) + p x fair_t)

``c`` is solved so the allocations add up to the year's total exactly. Fair shares are
the ICB's share of the core weighted population times the *total allocated*; NHS
England's own targets sit on a smaller total, so its published distances from target are
about 1.6 points higher than the distances here. Need shares are held at the start year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icsatlas.errors import InputError
from icsatlas.finance import allocation, years
from icsatlas.finance import weighted_population as wp
from icsatlas.parameters import ParameterSet
from icsatlas.results import Result


@dataclass(frozen=True)
class PaceOfChange:
    """The convergence rule's parameters."""

    gap_closed: float
    minimum_growth: float
    growth: tuple[float, ...]  # total growth in each projected year

    def __post_init__(self) -> None:
        if not 0 <= self.gap_closed <= 1:
            raise InputError(f"must be between 0 and 1, got {self.gap_closed}", field="gap_closed")
        if any(g < self.minimum_growth for g in self.growth):
            raise InputError(
                "total growth below the minimum growth every ICB is promised cannot be shared out",
                field="minimum_growth",
            )

    @classmethod
    def from_parameters(
        cls, params: ParameterSet, first_year: str, count: int, **given: float | None
    ) -> PaceOfChange:
        """The rule in ``params`` for ``count`` years after ``first_year``; a value in
        ``given`` (gap_closed, minimum_growth, growth) replaces its parameter."""
        day = years.first_day(first_year)

        def value(name: str, parameter: str) -> float:
            chosen = given.get(name)
            return float(chosen if chosen is not None else params.value(parameter, day))

        projected = years.following(years.start_year(first_year) + 1, count)
        growth = given.get("growth")
        return cls(
            gap_closed=value("gap_closed", "finance.allocation.gap_closed_per_year"),
            minimum_growth=value("minimum_growth", "finance.allocation.minimum_growth"),
            growth=tuple(
                float(growth)
                if growth is not None
                else float(params.value("finance.allocation.future_growth", years.first_day(y)))
                for y in projected
            ),
        )


def paths(
    params: ParameterSet, basis: wp.Basis, count: int = 5, rule: PaceOfChange | None = None
) -> Result:
    """Allocations, fair shares and distances for the start year and ``count`` years after."""
    if count < 1:
        raise InputError(f"must be at least 1, got {count}", field="years")
    rule = rule or PaceOfChange.from_parameters(params, basis.year, count)
    start = allocation.targets(params, basis, "allocation").frame.set_index("ods_code")
    allocations = start.actual_gbp.to_numpy(dtype=float)
    shares = start.share.to_numpy()
    labels = years.following(basis.year, count + 1)
    rows = [_year_rows(start, labels[0], allocations, shares)]
    for label, growth in zip(labels[1:], rule.growth, strict=True):
        allocations = step(allocations, shares, growth, rule)
        rows.append(_year_rows(start, label, allocations, shares))
    frame = pd.concat(rows, ignore_index=True)
    notes = (
        f"Pace of change: {rule.gap_closed:.0%} of each gap closed a year, minimum growth "
        f"{rule.minimum_growth:.1%}, total growth {', '.join(f'{g:.1%}' for g in rule.growth)} "
        "(assumptions: the 2025/26 convergence rule is not published in shipped data).",
        "distance_from_fair_share = allocation / fair share - 1, where fair share = share of "
        "core weighted population x the total allocated that year; need shares held at "
        f"{basis.year}. This is not NHS England's distance from target, which measures "
        "against its smaller implied target total (see `allocate targets`: both columns).",
    )
    provenance = allocation.provenance(params, basis, notes)
    title = f"Convergence paths from {basis.year}: distance from fair share of the total allocated"
    return Result(frame, provenance, title, notes)


def step(previous: np.ndarray, shares: np.ndarray, growth: float, rule: PaceOfChange) -> np.ndarray:
    """One year's allocations: the common growth ``c`` is found by bisection."""
    total = previous.sum() * (1 + growth)
    fair = shares * total
    floor = previous * (1 + rule.minimum_growth)

    def allocate(common: float) -> np.ndarray:
        moved = (1 - rule.gap_closed) * previous * (1 + common) + rule.gap_closed * fair
        return np.maximum(floor, moved)

    low, high = -1.0, 1.0 + growth * 4
    for _ in range(200):
        middle = (low + high) / 2
        if allocate(middle).sum() > total:
            high = middle
        else:
            low = middle
    result = allocate(low)
    return result * total / result.sum()


def _year_rows(
    start: pd.DataFrame, label: str, allocations: np.ndarray, shares: np.ndarray
) -> pd.DataFrame:
    fair = shares * allocations.sum()
    return pd.DataFrame(
        {
            "financial_year": label,
            "ods_code": start.index,
            "area_name": start.area_name.to_numpy(),
            "allocation_gbp": allocations,
            "fair_share_gbp": fair,
            "distance_from_fair_share": allocations / fair - 1,
        }
    )
