"""The publishing boundary: OpenSAFELY's rule (ehrQL measures) - suppress 1-7, round to 5 -
and every derived figure from the published columns only."""

from __future__ import annotations

import pandas as pd
import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population import publish

RULE = publish.Rule(threshold=7, base=5)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [(0, 0), (1, None), (7, None), (8, 10), (12, 10), (13, 15), (1002, 1000), (1003, 1005)],
)
def test_small_counts_are_suppressed_and_the_rest_rounded_to_five(raw, shown):
    # expected values: OpenSAFELY's rule as ehrQL applies it (ehrql/measures/
    # disclosure_control.py, apply_sdc: 0 if value <= 7, then 5 x round(value / 5)); ehrQL
    # writes a suppressed count as 0, icsatlas shows it as missing (None)
    value = publish.count(pd.Series([raw]), RULE).iloc[0]
    assert (pd.isna(value) and shown is None) or value == shown


def test_a_small_model_total_is_suppressed_like_a_count():
    # 0.3 expected admissions or score points would say that someone has a condition
    published = publish.count([0.3, 7.4, 7.99, 8.0], RULE)
    assert published.isna().tolist() == [True, True, True, False]
    assert published.iloc[3] == 10


def test_rates_come_from_the_rounded_counts_and_vanish_with_them():
    table = publish.Table(pd.DataFrame(index=range(3)), RULE)
    table.count("n", [13, 3, 0]).count("people", [98, 98, 0])
    table.ratio("pct", "n", "people", scale=100)
    frame = table.frame
    assert frame.pct.iloc[0] == pytest.approx(100 * 15 / 100)
    assert pd.isna(frame.pct.iloc[1]) and pd.isna(frame.pct.iloc[2])
    assert publish.roles(frame)["derived"]["pct"]["inputs"] == ["n", "people"]


def test_a_derived_figure_can_only_come_from_published_columns():
    table = publish.Table(pd.DataFrame({"raw": [3]}), RULE).count("people", [100])
    with pytest.raises(ValueError, match="not a published column"):
        table.ratio("leak", "raw", "people")


def test_an_index_refuses_a_raw_comparator():
    table = publish.Table(pd.DataFrame(index=range(1)), RULE)
    table.count("pregnant", [20]).count("people", [1000])
    with pytest.raises(ValueError, match="published totals"):
        table.index("maternity", "pregnant", "people", (1003, 50_000))


def test_an_index_is_null_where_its_numerator_is_suppressed():
    table = publish.Table(pd.DataFrame(index=range(2)), RULE)
    table.count("pregnant", [3, 20]).count("people", [1000, 1000])
    frame = table.index("maternity", "pregnant", "people", (1000, 50_000)).frame
    assert pd.isna(frame.maternity.iloc[0])
    assert frame.maternity.iloc[1] == pytest.approx((20 / 1000) / (1000 / 50_000))


def test_a_standardised_rate_pools_small_cells_with_the_next_older_one():
    table = publish.Table(pd.DataFrame(index=range(2)), RULE)
    counts = pd.DataFrame([[20, 30], [3, 30]], columns=["young", "old"])
    people, standard, strata = pd.Series([100, 200]), pd.Series([1.0, 3.0]), pd.Series(["F", "F"])
    frame = table.standardised("rate", counts, people, standard, strata).frame
    # row 1: both cells published (20 -> 20, 30 -> 30); row 2: 3 cases pooled with 30 -> 35/300
    assert frame.rate.iloc[0] == pytest.approx(100 * (0.2 * 1 + 0.15 * 3) / 4)
    assert frame.rate.iloc[1] == pytest.approx(round(100 * 35 / 300, 3))


def test_a_stratum_too_small_to_publish_gives_no_standardised_rate():
    table = publish.Table(pd.DataFrame(index=range(1)), RULE)
    counts = pd.DataFrame([[2, 3]], columns=["young", "old"])
    frame = table.standardised(
        "rate", counts, pd.Series([3, 4]), pd.Series([1.0, 1.0]), pd.Series(["F", "F"])
    ).frame
    assert pd.isna(frame.rate.iloc[0])


def test_the_shipped_rule_is_ehrqls():
    rule = publish.Rule.of(ParameterSet.shipped())
    assert (rule.threshold, rule.base) == (7, 5)


def test_the_rule_is_a_parameter():
    stricter = ParameterSet.shipped().override({"population.disclosure.suppress_at_or_below": 10})
    assert publish.Rule.of(stricter).threshold == 10
