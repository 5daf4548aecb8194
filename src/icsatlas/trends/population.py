"""Population over time: ONS mid-year estimates (mid-1991 to mid-2024) for any council, region
or England, and for ICBs by the shipped council-to-ICB shares.

An ICB's population in a year is the sum over councils of the council's estimate times the
share of its population in that ICB (``la23_to_icb_population_shares``): for the 36 ICBs of
April 2026 (``icb26``) the share of its *registered* population (2025/26, by GP practice
location); for the 42 ICBs of 2022-2026 (``icb23``) the share of its *resident* population
(mid-2015, by LSOA). The shares are fixed, so an ICB's trend follows its councils' trends; a
council split between ICBs is split at the same fraction in every year. Aged 65+ counts are
the published percentage (2 dp) times the population.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError, NotFoundError

MYE = "ons_mye_population_la_1991_2024"
SHARES = "la23_to_icb_population_shares"
GEOGRAPHIES = {"icb23": "42 ICBs (July 2022 - March 2026)", "icb26": "36 ICBs (from April 2026)"}
COUNCIL_TYPES = (
    "unitary authority",
    "non-metropolitan district",
    "metropolitan district",
    "London borough",
)
METHOD = (
    "ICB population = sum over councils of the ONS mid-year estimate x the council's share in "
    "the ICB ({basis}; la23_to_icb_population_shares); shares fixed across years."
)


@cache
def estimates() -> pd.DataFrame:
    """The MYE file with an aged 65+ count (percentage x population)."""
    frame = data.read(MYE)
    frame["aged_65_plus"] = (frame.population * frame.pct_aged_65_plus / 100).round()
    return frame


@cache
def shares(geography: str = "icb26") -> pd.DataFrame:
    if geography not in GEOGRAPHIES:
        raise InputError(f"geography must be icb23 or icb26, got {geography!r}", field="geography")
    frame = data.read(SHARES)
    return frame[frame.geography == geography].reset_index(drop=True)


def areas() -> pd.DataFrame:
    """Every area the estimates cover: code, name, type."""
    return estimates().drop_duplicates("area_code")[["area_code", "area_name", "area_type"]]


def council(text: str) -> pd.Series:
    """The one area (council, county, combined authority, region, England) ``text`` names:
    a code, an exact name, or a unique part of a name."""
    found = areas()
    wanted = text.strip().casefold()
    exact = found[
        (found.area_code.str.casefold() == wanted) | (found.area_name.str.casefold() == wanted)
    ]
    if len(exact):
        return exact.iloc[0]
    partial = found[found.area_name.str.casefold().str.contains(wanted, regex=False)]
    if len(partial) == 1:
        return partial.iloc[0]
    if len(partial) > 1:
        names = ", ".join(partial.area_name.head(6))
        raise InputError(f"{text!r} names several areas ({names}): give a code", field="area")
    raise NotFoundError(f"no council, region or country named {text!r} in the ONS estimates")


def icb(text: str, geography: str = "icb26") -> tuple[str, str]:
    """The (ODS code, name) of the ICB in ``geography`` that ``text`` names (ODS or ONS code,
    or part of the name)."""
    found = shares(geography).drop_duplicates("icb_ods")
    wanted = text.strip().casefold()
    codes = found[
        (found.icb_ods.str.casefold() == wanted) | (found.icb_ons.str.casefold() == wanted)
    ]
    named = found[found.icb_name.str.casefold().str.contains(wanted, regex=False)]
    hits = codes if len(codes) else named
    if len(hits) == 1:
        return str(hits.icb_ods.iloc[0]), str(hits.icb_name.iloc[0])
    if len(hits) > 1:
        raise InputError(f"{text!r} names several ICBs: give an ODS code", field="area")
    raise NotFoundError(f"no ICB of the {GEOGRAPHIES[geography]} named {text!r}")


def council_series(code: str) -> pd.DataFrame:
    """One area's population and aged 65+ by year, with the change on the year before."""
    rows = estimates()[estimates().area_code == code].sort_values("year")
    frame = rows[
        [
            "area_code",
            "area_name",
            "area_type",
            "year",
            "population",
            "pct_aged_65_plus",
            "aged_65_plus",
        ]
    ]
    frame = frame.assign(change=frame.population.diff(), year=frame.year.astype(str))
    return frame.reset_index(drop=True)


def icb_populations(geography: str = "icb26") -> pd.DataFrame:
    """Every ICB's estimated resident population and aged 65+ by year (1991-2024)."""
    councils = estimates()[estimates().area_type.isin(COUNCIL_TYPES)]
    joined = councils.merge(shares(geography), left_on="area_code", right_on="la_code")
    joined["population"] = joined.population_x * joined.share_of_la_population
    joined["aged_65_plus"] = joined.aged_65_plus * joined.share_of_la_population
    grouped = joined.groupby(["icb_ods", "icb_name", "year"], as_index=False).agg(
        councils=("la_code", "nunique"),
        population=("population", "sum"),
        aged_65_plus=("aged_65_plus", "sum"),
    )
    return grouped.round({"population": 0, "aged_65_plus": 0})


def icb_series(ods: str, geography: str = "icb26") -> pd.DataFrame:
    frame = icb_populations(geography)
    frame = frame[frame.icb_ods == ods].sort_values("year").reset_index(drop=True)
    frame["pct_aged_65_plus"] = 100 * frame.aged_65_plus / frame.population
    return frame.assign(change=frame.population.diff(), year=frame.year.astype(str))


def method(geography: str) -> str:
    basis = shares(geography).basis.iloc[0]
    return METHOD.format(basis=basis)


# Upper-tier codes the estimates (2023 geography) hold under other codes: Barnsley and
# Sheffield's 2025 codes; 2022-23 counties since replaced by unitaries (Cumbria by two);
# Cornwall's health and wellbeing board, which covers the Isles of Scilly too.
UPPER_TIER_ALIASES: dict[str, tuple[str, ...]] = {
    "E08000038": ("E08000016",),
    "E08000039": ("E08000019",),
    "E10000006": ("E06000063", "E06000064"),
    "E10000023": ("E06000065",),
    "E10000027": ("E06000066",),
}
CORNWALL_AND_SCILLY: dict[str, tuple[str, ...]] = {"E06000052": ("E06000052", "E06000053")}


def upper_tier(
    codes: list[str], year: int, aliases: dict[str, tuple[str, ...]] | None = None
) -> pd.DataFrame:
    """Population and aged 65+ of upper-tier councils (or boards) in ``year`` (the latest
    estimate for a later year): code, year used, population, aged_65_plus, and the areas
    summed (blank where the estimates have no such area)."""
    known = {**UPPER_TIER_ALIASES, **(aliases or {})}
    used = min(year, int(estimates().year.max()))
    table = estimates()[estimates().year == used].set_index("area_code")
    rows = []
    for code in codes:
        parts = [p for p in known.get(code, (code,)) if p in table.index]
        rows.append(
            {
                "code": code,
                "population_year": used,
                "population": float(table.population[parts].sum()) if parts else None,
                "aged_65_plus": float(table.aged_65_plus[parts].sum()) if parts else None,
                "estimate_areas": "+".join(parts),
            }
        )
    return pd.DataFrame(rows)
