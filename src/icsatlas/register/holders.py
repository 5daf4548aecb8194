"""Named bodies in each ICB of the 2026 geography: NHS trusts, councils and health and
wellbeing boards, made when the register is built.

* **Trusts.** NHS England's April 2026 RTT provider file gives each provider's parent ICB on
  the 36-ICB geography; the ODS trust file (November 2023) gives every trust's open and close
  dates and its ICB on the 42-ICB geography. A trust in both is placed by the RTT file; one
  only in the ODS file (ambulance, mental health and community trusts report no RTT waits) is
  placed through the 42-to-36 crosswalk when its 2023 ICB went whole into one 2026 ICB, and
  left unplaced (said so) when that ICB was split; one only in the RTT file is recorded with
  the gap that its dates are not in the shipped data. :func:`trust_places` reports all three.
* **Councils.** The 2025/26 registered population of each local authority district (2022) by
  2026 ICB, each district carried to the council in force today (districts abolished into
  unitary authorities in 2020-23 to that authority) and summed to upper-tier councils.
* **Health and wellbeing boards.** One per upper-tier council (or pair) in the Better Care
  Fund's 2022-23 list, attached to the council whose code it carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd

from icsatlas import data
from icsatlas.register import geography
from icsatlas.register.councils import council_key, is_upper_tier
from icsatlas.register.model import Area, Changeset, Organisation, Relationship
from icsatlas.register.reference import tidy_name
from icsatlas.register.register import Register

ODS_TRUSTS = "nhs_trusts_etr_nov2023"
RTT_PROVIDERS = "rtt_waiting_list_provider_2026_04"
CROSSWALK = "icb_crosswalk_2023_to_2026"
DISTRICTS = "lad22_to_icb_2026_registered_population_shares"
HWBS = "bcf_planned_spend_intermediate_care_hwb_2022_23"
TRUST_IN = "trust-in"
BASED_IN = "headquartered-in"
COUNCIL_IN = "council-in"
BOARD_OF = "board-of"
HWB = "health-and-wellbeing-board"
MIN_SHARE = 0.10  # as the councils of each ICB's Better Care Fund (register.build)


@dataclass(frozen=True)
class TrustPlace:
    """An NHS trust and the 2026 ICB it belongs to (``icb_ods`` None if it cannot be
    placed), with the files it appears in and how it was placed."""

    code: str
    name: str
    icb_ods: str | None
    in_ods: bool
    in_rtt: bool
    opened: date | None
    closed: date | None
    placed_by: str


def trust_places() -> list[TrustPlace]:
    """Every English NHS trust in either file, placed in a 2026 ICB where the data allow."""
    ods = data.read(ODS_TRUSTS, dtype=str, keep_default_na=False)
    ods = ods[ods.nhs_region_ods.str.startswith("Y")]
    rtt = data.read(RTT_PROVIDERS, dtype=str, keep_default_na=False)
    rtt = rtt[rtt.provider_code.isin(set(ods.org_code)) | _is_nhs_trust(rtt.provider_name)]
    parent = dict(zip(rtt.provider_code, rtt.provider_parent_icb_ods, strict=True))
    whole = _whole_successors()
    found = []
    for row in ods.itertuples():
        in_rtt = row.org_code in parent
        successor = whole.get(row.icb_ods)
        found.append(
            TrustPlace(
                row.org_code,
                row.name,
                parent[row.org_code] if in_rtt else successor,
                True,
                in_rtt,
                _ods_date(row.open_date),
                _ods_date(row.close_date),
                "RTT provider parent ICB, April 2026"
                if in_rtt
                else (
                    f"ODS ICB {row.icb_ods} (Nov 2023), wholly within {successor} in 2026"
                    if successor
                    else f"not placed: its Nov 2023 ICB {row.icb_ods} was split in April 2026"
                ),
            )
        )
    for row in rtt[~rtt.provider_code.isin(set(ods.org_code))].itertuples():
        found.append(
            TrustPlace(
                row.provider_code,
                row.provider_name,
                row.provider_parent_icb_ods,
                False,
                True,
                None,
                None,
                "RTT provider parent ICB, April 2026",
            )
        )
    return sorted(found, key=lambda t: t.code)


def _is_nhs_trust(names: pd.Series) -> pd.Series:
    upper = names.str.upper()
    return upper.str.contains(r"\bNHS\b") & upper.str.contains(r"\bTRUST\b")


def _whole_successors() -> dict[str, str]:
    """2023 ICB ODS code -> its 2026 ICB, for the ICBs that went whole into one."""
    crosswalk = data.read(CROSSWALK, dtype=str)
    counts = crosswalk.groupby("icb23_ods").icb26_ods.nunique()
    whole = crosswalk[crosswalk.icb23_ods.isin(counts[counts == 1].index)]
    return dict(zip(whole.icb23_ods, whole.icb26_ods, strict=True))


def _ods_date(text: str) -> date | None:
    return date(int(text[:4]), int(text[4:6]), int(text[6:])) if text else None


# -- records made at build ------------------------------------------------------------------


def records(register: Register) -> Changeset:
    """Trusts, councils and health and wellbeing boards per 2026 ICB, as relationships (and
    the trusts and boards not already in the register, as organisations)."""
    changes = Changeset()
    icbs = {a.ods_code: a for a in register.areas_on(geography.MERGERS_2026, "icb")}
    changes.added.extend(_trusts(register, icbs))
    changes.added.extend(_headquarters(register))
    changes.added.extend(_councils(register))
    changes.added.extend(_boards(register))
    return changes


def _trusts(register: Register, icbs: dict[str | None, Area]) -> list:
    source = (
        f"{data.source(RTT_PROVIDERS).cite()}; {data.source(ODS_TRUSTS).cite()}; "
        f"{data.source(CROSSWALK).cite()}"
    )
    found: list = []
    for trust in trust_places():
        if trust.code not in register.organisations:
            found.append(_new_trust(trust))
        if trust.icb_ods is None:
            continue
        start = max(geography.MERGERS_2026, trust.opened or geography.MERGERS_2026)
        if trust.closed and trust.closed <= start:
            continue
        found.append(
            Relationship(
                trust.code,
                TRUST_IN,
                icbs[trust.icb_ods].area_id,
                start,
                trust.closed,
                source=f"{trust.placed_by}: {source}",
            )
        )
    return found


def _headquarters(register: Register) -> list[Relationship]:
    """The sub-ICB location of each trust's headquarters (ODS postcode): the location of
    most GP practices in the same postcode sector, else in the same postcode district."""
    ods = data.read(ODS_TRUSTS, dtype=str, keep_default_na=False)
    on = geography.MERGERS_2026
    located = {r.subject_id: r.object_id for r in register.relations(relation="located-in", on=on)}
    sectors: dict[str, list[str]] = {}
    districts: dict[str, list[str]] = {}
    for org in register.organisations_on(on, "gp-practice"):
        if org.postcode and org.org_id in located:
            code = " ".join(org.postcode.split())
            sectors.setdefault(code[:-2], []).append(located[org.org_id])
            districts.setdefault(code.split(" ")[0], []).append(located[org.org_id])
    source = (
        f"headquarters postcode in {data.source(ODS_TRUSTS).cite()}, placed by the GP "
        f"practices of the same postcode sector (else district) in "
        f"{data.source('gp_practice_map_aug2026').cite()}"
    )
    found = []
    for row in ods[ods.nhs_region_ods.str.startswith("Y")].itertuples():
        code = " ".join(row.postcode.split())
        areas = sectors.get(code[:-2]) or districts.get(code.split(" ")[0])
        if not areas or row.org_code not in register.organisations:
            continue
        found.append(
            Relationship(
                row.org_code,
                BASED_IN,
                max(sorted(set(areas)), key=areas.count),
                on,
                _ods_date(row.close_date),
                source=source,
            )
        )
    return found


def _new_trust(trust: TrustPlace) -> Organisation:
    foundation = "FOUNDATION TRUST" in trust.name.upper()
    return Organisation(
        trust.code,
        "foundation-trust" if foundation else "nhs-trust",
        tidy_name(trust.name),
        ods_code=trust.code,
        gaps=("not in the November 2023 ODS trust file: opening date not in the shipped data",),
        source=data.source(RTT_PROVIDERS).cite(),
    )


def _councils(register: Register) -> list[Relationship]:
    """Each council's share of its registered population in each 2026 ICB (districts and
    upper-tier councils), and the ICB's share in the council."""
    raw = data.read(DISTRICTS, dtype={"lad22cd": str, "icb26_ons": str})
    codes = _council_codes(register)
    counties = geography.lad_to_utla()
    district = raw.lad22cd.map(lambda c: codes.get(c) or codes.get(counties.get(c, ""), c))
    upper = district.map(lambda c: c if is_upper_tier(c) else counties.get(c, c))
    source = (
        f"{data.source(DISTRICTS).cite()}; districts abolished since 2022 carried to the "
        "council in force today"
    )
    found = []
    for councils in (district.where(district.str.startswith("E07")), upper):
        frame = raw.assign(council=councils).dropna(subset=["council"])
        frame = frame.groupby(["council", "icb26_ons"], as_index=False).registered_population.sum()
        council_total = frame.groupby("council").registered_population.transform("sum")
        icb_total = raw.groupby("icb26_ons").registered_population.sum()
        for row, of_council in zip(frame.itertuples(), council_total, strict=True):
            if row.council not in register.organisations:
                continue
            found.append(
                Relationship(
                    row.council,
                    COUNCIL_IN,
                    row.icb26_ons,
                    geography.MERGERS_2026,
                    share=round(row.registered_population / of_council, 6),
                    source=source,
                    object_share=round(row.registered_population / icb_total[row.icb26_ons], 6),
                )
            )
    return found


def _council_codes(register: Register) -> dict[str, str]:
    """Every code a council in force today is known by -> its register id."""
    return {
        code: org.org_id
        for org in register.organisations_on(geography.MERGERS_2026, "local-authority")
        for code in (org.org_id, *org.codes)
    }


def _boards(register: Register) -> list:
    raw = data.read(HWBS, dtype=str)
    codes = _council_codes(register)
    source = data.source(HWBS).cite()
    found: list = []
    for row in raw.drop_duplicates("hwb_code").itertuples():
        council = codes.get(row.hwb_code)
        gaps = ["establishment date not in the shipped data"]
        if council is None:
            gaps.append(
                f"its council ({row.hwb_code}) is no longer in force; whether the board "
                "continued under the council that replaced it is not in the shipped data"
            )
        found.append(
            Organisation(
                f"hwb:{row.hwb_code}",
                HWB,
                f"{row.hwb_name} Health and Wellbeing Board",
                valid_to=None if council else geography.BOUNDARY_CHANGE_2023,
                gaps=tuple(gaps),
                source=source,
            )
        )
        if council:
            found.append(Relationship(f"hwb:{row.hwb_code}", BOARD_OF, council, source=source))
    return found


# -- questions -------------------------------------------------------------------------------


def icb_of(register: Register, area: Area, on: date) -> Area | None:
    """The ICB area that is or contains ``area`` on ``on``."""
    for candidate in (area, *register.ancestors(area.area_id, on)):
        if candidate.area_type == "icb":
            return candidate
    return None


def trusts_in(register: Register, area: Area, on: date) -> list[Organisation]:
    """The NHS trusts of the ICB that is or contains ``area``; for a sub-ICB location,
    those of them headquartered there (all the ICB's trusts if none is)."""
    icb = icb_of(register, area, on)
    if icb is None:
        return []
    found = {
        r.subject_id for r in register.relations(relation=TRUST_IN, object_id=icb.area_id, on=on)
    }
    if area.area_type != "icb":
        based = {
            r.subject_id
            for r in register.relations(relation=BASED_IN, object_id=area.area_id, on=on)
        }
        found = (found & based) or found
    return _sorted(register, found)


def councils_in(register: Register, area: Area, on: date, upper_only: bool = True) -> list:
    """The councils of the ICB ``area``: those with at least ``MIN_SHARE`` of their
    registered population in it; for a sub-ICB location, the councils whose population
    overlaps it by at least as much."""
    if icb_of(register, area, on) is None:
        return []
    relation = COUNCIL_IN if area.area_type == "icb" else "overlaps"
    found = {
        r.subject_id
        for r in register.relations(relation=relation, object_id=area.area_id, on=on)
        if (r.share or 0) >= MIN_SHARE
    }
    if upper_only:
        found = {c for c in found if is_upper_tier(c)}
    return _sorted(register, found)


def boards_in(register: Register, area: Area, on: date) -> list[Organisation]:
    """The health and wellbeing boards of the upper-tier councils in ``area``."""
    councils = {c.org_id for c in councils_in(register, area, on)}
    found = {
        r.subject_id
        for r in register.relations(relation=BOARD_OF, on=on)
        if r.object_id in councils
    }
    return _sorted(register, found)


def basis(register: Register, body: Organisation, area: Area, on: date) -> str:
    """Why ``body`` is listed for ``area``: the relationship that places it, with its source."""
    icb = icb_of(register, area, on)
    wanted = [
        (BASED_IN, area.area_id),
        (TRUST_IN, icb.area_id if icb else None),
        (COUNCIL_IN, area.area_id),
        ("overlaps", area.area_id),
    ]
    links = register.relations(subject_id=body.org_id, on=on)
    for relation, object_id in wanted:
        for link in links:
            if (link.relation, link.object_id) == (relation, object_id):
                share = f" ({link.share:.0%} of its population)" if link.share is not None else ""
                place = register.areas[link.object_id].name
                return f"{relation} {place}{share}: {link.source}"
    for link in links:
        if link.relation == BOARD_OF:
            return f"board of {register.organisations[link.object_id].name}: {link.source}"
    return body.source


def _sorted(register: Register, ids: set[str]) -> list[Organisation]:
    return sorted((register.organisations[i] for i in ids), key=lambda o: o.name)


BODIES = {"trust": trusts_in, "council": councils_in, "hwb": boards_in}
KINDS = {
    "nhs-trust": "trust",
    "foundation-trust": "trust",
    "local-authority": "council",
    HWB: "hwb",
}


@cache
def formal_names() -> dict[str, str]:
    """Council ONS code -> the council's own name where a shipped partner list gives it
    ('Leeds' -> 'Leeds City Council')."""
    upper = data.read("utla_current_to_icb_2023_population_shares", dtype=str)
    by_key = {council_key(n): c for c, n in zip(upper.UTLACD, upper.UTLANM, strict=True)}
    partners = data.read("icb_partner_local_authorities_2023", dtype=str)
    return {
        by_key[council_key(name)]: name
        for name in partners.local_authority_name
        if council_key(name) in by_key
    }


def named_bodies(
    register: Register, holder: Organisation, area: Area, on: date
) -> list[str] | None:
    """The named bodies behind a holder: the holder itself (a council by its own name) if it
    is one body; if it stands for a kind of body (e.g. "NHS trusts in ..."), every body of
    that kind recorded in the area; None if no such body is recorded (never invented)."""
    if not holder.generic:
        return [formal_names().get(holder.org_id, holder.name)]
    kind = KINDS.get(holder.org_type)
    if kind is None:
        return None
    found = [formal_names().get(o.org_id, o.name) for o in BODIES[kind](register, area, on)]
    return found or None
