"""Better Care Fund intermediate care, 2022-23, by health and wellbeing board: planned spend on
bed-based intermediate care and on reablement in a person's own home (NHS England's end of
year collection, the two scheme types the Health Foundation extracted), per resident and per
resident aged 65+ (ONS mid-2022 estimates of the board's area).

A blank means the board reported no line under that scheme type (not planned, or not
reported), not zero: totals and per-head figures use only what was reported, and the
``schemes_reported`` column says which.
"""

from __future__ import annotations

import pandas as pd

from icsatlas import data
from icsatlas.trends import population

SPEND = "bcf_planned_spend_intermediate_care_hwb_2022_23"
KEYS = (SPEND, population.MYE)
YEAR = 2022  # mid-2022: the estimate for the financial year 2022-23


def intermediate_care(area: str | None = None) -> pd.DataFrame:
    """Each board's spend by scheme type, in total, per head and per resident aged 65+."""
    frame = data.read(SPEND)
    people = population.upper_tier(
        list(frame.hwb_code), YEAR, aliases=population.CORNWALL_AND_SCILLY
    ).rename(columns={"code": "hwb_code"})
    frame = frame.merge(people, on="hwb_code")
    if area:
        wanted = area.strip().casefold()
        frame = frame[
            (frame.hwb_code.str.casefold() == wanted)
            | frame.hwb_name.str.casefold().str.contains(wanted, regex=False)
        ]
    bed, home = frame.bed_based_intermediate_care_gbp, frame.reablement_in_own_home_gbp
    frame["total_gbp"] = bed.fillna(0) + home.fillna(0)
    frame["schemes_reported"] = [
        "both" if b and h else "bed-based only" if b else "reablement only" if h else "none"
        for b, h in zip(bed.notna(), home.notna(), strict=True)
    ]
    frame["pct_aged_65_plus"] = 100 * frame.aged_65_plus / frame.population
    frame["bed_based_per_head_gbp"] = bed / frame.population
    frame["reablement_per_head_gbp"] = home / frame.population
    frame["total_per_head_gbp"] = frame.total_gbp / frame.population
    frame["total_per_65_plus_gbp"] = frame.total_gbp / frame.aged_65_plus
    columns = [
        "financial_year",
        "hwb_code",
        "hwb_name",
        "bed_based_intermediate_care_gbp",
        "reablement_in_own_home_gbp",
        "total_gbp",
        "schemes_reported",
        "population",
        "aged_65_plus",
        "pct_aged_65_plus",
        "bed_based_per_head_gbp",
        "reablement_per_head_gbp",
        "total_per_head_gbp",
        "total_per_65_plus_gbp",
    ]
    return frame[columns].reset_index(drop=True)


def england(frame: pd.DataFrame) -> str:
    """One line: England's totals and per-head figures from the boards' rows."""
    total = frame.total_gbp.sum()
    bed = frame.bed_based_intermediate_care_gbp.sum() / 1e6
    home = frame.reablement_in_own_home_gbp.sum() / 1e6
    return (
        f"England ({len(frame)} boards): bed-based £{bed:,.2f}m, reablement £{home:,.2f}m; "
        f"£{total / frame.population.sum():.2f} a resident, "
        f"£{total / frame.aged_65_plus.sum():.2f} a resident aged 65+ (mid-2022)."
    )


NOTES = (
    "Planned expenditure reported at year end (BCF end of year collection 2022-23), two scheme "
    "types only: not the BCF allocations or pooled totals.",
    "A blank is no line reported under that scheme type, not zero (see schemes_reported).",
    "Population: ONS mid-2022 estimates of each board's area (Cumbria = Cumberland + "
    "Westmorland and Furness; North Yorkshire and Somerset = their 2023 unitaries; Cornwall's "
    "board includes the Isles of Scilly); aged 65+ = the published percentage x population.",
)
