"""Readable tables for people: chosen columns, money in £m, shares as percentages.

Results keep every column in pounds (for json, csv and exports); these helpers make the
narrower view a terminal or a briefing needs, and parse amounts people type ("3.2bn").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from icsatlas.inputs import numbers
from icsatlas.names import short_name
from icsatlas.results import Result


def parse_money(text: str, field: str) -> float:
    """'3.2bn', '£450m', '12k' or '1,200,000' -> pounds, as every amount is read
    (:func:`icsatlas.inputs.numbers.parse_money`)."""
    return numbers.parse_money(text, field=field)


def display(result: Result) -> Result:
    """For table output only: money columns (names containing 'gbp') in £ million."""
    frame = result.frame.copy()
    renamed = {}
    for column in frame.columns:
        if (
            "gbp" in column
            and pd.api.types.is_numeric_dtype(frame[column])
            and frame[column].abs().max() >= 1e6
        ):
            frame[column] = frame[column] / 1e6
            renamed[column] = column.replace("gbp", "£m")
    return Result(frame.rename(columns=renamed), result.provenance, result.title, result.notes)


Column = tuple[str, str, str]  # header, source column, format: name|int|m|pct|spct|x3|text


def view(result: Result, columns: Sequence[Column]) -> Result:
    """A narrower table for the terminal: chosen columns, readable headers and numbers."""
    frame = pd.DataFrame(
        {header: formatted(result.frame[source], kind) for header, source, kind in columns}
    )
    return Result(frame, result.provenance, result.title, result.notes)


def formatted(values: pd.Series, kind: str) -> list:
    """Values as display strings; ``kind`` is one of the keys below (blank for missing)."""
    formats: dict[str, Callable[[Any], str]] = {
        "name": short_name,
        "int": lambda v: f"{v:,.0f}",
        "m": lambda v: f"{round(v / 1e6, 1) + 0.0:,.1f}",  # no "-0.0"
        "pct": lambda v: f"{v:.1%}",
        "spct": lambda v: f"{v:+.1%}",
        "x3": lambda v: f"{v:.3f}",
        "x6": lambda v: f"{v:+.6f}",
        "e": lambda v: f"{v:+.1e}",
        "gbp": lambda v: f"{v:,.2f}",
        "text": str,
    }
    return [formats[kind](v) if pd.notna(v) else "" for v in values]
