"""What the area is on the date, which NHS areas cover it, and the notices a reader must not
miss: a former area's successors ("NHS Frimley ICB was abolished on 1 April 2026; its area is
now covered by ...") and an area's predecessors."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from icsatlas.results import Result, Table
from icsatlas.workspace.report import memo
from icsatlas.workspace.report.where import code

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.register.model import Area, Organisation
    from icsatlas.workspace import Workspace

COLUMNS = ("covered_by", "type", "code", "share")


def section(ws: Workspace, found: Resolution) -> Result:
    """One row per NHS area covering what was named, with the share of its people there."""
    rows = [
        {
            "covered_by": c.area.place_name or c.area.name,
            "type": c.area.area_type,
            "code": code(c.area),
            "share": c.share,
        }
        for c in found.covers
    ]
    title = f"{found.name} ({found.kind}, {found.code}) on {found.on}"
    reform = f"; what-if: {', '.join(ws.reforms)}" if ws.reforms else ""
    notes = (*found.notes, f"read as {found.describe()}{reform}")
    return Result(Table.from_records(rows, COLUMNS), ws.provenance(), title, notes)


def notices(ws: Workspace, found: Resolution) -> tuple[str, ...]:
    """Successor notices for a former area, predecessor notices for an area in force."""
    if found.kind.startswith("former "):
        return tuple(_abolished(ws, found))
    area = found.area if found.kind in ("icb", "sub-icb", "region") else None
    return tuple(_predecessors(ws, area)) if area is not None else ()


def _abolished(ws: Workspace, found: Resolution) -> list[str]:
    former = [a for a in ws.data.find_areas(found.code) if a.valid_to and a.name == found.name]
    if not former:
        return []
    area = max(former, key=lambda a: a.valid_to or date.min)
    covers = "; ".join(f"{c.label}" for c in found.covers) or "no NHS area"
    notice = (
        f"{_brief(area.name)} was abolished on {_day(area.valid_to)}; its area is now "
        f"covered by {covers}."
    )
    successors = _successors(ws, area)
    if successors:
        notice += f" Its successors: {', '.join(successors)}."
    return [notice]


def _successors(ws: Workspace, area: Area) -> list[str]:
    organisations = ws.data.organisations
    if not area.org_id or area.org_id not in organisations:
        return []
    return [organisations[s].name for s in organisations[area.org_id].successors]


def _predecessors(ws: Workspace, area: Area) -> list[str]:
    """'NHS Thames Valley ICB took over (all or part of) NHS Frimley ICB, abolished on 1 April
    2026': the bodies whose successor governs this area, one notice per abolition date."""
    if not area.org_id:
        return []
    ended: dict[date, list[str]] = {}
    for body in memo.kept(ws, ("predecessors",), lambda: _predecessor_index(ws)).get(
        area.org_id, ()
    ):
        if body.valid_to is not None:
            ended.setdefault(body.valid_to, []).append(_brief(body.name))
    return [
        f"{_brief(area.name)} took over (all or part of) {', '.join(sorted(names))}, "
        f"abolished on {_day(day)}."
        for day, names in sorted(ended.items(), reverse=True)
    ]


def _predecessor_index(ws: Workspace) -> dict[str, list[Organisation]]:
    """Each body's predecessors: the bodies naming it as a successor."""
    index: dict[str, list[Organisation]] = {}
    for body in ws.data.organisations.values():
        for successor in body.successors:
            index.setdefault(successor, []).append(body)
    return index


def _day(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "an unrecorded date"


def _brief(name: str) -> str:
    """'NHS Frimley Integrated Care Board' -> 'NHS Frimley ICB'."""
    return name.replace("Integrated Care Board", "ICB")
