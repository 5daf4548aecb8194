"""Who holds each function here: on the date as recorded, with the Model ICB Blueprint
applied, and under a chosen reform; then how accountable each of those holders is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from icsatlas.register.accountability import CRITERIA
from icsatlas.results import Result, Table
from icsatlas.workspace.report import memo

if TYPE_CHECKING:
    from datetime import date

    from icsatlas.geography import Resolution
    from icsatlas.register.model import Function
    from icsatlas.register.queries import Holding
    from icsatlas.workspace import Workspace

BLUEPRINT = "blueprint-2025"
SHOWN_CRITERIA = ("meets_in_public", "publishes_papers", "subject_to_foi", "elected_members")
MANY_BODIES = 25  # bodies named one by one; past that (England, a region), counted by type


@dataclass(frozen=True)
class Row:
    """One function for one covering area under each register compared."""

    cover: str
    function: Function
    holdings: dict[str, list[Holding]]  # scenario -> holders


@dataclass(frozen=True)
class Holdings:
    """The registers compared (scenario -> label) and every function's holders in each."""

    scenarios: dict[str, str]
    reforms: tuple[str, ...]  # the what-ifs applied, for the provenance
    rows: list[Row]
    several: bool  # more than one NHS area covers what was named
    notes: tuple[str, ...]
    by_type: bool = False  # so many bodies that they are counted by type, not named


def holdings(ws: Workspace, found: Resolution, on: date, reform: str | None) -> Holdings:
    """Every function's holders for each area covering ``found``: as recorded (``now``),
    with the Blueprint (unless the register already has it) and under ``reform``."""
    registers = {"now": ws}
    scenarios = {"now": f"on {on}"}
    reforms: dict[str, str] = {}
    notes = []
    if BLUEPRINT in (*ws.data.reforms, *ws.reforms):
        notes.append("the register already includes the Blueprint: 'now' is after it")
    else:
        notes.append(
            "the register as recorded does not include the Blueprint: 'holder' is before it"
        )
        registers["blueprint"] = memo.with_reform(ws, BLUEPRINT)
        scenarios["blueprint"] = "with the Blueprint"
        reforms["blueprint"] = BLUEPRINT
    if reform and reform != BLUEPRINT:
        registers["reform"] = memo.with_reform(ws, reform)
        scenarios["reform"] = f"under {reform}"
        reforms["reform"] = reform
    functions = sorted(ws.data.functions.values(), key=lambda f: (f.category, f.label))
    rows = [
        Row(
            cover.label,
            function,
            {
                key: other.register.overview_holdings(function.function_id, cover.area, on)
                for key, other in registers.items()
            },
        )
        for cover in found.covers
        for function in functions
    ]
    bodies = {h.holder.org_id for r in rows for held in r.holdings.values() for h in held}
    by_type = len(bodies) > MANY_BODIES
    if by_type:
        notes.append(
            f"more than {MANY_BODIES} bodies hold functions here: each is counted by its type "
            "('36 x Integrated care board'), whose accountability profile it has"
        )
    several = len(found.covers) > 1
    return Holdings(scenarios, tuple(reforms.values()), rows, several, tuple(notes), by_type)


def section(ws: Workspace, found: Resolution, held: Holdings) -> Result:
    """One row per function: its holder now and in each other scenario."""
    records = []
    for row in held.rows:
        now = row.holdings["now"]
        record: dict[str, Any] = {
            "for": row.cover,
            "function": row.function.label,
            "category": row.function.category,
            "holder": _names(now, held.by_type),
            "holder_type": _joined([h.holder.org_type for h in now]),
            "accountability": _joined([h.profile.score if h.profile else None for h in now]),
            "certainty": _joined([h.assignment.certainty for h in now]),
        }
        for key in held.scenarios:
            if key != "now":
                record[f"holder_{_suffix(key)}"] = _names(row.holdings[key], held.by_type)
        records.append(record)
    columns = ["function", "category", "holder", "holder_type", "accountability", "certainty"]
    columns += [f"holder_{_suffix(k)}" for k in held.scenarios if k != "now"]
    if held.several:
        columns.insert(0, "for")
    compared = ", ".join(held.scenarios.values())
    title = f"Who holds each function in {found.name}: {compared}"
    notes = [
        *held.notes,
        "accountability: the holder's score over 8 statutory criteria (yes=1, partial=0.5, "
        "no=0, x 100); see the accountability table",
        *_caveats(held),
    ]
    if "reform" in held.scenarios:
        notes.append(f"holder_under_reform: {held.scenarios['reform']}")
    provenance = ws.with_reforms(*held.reforms).provenance()
    return Result(Table.from_records(records, columns), provenance, title, notes)


def accountability_section(ws: Workspace, found: Resolution, held: Holdings) -> Result:
    """Each body holding a function here in any scenario, and its statutory accountability."""
    bodies: dict[str, dict[str, Any]] = {}
    for row in held.rows:
        for key, found_holdings in row.holdings.items():
            for holding in found_holdings:
                entry = bodies.setdefault(holding.holder.org_id, _body(holding))
                entry["functions"].setdefault(key, set()).add(row.function.function_id)
    if held.by_type:
        bodies = _by_type(bodies)
    records = []
    for entry in sorted(
        bodies.values(), key=lambda e: (-len(e["functions"].get("now", ())), e["holder"])
    ):
        counts = entry.pop("functions")
        entry |= {f"functions_{_suffix(k)}": len(counts.get(k, ())) for k in held.scenarios}
        records.append(entry)
    columns = (
        "holder",
        "holder_type",
        *(f"functions_{_suffix(k)}" for k in held.scenarios),
        "score",
        "public_body",
        *SHOWN_CRITERIA,
    )
    notes = (
        "from the accountability profile of each type of body (icsatlas accountability): "
        "public_body, meets_in_public, publishes_papers, subject_to_foi, elected_members are "
        "yes / partial / no in law or statutory guidance",
        "score = mean over the 8 criteria of yes=1, partial=0.5, no=0, x 100",
        *(
            (
                f"more than {MANY_BODIES} bodies hold functions here: one row per type of body "
                "(its profile is the type's), 'holder' counting the bodies, 'functions_*' the "
                "functions any of them holds",
            )
            if held.by_type
            else ()
        ),
    )
    title = f"Accountability of the bodies holding functions in {found.name}"
    provenance = ws.with_reforms(*held.reforms).provenance()
    return Result(Table.from_records(records, columns), provenance, title, notes)


def _by_type(bodies: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The bodies merged by type: the profile is the type's, so nothing is lost but names."""
    merged: dict[str, dict[str, Any]] = {}
    counted: dict[str, int] = {}
    for entry in bodies.values():
        kind = entry["holder_type"]
        counted[kind] = counted.get(kind, 0) + 1
        into = merged.setdefault(kind, {**entry, "functions": {}})
        for scenario, functions in entry["functions"].items():
            into["functions"].setdefault(scenario, set()).update(functions)
    for kind, entry in merged.items():
        entry["holder"] = f"{counted[kind]} x {entry['label']}"
    return merged


def _body(holding: Holding) -> dict[str, Any]:
    profile = holding.profile
    answers = {c: profile.answer(c).value if profile else None for c in CRITERIA}
    return {
        "holder": holding.holder.name,
        "holder_type": holding.holder.org_type,
        "label": _kind(holding),
        "score": profile.score if profile else None,
        "public_body": answers["public_body"],
        **{c: answers[c] for c in SHOWN_CRITERIA},
        "functions": {},
    }


def _suffix(scenario: str) -> str:
    return {"now": "now", "blueprint": "with_blueprint", "reform": "under_reform"}[scenario]


def _names(found: list[Holding], by_type: bool) -> str:
    """The holders by name, or (``by_type``: England, a region) counted by type, as the
    accountability table names them: '36 x Integrated care board'."""
    if not found:
        return "nobody (a gap)"
    if not by_type:
        return "; ".join(dict.fromkeys(h.holder.name for h in found))
    kinds: dict[str, set[str]] = {}
    for holding in found:
        kinds.setdefault(_kind(holding), set()).add(holding.holder.org_id)
    return "; ".join(f"{len(bodies)} x {kind}" for kind, bodies in kinds.items())


def _kind(holding: Holding) -> str:
    return holding.profile.label if holding.profile else holding.holder.org_type


def _joined(values: list[Any]) -> Any:
    unique = list(dict.fromkeys(v for v in values if v is not None))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else "; ".join(map(str, unique))


def _caveats(held: Holdings) -> list[str]:
    notes = []
    for row in held.rows:
        for holding in row.holdings["now"]:
            notes += [f"{row.function.label}: {c}" for c in holding.caveats()]
    return list(dict.fromkeys(notes))
