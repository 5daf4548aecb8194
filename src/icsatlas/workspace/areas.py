"""What exists on a date: NHS areas, places, councils, GP practices and PCNs, as tables.

``ws.register.areas(kind, on, within)`` answers with one of these; every "within" goes through
the workspace's resolver, so ``--within "Surrey County Council"`` works as every area does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from icsatlas.errors import NotFoundError
from icsatlas.names import short_name
from icsatlas.register import queries
from icsatlas.register.councils import tier
from icsatlas.register.model import AREA_TYPES, Area, Organisation
from icsatlas.results import Result, Table

if TYPE_CHECKING:
    from icsatlas.geography import Cover
    from icsatlas.register.register import Register
    from icsatlas.workspace import Workspace

AREA_KINDS = (*AREA_TYPES, "council", "practice", "pcn")
_AREA_COLUMNS = (
    "ons_code",
    "ods_code",
    "name",
    "place",
    "type",
    "within",
    "from",
    "until",
    "registered_patients_2026_08",
    "allocation_population_2025_26",
)


def listing(ws: Workspace, kind: str, on: date, within: str | None = None) -> Result:
    """The areas of ``kind`` in force on ``on`` (``within`` an area, if given)."""
    if kind not in AREA_KINDS:
        raise NotFoundError(f"unknown kind of area {kind!r}: use {', '.join(AREA_KINDS)}")
    inside = _within(ws, within, on) if within else None
    if kind in _LISTINGS:
        return _LISTINGS[kind](ws, on, inside)
    return _nhs_areas(ws, kind, on, inside)


def _within(ws: Workspace, text: str, on: date) -> set[str]:
    """Sub-ICB locations (and the areas above them) covering ``text`` on ``on``."""
    found = ws.resolve(text, on)
    areas = set()
    for cover in found.covers:
        areas.add(cover.area.area_id)
        areas |= {a.area_id for a in ws.data.descendants(cover.area.area_id, on)}
    return areas


def _nhs_areas(ws: Workspace, kind: str, on: date, inside: set[str] | None) -> Result:
    rows = [
        r for r in queries.areas_on(ws.data, on, kind) if inside is None or r.area.area_id in inside
    ]
    table = Table.from_records(
        (
            {
                "ons_code": r.area.area_id,
                "ods_code": r.area.ods_code,
                "name": r.area.name,
                "place": r.area.place_name,
                "type": r.area.area_type,
                "within": r.parent.name if r.parent else None,
                "from": r.area.valid_from,
                "until": r.area.valid_to,
                "registered_patients_2026_08": _whole(r.registered_patients),
                "allocation_population_2025_26": r.allocation_population,
            }
            for r in rows
        ),
        _AREA_COLUMNS if kind == "sub-icb" else tuple(c for c in _AREA_COLUMNS if c != "place"),
    )
    notes = sorted({n for r in rows for n in r.notes})
    if kind == "neighbourhood" and not rows:
        notes.insert(
            0,
            "no neighbourhood areas are recorded: the 10 Year Health Plan's neighbourhoods "
            "(about 50,000 people) have no shipped boundaries; primary care networks are "
            "listed by `areas --type pcn`",
        )
    title = f"{len(rows)} {kind} areas in force on {on}"
    return Result(table, ws.provenance(**queries.AREA_SOURCES), title, notes)


def _places(ws: Workspace, on: date, inside: set[str] | None) -> Result:
    areas = [
        a
        for a in ws.data.areas_on(on, "sub-icb")
        if a.place_name and (inside is None or a.area_id in inside)
    ]
    table = Table.from_records(
        (
            {
                "place": a.place_name,
                "ods_code": a.ods_code,
                "ons_code": a.area_id,
                "sub_icb_location": a.name,
                "icb": _name(ws.data.parent(a.area_id, on)),
                "derivation": a.place_basis,
            }
            for a in sorted(areas, key=lambda a: a.place_name or "")
        ),
        ("place", "ods_code", "ons_code", "sub_icb_location", "icb", "derivation"),
    )
    notes = (
        "a place is a sub-ICB location named after the councils it covers (rule: "
        "docs/explanation/geography.md)",
    )
    return Result(table, ws.provenance(), f"{len(areas)} places on {on}", notes)


def _councils(ws: Workspace, on: date, inside: set[str] | None) -> Result:
    rows = []
    for council, covers in ws.resolver.councils(on):
        if inside is not None and not any(c.area.area_id in inside for c in covers):
            continue
        icbs = _icb_shares(ws.data, covers, on)
        rows.append(
            {
                "ons_code": council.org_id,
                "name": council.name,
                "tier": tier(council.org_id),
                "within": _county(ws.data, council),
                "icbs": "; ".join(f"{short_name(n)} {s:.0%}" for n, s in icbs),
                "places": "; ".join(c.label for c in covers),
            }
        )
    table = Table.from_records(rows, ("ons_code", "name", "tier", "within", "icbs", "places"))
    notes = ("shares of each council's mid-2015 population by LSOA (ONS/MHCLG lookups)",)
    return Result(table, ws.provenance(), f"{len(rows)} councils on {on}", notes)


def _practices(ws: Workspace, on: date, inside: set[str] | None) -> Result:
    rows = []
    for relation in ws.data.relationships:
        if relation.relation != "located-in" or not relation.in_force(on):
            continue
        if inside is not None and relation.object_id not in inside:
            continue
        practice = ws.data.organisations[relation.subject_id]
        area = ws.data.areas[relation.object_id]
        pcn = ws.data.relations(practice.org_id, "member-of")
        rows.append(
            {
                "ods_code": practice.org_id,
                "name": practice.name,
                "postcode": practice.postcode,
                "pcn": _name(ws.data.organisations[pcn[0].object_id]) if pcn else None,
                "sub_icb": area.ods_code,
                "place": area.place_name,
                "icb": _name(ws.data.parent(area.area_id, on)),
            }
        )
    rows.sort(key=lambda r: r["ods_code"] or "")
    columns = ("ods_code", "name", "postcode", "pcn", "sub_icb", "place", "icb")
    title = f"{len(rows)} GP practices on {on}"
    return Result(Table.from_records(rows, columns), ws.provenance(), title)


def _pcns(ws: Workspace, on: date, inside: set[str] | None) -> Result:
    practices = _practices(ws, on, inside).table.records()
    by_pcn: dict[str, list[dict[str, Any]]] = {}
    for practice in practices:
        if practice["pcn"]:
            by_pcn.setdefault(practice["pcn"], []).append(practice)
    codes = {o.name: o.org_id for o in ws.data.organisations.values() if o.org_type == "pcn"}
    rows = [
        {
            "ods_code": codes.get(name),
            "name": name,
            "practices": len(members),
            "place": members[0]["place"],
            "icb": members[0]["icb"],
        }
        for name, members in sorted(by_pcn.items())
    ]
    table = Table.from_records(rows, ("ods_code", "name", "practices", "place", "icb"))
    return Result(table, ws.provenance(), f"{len(rows)} primary care networks on {on}")


_LISTINGS: dict[str, Callable[[Workspace, date, set[str] | None], Result]] = {
    "council": _councils,
    "practice": _practices,
    "pcn": _pcns,
    "place": _places,
}


def _icb_shares(register: Register, covers: Sequence[Cover], on: date) -> list[tuple[str, float]]:
    shares: dict[str, float] = {}
    for cover in covers:
        icb = register.parent(cover.area.area_id, on)
        if icb is not None:
            shares[icb.name] = shares.get(icb.name, 0.0) + (cover.share or 0.0)
    return sorted(shares.items(), key=lambda item: -item[1])


def _county(register: Register, council: Organisation) -> str | None:
    within = register.relations(council.org_id, "within")
    return register.organisations[within[0].object_id].name if within else None


def _name(record: Area | Organisation | None) -> str | None:
    return record.name if record is not None else None


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)
