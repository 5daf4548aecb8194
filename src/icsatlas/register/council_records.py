"""Council records, made when the register is built: every English local authority, upper
tier and district, and how each one's population falls across the NHS areas in force in each
period.

The councils in force are derived from shipped data alone: the current upper-tier councils
(``utla_current_to_icb_2023_population_shares``) and the 2019 districts, less those abolished
into the unitary authorities of 2020-23 (:func:`icsatlas.register.geography.lad_to_utla`).
Checked against the ONS Local Authority Districts (May 2024) list: the same 296 councils with
the same names; ONS codes Barnsley and Sheffield E08000016 and E08000019 there, which are kept
as other codes of the councils the LSOA data code E08000038 and E08000039.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from icsatlas import data
from icsatlas.register import geography
from icsatlas.register.councils import council_key, is_upper_tier
from icsatlas.register.model import Organisation, Relationship
from icsatlas.register.register import Register

LAD_2024_CODES = {"E08000038": ("E08000016",), "E08000039": ("E08000019",)}


def councils() -> list[Organisation | Relationship]:
    """Every council in force today, and the district-within-county relationships."""
    upper = data.read("utla_current_to_icb_2023_population_shares", dtype=str)
    upper = upper[["UTLACD", "UTLANM"]].drop_duplicates()
    upper_source = data.source("utla_current_to_icb_2023_population_shares").cite()
    ods = _partner_ods_codes(upper)
    records: list[Organisation | Relationship] = [
        _council(code, name, upper_source, ods.get(code))
        for code, name in zip(upper.UTLACD, upper.UTLANM, strict=True)
    ]
    district_source = (
        f"{data.source('imd2019_lsoa11').cite()}; districts abolished into unitary authorities "
        "in 2020-23 left out"
    )
    for code, name, county in _districts():
        records.append(_council(code, name, district_source, None))
        records.append(Relationship(code, "within", county, source=district_source))
    return records


def _council(code: str, name: str, source: str, ods: str | None) -> Organisation:
    gaps = []
    if is_upper_tier(code) and ods is None:
        gaps.append("ODS code not in the shipped partner list")
    return Organisation(
        code,
        "local-authority",
        name,
        ods_code=ods,
        ons_code=code,
        gaps=tuple(gaps),
        source=source,
        other_codes=LAD_2024_CODES.get(code, ()),
    )


def _districts() -> list[tuple[str, str, str]]:
    """(code, name, county code) of every district council still in force."""
    names = data.read("imd2019_lsoa11", usecols=["LAD19CD", "LAD19NM"], dtype=str)
    named = dict(zip(names.LAD19CD, names.LAD19NM, strict=False))
    return sorted(
        (district, named[district], county)
        for district, county in geography.lad_to_utla().items()
        if county.startswith("E10")
    )


def _partner_ods_codes(upper: pd.DataFrame) -> dict[str, str]:
    """Match the councils of the ICB partner lists (ODS codes, council names) to upper-tier
    councils (ONS codes, area names) by name."""
    partners = data.read("icb_partner_local_authorities_2023", dtype=str)
    by_key = {council_key(n): code for code, n in zip(upper.UTLACD, upper.UTLANM, strict=True)}
    matched = {}
    for name, code in zip(partners.local_authority_name, partners.local_authority_ods, strict=True):
        ons = by_key.get(council_key(name))
        if ons:
            matched[ons] = code
    return matched


def overlaps(register: Register, start: date, end: date | None) -> list[Relationship]:
    """How each council's population falls across the ICBs and sub-ICB locations in force from
    ``start``: ``share`` of the council in the area, ``object_share`` of the area in the
    council (mid-2015 populations summed over LSOAs)."""
    lsoas = geography.lsoa_lookup(start)
    lsoas = lsoas.assign(district=lsoas.lad19_code.map(_current_district))
    source = (
        f"derived from {data.source('lsoa11_sicbl_icb_region').title} and "
        f"{data.source('imd2019_lsoa11').title} (mid-2015 populations)"
    )
    found = []
    for council_column in ("utla_code", "district"):
        for area_column in ("icb_ons", "sub_icb_ons"):
            frame = _shares(lsoas, council_column, area_column)
            if council_column == "district":
                frame = frame[frame.council.str.startswith("E07")]
            found += [
                Relationship(
                    row.council,
                    "overlaps",
                    row.area,
                    start,
                    _area_end(register, row.area, end),
                    share=round(float(row.share), 6),
                    source=source,
                    object_share=round(float(row.object_share), 6),
                )
                for row in frame.itertuples()
            ]
    return found


def _current_district(lad19: str) -> str:
    """A 2019 district's council today: itself, or the unitary authority it became."""
    county = geography.lad_to_utla().get(lad19, lad19)
    return lad19 if county.startswith("E10") or county == lad19 else county


def _shares(lsoas: pd.DataFrame, council: str, area: str) -> pd.DataFrame:
    grouped = lsoas.groupby([council, area], as_index=False).population_2015.sum()
    grouped.columns = ["council", "area", "population"]
    council_total = grouped.groupby("council").population.transform("sum")
    area_total = grouped.groupby("area").population.transform("sum")
    return grouped.assign(
        share=grouped.population / council_total, object_share=grouped.population / area_total
    )


def _area_end(register: Register, area_id: str, end: date | None) -> date | None:
    area_end = register.areas[area_id].valid_to
    candidates = [d for d in (area_end, end) if d is not None]
    return min(candidates) if candidates else None
