"""Splitting a sum of money in proportion to shares, in whole pounds that add up exactly."""

from __future__ import annotations

import numpy as np


def whole_pounds(total: float, shares: np.ndarray) -> np.ndarray:
    """``total`` (rounded to the pound) split by ``shares`` with the largest-remainder rule.

    Each part is its exact share rounded down, then the pounds left over go one each to the
    parts with the largest remainders, so the parts always sum to the rounded total.
    """
    weights = np.asarray(shares, dtype=float)
    if weights.size == 0:
        return np.zeros(0, dtype=np.int64)
    if (weights < 0).any() or weights.sum() <= 0:
        raise ValueError("shares must be non-negative and not all zero")
    pounds = round(total)
    exact = pounds * weights / weights.sum()
    parts = np.floor(exact).astype(np.int64)
    left = pounds - int(parts.sum())
    if left:
        order = np.argsort(-(exact - parts), kind="stable")[:left]
        parts[order] += 1
    return parts
