"""Statistical disclosure control for everything that leaves the population layer.

The rule (OpenSAFELY's, as in ehrQL's measures; parameters ``population.disclosure.*``):

1. a count from 1 to 7 is suppressed (shown as empty); 0 is shown;
2. every other count is rounded to the nearest 5 (halves up);
3. a rate or share is computed from the rounded counts, and is suppressed when its
   numerator or denominator is;
4. a mean (e.g. the mean Cambridge score) is suppressed when the number of people it
   averages over is 7 or fewer.

Unlike ehrQL, suppressed counts become null rather than 0, so a reader can tell "none" from
"too few to show". Rounding means that subtracting one published table from another yields a
range, not an exact small number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from icsatlas import parameters


@dataclass(frozen=True)
class Rule:
    threshold: int
    base: int

    @classmethod
    def load(cls, on: date | None = None) -> Rule:
        return cls(
            int(parameters.value("population.disclosure.suppress_at_or_below", on)),
            int(parameters.value("population.disclosure.rounding_base", on)),
        )

    def describe(self) -> str:
        return (
            f"Disclosure control: counts of 1-{self.threshold} suppressed, others rounded to the "
            f"nearest {self.base}; rates from rounded counts."
        )


def count(values: pd.Series | np.ndarray, rule: Rule) -> pd.Series:
    """Suppressed and rounded counts (nullable integers)."""
    raw = pd.Series(values, dtype="Float64")
    rounded = (np.floor(raw / rule.base + 0.5) * rule.base).astype("Int64")
    small = (raw > 0) & (raw <= rule.threshold)
    return rounded.mask(small)


def rate(numerator: pd.Series, denominator: pd.Series, scale: float = 100.0) -> pd.Series:
    """``scale`` x numerator / denominator from already-protected counts (null if either is
    suppressed or the denominator is zero)."""
    top = numerator.astype("Float64")
    bottom = denominator.astype("Float64")
    return (scale * top / bottom.where(bottom > 0)).astype("Float64")


def mean(total: pd.Series, people: pd.Series, rule: Rule, scale: float = 1.0) -> pd.Series:
    """``scale`` x total / people from raw values, suppressed when people <= threshold."""
    bottom = pd.Series(people, dtype="Float64")
    values = scale * pd.Series(total, dtype="Float64") / bottom.where(bottom > 0)
    return values.mask(bottom <= rule.threshold).astype("Float64")
