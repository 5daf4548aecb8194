"""The NHS geography on a date, read from shipped data: region > ICB > sub-ICB location.

Three geographies are shipped and each holds for a period:

* 1 Jul 2022 - 31 Mar 2023: the 42 ICBs as established (July 2022 ONS codes);
* 1 Apr 2023 - 31 Mar 2026: the ONS April 2023 lookup (Surrey Heartlands and Sussex
  recoded after their boundary change);
* from 1 Apr 2026: 36 ICBs after the mergers (August 2026 practice map).

The register builds its areas from these; analytics use :func:`sub_icb_tree` and
:func:`practice_lookup` to aggregate patient-level data correctly on any date.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pandas as pd

from icsatlas import data
from icsatlas.errors import NotFoundError

ESTABLISHED = date(2022, 7, 1)
BOUNDARY_CHANGE_2023 = date(2023, 4, 1)
MERGERS_2026 = date(2026, 4, 1)
EXTRACT_2026 = date(2026, 8, 1)  # the practice map and registered-patient extract

TREE_COLUMNS = [
    "sub_icb_ons",
    "sub_icb_ods",
    "sub_icb_name",
    "icb_ons",
    "icb_ods",
    "icb_name",
    "region_ons",
    "region_ods",
    "region_name",
]

# ONS codes of the two ICBs and sub-ICBs recoded on 1 April 2023 (Surrey Heartlands /
# Sussex boundary change): April 2023 code -> July 2022 code. Source: the 2022 codes
# in icb_partner_local_authorities_2023 (ICBs) and lsoa11_sicbl_icb_region (sub-ICBs).
_RECODED_2023 = {
    "E54000063": "E54000052",
    "E54000064": "E54000053",
    "E38000264": "E38000246",
    "E38000265": "E38000248",
}


def period(on: date) -> str:
    """Which shipped geography holds on ``on``: '2022', '2023' or '2026'."""
    if on < ESTABLISHED:
        raise NotFoundError(f"no ICB geography before {ESTABLISHED} (ICBs were established then)")
    if on < BOUNDARY_CHANGE_2023:
        return "2022"
    return "2023" if on < MERGERS_2026 else "2026"


def sub_icb_tree(on: date) -> pd.DataFrame:
    """One row per sub-ICB location in force on ``on``, with its ICB and region."""
    return _tree(period(on)).copy()


@cache
def _tree(geography: str) -> pd.DataFrame:
    if geography == "2026":
        raw = data.read("sicbl_aug2026", dtype=str)
        tree = raw.rename(
            columns={
                "ONS_SUB_ICB_LOCATION_CODE": "sub_icb_ons",
                "SUB_ICB_LOCATION_CODE": "sub_icb_ods",
                "SUB_ICB_LOCATION_NAME": "sub_icb_name",
                "ONS_ICB_CODE": "icb_ons",
                "ICB_CODE": "icb_ods",
                "ICB_NAME": "icb_name",
                "ONS_COMM_REGION_CODE": "region_ons",
                "COMM_REGION_CODE": "region_ods",
                "COMM_REGION_NAME": "region_name",
            }
        )
    else:
        raw = data.read("sicbl_icb_region_2023", dtype=str)
        tree = raw.rename(
            columns={
                "SICBL23CD": "sub_icb_ons",
                "SICBL23CDH": "sub_icb_ods",
                "SICBL23NM": "sub_icb_name",
                "ICB23CD": "icb_ons",
                "ICB23CDH": "icb_ods",
                "ICB23NM": "icb_name",
                "NHSER23CD": "region_ons",
                "NHSER23CDH": "region_ods",
                "NHSER23NM": "region_name",
            }
        )
        if geography == "2022":
            tree = tree.replace({"sub_icb_ons": _RECODED_2023, "icb_ons": _RECODED_2023})
    return tree[TREE_COLUMNS].sort_values(
        ["region_ods", "icb_ods", "sub_icb_ods"], ignore_index=True
    )


def icbs(on: date) -> pd.DataFrame:
    """The ICBs in force on ``on`` with their region."""
    columns = ["icb_ons", "icb_ods", "icb_name", "region_ons", "region_ods", "region_name"]
    return sub_icb_tree(on)[columns].drop_duplicates(ignore_index=True)


def practice_lookup(on: date) -> pd.DataFrame:
    """GP practices with the sub-ICB location, ICB and region they belong to on ``on``.

    From 1 April 2026 the August 2026 practice map; before, the same practices placed
    in the 42-ICB geography by their 2025/26 allocation ICB (Frimley's practices, now
    split three ways, go back to Frimley's single sub-ICB location D4U1Y), and the practices
    of the 2023/24-2025/26 allocation lists that are gone from the August 2026 map, placed
    in the sub-ICB location of their allocation ICB that holds most of the population of
    their council district (``placed_by`` says which practices were placed so).
    """
    geography = period(on)
    practices = _practices_2026()
    if geography != "2026":
        practices = _practices_legacy(practices)
    tree = _tree(geography)
    return practices.merge(tree, on="sub_icb_ods", how="left", validate="many_to_one")


@cache
def _practices_2026() -> pd.DataFrame:
    raw = data.read("gp_practice_map_aug2026", dtype=str)
    return raw.rename(
        columns={
            "PRACTICE_CODE": "practice_code",
            "PRACTICE_NAME": "practice_name",
            "PRACTICE_POSTCODE": "postcode",
            "PCN_CODE": "pcn_code",
            "PCN_NAME": "pcn_name",
            "SUB_ICB_LOCATION_CODE": "sub_icb_ods",
        }
    )[["practice_code", "practice_name", "postcode", "pcn_code", "pcn_name", "sub_icb_ods"]]


def _practices_legacy(practices: pd.DataFrame) -> pd.DataFrame:
    allocation = data.read(
        "allocation_weighted_population_practice_2023_24_to_2025_26",
        usecols=["allocation_year", "practice_code", "icb"],
        dtype=str,
    )
    latest = allocation[allocation.allocation_year == "2025/26"]
    frimley = set(latest.practice_code[latest.icb == "QNQ"])
    legacy = practices.assign(placed_by="practice map")
    legacy.loc[legacy.practice_code.isin(frimley), "sub_icb_ods"] = "D4U1Y"
    return pd.concat([legacy, _closed_practices(set(practices.practice_code))], ignore_index=True)


def _closed_practices(listed: set[str]) -> pd.DataFrame:
    allocation = data.read(
        "allocation_weighted_population_practice_2023_24_to_2025_26",
        usecols=["practice_code", "gp_practice_name", "practice_postcode", "icb", "lad"],
        dtype=str,
    )
    closed = allocation[~allocation.practice_code.isin(listed)].drop_duplicates(
        "practice_code", keep="last"
    )
    home = _district_homes()
    sub_icb = [home.get((icb, lad)) for icb, lad in zip(closed.icb, closed.lad, strict=True)]
    return pd.DataFrame(
        {
            "practice_code": closed.practice_code,
            "practice_name": closed.gp_practice_name,
            "postcode": closed.practice_postcode,
            "pcn_code": None,
            "pcn_name": None,
            "sub_icb_ods": sub_icb,
            "placed_by": "allocation ICB and council district",
        }
    ).dropna(subset=["sub_icb_ods"])


@cache
def _district_homes() -> dict[tuple[str, str], str]:
    """(ICB ODS code, district code) -> the ICB's sub-ICB location holding most of the
    district's population there (April 2023 geography; districts by their 2019 code and by
    the unitary authority they became)."""
    lsoas = lsoa_lookup(BOUNDARY_CHANGE_2023)
    homes: dict[tuple[str, str], str] = {}
    for column in ("lad19_code", "utla_code"):
        grouped = lsoas.groupby(["icb_ods", column, "sub_icb_ods"]).population_2015.sum()
        largest = grouped.sort_values().groupby(level=[0, 1]).tail(1)
        for (icb, district, sub_icb), _ in largest.items():
            homes.setdefault((icb, district), sub_icb)
    return homes


# Frimley's single sub-ICB location (D4U1Y) was split three ways on 1 April 2026; its
# LSOAs follow their local authority district (LAD 2019): East Berkshire to Thames Valley
# (U2G6B), the Surrey districts (Surrey Heath, Farnham in Waverley, and the parts of
# Guildford and Runnymede Frimley served) to Surrey and Sussex (92A), Rushmoor and Hart
# (North East Hampshire) to Hampshire and Isle of Wight (D9Y0V). Source: ICS-REFERENCE.md
# §1.4; the resulting split (57% / 21% / 23% of mid-2015 population) is close to the
# crosswalk's allocation-population split (58% / 18% / 23%).
FRIMLEY_SPLIT_2026 = {
    "E06000036": "U2G6B",  # Bracknell Forest
    "E06000039": "U2G6B",  # Slough
    "E06000040": "U2G6B",  # Windsor and Maidenhead
    "E07000214": "92A",  # Surrey Heath
    "E07000216": "92A",  # Waverley (Farnham)
    "E07000209": "92A",  # Guildford (part)
    "E07000212": "92A",  # Runnymede (part)
    "E07000092": "D9Y0V",  # Rushmoor
    "E07000089": "D9Y0V",  # Hart
}


def lsoa_lookup(on: date) -> pd.DataFrame:
    """Every LSOA (2011) with its sub-ICB location, ICB and region on ``on``, its local
    authority district (2019) and current upper-tier authority, IMD 2019 rank and decile,
    and mid-2015 population."""
    lsoas = _lsoas()
    geography = period(on)
    if geography == "2026":
        sub_icb = lsoas.sub_icb_ods.where(
            lsoas.sub_icb_ods != "D4U1Y", lsoas.lad19_code.map(FRIMLEY_SPLIT_2026)
        )
        if sub_icb.isna().any():
            missing = sorted(lsoas.lad19_code[sub_icb.isna()].unique())
            raise NotFoundError(f"Frimley LSOAs in districts with no 2026 home: {missing}")
        lsoas = lsoas.assign(sub_icb_ods=sub_icb)
    tree = _tree(geography)
    return lsoas.merge(tree, on="sub_icb_ods", how="left", validate="many_to_one")


@cache
def _lsoas() -> pd.DataFrame:
    lookup = data.read(
        "lsoa11_sicbl_icb_region", usecols=["LSOA11CD", "SICBL22CDH"], dtype=str
    ).rename(columns={"LSOA11CD": "lsoa11", "SICBL22CDH": "sub_icb_ods"})
    imd = data.read(
        "imd2019_lsoa11",
        usecols=["LSOA11CD", "LAD19CD", "IMD19_RANK", "IMD19_DECILE", "POP_MID2015_TOTAL"],
        dtype={"LSOA11CD": str, "LAD19CD": str},
    ).rename(
        columns={
            "LSOA11CD": "lsoa11",
            "LAD19CD": "lad19_code",
            "IMD19_RANK": "imd_rank",
            "IMD19_DECILE": "imd_decile",
            "POP_MID2015_TOTAL": "population_2015",
        }
    )
    lsoas = lookup.merge(imd, on="lsoa11", how="inner", validate="one_to_one")
    return lsoas.assign(utla_code=lsoas.lad19_code.map(lad_to_utla()))


@cache
def lad_to_utla() -> dict[str, str]:
    """Local authority district (2019) -> current upper-tier authority, derived from the
    two shipped population-share files: districts whose code is an upper-tier code map to
    themselves; the rest are the unique assignment of districts to counties (and to the
    new unitary authorities of 2020-23) that reproduces every UTLA x ICB LSOA count and
    population exactly. Raises if the data admit no such assignment or more than one."""
    utla = data.read("utla_current_to_icb_2023_population_shares", dtype={"UTLACD": str})
    lad = data.read("lad19_to_icb_2023_population_shares", dtype={"LAD19CD": str})
    mapping = {code: code for code in lad.LAD19CD if code in set(utla.UTLACD)}
    for icb, districts in lad[~lad.LAD19CD.isin(mapping)].groupby("ICB23CDH"):
        targets = _unresolved_targets(utla, lad, mapping, icb)
        pending = [
            (r.LAD19CD, int(r.n_lsoa11), float(r.pop_mid2015))
            for r in districts.itertuples()
            if r.LAD19CD not in mapping
        ]
        known = [d for d in pending if d[0] in mapping]
        solutions = _partitions([d for d in pending if d not in known], targets)
        if len(solutions) != 1:
            raise NotFoundError(f"cannot place districts of {icb} in upper-tier authorities")
        mapping.update(solutions[0])
    return mapping


def _unresolved_targets(
    utla: pd.DataFrame, lad: pd.DataFrame, mapping: dict[str, str], icb: str
) -> dict[str, list[float]]:
    resolved = lad[(icb == lad.ICB23CDH) & lad.LAD19CD.isin(mapping)]
    used = resolved.assign(code=resolved.LAD19CD.map(mapping)).groupby("code")
    targets = {}
    for row in utla[icb == utla.ICB23CDH].itertuples():
        count = row.n_lsoa11 - used.n_lsoa11.sum().get(row.UTLACD, 0)
        population = row.pop_mid2015 - used.pop_mid2015.sum().get(row.UTLACD, 0)
        if count > 0:
            targets[row.UTLACD] = [count, population]
    return targets


def _partitions(
    districts: list[tuple[str, int, float]], targets: dict[str, list[float]]
) -> list[dict[str, str]]:
    """Every way (at most two are looked for) to give each district one target so that
    LSOA counts and populations add up exactly."""
    solutions: list[dict[str, str]] = []
    choice: dict[str, str] = {}

    def search(i: int) -> None:
        if len(solutions) > 1:
            return
        if i == len(districts):
            if all(t[0] == 0 and abs(t[1]) < 0.5 for t in targets.values()):
                solutions.append(dict(choice))
            return
        code, count, population = districts[i]
        for target, remaining in targets.items():
            if remaining[0] >= count and remaining[1] >= population - 0.5:
                remaining[0] -= count
                remaining[1] -= population
                choice[code] = target
                search(i + 1)
                remaining[0] += count
                remaining[1] += population
        choice.pop(code, None)

    search(0)
    return solutions


def local_authority_overlaps(on: date) -> pd.DataFrame:
    """Upper-tier local authority x ICB on ``on``: LSOAs, mid-2015 population, and each
    side's share of the other (from the LSOA lookup, so it holds for any geography)."""
    lsoas = lsoa_lookup(on)
    grouped = lsoas.groupby(["utla_code", "icb_ons", "icb_ods", "icb_name"], as_index=False).agg(
        n_lsoa11=("lsoa11", "size"), population_2015=("population_2015", "sum")
    )
    la_total = grouped.groupby("utla_code").population_2015.transform("sum")
    icb_total = grouped.groupby("icb_ons").population_2015.transform("sum")
    return grouped.assign(
        share_of_la_population=grouped.population_2015 / la_total,
        share_of_icb_population=grouped.population_2015 / icb_total,
    )
