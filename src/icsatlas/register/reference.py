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
from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd

from icsatlas import data
from icsatlas.errors import NotFoundError
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
REGISTERED = "registered-patients"
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
        changes.extend(_populations(register))
        changes.added.extend(_practice_populations())
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
        if area is None:
            raise NotFoundError(f"{icb.name} governs no area on {start}")
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


# -- populations ---------------------------------------------------------------------------
#
# Registered patients come from NHS England's 1 August 2026 extract, which counts the areas
# in force then. An earlier ICB area gets the sum of its sub-ICB locations' counts when every
# one of them still has a count of its own (same ONS code, so the same boundary); otherwise
# the area says why it has none. Allocation populations are NHS England's for the 42 ICBs of
# the April 2023 geography, each attached to the area with that ONS code in force on the
# first day of the allocation year; the ICB areas created on 1 April 2026 get the 2025/26
# figures divided by the 42-to-36 crosswalk.

ALLOCATION_YEAR_FOR_2026 = "2025/26"
ALLOCATION_MEASURE = f"allocation-population-{ALLOCATION_YEAR_FOR_2026}"
FIRST_DAY_2025 = date(2025, 4, 1)


def _populations(register: Register) -> Changeset:
    counts = _registered_patients()
    by_area = {p.area_id: p for p in counts}
    allocations = _allocation_populations(register)
    allocations += _allocation_populations_2026(register, allocations)
    allocated = {p.area_id for p in allocations if p.measure == ALLOCATION_MEASURE}
    changes = Changeset(added=[*counts, *allocations])
    for area in register.areas.values():
        if area.area_type != "icb":
            continue
        gaps = []
        if area.area_id not in by_area:
            total, missing = _summed_patients(register, area, by_area)
            changes.added.extend([total] if total else [])
            gaps += [missing] if missing else []
        if area.area_id not in allocated and area.valid_to and area.valid_to <= FIRST_DAY_2025:
            gaps.append(
                f"no {ALLOCATION_YEAR_FOR_2026} allocation population for {area.name} "
                f"({area.area_id}): the area ended on {area.valid_to}, before that year"
            )
        if gaps:
            changes.replace(area, replace(area, gaps=(*area.gaps, *gaps)))
    return changes


def _registered_patients() -> list[Population]:
    raw = data.read("gp_registered_patients_age_sex_aug2026", dtype={"ONS_CODE": str})
    totals = raw[(raw.SEX == "ALL") & (raw.AGE == "ALL")]
    source = data.source("gp_registered_patients_age_sex_aug2026").cite()
    as_of = geography.EXTRACT_2026
    records = [
        Population(row.ONS_CODE, REGISTERED, float(row.NUMBER_OF_PATIENTS), as_of, source)
        for row in totals.itertuples()
    ]
    england = float(totals.NUMBER_OF_PATIENTS[totals.ORG_TYPE == "REGION"].sum())
    records.append(Population(ENGLAND_ONS, REGISTERED, england, as_of, source))
    return records


def _summed_patients(
    register: Register, area: Area, counts: dict[str, Population]
) -> tuple[Population | None, str]:
    """The 1 August 2026 count of an earlier ICB area, summed exactly from its sub-ICB
    locations' counts; or, if that cannot be done, why not."""
    first = area.valid_from or geography.ESTABLISHED
    last = (area.valid_to - timedelta(days=1)) if area.valid_to else geography.EXTRACT_2026
    parts = {a.area_id: a for day in (first, last) for a in register.children(area.area_id, day)}
    uncounted = [a for a in parts.values() if a.area_id not in counts]
    if not parts:
        return None, f"{area.name} ({area.area_id}) has no sub-ICB locations recorded"
    if uncounted:
        names = ", ".join(f"{a.ods_code} ({a.area_id})" for a in uncounted)
        return None, (
            f"registered patients (1 Aug 2026) for {area.name} ({area.area_id}) cannot be "
            f"summed exactly from the shipped sub-ICB counts: sub-ICB location {names} has no "
            "count of its own in the 1 Aug 2026 extract (its boundary or code changed)"
        )
    codes = sorted(a.ods_code or a.area_id for a in parts.values())
    source = counts[next(iter(parts))].source
    total = sum(counts[a].value for a in parts)
    return (
        Population(
            area.area_id,
            REGISTERED,
            total,
            geography.EXTRACT_2026,
            f"sum of the sub-ICB location counts {', '.join(codes)} in: {source}",
        ),
        "",
    )


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
    """NHS England's allocation base population of each of the 42 ICBs (April 2023
    geography), per year, on the ICB area in force on the year's first day."""
    raw = data.read("icb_allocation_need_indices_2023_24_to_2025_26", dtype={"icb_ons": str})
    source = data.source("icb_allocation_need_indices_2023_24_to_2025_26").cite()
    records = []
    for row in raw.itertuples():
        first_day = date(int(row.allocation_year[:4]), 4, 1)
        area = _icb_area_on(register, row.icb_ons, first_day)
        records.append(
            Population(
                area.area_id,
                f"allocation-population-{row.allocation_year}",
                float(row.population),
                first_day,
                source,
            )
        )
    return records


def _allocation_populations_2026(
    register: Register, published: list[Population]
) -> list[Population]:
    """2025/26 allocation populations of the ICB areas created on 1 April 2026: each
    predecessor ICB's figure divided among its successors in proportion to its practices'
    2025/26 allocation populations in the August 2026 practice map (the crosswalk)."""
    by_area = {p.area_id: p.value for p in published if p.measure == ALLOCATION_MEASURE}
    crosswalk = data.read("icb_crosswalk_2023_to_2026", dtype={"icb23_ons": str, "icb26_ons": str})
    legacy = crosswalk.groupby("icb23_ons").alloc_population_2025_26.transform("sum")
    share = crosswalk.alloc_population_2025_26 / legacy
    moved = crosswalk.icb23_ons.map(by_area) * share
    totals = moved.groupby(crosswalk.icb26_ons).sum()
    source = (
        f"{data.source('icb_allocation_need_indices_2023_24_to_2025_26').cite()}; divided "
        f"among the 36 ICBs by {data.source('icb_crosswalk_2023_to_2026').cite()} "
        "(each predecessor's figure in proportion to its practices' allocation populations)"
    )
    return [
        Population(
            area.area_id, ALLOCATION_MEASURE, float(totals[area.area_id]), FIRST_DAY_2025, source
        )
        for area in register.areas_on(geography.MERGERS_2026, "icb")
        if area.area_id not in by_area
    ]


def _icb_area_on(register: Register, ons_code: str, on: date) -> Area:
    found = [a for a in register.find_areas(ons_code) if a.area_type == "icb" and a.in_force(on)]
    if len(found) != 1:
        raise NotFoundError(f"{len(found)} ICB areas with ONS code {ons_code} in force on {on}")
    return found[0]
