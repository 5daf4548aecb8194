"""Questions the register answers: which areas, who holds what, what changed, where the gaps are.

Each function takes a :class:`Register` and returns plain typed objects; the CLI and
the Python API turn them into tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from icsatlas.errors import NotFoundError
from icsatlas.names import normalise, short_name
from icsatlas.register import accountability
from icsatlas.register.model import (
    AREA_TYPES,
    Area,
    Assignment,
    Flag,
    Function,
    Organisation,
    Population,
)
from icsatlas.register.register import Register


def resolve_area(register: Register, query: str, on: date) -> Area:
    """The area ``query`` names (name, ODS or ONS code) in force on ``on``; if it names an
    area that is not in force then, say when it was and what replaced it."""
    found = register.find_areas(query)
    current = [a for a in found if a.in_force(on)]
    if current:
        level = min(AREA_TYPES[a.area_type] for a in current)
        best = [a for a in current if AREA_TYPES[a.area_type] == level]
        if len(best) == 1:
            return best[0]
        names = ", ".join(sorted(a.name for a in best)[:6])
        raise NotFoundError(f"{query!r} names several areas on {on}: {names}")
    if found:
        raise NotFoundError(_not_in_force(register, found, on))
    candidates = {a.name for a in register.areas.values() if a.in_force(on)}
    close = sorted(candidates, key=lambda n: -_similarity(query, n))[:3]
    raise NotFoundError(f"no area matches {query!r} (did you mean {', '.join(map(repr, close))}?)")


def _not_in_force(register: Register, found: list[Area], on: date) -> str:
    area = max(found, key=lambda a: a.valid_from or date.min)
    span = f"{area.valid_from or 'before records'} to {area.valid_to or 'now'}"
    text = f"{area.name} ({area.area_id}) is not in force on {on}: it was from {span}"
    if area.org_id and area.org_id in register.organisations:
        successors = register.organisations[area.org_id].successors
        if successors:
            names = ", ".join(register.organisations[s].name for s in successors)
            text += f"; its ICB's successors: {names}"
    return text


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, normalise(a), normalise(b)).ratio()


# -- who holds a function ---------------------------------------------------------------


@dataclass(frozen=True)
class Holding:
    """A holder of a function for an area on a date, with how accountable it is."""

    function: Function
    area: Area
    held_at: Area
    holder: Organisation
    assignment: Assignment
    flags: tuple[Flag, ...] = ()

    @property
    def profile(self) -> accountability.Profile | None:
        return accountability.profiles().get(self.holder.org_type)

    @property
    def uncertain(self) -> bool:
        return self.assignment.certainty == "uncertain" or any(
            f.certainty == "uncertain" for f in self.flags
        )

    def caveats(self) -> list[str]:
        notes = [f.text for f in self.flags]
        if self.assignment.certainty != "verified":
            notes.insert(0, f"{self.assignment.certainty}: {self.assignment.note}".strip(": "))
        return notes


def who_holds(register: Register, function: str, area: Area, on: date) -> list[Holding]:
    """Who holds ``function`` for ``area`` on ``on``: held at the area itself, else at the
    nearest area above it; an area above the level where a function is held (a region,
    England) gets every holder within it."""
    chosen = register.function(function)
    for level in [area, *register.ancestors(area.area_id, on)]:
        held = register.assignments_at(chosen.function_id, level.area_id, on)
        if held:
            return [_holding(register, chosen, area, level, a, on) for a in held]
    found = []
    for below in register.descendants(area.area_id, on):
        for assignment in register.assignments_at(chosen.function_id, below.area_id, on):
            found.append(_holding(register, chosen, below, below, assignment, on))
    return found


def _holding(
    register: Register,
    function: Function,
    area: Area,
    held_at: Area,
    assignment: Assignment,
    on: date,
) -> Holding:
    return Holding(
        function=function,
        area=area,
        held_at=held_at,
        holder=register.organisations[assignment.holder_id],
        assignment=assignment,
        flags=tuple(register.flags_for(function.function_id, held_at.area_id, on)),
    )


def holding_history(register: Register, function: str, area: Area) -> list[Holding]:
    """Every holding of ``function`` over time at ``area`` and at any area it has ever been
    part of, oldest first (``--history``)."""
    chosen = register.function(function)
    lineage = {area.area_id: area}
    pending = [area.area_id]
    while pending:
        current = pending.pop()
        for link in register.area_links:
            if link.child_id == current and link.parent_id not in lineage:
                lineage[link.parent_id] = register.areas[link.parent_id]
                pending.append(link.parent_id)
    found = [
        _holding(register, chosen, area, lineage[a.area_id], a, a.valid_from or date.min)
        for area_id in lineage
        for a in register.assignments_history(chosen.function_id, area_id)
    ]
    return sorted(found, key=lambda h: (h.assignment.valid_from or date.min, h.held_at.area_id))


# -- gaps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A function with no holder, with undeclared multiple holders, or under a caveat."""

    area: Area
    function: Function
    status: str
    detail: str


def gaps(register: Register, on: date, area: Area | None = None) -> list[Gap]:
    """Per ICB area in force on ``on`` (or within ``area``): functions with no holder,
    several holders not declared joint, and functions flagged as uncertain."""
    found = []
    for icb in icb_areas(register, on, area):
        for function in register.functions.values():
            found.extend(_gaps_for(register, function, icb, on))
    return found


def icb_areas(register: Register, on: date, within: Area | None) -> list[Area]:
    """The ICB areas in force on ``on`` within, around or equal to ``within`` (all if None)."""
    icbs = register.areas_on(on, "icb")
    if within is None or within.area_type == "country":
        return icbs
    if within.area_type == "icb":
        return [within]
    inside = {a.area_id for a in register.descendants(within.area_id, on)}
    above = {a.area_id for a in register.ancestors(within.area_id, on)}
    return [a for a in icbs if a.area_id in inside | above]


def _gaps_for(register: Register, function: Function, icb: Area, on: date) -> list[Gap]:
    holdings = who_holds(register, function.function_id, icb, on)
    found = []
    if not holdings:
        found.append(Gap(icb, function, "no holder", "nobody holds this function here"))
    elif len(holdings) > 1 and not all(h.assignment.joint for h in holdings):
        names = ", ".join(h.holder.name for h in holdings)
        found.append(Gap(icb, function, "several holders", f"not declared joint: {names}"))
    below = [
        a
        for sub in register.descendants(icb.area_id, on)
        for a in register.assignments_at(function.function_id, sub.area_id, on)
        if a.basis != "delegation" and not a.joint
    ]
    if holdings and below:
        names = ", ".join(register.organisations[a.holder_id].name for a in below)
        found.append(
            Gap(icb, function, "held at two levels", f"also held below the ICB by {names}")
        )
    for flag in register.flags_for(function.function_id, icb.area_id, on):
        found.append(Gap(icb, function, flag_status(flag), flag.text))
    for holding in holdings:
        if holding.assignment.certainty == "uncertain":
            detail = f"{holding.holder.name}: {holding.assignment.note}".strip(": ")
            found.append(Gap(icb, function, "uncertain holder", detail))
    return found


# How a caveat on a function reads in ``gaps`` (by how ``operations`` words it).
FLAG_STATUSES = {
    "Overlap between reforms": "overlap",
    "Kept with": "kept",
    "Planned ": "planned, no body named",
}


def flag_status(flag: Flag) -> str:
    """'overlap', 'kept', 'planned, no body named', or 'under review'."""
    return next((v for k, v in FLAG_STATUSES.items() if flag.text.startswith(k)), "under review")


# -- what changed between two dates ------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between the register on two dates."""

    kind: str  # established | abolished | area-added | area-ended | moved-area | function-moved
    subject: str
    detail: str
    certainty: str = "verified"


def diff(register: Register, start: date, end: date, area: Area | None = None) -> list[Change]:
    """What appeared, disappeared, merged or moved between ``start`` and ``end`` (within
    ``area``, its successors and the areas around it, if given)."""
    changes = _organisation_changes(register, start, end)
    changes += _area_changes(register, start, end)
    if area is not None:
        keep = _related_names(register, area, start, end)
        changes = [c for c in changes if c.subject in keep or any(k in c.detail for k in keep)]
    icbs = register.areas_on(end, "icb")
    if area is not None:
        icbs = [i for i in icbs if _icb_related(register, i, area, start, end)]
    return changes + _function_moves(register, start, end, icbs)


def _organisation_changes(register: Register, start: date, end: date) -> list[Change]:
    found = []
    for org in register.organisations.values():
        if org.generic or org.org_type in ("gp-practice", "pcn"):
            continue
        before, after = org.in_force(start), org.in_force(end)
        if before and not after:
            successors = [register.organisations[s].name for s in org.successors]
            detail = f"abolished {org.valid_to}" + (
                f"; merged into {', '.join(successors)}" if successors else ""
            )
            found.append(Change("abolished", org.name, detail))
        elif after and not before:
            found.append(Change("established", org.name, f"established {org.valid_from}"))
    return found


def _area_changes(register: Register, start: date, end: date) -> list[Change]:
    found = []
    for area in register.areas.values():
        before, after = area.in_force(start), area.in_force(end)
        if before and not after:
            found.append(
                Change(
                    "area-ended",
                    area.name,
                    f"{area.area_type} {area.area_id} ended {area.valid_to}",
                )
            )
        elif after and not before:
            found.append(
                Change(
                    "area-added",
                    area.name,
                    f"{area.area_type} {area.area_id} from {area.valid_from}",
                )
            )
        elif before and after:
            old, new = register.parent(area.area_id, start), register.parent(area.area_id, end)
            if old and new and old.area_id != new.area_id:
                found.append(Change("moved-area", area.name, f"from {old.name} to {new.name}"))
    return found


def _function_moves(register: Register, start: date, end: date, icbs: list[Area]) -> list[Change]:
    """Functions whose holder type changed in ``icbs`` (areas in force on ``end``) between
    the two dates; areas are matched through their sub-ICB locations, so merged areas
    compare with their parts."""
    moves: dict[tuple[str, str, str], list[Area]] = defaultdict(list)
    uncertain: dict[tuple[str, str, str], bool] = defaultdict(bool)
    for icb in icbs:
        parts = _predecessor_areas(register, icb, start, end)
        for function in register.functions.values():
            held = who_holds(register, function.function_id, icb, end)
            before = {
                h.holder.org_type
                for part in parts
                for h in who_holds(register, function.function_id, part, start)
            }
            after = {h.holder.org_type for h in held}
            if before != after:
                key = (function.label, _types(before), _types(after))
                moves[key].append(icb)
                uncertain[key] |= any(h.uncertain for h in held)
    return [
        Change(
            "function-moved",
            label,
            f"{before} -> {after} in {_areas_text(areas)}",
            "uncertain" if uncertain[(label, before, after)] else "verified",
        )
        for (label, before, after), areas in moves.items()
    ]


def _areas_text(areas: list[Area], named: int = 3) -> str:
    """'36 areas', or the areas' short names when there are few."""
    if len(areas) > named:
        return f"{len(areas)} areas"
    names = ", ".join(short_name(a.name) for a in areas)
    return f"{len(areas)} area{'' if len(areas) == 1 else 's'}: {names}"


def _types(types: set[str]) -> str:
    return " + ".join(sorted(types)) or "nobody"


def _predecessor_areas(register: Register, icb: Area, start: date, end: date) -> list[Area]:
    if icb.in_force(start):
        return [icb]
    parents = {}
    for sub in register.children(icb.area_id, end):
        parent = register.parent(sub.area_id, start) if sub.in_force(start) else None
        if parent is not None:
            parents[parent.area_id] = parent
    return list(parents.values())


def _icb_related(register: Register, icb: Area, area: Area, start: date, end: date) -> bool:
    """Whether ``icb`` (in force on ``end``) is ``area`` or lies within or around it on
    ``end``; or, for an area gone by ``end``, took over from it (a predecessor area or a
    successor body)."""
    if area.in_force(end):
        around = {area.area_id, *(a.area_id for a in register.ancestors(area.area_id, end))}
        within = {a.area_id for a in register.ancestors(icb.area_id, end)}
        return icb.area_id in around or area.area_id in within
    then = {area.area_id}
    if area.in_force(start):
        then |= {a.area_id for a in register.ancestors(area.area_id, start)}
    predecessors = {p.area_id for p in _predecessor_areas(register, icb, start, end)}
    body = register.organisations.get(area.org_id or "")
    successors = body.successors if body else ()
    return bool(then & predecessors) or icb.org_id in successors


def _related_names(register: Register, area: Area, start: date, end: date) -> set[str]:
    names = {area.name}
    for day in (start, end):
        if area.in_force(day):
            names |= {a.name for a in register.descendants(area.area_id, day)}
    if area.org_id in register.organisations:
        org = register.organisations[area.org_id]
        names |= {org.name, *(register.organisations[s].name for s in org.successors)}
    return names


# -- the areas in force ------------------------------------------------------------------


AREA_SOURCES = {
    "registered_patients_2026_08": "NHS England, Patients Registered at a GP Practice, "
    "1 Aug 2026: areas in force then; an earlier ICB area gets the sum of its sub-ICB "
    "locations' counts where all of them are counted (the notes name the areas that are not)",
    "allocation_population_2025_26": "NHS England, ICB allocations 2025/26, practice "
    "populations summed to the 42 ICBs of the April 2023 geography, on the area in force on "
    "1 April 2025; ICBs created on 1 April 2026: divided among them by the 42-to-36 crosswalk",
}


@dataclass(frozen=True)
class AreaRow:
    area: Area
    parent: Area | None
    body: Organisation | None
    registered_patients: float | None = None
    allocation_population: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _population(register: Register, area: Area, measure: str) -> list[Population]:
    """An area's figures under any of its codes (ONS recoded two regions in 2024; the
    August 2026 figures use the new codes)."""
    return [
        p for code in (area.area_id, *area.other_codes) for p in register.population(code, measure)
    ]


def areas_on(register: Register, on: date, area_type: str | None = None) -> list[AreaRow]:
    rows = []
    for area in register.areas_on(on, area_type):
        body = register.organisations.get(area.org_id) if area.org_id else None
        patients = _population(register, area, "registered-patients")
        allocation = _population(register, area, "allocation-population-2025/26")
        rows.append(
            AreaRow(
                area=area,
                parent=register.parent(area.area_id, on),
                body=body,
                registered_patients=patients[0].value if patients else None,
                allocation_population=allocation[0].value if allocation else None,
                notes=area.gaps,
            )
        )
    return rows
