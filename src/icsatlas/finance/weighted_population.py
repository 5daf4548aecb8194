"""NHS England's practice-level need-weighted populations, grouped into any set of areas.

The shipped file holds, for every GP practice and allocation year (2023/24-2025/26), the
registered population and one weighted population per need component. An area's share of
the national total of a weighted population is its share of that stream's target; grouping
practices (into ICBs, sub-ICB locations, local authority districts, PCNs or places a user
defines) is how NHS England's own place-based allocation tool works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError, NotFoundError
from icsatlas.finance import years
from icsatlas.register import geography

SOURCE = "allocation_weighted_population_practice_2023_24_to_2025_26"
CROSSWALK = "icb_crosswalk_2023_to_2026"

# Need components of the core formula: our name -> (column in the shipped file, label).
COMPONENTS = {
    "g_a": ("g_a_wp", "General and acute"),
    "community": ("cs_wp", "Community services"),
    "mental_health": ("mh_wp", "Mental health"),
    "maternity": ("mat_wp", "Maternity"),
    "health_inequalities": ("health_ineq_wp", "Health inequalities and unmet need"),
    "prescribing": ("prescr_wp", "Prescribing"),
}
CORE = "core"  # the overall core weighted population ("final" in NHS England's files)
MEASURES = ["population", *COMPONENTS, CORE]

GEOGRAPHIES = {"icb42": "42 ICBs (1 Jul 2022 - 31 Mar 2026)", "icb36": "36 ICBs (from 1 Apr 2026)"}
LEVELS = ("region", "icb", "sub-icb", "lad", "pcn", "practice")
UNMAPPED = "UNMAPPED"
_LEGACY_DAY = date(2025, 4, 1)
_MERGED_DAY = geography.MERGERS_2026


@dataclass(frozen=True)
class Basis:
    """Which allocation year's weighted populations, in which ICB geography."""

    year: str
    geography: str

    @property
    def day(self) -> date:
        """A day on which this basis's geography is in force (for register look-ups)."""
        return _MERGED_DAY if self.geography == "icb36" else _LEGACY_DAY


def available_years() -> list[str]:
    return sorted(_practice_file().allocation_year.unique())


def basis_for(
    year: str | None = None, on: date | None = None, geography_name: str | None = None
) -> tuple[Basis, tuple[str, ...]]:
    """The basis for a request, plus notes saying what was assumed.

    Without a year, the allocation year containing ``on`` (default today) is used, or the
    latest shipped year if that one is not shipped. Without a geography, the ICBs in force
    on ``on`` (or, given only a year, at the start of that year).
    """
    notes: list[str] = []
    shipped = available_years()
    if year is not None:
        wanted = years.normalise(year)
        if wanted not in shipped:
            raise NotFoundError(
                f"no weighted populations for {wanted}: shipped years are {', '.join(shipped)}"
            )
    else:
        day = on or date.today()
        wanted = years.containing(day)
        if wanted not in shipped:
            latest = shipped[-1]
            notes.append(
                f"No allocation data for {wanted}; using {latest}, the latest shipped year."
            )
            wanted = latest
    if geography_name is None:
        day = on or (years.first_day(year) if year is not None else date.today())
        geography_name = "icb36" if day >= _MERGED_DAY else "icb42"
    if geography_name not in GEOGRAPHIES:
        raise InputError(
            f"unknown geography {geography_name!r}: use {' or '.join(GEOGRAPHIES)}",
            field="geography",
        )
    if geography_name == "icb36":
        notes.append(
            f"{wanted} weighted populations placed in the 36 ICBs of 1 April 2026: practices "
            "by the August 2026 practice map, closed practices through the 42-to-36 crosswalk."
        )
    return Basis(wanted, geography_name), tuple(notes)


@cache
def _practice_file() -> pd.DataFrame:
    raw = data.read(SOURCE, dtype={"lad": str, "practice_code": str})
    renamed = {column: name for name, (column, _) in COMPONENTS.items()}
    renamed |= {"final_wp": CORE, "icb": "icb23_ods", "gp_practice_name": "practice_name"}
    frame = raw.rename(columns=renamed)
    keep = ["allocation_year", "practice_code", "practice_name", "icb23_ods", "lad", *MEASURES]
    return frame[keep]


def practices(basis: Basis) -> pd.DataFrame:
    """One row per practice (or practice share) with the ICB it belongs to under ``basis``.

    Columns: practice_code, practice_name, icb_ods, lad, ``weight`` (1, or a crosswalk share
    for closed practices of a legacy ICB that was split) and the weighted measures.
    """
    frame = _practice_file()
    rows = frame[frame.allocation_year == basis.year].drop(columns="allocation_year")
    if basis.geography == "icb42":
        return rows.rename(columns={"icb23_ods": "icb_ods"}).assign(weight=1.0)
    return _into_icb36(rows)


def _into_icb36(rows: pd.DataFrame) -> pd.DataFrame:
    current = geography.practice_lookup(_MERGED_DAY)[["practice_code", "icb_ods"]]
    placed = rows.merge(current, on="practice_code", how="left", validate="one_to_one")
    direct = placed[placed.icb_ods.notna()].assign(weight=1.0)
    closed = placed[placed.icb_ods.isna()].drop(columns="icb_ods")
    crosswalk = data.read(
        CROSSWALK, usecols=["icb23_ods", "icb26_ods", "share_of_legacy_icb_population"]
    )
    via = closed.merge(crosswalk, on="icb23_ods", how="left", validate="many_to_many")
    if via.icb26_ods.isna().any():
        missing = sorted(via.icb23_ods[via.icb26_ods.isna()].unique())
        raise NotFoundError(f"legacy ICBs missing from the crosswalk: {', '.join(missing)}")
    via = via.rename(columns={"icb26_ods": "icb_ods", "share_of_legacy_icb_population": "weight"})
    columns = [*direct.columns]
    return pd.concat([direct[columns], via[columns]], ignore_index=True).drop(columns="icb23_ods")


def by_area(basis: Basis, level: str = "icb", icb: str | None = None) -> pd.DataFrame:
    """Weighted populations summed to ``level`` areas (optionally within one ICB).

    Columns: area_code, area_name, icb_ods, icb_name (for levels below ICB), then
    population, the six components and core.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}", field="by")
    rows = _with_areas(practices(basis), basis, level)
    if icb is not None:
        rows = rows[rows.icb_ods == icb]
        if rows.empty:
            raise NotFoundError(f"no practices in ICB {icb} for {basis.year} ({basis.geography})")
    return _sum_by(rows, ["area_code", "area_name", "icb_ods", "icb_name"])


def by_grouping(basis: Basis, grouping: pd.DataFrame, icb: str) -> pd.DataFrame:
    """Weighted populations of user-defined places: ``grouping`` maps practice_code -> place.

    Practices of the ICB that the grouping does not mention form an ``UNMAPPED`` place, so
    the places always add up to the ICB.
    """
    rows = _with_areas(practices(basis), basis, "icb")
    rows = rows[rows.icb_ods == icb]
    if rows.empty:
        raise NotFoundError(f"no practices in ICB {icb} for {basis.year} ({basis.geography})")
    _check_grouping(grouping, set(rows.practice_code), icb)
    places = grouping.set_index("practice_code")["place"]
    rows = rows.assign(
        area_code=rows.practice_code.map(places).fillna(UNMAPPED),
    )
    rows["area_name"] = rows.area_code.where(
        rows.area_code != UNMAPPED, "Practices not in the grouping file"
    )
    return _sum_by(rows, ["area_code", "area_name", "icb_ods", "icb_name"])


def _check_grouping(grouping: pd.DataFrame, members: set[str], icb: str) -> None:
    repeated = grouping.practice_code[grouping.practice_code.duplicated()].unique()
    if len(repeated):
        shown = ", ".join(sorted(repeated)[:5])
        raise InputError(f"practices listed twice: {shown}", field="practice_code")
    foreign = sorted(set(grouping.practice_code) - members)
    if foreign:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        raise InputError(f"not practices of ICB {icb} in this year: {shown}", field="practice_code")


def _sum_by(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    weighted = rows[MEASURES].mul(rows["weight"], axis=0)
    summed = pd.concat([rows[keys], weighted], axis=1).groupby(keys, sort=True, dropna=False)
    return summed[MEASURES].sum().reset_index()


def _with_areas(rows: pd.DataFrame, basis: Basis, level: str) -> pd.DataFrame:
    icbs = geography.icbs(basis.day)[["icb_ods", "icb_name", "region_ods", "region_name"]]
    rows = rows.merge(icbs, on="icb_ods", how="left", validate="many_to_one")
    if level == "icb":
        return rows.assign(area_code=rows.icb_ods, area_name=rows.icb_name)
    if level == "region":
        return rows.assign(area_code=rows.region_ods, area_name=rows.region_name)
    if level == "practice":
        return rows.assign(area_code=rows.practice_code, area_name=rows.practice_name)
    if level == "lad":
        names = _lad_names()
        return rows.assign(area_code=rows.lad, area_name=rows.lad.map(names).fillna(rows.lad))
    return _with_register_areas(rows, basis, level)


def _with_register_areas(rows: pd.DataFrame, basis: Basis, level: str) -> pd.DataFrame:
    code, name = ("sub_icb_ods", "sub_icb_name") if level == "sub-icb" else ("pcn_code", "pcn_name")
    lookup = geography.practice_lookup(basis.day)[["practice_code", code, name]]
    rows = rows.merge(lookup, on="practice_code", how="left", validate="many_to_one")
    absent = rows[code].isna()
    rows.loc[absent, code] = UNMAPPED
    rows.loc[absent, name] = "Practices closed before August 2026 (no current " + level + ")"
    return rows.rename(columns={code: "area_code", name: "area_name"})


@cache
def _lad_names() -> dict[str, str]:
    lads = data.read("lad19_to_icb_2023_population_shares", usecols=["LAD19CD", "LAD19NM"])
    utlas = data.read("utla_current_to_icb_2023_population_shares", usecols=["UTLACD", "UTLANM"])
    return {
        **dict(zip(lads.LAD19CD, lads.LAD19NM, strict=True)),
        **dict(zip(utlas.UTLACD, utlas.UTLANM, strict=True)),
    }
