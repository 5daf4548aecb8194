"""Convergence paths under the pace-of-change rule."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas.errors import InputError
from icsatlas.finance import convergence
from icsatlas.finance import weighted_population as wp

BASIS = wp.Basis("2025/26", "icb42")


def test_each_year_adds_up_to_the_grown_total_and_closes_the_gaps():
    rule = convergence.PaceOfChange(gap_closed=0.25, minimum_growth=0.0, growth=(0.03,) * 3)
    frame = convergence.paths(BASIS, 3, rule).frame
    totals = frame.groupby("financial_year").allocation_gbp.sum().to_numpy()
    assert np.allclose(totals[1:] / totals[:-1], 1.03)
    spread = frame.groupby("financial_year").distance_from_fair_share.agg(np.ptp).to_numpy()
    # with no floor binding every gap shrinks by the same factor: (1 - p) / (1 + g) x (1 + g)
    assert np.allclose(spread[1:] / spread[:-1], 0.75, atol=0.01)


def test_minimum_growth_protects_ICBs_above_fair_share():
    rule = convergence.PaceOfChange(gap_closed=0.9, minimum_growth=0.02, growth=(0.03,))
    frame = convergence.paths(BASIS, 1, rule).frame.pivot(
        index="area_code", columns="financial_year", values="allocation_gbp"
    )
    growth = frame["2026/27"] / frame["2025/26"] - 1
    assert growth.min() >= 0.02 - 1e-9
    assert frame["2026/27"].sum() == pytest.approx(frame["2025/26"].sum() * 1.03)


def test_impossible_rules_are_input_errors():
    with pytest.raises(InputError, match="gap_closed"):
        convergence.PaceOfChange(gap_closed=1.5, minimum_growth=0, growth=(0.03,))
    with pytest.raises(InputError, match="minimum growth"):
        convergence.PaceOfChange(gap_closed=0.2, minimum_growth=0.05, growth=(0.03,))
