"""The areas related to this one on the date: the area it lies in (parent), the areas in it
(children) and the areas bordering it (neighbours: from the shipped boundaries where there
are any, else the areas with the same parent in the register; the basis column says which).
Each has a kind and code that names its own page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from icsatlas.results import Result, Table
from icsatlas.web.boundaries import boundary_code
from icsatlas.workspace.report import adjacency
from icsatlas.workspace.report.where import code

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.register.model import Area, Organisation
    from icsatlas.workspace import Workspace

COLUMNS = ("relation", "name", "kind", "code", "basis")
NHS_KINDS = ("country", "region", "icb", "sub-icb")


def section(ws: Workspace, found: Resolution) -> Result:
    if found.kind in NHS_KINDS and found.area is not None:
        rows = _nhs_area(ws, found.area, found)
    elif found.kind == "council" and found.organisation is not None:
        rows = _council(ws, found.organisation, found)
    elif found.kind == "practice" and found.organisation is not None:
        rows = _practice(ws, found.organisation, found)
    else:
        rows = [_area_row("covered by", c.area, "the NHS areas covering it") for c in found.covers]
    title = f"Areas related to {found.name} on {found.on}"
    notes = ("neighbours share a border in the shipped boundaries (ONS, simplified)",)
    return Result(Table.from_records(rows, COLUMNS), ws.provenance(), title, notes)


def _nhs_area(ws: Workspace, area: Area, found: Resolution) -> list[dict[str, Any]]:
    register, on = ws.data, found.on
    parent = register.parent(area.area_id, on)
    rows = [_area_row("parent", parent, "register")] if parent else []
    rows += [_area_row("child", c, "register") for c in register.children(area.area_id, on)]
    same_kind = {boundary_code(a.area_id): a for a in register.areas_on(on, area.area_type)}
    level = adjacency.level_of(area.area_type, area.area_id)
    bordering = adjacency.neighbours(level, on, area.area_id) if level else None
    if bordering is not None:
        key, codes = bordering
        rows += [
            _area_row("neighbour", same_kind[c], f"boundaries {key}")
            for c in codes
            if c in same_kind
        ]
    elif parent is not None:
        siblings = [c for c in register.children(parent.area_id, on) if c.area_id != area.area_id]
        rows += [_area_row("neighbour", s, "same parent (no boundary shipped)") for s in siblings]
    return rows


def _council(ws: Workspace, council: Organisation, found: Resolution) -> list[dict[str, Any]]:
    register, on = ws.data, found.on
    rows = [_area_row("covered by", c.area, "register (population overlap)") for c in found.covers]
    for relation in register.relations(council.org_id, "within", on=on):
        rows.append(_org_row("parent", register.organisations[relation.object_id], "register"))
    for relation in register.relations(relation="within", object_id=council.org_id, on=on):
        rows.append(_org_row("child", register.organisations[relation.subject_id], "register"))
    level = adjacency.level_of("council", council.org_id)
    bordering = adjacency.neighbours(level, on, council.org_id) if level else None
    if bordering is not None:
        key, codes = bordering
        councils = {boundary_code(c.org_id): c for c, _ in ws.resolver.councils(on)}
        rows += [
            _org_row("neighbour", councils[c], f"boundaries {key}") for c in codes if c in councils
        ]
    return rows


def _practice(ws: Workspace, practice: Organisation, found: Resolution) -> list[dict[str, Any]]:
    register, on = ws.data, found.on
    rows = [_area_row("parent", c.area, "register (practice location)") for c in found.covers]
    for membership in register.relations(practice.org_id, "member-of", on=on):
        network = register.organisations[membership.object_id]
        rows.append(_org_row("parent", network, "register (PCN membership)"))
        for member in register.relations(relation="member-of", object_id=network.org_id, on=on):
            if member.subject_id != practice.org_id:
                other = register.organisations[member.subject_id]
                rows.append(_org_row("neighbour", other, "same primary care network"))
    return rows


def _area_row(relation: str, area: Area, basis: str) -> dict[str, Any]:
    name = area.place_name or area.name
    return {
        "relation": relation,
        "name": name,
        "kind": area.area_type,
        "code": code(area),
        "basis": basis,
    }


def _org_row(relation: str, org: Organisation, basis: str) -> dict[str, Any]:
    kind = {"local-authority": "council", "gp-practice": "practice"}.get(org.org_type, org.org_type)
    code = org.org_id if kind == "council" else org.ods_code or org.org_id
    return {"relation": relation, "name": org.name, "kind": kind, "code": code, "basis": basis}
