"""A point-by-point port of NHSRplotthedots, written to read like the R source.

It is slow on purpose: each function mirrors one R function of
``R/ptd_spc_standard.R`` and ``R/ptd_calculate_point_type.R`` loop for loop, so the
tests can check the vectorised :mod:`~icsatlas.contracts.spc.engine` against it on any
series, and ``bench/contracts.py`` uses it as the per-point baseline.
"""

from __future__ import annotations

import itertools
import math

from icsatlas.contracts.spc.engine import COMMON, OUTSIDE, SHIFT, TREND, TWO_OF_THREE
from icsatlas.contracts.spc.rules import RuleSet


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _mean(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return sum(kept) / len(kept) if kept else math.nan


def standard(y: list[float], rules: RuleSet, fix_after=None):
    """``ptd_spc_standard`` for one group: mean, limits, and each point's position."""
    fix_y = [v if fix_after is None or i < fix_after else math.nan for i, v in enumerate(y)]
    mean = _mean(fix_y)
    mr = [math.nan] + [abs(b - a) for a, b in itertools.pairwise(fix_y)]
    amr = _mean(mr)
    if rules.screen_outliers:
        mr = [m if m < rules.outlier_screen_multiplier * amr else math.nan for m in mr]
        amr = _mean(mr)
    limit = rules.limit_sigma_multiplier
    close = rules.near_limit_fraction * limit
    lpl, upl = mean - limit * amr, mean + limit * amr
    nlpl, nupl = mean - close * amr, mean + close * amr
    outside = [v > upl or v < lpl for v in y]
    rtm = [_sign(v - mean) for v in y]
    beyond = [v < nlpl or v > nupl for v in y]
    if rules.two_of_three_counts_beyond_limits:
        near = beyond
    else:
        near = [b and not o for b, o in zip(beyond, outside, strict=True)]
    return {
        "mean": mean,
        "lpl": lpl,
        "upl": upl,
        "nlpl": nlpl,
        "nupl": nupl,
        "outside": outside,
        "rtm": rtm,
        "close": near,
    }


def one_side_of_mean(v: list[int], points: int) -> list[int]:
    """``ptd_seven_point_one_side_mean``: 1 where a run of ``points`` on one side ends."""
    padded = [0] * (points - 1) + v
    return [
        int(all(padded[i] == padded[i - k] for k in range(1, points)) and padded[i] != 0)
        for i in range(points - 1, len(padded))
    ]


def part_of_run(v: list[int], points: int) -> list[int]:
    """``ptd_part_of_seven_trend``: 1 where this or one of the next points ends a run."""
    padded = v + [0] * (points - 1)
    return [int(any(abs(padded[i + k]) == 1 for k in range(points))) for i in range(len(v))]


def trend(y: list[float], points: int) -> list[int]:
    """``ptd_seven_point_trend``: +1/-1 where ``points`` strictly rising/falling points end."""
    if len(y) < points:
        return [0] * len(y)
    out = [0] * (points - 1)
    for i in range(points - 1, len(y)):
        steps = [_sign(y[i - k] - y[i - k - 1]) for k in range(points - 1)]
        out.append(1 if all(s == 1 for s in steps) else -1 if all(s == -1 for s in steps) else 0)
    return out


def two_in_three(v: list[bool], rtm: list[int]) -> list[int]:
    """``ptd_two_in_three``: 1 where a window of 3 holding the point has 2 near a limit,
    all 3 on one side of the mean."""
    vp = [0, 0, *map(int, v), 0, 0]
    rp = [0, 0, *rtm, 0, 0]
    return [
        int(
            any(
                sum(vp[i + k : i + k + 3]) >= 2 and abs(sum(rp[i + k : i + k + 3])) == 3
                for k in range(3)
            )
        )
        for i in range(len(v))
    ]


def special_cause(y: list[float], rules: RuleSet, fix_after=None):
    """``ptd_special_cause_type`` as (rule code, sign) per point, with the limits."""
    s = standard(y, rules, fix_after)
    part_trend = part_of_run(trend(y, rules.trend_points), rules.trend_points)
    window = two_in_three(s["close"], s["rtm"])
    part_two = [int(w == 1 and c) for w, c in zip(window, s["close"], strict=True)]
    part_shift = part_of_run(one_side_of_mean(s["rtm"], rules.shift_points), rules.shift_points)
    sdy = [_sign(b - a) for a, b in itertools.pairwise(y)]
    codes = []
    for i in range(len(y)):
        both = part_trend[i] and i + 1 < len(y) and part_trend[i + 1]
        step = (sdy[i] if i < len(sdy) else sdy[-1]) if both else (sdy[i - 1] if i else 0)
        above = s["rtm"][i] > 0
        if s["outside"][i]:
            codes.append((OUTSIDE, 1 if s["rtm"][i] == 1 else -1))
        elif part_trend[i]:
            codes.append((TREND, 1 if step == 1 else -1))
        elif part_two[i]:
            codes.append((TWO_OF_THREE, 1 if above else -1))
        elif part_shift[i]:
            codes.append((SHIFT, 1 if above else -1))
        else:
            codes.append((COMMON, 0))
    return codes, s
