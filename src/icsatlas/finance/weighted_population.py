"""NHS England's practice-level need-weighted populations, placed in the register's areas.

The shipped file holds, for every GP practice and allocation year (2023/24-2025/26), the
registered population and one weighted population per need component, and the ICB NHS
England counted the practice in that year. An area's share of the national total of a
weighted population is its share of that stream's target; summing practices into areas is
how NHS England's own place-based allocation tool works.

Which area a practice counts towards is not taken from the file but from the register's
geography on the date asked (:class:`~icsatlas.geography.on_date.Geography`, what-if reforms
included), so a user's 2027 merger moves money with the practices. A practice the register
does not place on that date (closed, or gone from the practice map) counts towards the areas
that then hold the other practices of its allocation-year ICB, in proportion to their
allocation populations - which, for the 36 ICBs of April 2026, is NHS England's 42-to-36
crosswalk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError, NotFoundError
from icsatlas.finance import years
from icsatlas.geography.on_date import Geography
from icsatlas.inputs.columns import Column
from icsatlas.inputs.rows import Unique, read_rows
from icsatlas.names import short_name

if TYPE_CHECKING:
    from icsatlas.geography import Resolution

SOURCE = "allocation_weighted_population_practice_2023_24_to_2025_26"

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

LEVELS = ("region", "icb", "sub-icb", "lad", "pcn", "practice")
AREA_COLUMNS = ["ons_code", "ods_code", "area_name"]
ICB_COLUMNS = ["icb_ons", "icb_ods", "icb_name"]
UNMAPPED = "UNMAPPED"

# level -> the placed practices' columns holding its ONS code, ODS code and name
_KEYS = {
    "region": ("region_ons", "region_ods", "region_name"),
    "icb": ("icb_ons", "icb_ods", "icb_name"),
    "sub-icb": ("sub_icb_ons", "sub_icb_ods", "sub_icb_label"),
    "lad": ("lad", None, "lad_name"),
    "pcn": (None, "pcn_code", "pcn_name"),
    "practice": (None, "practice_code", "practice_name"),
}


@dataclass(frozen=True, eq=False)
class Basis:
    """Which allocation year's weighted populations, in the register's areas on which date."""

    year: str
    geography: Geography

    @property
    def on(self) -> date:
        return self.geography.on

    @cached_property
    def practices(self) -> pd.DataFrame:
        """Every practice of the year, placed in the areas in force (see :func:`place`)."""
        return place(self)

    def notes(self) -> tuple[str, ...]:
        """What a reader must know about how the practices were placed."""
        rows = self.practices
        spread = rows.practice_code[rows.placed_by != "register"].nunique()
        if not spread:
            return ()
        return (
            f"{spread} practices of NHS England's {self.year} allocation file have no location "
            f"in the register on {self.on} (closed, or gone from the practice map): each counts "
            "towards the areas then holding the other practices of its allocation-year ICB, "
            "in proportion to their 2025/26 allocation populations.",
        )


def available_years() -> list[str]:
    return sorted(_practice_file().allocation_year.unique())


def choose_year(year: str | None, on: date) -> tuple[str, tuple[str, ...]]:
    """The allocation year asked for, or the one containing ``on`` (the latest shipped if
    that one is not shipped, with a note saying so)."""
    shipped = available_years()
    if year is not None:
        wanted = years.normalise(year)
        if wanted not in shipped:
            raise NotFoundError(
                f"no weighted populations for {wanted}: shipped years are {', '.join(shipped)}"
            )
        return wanted, ()
    wanted = years.containing(on)
    if wanted in shipped:
        return wanted, ()
    latest = shipped[-1]
    return latest, (f"No allocation data for {wanted}; using {latest}, the latest shipped year.",)


def geography_day(year: str | None, on: date | None) -> date:
    """The date whose areas a question uses: ``on`` if given, else the first day of the
    allocation year asked for, else today."""
    if on is not None:
        return on
    return years.first_day(year) if year is not None else date.today()


@cache
def _practice_file() -> pd.DataFrame:
    raw = data.read(SOURCE, dtype={"lad": str, "practice_code": str})
    renamed = {column: name for name, (column, _) in COMPONENTS.items()}
    renamed |= {"final_wp": CORE, "icb": "icb23_ods", "gp_practice_name": "practice_name"}
    frame = raw.rename(columns=renamed)
    keep = ["allocation_year", "practice_code", "practice_name", "icb23_ods", "lad", *MEASURES]
    return frame[keep]


def file_rows(year: str) -> pd.DataFrame:
    """The year's practices as NHS England filed them: ``icb23_ods`` is the ICB NHS England
    counted each practice in (data, for calibrating to its published figures)."""
    frame = _practice_file()
    return frame[frame.allocation_year == years.normalise(year)].drop(columns="allocation_year")


def place(basis: Basis) -> pd.DataFrame:
    """One row per practice (or share of a practice) with the areas it counts towards on
    ``basis.on``: its sub-ICB location, place, PCN, ICB and region, and council district
    (``lad``, from NHS England's file); ``weight`` is 1 for a practice the register places,
    else its share in each area holding its allocation ICB's other practices
    (``placed_by`` says which)."""
    rows = file_rows(basis.year)
    located = basis.geography.practices[["practice_code", "sub_icb_ons", "pcn_code", "pcn_name"]]
    placed = rows.merge(located, on="practice_code", how="left", validate="one_to_one")
    direct = placed[placed.sub_icb_ons.notna()].assign(weight=1.0, placed_by="register")
    loose = placed[placed.sub_icb_ons.isna()].drop(columns="sub_icb_ons")
    spread = loose.merge(footprints(basis), on="icb23_ods", how="left")
    if spread.sub_icb_ons.isna().any():
        missing = ", ".join(sorted(spread.icb23_ods[spread.sub_icb_ons.isna()].unique()))
        raise NotFoundError(
            f"no practice of allocation ICB(s) {missing} has a location on {basis.on}: "
            "cannot place their closed practices"
        )
    spread = spread.assign(placed_by="allocation ICB's practices")
    both = pd.concat([direct, spread[direct.columns]], ignore_index=True)
    tree = basis.geography.sub_icbs
    tree = tree.assign(sub_icb_label=_sub_icb_labels(tree))
    frame = both.merge(tree, on="sub_icb_ons", how="left", validate="many_to_one")
    return frame.assign(lad_name=frame.lad.map(_lad_names()).fillna(frame.lad))


def footprints(basis: Basis) -> pd.DataFrame:
    """Where each allocation-year ICB's practices are on ``basis.on``: per ICB (``icb23_ods``,
    as in NHS England's file) the sub-ICB locations holding them and each one's share
    (``weight``) of their 2025/26 allocation population (the register's practice populations)."""
    held = _held(basis)
    shares = held.weight / held.groupby("icb23_ods").weight.transform("sum")
    return held.assign(weight=shares)


def legacy_shares(basis: Basis) -> pd.DataFrame:
    """Each allocation-year ICB's share in each ICB in force on ``basis.on`` (``icb23_ods``,
    ``ods_code``, ``share``): how legacy allocations and allowances move into today's ICBs."""
    tree = basis.geography.sub_icbs[["sub_icb_ons", "icb_ods"]]
    held = _held(basis).merge(tree, on="sub_icb_ons", validate="many_to_one")
    sums = held.groupby(["icb23_ods", "icb_ods"], as_index=False).weight.sum()
    sums["share"] = sums.weight / sums.groupby("icb23_ods").weight.transform("sum")
    return sums.rename(columns={"icb_ods": "ods_code"})[["icb23_ods", "ods_code", "share"]]


def _held(basis: Basis) -> pd.DataFrame:
    """The 2025/26 allocation population of each allocation-year ICB's practices (placed by
    the register at the start of the year) in each sub-ICB location on ``basis.on``."""
    geography = basis.geography
    start = years.first_day(basis.year)
    then = geography if start == geography.on else _on(geography, start)
    before = then.practices[["practice_code", "icb_ods"]].rename(columns={"icb_ods": "icb23_ods"})
    now = before.merge(geography.practices[["practice_code", "sub_icb_ons"]], on="practice_code")
    population = geography.index.practice_population
    now["weight"] = [population.get(code, 1.0) for code in now.practice_code]
    return now.groupby(["icb23_ods", "sub_icb_ons"], as_index=False).weight.sum()


def _on(geography: Geography, day: date) -> Geography:
    return Geography(geography.register, geography.index, day, geography.reforms)


def _sub_icb_labels(tree: pd.DataFrame) -> pd.Series:
    """'Leeds (West Yorkshire 15F)' where the location has a place name, else its name."""
    short = tree.sub_icb_name.map(short_name)
    named = tree.place_name.notna()
    return tree.sub_icb_name.where(~named, tree.place_name + " (" + short + ")")


def by_area(basis: Basis, level: str = "icb", rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Weighted populations summed to ``level`` areas (of ``rows``, default every practice).

    Columns: ons_code, ods_code, area_name (a code is blank where the area has none in that
    system; a sub-ICB location is named by its place, 'Leeds (West Yorkshire 15F)'), then,
    below ICB level, icb_ons, icb_ods, icb_name (an area in two ICBs has a row in each), then
    population, the six components and core.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}", field="by")
    rows = basis.practices if rows is None else rows
    ons, ods, name = _KEYS[level]
    areas = pd.DataFrame(
        {
            "ons_code": rows[ons] if ons else None,
            "ods_code": rows[ods] if ods else None,
            "area_name": rows[name],
        },
        index=rows.index,
    )
    if level == "pcn":
        absent = areas.ods_code.isna()
        areas.loc[absent, "ods_code"] = UNMAPPED
        areas.loc[absent, "area_name"] = f"Practices in no PCN on {basis.on}"
    keys = AREA_COLUMNS if level in ("region", "icb") else [*AREA_COLUMNS, *ICB_COLUMNS]
    return _sum_by(pd.concat([areas, rows[ICB_COLUMNS]], axis=1), rows, keys)


def by_grouping(basis: Basis, grouping: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Weighted populations of user-defined places: ``grouping`` maps practice_code -> place.

    Practices of ``rows`` that the grouping does not mention form an ``UNMAPPED`` place, so
    the places always add up to the area.
    """
    _check_grouping(grouping, set(rows.practice_code), basis)
    places = grouping.set_index("practice_code")["place"]
    names = rows.practice_code.map(places)
    areas = pd.DataFrame(
        {
            "ons_code": None,
            "ods_code": None,
            "area_name": names.fillna(f"{UNMAPPED}: practices not in the grouping file"),
        },
        index=rows.index,
    )
    keys = [*AREA_COLUMNS, *ICB_COLUMNS]
    return _sum_by(pd.concat([areas, rows[ICB_COLUMNS]], axis=1), rows, keys)


PLACE_COLUMNS = (
    Column("practice_code", "code", required=True),
    Column("place", required=True),
)


def read_grouping(path: str | Path) -> pd.DataFrame:
    """A CSV mapping practice_code to place (a user's own places), read as every input."""
    repeat = Unique(("practice_code",), "practice {practice_code} is listed twice")
    records = read_rows(path, PLACE_COLUMNS, others="ignore", unique=[repeat])
    return pd.DataFrame([r.values for r in records], columns=["practice_code", "place"])


def _check_grouping(grouping: pd.DataFrame, members: set[str], basis: Basis) -> None:
    repeated = grouping.practice_code[grouping.practice_code.duplicated()].unique()
    if len(repeated):
        shown = ", ".join(sorted(repeated)[:5])
        raise InputError(f"practices listed twice: {shown}", field="practice_code")
    foreign = sorted(set(grouping.practice_code) - members)
    if foreign:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        raise InputError(
            f"not practices of the area in {basis.year} on {basis.on}: {shown}",
            field="practice_code",
        )


def _sum_by(areas: pd.DataFrame, rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    weighted = rows[MEASURES].mul(rows["weight"], axis=0)
    summed = pd.concat([areas[keys], weighted], axis=1).groupby(keys, sort=False, dropna=False)
    frame = summed[MEASURES].sum().reset_index()
    order = ["ods_code", "ons_code", "area_name", *keys[3:]]
    return frame.sort_values(order, ignore_index=True, kind="stable")


def rows_in(basis: Basis, where: Resolution) -> pd.DataFrame:
    """The placed practices of a resolved area: its own practices where it names some (a
    practice, PCN, postcode or former area), else every practice in the areas covering it."""
    rows = basis.practices
    if where.practices:
        chosen = rows[rows.practice_code.isin(set(where.practices))]
    else:
        inside = _sub_icbs_in(basis.geography, [c.area.area_id for c in where.covers])
        chosen = rows[rows.sub_icb_ons.isin(inside)]
    if chosen.empty:
        raise NotFoundError(f"no practices in {where.label} in {basis.year} on {basis.on}")
    return chosen


def _sub_icbs_in(geography: Geography, area_ids: list[str]) -> set[str]:
    """The sub-ICB locations in force that are, or lie within, any of ``area_ids``."""
    tree = geography.sub_icbs
    if any(geography.register.areas[code].area_type == "country" for code in area_ids):
        return set(tree.sub_icb_ons)
    inside = tree[["sub_icb_ons", "icb_ons", "region_ons"]].isin(set(area_ids)).any(axis=1)
    return set(tree.sub_icb_ons[inside])


@cache
def _lad_names() -> dict[str, str]:
    lads = data.read("lad19_to_icb_2023_population_shares", usecols=["LAD19CD", "LAD19NM"])
    utlas = data.read("utla_current_to_icb_2023_population_shares", usecols=["UTLACD", "UTLANM"])
    return {
        **dict(zip(lads.LAD19CD, lads.LAD19NM, strict=True)),
        **dict(zip(utlas.UTLACD, utlas.UTLANM, strict=True)),
    }
