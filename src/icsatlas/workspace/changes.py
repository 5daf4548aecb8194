"""What changed in the register since a date: ``ws.register.changes("2026-01-01")``.

Read from the audit log (who, when, why, on what source) and the dated register (the records
each change added and retracted), never from a hand-kept list. Filtered by area or function,
only the changes that added or retracted a record about it are listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from icsatlas.register.model import RECORD_TYPES
from icsatlas.results import Result, Table

if TYPE_CHECKING:
    from icsatlas.store import Store
    from icsatlas.store.audit import Change
    from icsatlas.workspace import Workspace

COLUMNS = ("change", "recorded_at", "actor", "kind", "reason", "source", "records")
# Changes to sign-in accounts and email subscriptions are in the audit log but are not the
# register's (nor public).
PRIVATE_KINDS = frozenset({"accounts", "subscriptions"})
# The columns of each register table that name an area or body, and a function.
AREA_COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("org_id",),
    "area": ("area_id", "org_id"),
    "area_link": ("child_id", "parent_id"),
    "assignment": ("area_id", "holder_id"),
    "relationship": ("subject_id", "object_id"),
    "population": ("area_id",),
    "board_member": ("board_id",),
}
FUNCTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "function": ("function_id",),
    "assignment": ("function_id",),
    "flag": ("function_id",),
}


@dataclass(frozen=True)
class Filter:
    """Which records count: those naming one of ``ids`` in the given columns (all if None)."""

    columns: dict[str, tuple[str, ...]] | None = None
    ids: tuple[str, ...] = ()


def listing(
    ws: Workspace, since: date, area: str | None = None, function: str | None = None
) -> Result:
    """The changes recorded on or after ``since``, newest first, each with what it did to the
    register (records added and retracted, by kind)."""
    chosen, about = _filter(ws, area, function)
    rows = _rows(ws.store, _since(ws.store, since), chosen)
    title = f"Changes to the register since {since}{about} (newest first)"
    notes = ["from the audit log and the records each change added or retracted"]
    return Result(Table.from_records(rows, COLUMNS), ws.provenance(), title, notes)


def concerning(
    ws: Workspace, entries: Sequence[Change], area: str | None = None, function: str | None = None
) -> list[dict[str, Any]]:
    """The rows (newest first, as :func:`listing`'s) of those ``entries`` that added or
    retracted a record about the area or function: the one rule for what concerns a topic,
    used by the feeds, ``icsatlas changes`` and email subscriptions."""
    if not entries:
        return []
    return _rows(ws.store, entries, _filter(ws, area, function)[0])


def public_after(store: Store, change_id: int) -> list[Change]:
    """The public changes (not :data:`PRIVATE_KINDS`) recorded after change ``change_id``."""
    return [c for c in _public(store) if c.change_id > change_id]


def _rows(store: Store, entries: Sequence[Change], chosen: Filter) -> list[dict[str, Any]]:
    counts = _records(store, min((c.change_id for c in entries), default=0), chosen)
    return [
        _row(c, counts.get(c.change_id, Counter()))
        for c in reversed(entries)
        if chosen.columns is None or c.change_id in counts
    ]


def _since(store: Store, since: date) -> list[Change]:
    start = datetime.combine(since, datetime.min.time())
    return [c for c in _public(store) if c.recorded_at >= start]


def _public(store: Store) -> list[Change]:
    from icsatlas.store.audit import changes

    return [c for c in changes(store) if c.kind not in PRIVATE_KINDS]


def _filter(ws: Workspace, area: str | None, function: str | None) -> tuple[Filter, str]:
    """The records an area or function names (its areas and bodies, or its id)."""
    if function is not None:
        chosen = ws.data.function(function)
        return Filter(FUNCTION_COLUMNS, (chosen.function_id,)), f" for {chosen.label}"
    if area is not None:
        found = ws.resolve(area)
        bodies = {found.code} | {c.area.org_id for c in found.covers if c.area.org_id}
        areas = {c.area.area_id for c in found.covers} | {
            a.area_id for a in ws.data.areas.values() if a.org_id in bodies
        }
        return Filter(AREA_COLUMNS, tuple(sorted(bodies | areas))), f" in {found.name}"
    return Filter(), ""


def _records(store: Store, first: int, chosen: Filter) -> dict[int, Counter[str]]:
    """For each change from ``first``: how many records of each kind it added and retracted
    (only those the filter chooses)."""
    found: dict[int, Counter[str]] = {}
    for record_type in RECORD_TYPES:
        kind = record_type.kind
        condition, params = _condition(kind, chosen)
        if condition is None:
            continue
        for column, verb in (("recorded_in", "added"), ("retracted_in", "retracted")):
            rows = store.fetchall(
                f"SELECT {column}, count(*) FROM register_{kind}"  # noqa: S608 - table names from RECORD_TYPES, values bound
                f" WHERE {column} >= ?{condition} GROUP BY {column}",
                (first, *params),
            )
            for change_id, count in rows:
                found.setdefault(int(change_id), Counter())[f"{kind} {verb}"] += int(count)
    return found


def _condition(kind: str, chosen: Filter) -> tuple[str | None, tuple[str, ...]]:
    """The SQL choosing a table's records, or None when the filter leaves the table out."""
    if chosen.columns is None:
        return "", ()
    columns = chosen.columns.get(kind)
    if not columns or not chosen.ids:
        return None, ()
    marks = ", ".join("?" for _ in chosen.ids)
    terms = " OR ".join(f"{column} IN ({marks})" for column in columns)
    return f" AND ({terms})", tuple(chosen.ids) * len(columns)


def _row(change: Change, counts: Counter[str]) -> dict[str, Any]:
    return {
        "change": change.change_id,
        "recorded_at": change.recorded_at,
        "actor": change.actor,
        "kind": change.kind,
        "reason": change.reason,
        "source": change.source,
        "records": "; ".join(f"{n} {what}" for what, n in sorted(counts.items())) or None,
    }
