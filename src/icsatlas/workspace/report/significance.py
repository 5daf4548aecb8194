"""Comparing an area's figure with England's, as Fingertips (OHID) does: the area's
confidence interval (Wilson score for a proportion, Byar's method for a rate of counts)
either lies clear of England's value - higher or lower - or overlaps it (similar); the
indicator's polarity says whether higher is better, lower is better, or neither (then
higher/lower is shown without a judgement). Reference: OHID, Public Health Data Science
Technical Guide, "Confidence intervals" and "Comparisons with a benchmark".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959964  # two-sided 95%
Z998 = 3.090232  # two-sided 99.8%
POLARITIES = ("lower is better", "higher is better", "no judgement")


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float

    def compared_with(self, value: float) -> str:
        """'higher', 'lower' or 'similar': where the interval lies against ``value``."""
        if self.lower > value:
            return "higher"
        if self.upper < value:
            return "lower"
        return "similar"


def wilson(count: float, total: float, z: float = Z95) -> Interval:
    """Wilson score interval of the proportion ``count / total`` (as a proportion)."""
    centre = 2 * count + z * z
    spread = z * math.sqrt(z * z + 4 * count * (1 - count / total))
    denominator = 2 * (total + z * z)
    return Interval((centre - spread) / denominator, (centre + spread) / denominator)


def byar(count: float, total: float, z: float = Z95) -> Interval:
    """Byar's approximation to the exact Poisson interval of the rate ``count / total``."""
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3 if count else 0.0
    upper_count = count + 1
    upper = upper_count * (1 - 1 / (9 * upper_count) + z / (3 * math.sqrt(upper_count))) ** 3
    return Interval(lower / total, upper / total)


def rag(direction: str, polarity: str) -> str:
    """The Fingertips colour of a comparison: red (worse), amber (similar), green (better);
    for an indicator with no judgement, the direction itself (higher, similar, lower)."""
    if polarity == "no judgement":
        return direction
    if direction == "similar":
        return "amber"
    better = "lower" if polarity == "lower is better" else "higher"
    return "green" if direction == better else "red"
