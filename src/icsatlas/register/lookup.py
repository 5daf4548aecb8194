"""Free-text look-up of areas: names, ODS codes and ONS codes ("Frimley", "QNQ", "E54000034")."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

import pandas as pd

from icsatlas.errors import NotFoundError
from icsatlas.names import ENGLAND_ONS, normalise
from icsatlas.register import geography


@dataclass(frozen=True)
class AreaRef:
    """An area in force on a date: its ONS code identifies it."""

    area_id: str
    area_type: str
    name: str
    ods_code: str | None = None


def areas_on(on: date) -> list[AreaRef]:
    """England, its regions, ICBs and sub-ICB locations in force on ``on``."""
    tree = geography.sub_icb_tree(on)
    found = [AreaRef(ENGLAND_ONS, "country", "England")]
    for prefix, kind in (("region", "region"), ("icb", "icb"), ("sub_icb", "sub-icb")):
        level = tree[[f"{prefix}_ons", f"{prefix}_ods", f"{prefix}_name"]].drop_duplicates()
        found += [AreaRef(r[0], kind, r[2], r[1]) for r in level.itertuples(index=False)]
    return found


def find_area(query: str, on: date, candidates: list[AreaRef] | None = None) -> AreaRef:
    """The one area ``query`` names on ``on``; suggestions if none or several match."""
    candidates = candidates if candidates is not None else areas_on(on)
    wanted = query.strip()
    by_code = [a for a in candidates if wanted.upper() in (a.area_id, a.ods_code)]
    if by_code:
        return _most_general(by_code)
    key = normalise(wanted)
    exact = [a for a in candidates if normalise(a.name) == key]
    if exact:
        return _most_general(exact)
    partial = [a for a in candidates if key and key in normalise(a.name)]
    if partial:
        best = _most_general(partial)
        same_level = [a for a in partial if a.area_type == best.area_type]
        if len(same_level) == 1:
            return best
        names = ", ".join(sorted(a.name for a in same_level)[:8])
        raise NotFoundError(f"{query!r} matches several areas on {on}: {names}")
    every = [a.name for a in candidates]
    close = difflib.get_close_matches(wanted, every, n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise NotFoundError(f"no area matches {query!r} on {on}{hint}")


_LEVEL = {"country": 0, "region": 1, "icb": 2, "sub-icb": 3, "place": 4, "neighbourhood": 5}


def _most_general(matches: list[AreaRef]) -> AreaRef:
    return min(matches, key=lambda a: _LEVEL.get(a.area_type, 9))


def as_frame(refs: list[AreaRef]) -> pd.DataFrame:
    return pd.DataFrame([vars(r) for r in refs])
