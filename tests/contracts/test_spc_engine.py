"""The vectorised engine agrees with the per-point port of NHSRplotthedots on every
series, for every shipped rule set, including series split by rebasing."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icsatlas.contracts.spc import engine, names, reference, rule_set
from icsatlas.parameters import ParameterSet

SHIPPED = ParameterSet.shipped()

# small integers make ties, runs, trends and near-limit points common
values = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=40)


def _engine(y, rules, **kwargs):
    result = engine.classify(np.array(y, dtype=float), np.zeros(len(y), int), rules, **kwargs)
    return list(zip(result.rule.tolist(), result.sign.tolist(), strict=True)), result


@pytest.mark.parametrize("name", names(SHIPPED))
@settings(max_examples=150, deadline=None)
@given(y=values, screen=st.booleans(), fix=st.sampled_from([None, 5, 12]))
def test_engine_matches_the_per_point_port(name, y, screen, fix):
    rules = replace(rule_set(SHIPPED, name), screen_outliers=screen)
    expected, limits = reference.special_cause([float(v) for v in y], rules, fix_after=fix)
    got, result = _engine(y, rules, fix_after=fix)
    assert got == expected
    np.testing.assert_array_equal(result.limits.upl, np.full(len(y), limits["upl"]))
    np.testing.assert_array_equal(result.limits.lpl, np.full(len(y), limits["lpl"]))


@settings(max_examples=100, deadline=None)
@given(first=values, second=values)
def test_segments_are_independent(first, second):
    # two series in one flat array give the same answers as each alone
    rules = rule_set(SHIPPED)
    y = np.array(first + second, dtype=float)
    segment = np.array([0] * len(first) + [1] * len(second))
    together = engine.classify(y, segment, rules)
    alone = [_engine(part, rules)[1] for part in (first, second)]
    np.testing.assert_array_equal(together.rule, np.concatenate([a.rule for a in alone]))
    np.testing.assert_array_equal(together.sign, np.concatenate([a.sign for a in alone]))
