"""The vectorised XmR engine: many series at once, NHSRplotthedots semantics.

Every series (and every rebased part of one) is a *segment* of one flat array, so a
national run over thousands of series is a handful of numpy passes. The rules follow
``R/ptd_spc_standard.R`` and ``R/ptd_calculate_point_type.R`` of NHSRplotthedots; the
per-point port in :mod:`icsatlas.contracts.spc.reference` is the oracle the tests check
this engine against.

Rule codes (priority order, as ``ptd_special_cause_type``): 1 beyond the process limits,
2 trend, 3 two of three near a limit, 4 shift; 0 is common cause. ``sign`` is +1 where the
special cause points up (above the mean, or an increasing trend), -1 where it points down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from icsatlas.contracts.spc.rules import RuleSet

COMMON, OUTSIDE, TREND, TWO_OF_THREE, SHIFT = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Limits:
    """Per-point centre line and limits (each point carries its segment's values)."""

    mean: np.ndarray
    lpl: np.ndarray
    upl: np.ndarray
    nlpl: np.ndarray
    nupl: np.ndarray


@dataclass(frozen=True)
class Classified:
    """Everything the engine computes for each point of the flat input."""

    limits: Limits
    relative_to_mean: np.ndarray
    outside_limits: np.ndarray
    close_to_limits: np.ndarray
    trend: np.ndarray
    two_of_three: np.ndarray
    shift: np.ndarray
    rule: np.ndarray
    sign: np.ndarray
    segment_size: np.ndarray


def segment_starts(segment: np.ndarray) -> np.ndarray:
    """True where a new segment begins (``segment`` holds contiguous labels)."""
    starts = np.ones(len(segment), dtype=bool)
    starts[1:] = segment[1:] != segment[:-1]
    return starts


def classify(
    y: np.ndarray,
    segment: np.ndarray,
    rules: RuleSet,
    *,
    fix_after: int | None = None,
) -> Classified:
    """Limits and special-cause rules for every point of every segment."""
    y = np.asarray(y, dtype=np.float64)
    starts = segment_starts(np.asarray(segment))
    dense = np.cumsum(starts) - 1
    position = np.arange(len(y)) - np.flatnonzero(starts)[dense]
    limits = _limits(y, starts, dense, position, rules, fix_after)
    rtm = np.sign(y - limits.mean)
    with np.errstate(invalid="ignore"):
        outside = (y > limits.upl) | (y < limits.lpl)
        beyond_near = (y < limits.nlpl) | (y > limits.nupl)
    close = beyond_near if rules.two_of_three_counts_beyond_limits else beyond_near & ~outside
    trend, trend_sign = _trend(y, starts, rules.trend_points)
    two = _two_of_three(close, rtm, dense)
    shift = _shift(rtm, starts, rules.shift_points)
    rule = np.select([outside, trend, two, shift], [OUTSIDE, TREND, TWO_OF_THREE, SHIFT], COMMON)
    up = np.where(rule == TREND, trend_sign == 1, rtm > 0)
    sign = np.where(rule == COMMON, 0, np.where(up, 1, -1))
    sizes = np.bincount(dense)[dense]
    return Classified(limits, rtm, outside, close, trend, two, shift, rule, sign, sizes)


def _limits(y, starts, dense, position, rules, fix_after) -> Limits:
    fixed = position < fix_after if fix_after else np.ones(len(y), dtype=bool)
    mean = _segment_mean(y, fixed, dense)
    moving_range = np.abs(np.diff(y, prepend=np.nan))
    usable = fixed & ~starts
    average = _segment_mean(moving_range, usable, dense)
    if rules.screen_outliers:
        with np.errstate(invalid="ignore"):
            usable &= moving_range < rules.outlier_screen_multiplier * average[dense]
        average = _segment_mean(moving_range, usable, dense)
    mean, average = mean[dense], average[dense]
    spread = rules.limit_sigma_multiplier * average
    near = rules.near_limit_fraction * rules.limit_sigma_multiplier * average
    return Limits(mean, mean - spread, mean + spread, mean - near, mean + near)


def _segment_mean(values: np.ndarray, mask: np.ndarray, dense: np.ndarray) -> np.ndarray:
    totals = np.bincount(dense, weights=np.where(mask, values, 0.0))
    counts = np.bincount(dense, weights=mask.astype(np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        return totals / counts


def _runs(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each point, the length of the run of equal values it belongs to."""
    new_run = starts.copy()
    new_run[1:] |= values[1:] != values[:-1]
    run = np.cumsum(new_run) - 1
    return np.bincount(run)[run]


def _shift(rtm: np.ndarray, starts: np.ndarray, points: int) -> np.ndarray:
    """Points in a run of ``points`` or more on one side of the mean (on it breaks a run)."""
    return (rtm != 0) & (_runs(rtm, starts) >= points)


def _trend(y: np.ndarray, starts: np.ndarray, points: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in a run of ``points`` or more strictly rising or falling, and the direction
    NHSRplotthedots labels each with (the step to the right when the next point is part of
    a trend too, else the step from the left)."""
    step = np.sign(np.diff(y, prepend=np.nan))
    step[starts] = 0
    long_enough = (step != 0) & (_runs(step, starts) >= points - 1)
    follows = np.zeros(len(y), dtype=bool)
    follows[:-1] = long_enough[1:]
    part = long_enough | follows
    next_part = np.zeros(len(y), dtype=bool)
    next_part[:-1] = part[1:] & ~starts[1:]
    right = np.zeros(len(y))
    right[:-1] = step[1:]
    direction = np.where(part & next_part, right, step)
    return part, direction


def _two_of_three(close: np.ndarray, rtm: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """Points near a limit in a window of 3 consecutive points, all on one side of the mean,
    at least 2 of them near the limit (windows never cross segments)."""
    n = len(close)
    window = np.zeros(n, dtype=bool)
    if n >= 3:
        near = close[:-2].astype(int) + close[1:-1] + close[2:]
        side = rtm[:-2] + rtm[1:-1] + rtm[2:]
        window[:-2] = (dense[:-2] == dense[2:]) & (near >= 2) & (np.abs(side) == 3)
    covered = window.copy()
    covered[1:] |= window[:-1]
    covered[2:] |= window[:-2]
    return covered & close
