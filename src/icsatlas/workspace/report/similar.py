"""Areas like this one: the nearest areas of the same kind by deprivation and age, from the
shipped IMD 2019 LSOA file (mid-2015 residents). Method: for every area of the kind in force
on the date, the share of its residents living in the most deprived fifth of England's
LSOAs (IMD deciles 1-2, Core20) and the share aged 60 and over; each standardised across
the areas (z-scores); the five with the smallest Euclidean distance are the most similar.
Computed for ICBs, sub-ICB locations and councils (upper tier by county/unitary, lower tier
by district); for other kinds the section says there is no method."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from icsatlas import data
from icsatlas.results import Result, Table
from icsatlas.workspace.report import memo
from icsatlas.workspace.report.where import code

if TYPE_CHECKING:
    import pandas as pd

    from icsatlas.geography import Resolution
    from icsatlas.workspace import Workspace

COLUMNS = ("rank", "name", "kind", "code", "core20_share", "aged_60_plus_share", "distance")
COUNT = 5
METHOD = (
    "similar: nearest by Euclidean distance over two z-scored features, the share of "
    "residents in IMD 2019 deciles 1-2 (Core20) and the share aged 60+ (IMD 2019 LSOA file, "
    "mid-2015 populations), among the areas of the same kind on the date"
)


def section(ws: Workspace, found: Resolution) -> Result:
    title = f"Areas most like {found.name} by deprivation and age on {found.on}"
    level = _level(found)
    features = memo.kept(
        ws, ("similar", level, found.on), lambda: _standardised(_features(ws, found, level))
    )
    if features is None or found.code not in features.index:
        note = (
            f"none: similar areas are computed for ICBs, sub-ICB locations and councils ({METHOD})"
        )
        return Result(Table(COLUMNS), ws.provenance(), title, (note,))
    frame, kind = features, found.kind
    mine = frame.loc[found.code]
    distances = sorted(
        (((z1 - mine.z_core20) ** 2 + (z2 - mine.z_old) ** 2) ** 0.5, key)
        for key, z1, z2 in zip(frame.index, frame.z_core20, frame.z_old, strict=True)
        if key != found.code
    )[:COUNT]
    rows = [
        {
            "rank": rank,
            "name": frame.at[key, "name"],
            "kind": kind,
            "code": key,
            "core20_share": round(float(frame.at[key, "core20"]), 4),
            "aged_60_plus_share": round(float(frame.at[key, "old"]), 4),
            "distance": round(float(value), 3),
        }
        for rank, (value, key) in enumerate(distances, start=1)
    ]
    this = frame.loc[found.code]
    notes = (
        METHOD,
        f"{found.name}: {this.core20:.1%} in deciles 1-2, {this.old:.1%} aged 60+",
    )
    provenance = ws.provenance(imd2019_lsoa11=data.source("imd2019_lsoa11").cite())
    return Result(Table.from_records(rows, COLUMNS), provenance, title, notes)


def _level(found: Resolution) -> str:
    """The kind of area compared: ICB, sub-ICB location, county/unitary or district."""
    if found.kind == "council":
        return "lower-tier" if found.code.startswith("E07") else "upper-tier"
    return found.kind


def _features(ws: Workspace, found: Resolution, level: str) -> pd.DataFrame | None:
    """Per area of ``level``: name, core20 share and 60+ share, indexed by page code."""
    from icsatlas.register.geography import period

    lsoas = _lsoas(period(found.on))
    if found.kind in ("icb", "sub-icb"):
        tree = ws.geography(found.on).sub_icbs
        column = "icb_ods" if found.kind == "icb" else "sub_icb_ods"
        names = _names(ws, found)
        joined = lsoas.merge(tree[["sub_icb_ods", "icb_ods"]], on="sub_icb_ods", how="inner")
        return _shares(joined, column).assign(name=lambda f: f.index.map(names)).dropna()
    if level in ("lower-tier", "upper-tier"):
        column = "lad19_code" if level == "lower-tier" else "utla_code"
        names = {c.org_id: c.name for c, _ in ws.resolver.councils(found.on)}
        shares = _shares(lsoas, column)
        return shares[shares.index.isin(names)].assign(name=lambda f: f.index.map(names))
    return None


def _standardised(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The features with their z-scores across the areas (``z_core20``, ``z_old``)."""
    if frame is None:
        return None
    features = frame[["core20", "old"]]
    z = (features - features.mean()) / features.std()
    return frame.assign(z_core20=z.core20, z_old=z.old)


def _names(ws: Workspace, found: Resolution) -> dict[str, str]:
    return {code(a): a.place_name or a.name for a in ws.data.areas_on(found.on, found.kind)}


def _shares(lsoas: pd.DataFrame, column: str) -> pd.DataFrame:
    grouped = lsoas.groupby(column)[["people", "core20_people", "old_people"]].sum()
    return grouped.assign(
        core20=grouped.core20_people / grouped.people, old=grouped.old_people / grouped.people
    )[["core20", "old"]]


@cache
def _lsoas(geography: str) -> pd.DataFrame:
    """LSOAs with their sub-ICB location in a period's geography (``2023``, ``2026``...),
    district, county, and people: all, in deciles 1-2, aged 60+ (mid-2015)."""
    from icsatlas.register import geography as periods

    starts = {
        "2022": periods.ESTABLISHED,
        "2023": periods.BOUNDARY_CHANGE_2023,
        "2026": periods.MERGERS_2026,
    }
    lookup = periods.lsoa_lookup(starts[geography])[
        ["lsoa11", "sub_icb_ods", "lad19_code", "utla_code", "imd_decile"]
    ]
    ages = data.read(
        "imd2019_lsoa11", usecols=["LSOA11CD", "POP_MID2015_TOTAL", "POP_MID2015_60_PLUS"]
    ).rename(
        columns={
            "LSOA11CD": "lsoa11",
            "POP_MID2015_TOTAL": "people",
            "POP_MID2015_60_PLUS": "old_people",
        }
    )
    joined = lookup.merge(ages, on="lsoa11", how="inner", validate="one_to_one")
    return joined.assign(core20_people=joined.people.where(joined.imd_decile <= 2, 0))
