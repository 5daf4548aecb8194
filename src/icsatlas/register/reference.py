"""Register records built from the shipped reference data.

Two kinds: the *base* (England, NHS England, DHSC, the 7 regions, NHS trusts, upper-tier
councils, GP practices and PCNs), which exists before any reform; and *links*
(partners named in ICB constitutions, Better Care Fund pooled budgets, council-ICB
overlaps, practice locations, registered populations), which refer to ICBs and so are
loaded once the reforms have created them, for the geography in force in each period.
Gaps in the data (unknown dates, missing names) are written into the records.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from icsatlas import data
from icsatlas.names import ENGLAND_ONS
from icsatlas.register import council_records, geography
from icsatlas.register.councils import council_key, is_upper_tier
from icsatlas.register.model import (
    Area,
    AreaLink,
    Assignment,
    Changeset,
    Organisation,
    Population,
    Relationship,
)
from icsatlas.register.register import Register

NHSE_SOURCE = "https://www.england.nhs.uk/"
BILL_SOURCE = "https://www.nuffieldtrust.org.uk/resource/whats-in-the-new-health-bill"
BCF_SOURCE = (
    "https://www.gov.uk/government/publications/better-care-fund-policy-framework-2023-to-2025/"
    "2023-to-2025-better-care-fund-policy-framework"
)
PERIODS = {  # geography -> (first day, first day of the next)
    "2022": (geography.ESTABLISHED, geography.BOUNDARY_CHANGE_2023),
    "2023": (geography.BOUNDARY_CHANGE_2023, geography.MERGERS_2026),
    "2026": (geography.MERGERS_2026, None),
}
_ACRONYMS = {"NHS", "ICB", "PCN", "GP", "UK", "CIC", "LLP", "II", "III", "HIV", "ENT"}
_SMALL = {"and", "of", "the", "for", "on", "in", "at", "upon"}


def tidy_name(name: str) -> str:
    """'MANCHESTER UNIVERSITY NHS FOUNDATION TRUST' -> 'Manchester University NHS Foundation
    Trust' (names in ODS extracts are upper case)."""
    words = []
    for i, word in enumerate(name.split()):
        upper = word.upper().strip("(),.")
        if upper in _ACRONYMS:
            words.append(word.upper())
        elif i and word.lower() in _SMALL:
            words.append(word.lower())
        else:
            words.append(re.sub(r"[A-Za-z]+", lambda m: m[0].capitalize(), word.lower()))
    return " ".join(words)


def _possessive(name: str) -> str:
    """ "Dr N Saddiq'S Practice" -> "Dr N Saddiq's Practice" (a title-casing slip in the
    allocation file's practice names)."""
    return re.sub(r"(?<=[a-z])'S\b", "'s", name)


# -- the base ---------------------------------------------------------------------------


def base() -> Changeset:
    """England, national bodies, regions, trusts, councils, practices and PCNs."""
    changes = Changeset()
    for records in (_national(), _regions(), _trusts(), council_records.councils(), _practices()):
        changes.added.extend(records)
    return changes


def _national() -> list:
    return [
        Area(ENGLAND_ONS, "country", "England", source="ONS"),
        Organisation(
            "nhs-england",
            "nhs-england",
            "NHS England",
            gaps=(
                "to be abolished into DHSC by the Health Bill (introduced 14 May 2026); "
                "no abolition date is in force in the shipped sources",
            ),
            source=BILL_SOURCE,
        ),
        Organisation(
            "dhsc", "dhsc", "Department of Health and Social Care", source="https://www.gov.uk/"
        ),
    ]


def _regions() -> list:
    source = data.source("sicbl_icb_region_2023").cite()
    old = geography.sub_icb_tree(geography.BOUNDARY_CHANGE_2023)
    new = geography.sub_icb_tree(geography.MERGERS_2026)
    records: list = []
    for region in old[["region_ons", "region_ods", "region_name"]].drop_duplicates().itertuples():
        later = set(new.region_ons[new.region_ods == region.region_ods]) - {region.region_ons}
        gaps = tuple(
            f"ONS code {code} in the Aug 2026 extract; the date ONS recoded it is not in the "
            "shipped data"
            for code in sorted(later)
        )
        records += [
            Organisation(
                region.region_ods,
                "nhs-region",
                f"NHS England {region.region_name}",
                ods_code=region.region_ods,
                source=source,
            ),
            Area(
                region.region_ons,
                "region",
                region.region_name,
                ods_code=region.region_ods,
                org_id=region.region_ods,
                other_codes=tuple(sorted(later)),
                gaps=gaps,
                source=source,
            ),
            AreaLink(region.region_ons, ENGLAND_ONS, source=source),
        ]
    return records


def _trusts() -> list[Organisation]:
    raw = data.read("nhs_trusts_etr_nov2023", dtype=str, keep_default_na=False)
    proper = _partner_trust_names()
    source = data.source("nhs_trusts_etr_nov2023").cite()
    english = raw[raw.nhs_region_ods.str.startswith("Y")]
    return [
        Organisation(
            row.org_code,
            "foundation-trust" if "FOUNDATION TRUST" in row.name.upper() else "nhs-trust",
            proper.get(row.org_code) or tidy_name(row.name),
            ods_code=row.org_code,
            valid_from=_ods_date(row.open_date),
            valid_to=_ods_date(row.close_date),
            source=source,
        )
        for row in english.itertuples()
    ]


def _partner_trust_names() -> dict[str, str]:
    partners = data.read("icb_partner_trusts_2023", dtype=str)
    return dict(zip(partners.trust_ods, partners.trust_name, strict=True))


def _ods_date(text: str) -> date | None:
    return datetime.strptime(text, "%Y%m%d").date() if text else None


def _practices() -> list:
    current = geography.practice_lookup(geography.MERGERS_2026)
    allocation = data.read(
        "allocation_weighted_population_practice_2023_24_to_2025_26",
        usecols=["allocation_year", "practice_code", "gp_practice_name", "practice_postcode"],
        dtype=str,
    )
    names = allocation.drop_duplicates("practice_code", keep="last")
    postcodes = dict(zip(names.practice_code, names.practice_postcode, strict=True))
    cased = allocation[allocation.gp_practice_name != allocation.gp_practice_name.str.upper()]
    cased = cased.drop_duplicates("practice_code", keep="last")
    proper = dict(zip(names.practice_code, names.gp_practice_name.map(tidy_name), strict=True))
    proper |= dict(zip(cased.practice_code, cased.gp_practice_name.map(_possessive), strict=True))
    last_listed = allocation.groupby("practice_code").allocation_year.max()
    source = data.source("gp_practice_map_aug2026").cite()
    records: list = []
    for row in current.itertuples():
        records.append(
            Organisation(
                row.practice_code,
                "gp-practice",
                proper.get(row.practice_code) or tidy_name(row.practice_name),
                ods_code=row.practice_code,
                gaps=("opening date not in the shipped data",),
                source=source,
                postcode=row.postcode,
            )
        )
    for pcn in current[["pcn_code", "pcn_name"]].drop_duplicates("pcn_code").itertuples():
        records.append(
            Organisation(
                pcn.pcn_code,
                "pcn",
                tidy_name(pcn.pcn_name),
                ods_code=pcn.pcn_code,
                gaps=("establishment date not in the shipped data",),
                source=source,
            )
        )
    listed = set(current.practice_code)
    alloc_source = data.source("allocation_weighted_population_practice_2023_24_to_2025_26")
    for code, year in last_listed.items():
        if code not in listed:
            records.append(
                Organisation(
                    code,
                    "gp-practice",
                    proper[code],
                    ods_code=code,
                    valid_to=geography.EXTRACT_2026,
                    gaps=(
                        f"last listed for allocation year {year}, gone from the 1 Aug 2026 "
                        "practice list: closed or merged on a date not in the shipped data "
                        "(1 Aug 2026 is the latest possible end)",
                    ),
                    source=alloc_source.cite(),
                    postcode=postcodes.get(code),
                )
            )
    return records


# -- links, per geography period ---------------------------------------------------------


def links(register: Register, period: str) -> Changeset:
    """Links that refer to the ICBs of ``period`` ('2022', '2023' or '2026')."""
    changes = Changeset()
    start, end = PERIODS[period]
    if period == "2022":
        partners = _partners(register, start)
        changes.added.extend(partners)
        with_partners = register.with_changes(Changeset(added=list(partners)))
        changes.added.extend(_better_care_fund(with_partners, start))
    changes.added.extend(council_records.overlaps(register, start, end))
    changes.added.extend(_practice_locations(register, period, start, end))
    if period == "2026":
        changes.added.extend(_pcn_membership(start))
        changes.added.extend(_registered_patients())
        changes.added.extend(_practice_populations())
        changes.added.extend(_allocation_populations(register))
    return changes


def _partners(register: Register, start: date) -> list[Relationship]:
    records = []
    for key, column in (
        ("icb_partner_trusts_2023", "trust_ods"),
        ("icb_partner_local_authorities_2023", "local_authority_name"),
    ):
        raw = data.read(key, dtype=str)
        source = data.source(key).cite()
        find = _partner_finder(register, key)
        for row in raw.itertuples():
            partner = find(getattr(row, column))
            if partner is None:
                continue
            icb = register.organisation(row.icb_ods)
            records.append(
                Relationship(
                    partner.org_id, "partner-of", icb.org_id, start, icb.valid_to, source=source
                )
            )
    return records


def _partner_finder(register: Register, key: str):
    """Trusts are named by ODS code in the partner list, councils by name."""
    if key == "icb_partner_trusts_2023":
        return register.organisations.get
    upper_tier = {
        council_key(org.name): org
        for org in register.organisations.values()
        if org.org_type == "local-authority" and is_upper_tier(org.org_id)
    }
    return lambda name: upper_tier.get(council_key(name))


def _better_care_fund(register: Register, start: date) -> list[Assignment]:
    """Each ICB and its partner councils pool the BCF (section 75), declared joint."""
    records = []
    for icb in register.organisations_on(start, "icb"):
        area = register.governed_area(icb.org_id, start)
        councils = [
            register.organisations[r.subject_id]
            for r in register.relations(object_id=icb.org_id, relation="partner-of")
            if register.organisations[r.subject_id].org_type == "local-authority"
        ]
        for holder in (icb, *councils):
            records.append(
                Assignment(
                    assignment_id=f"better-care-fund@{area.area_id}@{start}@{holder.org_id}",
                    function_id="better-care-fund",
                    area_id=area.area_id,
                    holder_id=holder.org_id,
                    basis="pooled-budget",
                    valid_from=start,
                    valid_to=area.valid_to,
                    joint=True,
                    source=BCF_SOURCE,
                    note="ICB and partner councils named in the ICB's constitution",
                )
            )
    return records


def _area_end(register: Register, area_id: str, end: date | None) -> date | None:
    area_end = register.areas[area_id].valid_to
    candidates = [d for d in (area_end, end) if d is not None]
    return min(candidates) if candidates else None


def _practice_locations(
    register: Register, period: str, start: date, end: date | None
) -> list[Relationship]:
    located = geography.practice_lookup(start)
    mapped = data.source("gp_practice_map_aug2026").cite()
    derived = (
        "placed in the sub-ICB location of its allocation ICB holding most of its council "
        "district's population; "
        + data.source("allocation_weighted_population_practice_2023_24_to_2025_26").cite()
    )
    placed_by = located.get("placed_by", pd.Series("practice map", index=located.index))
    return [
        Relationship(
            row.practice_code,
            "located-in",
            row.sub_icb_ons,
            start,
            _area_end(register, row.sub_icb_ons, end),
            source=mapped if how == "practice map" else derived,
        )
        for row, how in zip(located.itertuples(), placed_by, strict=True)
    ]


def _pcn_membership(start: date) -> list[Relationship]:
    located = geography.practice_lookup(start)
    source = data.source("gp_practice_map_aug2026").cite()
    return [
        Relationship(row.practice_code, "member-of", row.pcn_code, source=source)
        for row in located.itertuples()
    ]


def _registered_patients() -> list[Population]:
    raw = data.read("gp_registered_patients_age_sex_aug2026", dtype={"ONS_CODE": str})
    totals = raw[(raw.SEX == "ALL") & (raw.AGE == "ALL")]
    source = data.source("gp_registered_patients_age_sex_aug2026").cite()
    as_of = geography.EXTRACT_2026
    records = [
        Population(
            row.ONS_CODE, "registered-patients", float(row.NUMBER_OF_PATIENTS), as_of, source
        )
        for row in totals.itertuples()
    ]
    england = float(totals.NUMBER_OF_PATIENTS[totals.ORG_TYPE == "REGION"].sum())
    records.append(Population(ENGLAND_ONS, "registered-patients", england, as_of, source))
    return records


def _practice_populations() -> list[Population]:
    """Each practice's 2025/26 allocation base population (registered patients), so that
    shares of an area's population can be worked out for any geography on any date."""
    key = "allocation_weighted_population_practice_2023_24_to_2025_26"
    raw = data.read(key, usecols=["allocation_year", "practice_code", "population"], dtype=str)
    latest = raw[raw.allocation_year == "2025/26"]
    source = data.source(key).cite()
    return [
        Population(code, "allocation-population-2025/26", float(value), date(2025, 4, 1), source)
        for code, value in zip(latest.practice_code, latest.population, strict=True)
    ]


def _allocation_populations(register: Register) -> list[Population]:
    """NHS England's allocation base population for each of the 42 ICBs, per year."""
    raw = data.read("icb_allocation_need_indices_2023_24_to_2025_26", dtype={"icb_ons": str})
    source = data.source("icb_allocation_need_indices_2023_24_to_2025_26").cite()
    records = []
    for row in raw.itertuples():
        area = register.find_areas(row.icb_ods)
        icb_area = next(a for a in area if a.area_type == "icb" and a.valid_from is not None)
        year = int(row.allocation_year[:4])
        records.append(
            Population(
                icb_area.area_id,
                f"allocation-population-{row.allocation_year}",
                float(row.population),
                date(year, 4, 1),
                source,
            )
        )
    return records
