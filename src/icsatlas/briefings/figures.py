"""How a briefing writes a figure: the one place a value from the report becomes text, so a
test can write the report's value the same way and find it in the PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from icsatlas.results import display


def millions(value: Any) -> str:
    """£4,929.4m"""
    return "" if value is None else f"£{value / 1e6:,.1f}m"


def pounds(value: Any) -> str:
    """£1,820.52"""
    return "" if value is None else f"£{value:,.2f}"


def percent(value: Any, *, signed: bool = False, fraction: bool = False) -> str:
    """47.6% (``fraction``: 0.476 -> 47.6%; ``signed``: +1.2%)."""
    if value is None:
        return ""
    shown = value * 100 if fraction else value
    return f"{shown:+.1f}%" if signed else f"{shown:.1f}%"


def day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "an unrecorded date"


def cell(value: Any) -> str:
    return display(value)
