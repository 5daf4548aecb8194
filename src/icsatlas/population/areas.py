"""Which area each person falls in, on a date, from the register's geography.

People carry the practice they are registered with (and their LSOA); the register says which
sub-ICB location, ICB, region and PCN each practice belongs to on any date, so a population
generated in the 36-ICB geography of 2026 aggregates correctly to the 42 ICBs of 2025 (for
example, Frimley's practices go back to Frimley). Local authorities come from the LSOA.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError
from icsatlas.register import geography, lookup

LEVELS = ("country", "region", "icb", "sub-icb", "pcn", "practice", "local-authority")
_PRACTICE_LEVELS = {
    "country": None,
    "region": ("region_ons", "region_ods", "region_name"),
    "icb": ("icb_ons", "icb_ods", "icb_name"),
    "sub-icb": ("sub_icb_ons", "sub_icb_ods", "sub_icb_name"),
    "pcn": ("pcn_code", "pcn_code", "pcn_name"),
    "practice": ("practice_code", "practice_code", "practice_name"),
}
ENGLAND = ("E92000001", "England")


@dataclass(frozen=True)
class Level:
    """How to find an area of one level for each person: a lookup table keyed by the
    person's practice (or LSOA for local authorities), with the area's code and name and,
    for areas inside an ICB, that ICB."""

    name: str
    key: str  # population column the lookup joins on
    table: pd.DataFrame  # key, area_code, area_ods, area_name, icb_code, icb_name


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise InputError(
            f"unknown level {level!r} (use one of: {', '.join(LEVELS)})", field="level"
        )
    return level


def level_lookup(level: str, on: date) -> Level:
    """The lookup for ``level`` on ``on``."""
    check_level(level)
    if level == "local-authority":
        return Level(level, "lsoa_code", _local_authorities(on))
    practices = geography.practice_lookup(on)
    columns = _PRACTICE_LEVELS[level]
    if columns is None:
        code = pd.Series(ENGLAND[0], index=practices.index)
        table = pd.DataFrame({"area_code": code, "area_ods": code, "area_name": ENGLAND[1]})
    else:
        table = pd.DataFrame(
            {
                "area_code": practices[columns[0]],
                "area_ods": practices[columns[1]],
                "area_name": practices[columns[2]],
            }
        )
    inside_icb = level in ("sub-icb", "pcn", "practice")
    table["icb_code"] = practices.icb_ons if inside_icb else None
    table["icb_name"] = practices.icb_name if inside_icb else None
    table.insert(0, "practice_code", practices.practice_code)
    return Level(level, "practice_code", table.astype(object).where(table.notna(), None))


def _local_authorities(on: date) -> pd.DataFrame:
    lsoas = geography.lsoa_lookup(on)
    names = _utla_names()
    return pd.DataFrame(
        {
            "lsoa_code": lsoas.lsoa11,
            "area_code": lsoas.utla_code,
            "area_ods": lsoas.utla_code,
            "area_name": lsoas.utla_code.map(names),
            "icb_code": None,
            "icb_name": None,
        }
    )


@cache
def _utla_names() -> dict[str, str]:
    table = data.read("utla_current_to_icb_2023_population_shares", usecols=["UTLACD", "UTLANM"])
    return dict(zip(table.UTLACD, table.UTLANM, strict=False))


@dataclass(frozen=True)
class AreaFilter:
    """People in one named area on a date: its level, code (ONS where there is one) and name."""

    level: str
    code: str
    name: str


def find(text: str, on: date) -> AreaFilter:
    """The area ``text`` names on ``on``: a region, ICB or sub-ICB location by name, ODS or
    ONS code (via the register), a PCN or practice by ODS code, or an upper-tier local
    authority by ONS code or name."""
    by_code = _practice_or_pcn(text, on)
    if by_code:
        return by_code
    local = _local_authority(text)
    if local:
        return local
    area = lookup.find_area(text, on)
    level = {"country": "country", "region": "region", "icb": "icb", "sub-icb": "sub-icb"}.get(
        area.area_type
    )
    if level is None:
        raise InputError(
            f"{area.name} is a {area.area_type}; population areas are {', '.join(LEVELS)}"
        )
    return AreaFilter(level, area.area_id, area.name)


def _practice_or_pcn(text: str, on: date) -> AreaFilter | None:
    code = text.strip().upper()
    practices = geography.practice_lookup(on)
    row = practices[practices.practice_code == code]
    if len(row):
        return AreaFilter("practice", code, str(row.practice_name.iloc[0]))
    row = practices[practices.pcn_code == code]
    if len(row):
        return AreaFilter("pcn", code, str(row.pcn_name.iloc[0]))
    return None


def _local_authority(text: str) -> AreaFilter | None:
    names = _utla_names()
    wanted = text.strip()
    if wanted.upper() in names:
        return AreaFilter("local-authority", wanted.upper(), names[wanted.upper()])
    matches = [code for code, name in names.items() if name.lower() == wanted.lower()]
    if len(matches) == 1:
        return AreaFilter("local-authority", matches[0], names[matches[0]])
    return None
