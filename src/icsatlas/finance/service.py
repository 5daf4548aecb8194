"""Length of NHS service as a distribution, and the expected value of an exit rule over it.

Leavers' service is modelled as Erlang-2 (gamma, shape 2) around a band's mean, so the
probability of having served at least ``y`` years is ``exp(-r y) (1 + r y)`` with rate
``r = 2 / mean``. Exit rules count *complete* years ``n``; a rule's values for
``n = 0, 1, ..., K`` (the last standing for ``K`` or more, where every rule has stopped
changing) give its expected value exactly::

    E[v] = sum over n < K of v[n] P(N = n)  +  v[K] P(N >= K)

:func:`expected` is that sum; :func:`expected_fast` interpolates it on a fine grid of
means, which the Monte Carlo evaluates for every draw and band.
"""

from __future__ import annotations

from functools import cache

import numpy as np

_GRID_STEP = 0.005  # years; the expectation is smooth, so the interpolation error is < 1e-5 years


def survival(mean_years: np.ndarray, years: np.ndarray) -> np.ndarray:
    """P(service >= ``years``) for Erlang-2 service with the given means (broadcast)."""
    rate = 2.0 / np.maximum(np.asarray(mean_years, dtype=float), 1e-9)
    scaled = rate * years
    return np.exp(-scaled) * (1 + scaled)


def completed_years(mean_years: np.ndarray, horizon: int) -> np.ndarray:
    """P(N = n) for n = 0 .. horizon - 1 and P(N >= horizon) last: shape (..., horizon + 1)."""
    mean = np.asarray(mean_years, dtype=float)[..., None]
    at_least = survival(mean, np.arange(horizon + 1, dtype=float))
    return np.concatenate([at_least[..., :-1] - at_least[..., 1:], at_least[..., -1:]], axis=-1)


def expected(values: np.ndarray, mean_years: np.ndarray) -> np.ndarray:
    """Expected value of a rule given by its ``values`` at 0 .. K complete years (exact)."""
    values = np.asarray(values, dtype=float)
    return completed_years(mean_years, len(values) - 1) @ values


def expected_fast(values: np.ndarray, mean_years: np.ndarray) -> np.ndarray:
    """:func:`expected` by linear interpolation on a 0.005-year grid of means."""
    values = np.asarray(values, dtype=float)
    return At(mean_years, len(values) - 1).expected(values)


class At:
    """Expected values of any number of rules at the same means: the interpolation (grid
    cell and weight of each mean) is worked out once and reused for every rule."""

    def __init__(self, mean_years: np.ndarray, horizon: int):
        mean = np.asarray(mean_years, dtype=float)
        top = max(float(mean.max(initial=0.0)), 1.0)
        self.probabilities = _grid(horizon, float(np.ceil(top / 10) * 10))
        position = np.maximum(mean, 0.0) / _GRID_STEP
        self.cell = np.minimum(position.astype(np.intp), len(self.probabilities) - 2)
        self.weight = position - self.cell

    def expected(self, values: np.ndarray) -> np.ndarray:
        """Expected value of the rule with ``values`` at 0 .. K complete years, at each mean."""
        grid = self.probabilities @ np.asarray(values, dtype=float)
        low = grid[self.cell]
        return low + (grid[self.cell + 1] - low) * self.weight


@cache
def _grid(horizon: int, top: float) -> np.ndarray:
    """P(N = n) at means 0, 0.005, ..., ``top`` (one row per mean)."""
    return completed_years(np.arange(0.0, top + _GRID_STEP, _GRID_STEP), horizon)
