"""How a briefing names holders: by name for a local area; by type where a function is held
by many bodies at once (a region, England: "36 bodies of type icb"), so a function that
moves the same way in 36 ICBs is one row, not 36 names."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icsatlas.workspace.report import Report

MANY = 3  # more holders than this are counted by type, not named
SEPARATOR = "; "  # how the report joins several holders of one function
_COUNTED = re.compile(r"^\d+ x ")  # England, a region: '36 x Integrated care board'


def several(report: Report) -> bool:
    """Whether more than one NHS area covers the report's area (a row per area each)."""
    return "for" in report.section("functions").columns


def labeller(report: Report) -> Callable[[str], str]:
    """Holder (or holders joined by '; ') -> what the briefing calls them."""
    types = {key(r["holder"]): r["holder_type"] for r in report.section("accountability").table}
    by_type = several(report)

    def label(holder: str) -> str:
        parts = holder.split(SEPARATOR)
        if len(parts) <= MANY and not by_type:
            return holder
        kinds = list(dict.fromkeys(types.get(key(p), p) for p in parts))
        if by_type and len(parts) == 1:
            return f"each area's {kinds[0]}"
        return f"{len(parts)} bodies: " + ", ".join(kinds)

    return label


def first(holder: str) -> str:
    """The first of several joined holders (all of one type share its accountability), as
    :func:`key` gives it."""
    return key(holder.split(SEPARATOR)[0])


def key(holder: str) -> str:
    """A holder as the accountability table is looked up by: bodies counted by type
    ('36 x Integrated care board', '12 x Integrated care board') by the type alone."""
    return _COUNTED.sub("", holder)
