"""CCG spend going to for-profit providers, 2013-2020, from Goodair & Reeves' replication data.

Source: Goodair B, Reeves A. *Outsourcing health-care services to the private sector and
treatable mortality rates in England, 2013-20.* Lancet Public Health 2022;7(7):e638-e646 -
CCG payments over £25k (NHSSpend), suppliers matched to Companies House. The repository gives
no licence: the figures are used as published facts, with attribution.

Shares are always recomputed from pounds (for-profit spend / total spend of the CCGs summed),
never averaged across CCGs. Months exist only for England (the source publishes no monthly
CCG file). CCGs map to ICBs only where exact: a CCG whose 2019 ONS code is still a sub-ICB
location (same code, same boundary) maps to that location's ICB - in April 2023 (42 ICBs) and
in August 2026 (36 ICBs); a CCG merged into a larger CCG in 2020-21 has a code no lookup here
resolves, so it counts in its region and England, and is listed as unmapped.
"""

from __future__ import annotations

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError, NotFoundError

ANNUAL = "ccg_procurement_outsourcing_annual_2013_2020"
MONTHLY = "ccg_procurement_outsourcing_england_monthly_2013_2020"
SUB_ICB_2023 = "sicbl_icb_region_2023"
SUB_ICB_2026 = "sicbl_aug2026"
LEVELS = ("england", "region", "icb23", "icb26", "ccg")
CITATION = (
    "Goodair B, Reeves A. Outsourcing health-care services to the private sector and treatable "
    "mortality rates in England, 2013-20. Lancet Public Health 2022;7(7):e638-e646 "
    "(replication data; the repository gives no licence: figures used as published facts "
    "with attribution)."
)
COVERAGE = (
    "Payments over £25k that CCGs published and NHSSpend could parse (94-143 of 191 CCGs a "
    "year); 2013 is April-December and 2020 January-February only; for-profit = supplier "
    "matched to Companies House."
)


def annual() -> pd.DataFrame:
    """The CCG-year file with each CCG's exact ICB in 2023 and 2026 (blank where none)."""
    frame = data.read(ANNUAL)
    return frame.merge(ccg_icbs(), on="ccg19cd", how="left")


def ccg_icbs() -> pd.DataFrame:
    """CCG (2019 code) -> ICB 2023 and 2026, for CCGs whose code is still a sub-ICB location."""
    ccgs = data.read(ANNUAL, usecols=["ccg19cd"]).drop_duplicates()
    y23 = data.read(SUB_ICB_2023).rename(
        columns={"SICBL23CD": "ccg19cd", "ICB23CDH": "icb23_ods", "ICB23NM": "icb23_name"}
    )[["ccg19cd", "icb23_ods", "icb23_name"]]
    y26 = data.read(SUB_ICB_2026).rename(
        columns={
            "ONS_SUB_ICB_LOCATION_CODE": "ccg19cd",
            "ICB_CODE": "icb26_ods",
            "ICB_NAME": "icb26_name",
        }
    )[["ccg19cd", "icb26_ods", "icb26_name"]]
    return ccgs.merge(y23, on="ccg19cd", how="left").merge(y26, on="ccg19cd", how="left")


def table(level: str = "england", period: str = "year", area: str | None = None) -> pd.DataFrame:
    """Spend and for-profit share by ``level`` (england, region, icb23, icb26, ccg) and
    ``period`` (year; month for England only), optionally one ``area`` (code or name)."""
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, got {level!r}", field="by")
    if period not in ("year", "month"):
        raise InputError(f"period must be year or month, got {period!r}", field="period")
    if period == "month":
        if level != "england":
            raise InputError(
                "monthly figures exist for England only (the source has no monthly CCG file)",
                field="period",
            )
        return _monthly()
    frame = annual()
    keys = _keys(level)
    if level in ("icb23", "icb26"):
        frame = frame[frame[keys[0]].notna()]
    if area:
        frame = _only(frame, keys, area)
    grouped = frame.groupby([*keys, "calendar_year"], as_index=False, dropna=False).agg(
        ccgs=("ccg19cd", "nunique"),
        total_spend_gbp=("total_spend_gbp", "sum"),
        for_profit_spend_gbp=("for_profit_spend_gbp", "sum"),
    )
    grouped["for_profit_share"] = grouped.for_profit_spend_gbp / grouped.total_spend_gbp
    grouped["calendar_year"] = grouped.calendar_year.astype(str)
    return grouped.rename(columns={"calendar_year": "year"}).reset_index(drop=True)


def _keys(level: str) -> list[str]:
    return {
        "england": [],
        "region": ["region_name"],
        "icb23": ["icb23_ods", "icb23_name"],
        "icb26": ["icb26_ods", "icb26_name"],
        "ccg": ["ccg19cd", "ccg_label", "region_name", "icb23_ods", "icb26_ods"],
    }[level]


def _only(frame: pd.DataFrame, keys: list[str], area: str) -> pd.DataFrame:
    if not keys:
        raise InputError(
            "England has no areas: give --by region, icb23, icb26 or ccg", field="area"
        )
    wanted = area.strip().casefold()
    hit = pd.Series(False, index=frame.index)
    for key in keys:
        text = frame[key].fillna("").astype(str).str.casefold()
        hit |= (text == wanted) | text.str.contains(wanted, regex=False)
    if not hit.any():
        raise NotFoundError(f"no area matching {area!r} at that level in the outsourcing data")
    return frame[hit]


def _monthly() -> pd.DataFrame:
    frame = data.read(MONTHLY)
    frame["for_profit_share"] = frame.for_profit_spend_gbp / frame.total_spend_gbp
    return frame[["month", "total_spend_gbp", "for_profit_spend_gbp", "for_profit_share"]]


def mapping_notes(level: str) -> tuple[str, ...]:
    """What the ICB levels leave out, and why."""
    if level == "ccg":
        return (
            "icb23_ods / icb26_ods: the CCG's ICB where the mapping is exact (its 2019 code is "
            "still a sub-ICB location); blank for CCGs merged in 2020-21, which no shipped "
            "lookup resolves.",
        )
    if level not in ("icb23", "icb26"):
        return ()
    links = ccg_icbs()
    column = f"{level}_ods"
    mapped = int(links[column].notna().sum())
    year = "April 2023 (42 ICBs)" if level == "icb23" else "August 2026 (36 ICBs)"
    return (
        f"{mapped} of {len(links)} CCGs map exactly to an ICB of {year}: their 2019 code is "
        "still a sub-ICB location (same boundary). The other "
        f"{len(links) - mapped} merged into larger CCGs in 2020-21; no lookup from 2019 CCGs "
        "is shipped, so their spend counts in regions and England only, and an ICB's figure is "
        "that of its mapped CCGs (column ccgs).",
    )
