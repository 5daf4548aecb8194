"""Which areas border which, from the shipped boundary topologies (``web/maps/*.json``, made
by ``scripts/derive-maps``): two areas are neighbours when a border arc is shared by both.
Standard library only; read once per boundary set."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

from icsatlas.web.boundaries import boundary_code, boundary_set, boundary_set_key

# The boundary level that draws each kind of area (a council by its tier).
LEVELS = {"icb": "icb", "sub-icb": "sub-icb", "region": "region"}


def level_of(kind: str, code: str) -> str | None:
    """The boundary level of an area of ``kind`` with ONS ``code`` (None: no boundary)."""
    if kind == "council":
        return "lower-tier" if code.startswith("E07") else "upper-tier"
    return LEVELS.get(kind)


def neighbours(level: str, on: date, code: str) -> tuple[str, list[str]] | None:
    """The boundary set used and the codes (as the boundary file gives them) of the areas
    bordering ``code``; None when the set has no boundary for it."""
    key = boundary_set_key(level, on)
    found = _borders(key)
    drawn = boundary_code(code)
    if drawn not in found:
        return None
    return key, sorted(found[drawn])


@cache
def _borders(key: str) -> dict[str, frozenset[str]]:
    boundaries = boundary_set(key)
    by_arc: dict[int, set[str]] = defaultdict(set)
    for code in boundaries.areas:
        for ring in boundaries.rings(code):
            for ref in ring:
                by_arc[ref if ref >= 0 else ~ref].add(code)
    touching: dict[str, set[str]] = {code: set() for code in boundaries.areas}
    for codes in by_arc.values():
        for code in codes:
            touching[code] |= codes - {code}
    return {code: frozenset(others) for code, others in touching.items()}
