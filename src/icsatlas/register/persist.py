"""Saving the register to the store and loading it back, at any recorded point in time.

A save writes the difference between two registers as one change in the audit log:
new versions are inserted, superseded ones get ``retracted_in``. Loading with
``as_of_change`` rebuilds the register exactly as it stood after that change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from icsatlas.errors import NotFoundError
from icsatlas.register.model import RECORD_TYPES, Changeset, Record
from icsatlas.register.register import Register
from icsatlas.store import Store
from icsatlas.store.audit import Change, record_change

if TYPE_CHECKING:
    import pandas as pd


# Raised whenever the shipped records change in a way a built register must pick up: 2 added
# councils of both tiers, places, practice postcodes and populations; 3 statute sources for
# the 2022 assignments and the Blueprint's disputed destinations; 4 the named trusts, councils
# and health and wellbeing boards of each 2026 ICB; 5 the functions of NHS England and its
# regions (oversight, improvement, regional leadership, provider licence).
BUILD_VERSION = 5


@dataclass(frozen=True)
class Saved:
    """What a save wrote: the change, and how many versions it added and retracted."""

    change: Change
    added: int
    retracted: int


def difference(before: Register, after: Register) -> Changeset:
    """The records to retract from ``before`` and add to reach ``after``."""
    changes = Changeset()
    for record_type in RECORD_TYPES:
        old, new = before.records[record_type.kind], after.records[record_type.kind]
        for key, record in old.items():
            if new.get(key) != record:
                changes.retracted.append(record)
        for key, record in new.items():
            if old.get(key) != record:
                changes.added.append(record)
    return changes


def save(
    store: Store,
    before: Register,
    after: Register,
    *,
    kind: str,
    reason: str,
    source: str | None = None,
    actor: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Saved:
    """Write ``after`` over ``before`` as one audited change, all or nothing."""
    changes = difference(before, after)
    with store.transaction():
        change = record_change(
            store, kind=kind, reason=reason, source=source, actor=actor, detail=detail
        )
        for record_type in RECORD_TYPES:
            table = f"register_{record_type.kind}"
            gone = [r.key for r in changes.retracted if r.kind == record_type.kind]
            _retract(store, table, gone, change.change_id)
            new = [r for r in changes.added if r.kind == record_type.kind]
            store.insert_df(table, _frame(new, record_type, change.change_id))
    return Saved(change, len(changes.added), len(changes.retracted))


def _retract(store: Store, table: str, keys: list[str], change_id: int) -> None:
    if not keys:
        return
    store.execute("CREATE TEMPORARY TABLE IF NOT EXISTS retracting (rkey TEXT)")
    store.execute("DELETE FROM retracting")
    import pandas as pd

    store.insert_df("retracting", pd.DataFrame({"rkey": keys}))
    store.execute(
        f"UPDATE {table} SET retracted_in = ? WHERE retracted_in IS NULL"  # noqa: S608 - table and column names from the record types
        " AND rkey IN (SELECT rkey FROM retracting)",
        (change_id,),
    )


def _frame(records: list[Record], record_type: type[Record], change_id: int) -> pd.DataFrame:
    import pandas as pd

    columns = ["rkey", *(f.name for f in fields(record_type)), "recorded_in"]
    rows = [{"rkey": r.key, **r.to_row(), "recorded_in": change_id} for r in records]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(object).where(frame.notna(), None)


def load(store: Store, as_of_change: int | None = None) -> Register:
    """The register as currently recorded, or as it stood after change ``as_of_change``."""
    if as_of_change is None:
        params: tuple[int, ...] = ()
        condition = "retracted_in IS NULL"
    else:
        _require_change(store, as_of_change)
        condition = "recorded_in <= ? AND (retracted_in IS NULL OR retracted_in > ?)"
        params = (as_of_change, as_of_change)
    records: dict[str, dict[str, Record]] = {}
    for record_type in RECORD_TYPES:
        names = [f.name for f in fields(record_type)]
        rows = store.fetchall(
            f"SELECT {', '.join(names)} FROM register_{record_type.kind} WHERE {condition}",  # noqa: S608 - table and column names from the record types
            params,
        )
        built = (record_type.from_row(dict(zip(names, row, strict=True))) for row in rows)
        records[record_type.kind] = {r.key: r for r in built}
    if not records["function"]:
        raise NotFoundError("the register is empty: run `icsatlas build` first")
    return Register(records=records, reforms=_applied_reforms(store, as_of_change))


def _require_change(store: Store, change_id: int) -> None:
    """``--as-of-change`` names an entry that is in the audit log (not one deleted from it)."""
    if store.scalar("SELECT count(*) FROM change_log WHERE change_id = ?", (change_id,)):
        return
    latest = latest_change(store)
    raise NotFoundError(
        f"there is no change {change_id} in the audit log (changes run up to {latest}); "
        "`icsatlas log` lists them and `icsatlas log verify` checks none was removed"
    )


def _applied_reforms(store: Store, as_of_change: int | None) -> tuple[str, ...]:
    """The reforms applied since the last (re)build, up to ``as_of_change``."""
    rows = store.fetchall(
        "SELECT change_id, kind, detail FROM change_log WHERE kind = 'reform'"
        " OR detail LIKE '%build_version%' ORDER BY change_id"
    )
    applied: list[str] = []
    for change_id, kind, detail in rows:
        if as_of_change is not None and change_id > as_of_change:
            break
        if kind == "reform":
            applied.append(json.loads(detail)["reform"])
        else:
            applied.clear()
    return tuple(applied)


def latest_change(store: Store) -> int:
    """The latest audit-log change that added or retracted a register record (a contracts or
    population import leaves the register, and so its snapshot, as it was)."""
    columns = [
        f"SELECT max({column}) AS change_id FROM register_{t.kind}"  # noqa: S608 - table and column names from the record types
        for t in RECORD_TYPES
        for column in ("recorded_in", "retracted_in")
    ]
    found = store.scalar(f"SELECT max(change_id) FROM ({' UNION ALL '.join(columns)}) AS c")  # noqa: S608 - table and column names from the record types
    return int(found or 0)


def is_built(store: Store) -> bool:
    return bool(store.scalar("SELECT count(*) FROM register_function WHERE retracted_in IS NULL"))
