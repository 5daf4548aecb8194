"""Disclosure control: OpenSAFELY's rule (ehrQL measures) - suppress 1-7, round to 5."""

from __future__ import annotations

import pandas as pd
import pytest

from icsatlas.population import disclosure

RULE = disclosure.Rule(threshold=7, base=5)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [(0, 0), (1, None), (7, None), (8, 10), (12, 10), (13, 15), (1002, 1000), (1003, 1005)],
)
def test_small_counts_are_suppressed_and_the_rest_rounded_to_five(raw, shown):
    value = disclosure.count(pd.Series([raw]), RULE).iloc[0]
    assert (pd.isna(value) and shown is None) or value == shown


def test_rates_come_from_the_rounded_counts_and_vanish_with_them():
    numerator = disclosure.count(pd.Series([13, 3, 0]), RULE)
    denominator = disclosure.count(pd.Series([98, 98, 0]), RULE)
    rates = disclosure.rate(numerator, denominator)
    assert rates.iloc[0] == pytest.approx(100 * 15 / 100)
    assert pd.isna(rates.iloc[1]) and pd.isna(rates.iloc[2])


def test_a_mean_over_seven_or_fewer_people_is_suppressed():
    means = disclosure.mean(pd.Series([70.0, 80.0]), pd.Series([7, 8]), RULE)
    assert pd.isna(means.iloc[0]) and means.iloc[1] == pytest.approx(10.0)


def test_the_shipped_rule_is_ehrqls():
    rule = disclosure.Rule.load()
    assert (rule.threshold, rule.base) == (7, 5)
