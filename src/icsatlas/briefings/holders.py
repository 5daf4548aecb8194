"""How a briefing names holders: by name for a local area; by type where a function is held
by many bodies at once (a region, England: "36 bodies of type icb"), so a function that
moves the same way in 36 ICBs is one row, not 36 names."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icsatlas.workspace.report import Report

MANY = 3  # more holders than this are counted by type, not named
SEPARATOR = "; "  # how the report joins several holders of one function


def several(report: Report) -> bool:
    """Whether more than one NHS area covers the report's area (a row per area each)."""
    return "for" in report.section("functions").columns


def labeller(report: Report) -> Callable[[str], str]:
    """Holder (or holders joined by '; ') -> what the briefing calls them."""
    types = {r["holder"]: r["holder_type"] for r in report.section("accountability").table}
    by_type = several(report)

    def label(holder: str) -> str:
        parts = holder.split(SEPARATOR)
        if len(parts) <= MANY and not by_type:
            return holder
        kinds = list(dict.fromkeys(types.get(p, p) for p in parts))
        if by_type and len(parts) == 1:
            return f"each area's {kinds[0]}"
        return f"{len(parts)} bodies: " + ", ".join(kinds)

    return label


def first(holder: str) -> str:
    """The first of several joined holders (all of one type share its accountability)."""
    return holder.split(SEPARATOR)[0]
