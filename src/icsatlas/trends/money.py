"""Money per head over time: ICB allocations per registered patient and per resident.

Allocations are NHS England's ICB core recurrent allocations (cash, 42 ICBs, 2023/24-2025/26)
divided by two populations: the *registered* population the allocation was set on (the
practice lists in the allocation files; this reproduces the workbooks' own per-head column)
and the ONS *resident* population (mid-year estimate of the year the financial year starts in,
aggregated to the 42 ICBs by :mod:`icsatlas.trends.population`; the latest estimate, mid-2024,
stands in for later years, and the table says which year it used).
"""

from __future__ import annotations

import pandas as pd

from icsatlas import data
from icsatlas.trends import population

ALLOCATIONS = "icb_allocations_gbp_2023_24_to_2025_26"
POPULATIONS = "icb_allocation_need_indices_2023_24_to_2025_26"
CROSSWALK = "icb_crosswalk_2023_to_2026"
KEYS = (ALLOCATIONS, POPULATIONS, population.MYE, population.SHARES)


def allocations_per_head(area: str | None = None) -> pd.DataFrame:
    """Core recurrent allocation per registered patient and per resident, by ICB and year."""
    money = data.read(ALLOCATIONS)
    listed = data.read(POPULATIONS, usecols=["allocation_year", "icb_ods", "population"])
    frame = money.merge(
        listed.rename(
            columns={"allocation_year": "financial_year", "population": "registered_population"}
        ),
        on=["financial_year", "icb_ods"],
    )
    if area:
        ods, _ = population.icb(area, "icb23")
        frame = frame[frame.icb_ods == ods]
    frame["allocation_gbp"] = frame.core_recurrent_allocation_gbp_k * 1000
    frame["per_registered_gbp"] = frame.allocation_gbp / frame.registered_population
    latest = int(population.estimates().year.max())
    frame["resident_year"] = [min(int(y[:4]), latest) for y in frame.financial_year]
    residents = population.icb_populations("icb23")[["icb_ods", "year", "population"]]
    frame = frame.merge(
        residents.rename(columns={"year": "resident_year", "population": "resident_population"}),
        on=["icb_ods", "resident_year"],
        how="left",
    )
    frame["per_resident_gbp"] = frame.allocation_gbp / frame.resident_population
    frame["resident_year"] = frame.resident_year.astype(str)
    frame = frame.sort_values(["icb_ods", "financial_year"])
    frame["change_per_registered_gbp"] = frame.groupby("icb_ods").per_registered_gbp.diff()
    columns = [
        "financial_year",
        "icb_ods",
        "icb_name",
        "allocation_gbp",
        "registered_population",
        "per_registered_gbp",
        "resident_year",
        "resident_population",
        "per_resident_gbp",
        "change_per_registered_gbp",
    ]
    return frame[columns].reset_index(drop=True)


def allocations_per_head_2026(area: str | None = None) -> pd.DataFrame:
    """The 42 ICBs' allocations carried to the 36 ICBs of April 2026 through the crosswalk: a
    legacy ICB's money and registered list go to its successors by the share of its 2025/26
    allocation population each took (``exact`` is False where any part came from a legacy
    ICB that was split); residents are the 36 ICBs' own (council shares)."""
    legacy = allocations_per_head()
    links = data.read(CROSSWALK)[
        ["icb23_ods", "icb26_ods", "icb26_name", "share_of_legacy_icb_population"]
    ]
    joined = legacy.merge(links, left_on="icb_ods", right_on="icb23_ods")
    share = joined.share_of_legacy_icb_population
    joined["allocation_gbp"] = joined.allocation_gbp * share
    joined["registered_population"] = joined.registered_population * share
    joined["whole"] = share == 1.0
    frame = joined.groupby(
        ["financial_year", "resident_year", "icb26_ods", "icb26_name"], as_index=False
    ).agg(
        legacy_icbs=("icb_ods", "nunique"),
        exact=("whole", "all"),
        allocation_gbp=("allocation_gbp", "sum"),
        registered_population=("registered_population", "sum"),
    )
    residents = population.icb_populations("icb26")[["icb_ods", "year", "population"]].assign(
        year=lambda f: f.year.astype(str)
    )
    frame = frame.merge(
        residents.rename(
            columns={
                "icb_ods": "icb26_ods",
                "year": "resident_year",
                "population": "resident_population",
            }
        ),
        on=["icb26_ods", "resident_year"],
        how="left",
    )
    if area:
        ods, _ = population.icb(area, "icb26")
        frame = frame[frame.icb26_ods == ods]
    frame["per_registered_gbp"] = frame.allocation_gbp / frame.registered_population
    frame["per_resident_gbp"] = frame.allocation_gbp / frame.resident_population
    return frame.sort_values(["icb26_ods", "financial_year"]).reset_index(drop=True)


def england_per_head() -> pd.DataFrame:
    """England's total allocation per registered patient and per resident, by year."""
    frame = allocations_per_head()
    frame["resident_year"] = frame.resident_year.astype(str)
    grouped = frame.groupby(["financial_year", "resident_year"], as_index=False)[
        ["allocation_gbp", "registered_population", "resident_population"]
    ].sum()
    grouped["per_registered_gbp"] = grouped.allocation_gbp / grouped.registered_population
    grouped["per_resident_gbp"] = grouped.allocation_gbp / grouped.resident_population
    return grouped


NOTES = (
    "Core recurrent allocations, cash (not adjusted for inflation), 42 ICBs (the geography "
    "allocations were set on to March 2026).",
    "Registered population: the practice lists the allocation used (projected registered "
    "patients; larger than the resident population because lists include people who have "
    "moved away). Resident: ONS mid-year estimate of the year the financial year starts in "
    "(the latest, mid-2024, for 2025/26), aggregated to ICBs by council shares.",
    "2025/26 core allocations include lines earlier years held outside the core; compare the "
    "change 2023/24 to 2024/25 like for like.",
)
CROSSWALK_NOTE = (
    "On the 36 ICBs: each legacy ICB's allocation and registered list go to its successors by "
    "the share of its 2025/26 allocation population each took (icb_crosswalk_2023_to_2026); "
    "exact = every part came from a legacy ICB that moved whole (False for successors of "
    "Frimley, Hertfordshire and West Essex, and Suffolk and North East Essex, apportioned)."
)
