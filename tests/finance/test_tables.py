"""Readable tables: amounts people type, and the narrow views."""

from __future__ import annotations

import pandas as pd
import pytest

from icsatlas.errors import InputError
from icsatlas.finance.tables import display, parse_money, view
from icsatlas.results import Result


@pytest.mark.parametrize(
    ("text", "pounds"),
    [("3.2bn", 3.2e9), ("£450m", 450e6), ("12k", 12_000), ("1,200,000", 1_200_000), ("£ 7", 7)],
)
def test_amounts_people_type(text, pounds):
    assert parse_money(text, "--budget") == pytest.approx(pounds)


def test_nonsense_amounts_are_input_errors():
    with pytest.raises(InputError, match=r"--budget: not an amount of money: 'lots'"):
        parse_money("lots", "--budget")


def test_views_format_and_display_converts_large_money_to_millions():
    result = Result(
        pd.DataFrame(
            {
                "area_name": ["NHS Kent and Medway Integrated Care Board"],
                "target_gbp": [3.5e9],
                "share": [0.0312],
            }
        )
    )
    shown = view(
        result, [("ICB", "area_name", "name"), ("£m", "target_gbp", "m"), ("share", "share", "pct")]
    ).frame
    assert shown.iloc[0].tolist() == ["Kent and Medway", "3,500.0", "3.1%"]
    assert list(display(result).frame.columns) == ["area_name", "target_£m", "share"]
