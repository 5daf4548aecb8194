"""Rank correlation and one-at-a-time tornado on functions whose answer we know."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas.finance import scenario, sensitivity
from icsatlas.parameters import ParameterSet


def test_spearman_is_one_for_monotone_and_zero_for_constant_inputs():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=1001)
    y = np.exp(3 * x)  # monotone, not linear
    found = sensitivity.spearman(
        {"x": x, "noise": rng.uniform(size=1001), "fixed": np.ones(1001)}, y
    )
    assert found["x"] == pytest.approx(1.0)
    assert abs(found["noise"]) < 0.1
    assert found["fixed"] == 0


def test_tornado_moves_one_input_at_a_time():
    plan = scenario.default(ParameterSet.shipped())

    def outcome(batch):
        return 100 * batch["rehire_share"] + 0 * batch["delivery"] + batch["phasing"]

    table = sensitivity.tornado(plan, outcome).set_index("input")
    rehire = plan.inputs["rehire_share"].distribution
    assert table.loc["rehire_share", "swing"] == pytest.approx(
        100 * (rehire.quantile(0.9) - rehire.quantile(0.1))
    )
    assert table.loc["delivery", "swing"] == 0
    assert table.loc["phasing", "swing"] == pytest.approx(3)  # option positions 0..3
