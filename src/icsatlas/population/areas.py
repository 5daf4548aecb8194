"""Which area each person falls in: the register's geography on the date asked.

People carry the practice they are registered with and the LSOA they live in. The register
says which PCN, sub-ICB location, ICB and region each practice belongs to on any date, what-if
reforms included (:class:`icsatlas.geography.on_date.Geography`), so a population generated in
the 36-ICB geography of 2026 aggregates to the 42 ICBs of 2025 (Frimley's practices go back to
Frimley) or to a user's 2027 merger. Councils come from the LSOA each person lives in (the ONS
LSOA lookups, shipped as data).

An area a user names is read once, by the workspace's resolver
(:class:`icsatlas.geography.Resolution`); :func:`focus` turns that reading into the people it
covers: those registered with its practices or, for a council, those living in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError, NotFoundError
from icsatlas.names import short_name

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.geography.on_date import Geography

LEVELS = ("country", "region", "icb", "sub-icb", "pcn", "practice", "local-authority")
ALIASES = {"place": "sub-icb", "council": "local-authority"}
_PRACTICE_LEVELS = {
    "country": None,
    "region": ("region_ons", "region_ods", "region_name"),
    "icb": ("icb_ons", "icb_ods", "icb_name"),
    "sub-icb": ("sub_icb_ons", "sub_icb_ods", "sub_icb_name"),
    "pcn": ("pcn_code", "pcn_code", "pcn_name"),
    "practice": ("practice_code", "practice_code", "practice_name"),
}
_INSIDE_ICB = ("sub-icb", "pcn", "practice")
ENGLAND = ("E92000001", "England")
LOOKUP_COLUMNS = ["area_code", "area_ods", "area_name", "place_name", "icb_code", "icb_name"]


@dataclass(frozen=True)
class Level:
    """How to find an area of one level for each person: a lookup keyed by the person's
    practice (or LSOA, for councils) giving the area's code (ONS where it has one), ODS code,
    name, place name (sub-ICB locations) and, for areas inside an ICB, that ICB."""

    name: str
    key: str  # the population column the lookup joins on
    table: pd.DataFrame  # key + LOOKUP_COLUMNS


def check_level(level: str) -> str:
    """The level's canonical name ('place' is a sub-ICB location, 'council' a local
    authority)."""
    level = ALIASES.get(level, level)
    if level not in LEVELS:
        known = ", ".join((*LEVELS, *ALIASES))
        raise InputError(f"unknown level {level!r} (use one of: {known})", field="level")
    return level


def level_lookup(level: str, geography: Geography) -> Level:
    """The lookup for ``level`` in ``geography``."""
    level = check_level(level)
    if level == "local-authority":
        return Level(level, "lsoa_code", _local_authorities())
    practices = geography.practices
    columns = _PRACTICE_LEVELS[level]
    if columns is None:
        code = pd.Series(ENGLAND[0], index=practices.index)
        table = pd.DataFrame({"area_code": code, "area_ods": None, "area_name": ENGLAND[1]})
    else:
        table = pd.DataFrame(
            {
                "area_code": practices[columns[0]],
                "area_ods": practices[columns[1]],
                "area_name": practices[columns[2]],
            }
        )
    table["place_name"] = practices.place_name if level == "sub-icb" else None
    table["icb_code"] = practices.icb_ons if level in _INSIDE_ICB else None
    table["icb_name"] = practices.icb_name if level in _INSIDE_ICB else None
    table.insert(0, "practice_code", practices.practice_code)
    return Level(level, "practice_code", _plain(table))


def _local_authorities() -> pd.DataFrame:
    """LSOA -> upper-tier council (current codes), from the ONS lookups."""
    lsoas = _lsoa_councils()
    names = _utla_names()
    table = pd.DataFrame(
        {
            "lsoa_code": lsoas.lsoa11,
            "area_code": lsoas.utla_code,
            "area_ods": None,
            "area_name": lsoas.utla_code.map(names),
        }
    )
    return _plain(table.assign(place_name=None, icb_code=None, icb_name=None))


@cache
def _lsoa_councils() -> pd.DataFrame:
    """Every LSOA (2011) with its district (2019 code) and current upper-tier council."""
    from icsatlas.register import geography

    return geography.lsoa_lookup(geography.EXTRACT_2026)[["lsoa11", "lad19_code", "utla_code"]]


@cache
def _utla_names() -> dict[str, str]:
    table = data.read("utla_current_to_icb_2023_population_shares", usecols=["UTLACD", "UTLANM"])
    return dict(zip(table.UTLACD, table.UTLANM, strict=False))


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """Object columns with None for missing, so both engines see the same strings."""
    return table.astype(object).where(table.notna(), None)


# -- one named area -------------------------------------------------------------------------

_KINDS = {
    "region": "region",
    "icb": "ICB",
    "sub-icb": "sub-ICB location",
    "council": "council",
    "practice": "GP practice",
    "pcn": "PCN",
    "postcode": "postcode",
}
_AREA_COLUMNS = {"region": "region_ons", "icb": "icb_ons", "sub-icb": "sub_icb_ons"}


@dataclass(frozen=True)
class Focus:
    """The people of one area a user named: those registered with its practices
    (``key`` = practice_code) or, for a council, those living in its LSOAs (lsoa_code)."""

    kind: str
    code: str
    name: str
    key: str
    members: tuple[str, ...]
    notes: tuple[str, ...] = ()
    approximate: bool = False

    @property
    def label(self) -> str:
        """'Leeds (sub-ICB location 15F)', 'Surrey (council E10000030)', 'England'."""
        if self.kind == "country":
            return self.name
        kind = _KINDS.get(self.kind) or self.kind.replace("icb", "ICB")
        if self.approximate:
            return f"{kind} {self.code} (approximately: the patients of its GP practices)"
        return f"{self.name} ({kind} {self.code})"

    @property
    def table(self) -> pd.DataFrame:
        """The lookup the pipeline joins: each member marked as in this area."""
        return pd.DataFrame(
            {self.key: list(self.members), "area_code": self.code, "area_name": self.name},
            dtype=object,
        )


def focus(resolution: Resolution, geography: Geography) -> Focus:
    """The people of what ``resolution`` names, in ``geography``: an NHS area's practices, a
    council's residents, a practice, a PCN's practices, the practices at a postcode (an
    approximation) or a former area's practices (now in its successors)."""
    if resolution.kind == "council":
        return _council(resolution)
    area = resolution.area
    if resolution.practices or area is None:
        members, name = list(resolution.practices), short_name(resolution.name)
    else:
        members, name = _area_practices(resolution, geography)
    if not members:
        raise NotFoundError(
            f"no GP practices are recorded in {resolution.name} on {geography.on}, so "
            "nobody registered can be counted there"
        )
    return Focus(
        resolution.kind,
        resolution.code,
        name,
        "practice_code",
        tuple(members),
        (resolution.describe(), *resolution.notes),
        resolution.approximate,
    )


def _area_practices(resolution: Resolution, geography: Geography) -> tuple[list[str], str]:
    area = resolution.area
    assert area is not None
    practices = geography.practices
    if area.area_type == "country":
        return list(practices.practice_code), area.name
    column = _AREA_COLUMNS.get(area.area_type)
    if column is None:  # a place or neighbourhood: no practice is located in one
        return [], area.name
    members = practices.practice_code[practices[column] == area.area_id]
    return list(members), area.place_name or short_name(area.name)


def _council(resolution: Resolution) -> Focus:
    lsoas = _lsoa_councils()
    code = resolution.code
    inside = lsoas.lsoa11[(lsoas.utla_code == code) | (lsoas.lad19_code == code)]
    if inside.empty:
        raise NotFoundError(f"no LSOAs are recorded for {resolution.label}")
    how = (
        f"{resolution.name}: the people living in its {len(inside):,} LSOAs (ONS lookups), "
        "wherever they are registered"
    )
    return Focus(
        "council",
        code,
        resolution.name,
        "lsoa_code",
        tuple(inside),
        (resolution.describe(), *resolution.notes, how),
    )
