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

TREE_COLUMNS = [
    "sub_icb_ons", "sub_icb_ods", "sub_icb_name",
    "icb_ons", "icb_ods", "icb_name",
    "region_ons", "region_ods", "region_name",
]  # fmt: skip

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
    split three ways, go back to Frimley's single sub-ICB location D4U1Y).
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
    legacy = practices.copy()
    legacy.loc[legacy.practice_code.isin(frimley), "sub_icb_ods"] = "D4U1Y"
    return legacy
