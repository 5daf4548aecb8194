"""Appending to the audit log: every write to the store is one change with a reason.

The log is a hash chain: each entry's ``entry_hash`` is the SHA-256 of its own fields and the
previous entry's hash, so :func:`verify` finds an entry edited, deleted or reordered after
the fact. Deleting the newest entries leaves a shorter chain that is still whole; to detect
that, keep the head :func:`verify` reports (or publish it) and check it is still there.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from icsatlas.store.base import Store


@dataclass(frozen=True)
class Change:
    """One entry of the audit log."""

    change_id: int
    recorded_at: datetime
    actor: str
    kind: str
    reason: str
    source: str | None = None
    detail: dict[str, Any] | None = None
    prev_hash: str | None = None
    entry_hash: str | None = None


def default_actor() -> str:
    """``$ICSATLAS_ACTOR``, else the login name."""
    return os.environ.get("ICSATLAS_ACTOR") or getpass.getuser()


def record_change(
    store: Store,
    *,
    kind: str,
    reason: str,
    source: str | None = None,
    actor: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Change:
    """Append a change (inside the caller's transaction), chained to the latest entry, and
    return it with its id."""
    _lock_log(store)
    change_id = int(store.scalar("SELECT nextval('change_log_seq')"))
    prev_hash = store.scalar(
        "SELECT entry_hash FROM change_log"
        " WHERE change_id = (SELECT max(change_id) FROM change_log)"
    )
    text = json.dumps(detail, default=str) if detail is not None else None
    fields = (
        change_id,
        datetime.now(UTC).replace(tzinfo=None),
        actor or default_actor(),
        kind,
        reason,
        source,
        text,
    )
    entry_hash = _digest(fields, prev_hash)
    store.execute(
        "INSERT INTO change_log (change_id, recorded_at, actor, kind, reason, source, detail,"
        " prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*fields, prev_hash, entry_hash),
    )
    change_id, when, who, kind, reason, source, _ = fields
    return Change(change_id, when, who, kind, reason, source, detail, prev_hash, entry_hash)


LOG_LOCK = "hashtext('icsatlas.change_log')"  # PostgreSQL: held by a transaction writing it


def _lock_log(store: Store) -> None:
    """One writer at a time appends (PostgreSQL; a DuckDB file has one writer already), so two
    changes never both follow the same entry."""
    if store.dialect == "postgresql":
        store.execute(f"SELECT pg_advisory_xact_lock({LOG_LOCK})")


def _digest(fields: tuple[Any, ...], prev_hash: str | None) -> str:
    """SHA-256 of an entry's fields (id, time, actor, kind, reason, source, detail as
    stored) and the previous entry's hash."""
    change_id, recorded_at, *rest = fields
    text = json.dumps([change_id, recorded_at.isoformat(), *rest, prev_hash])
    return hashlib.sha256(text.encode()).hexdigest()


def changes(store: Store) -> list[Change]:
    """The whole audit log, oldest first."""
    return [_change(row) for row in _entries(store)]


def _change(row: tuple[Any, ...]) -> Change:
    change_id, when, who, kind, reason, source, detail, prev_hash, entry_hash = row
    parsed = json.loads(detail) if detail else None
    return Change(int(change_id), when, who, kind, reason, source, parsed, prev_hash, entry_hash)


def _entries(store: Store) -> list[tuple[Any, ...]]:
    return store.fetchall(
        "SELECT change_id, recorded_at, actor, kind, reason, source, detail, prev_hash,"
        " entry_hash FROM change_log ORDER BY change_id"
    )


@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found: the entries checked, the head, and every break."""

    entries: int
    head: tuple[int, str] | None
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(store: Store, expect: str | None = None) -> Verification:
    """Recompute the chain: every entry's hash from its fields, and every link to the entry
    before. ``expect`` is a head noted earlier: it must still be in the chain (else entries
    were removed from the end)."""
    problems: list[str] = []
    previous: tuple[int, str | None] | None = None
    seen: set[str] = set()
    rows = _entries(store)
    for row in rows:
        change_id, stored_prev, stored_hash = int(row[0]), row[7], row[8]
        if stored_hash is None:
            problems.append(f"change {change_id}: not sealed (no hash): inserted outside icsatlas")
        elif _digest(tuple(row[:7]), stored_prev) != stored_hash:
            problems.append(f"change {change_id}: its fields do not match its hash: edited")
        if previous is None and stored_prev is not None:
            problems.append(f"change {change_id}: follows an entry no longer in the log: deleted")
        if previous is not None and stored_prev != previous[1]:
            problems.append(
                f"change {change_id}: does not follow change {previous[0]}: an entry between "
                "them was deleted, or the log was reordered"
            )
        previous = (change_id, stored_hash)
        seen.add(stored_hash or "")
    if expect and expect not in seen:
        problems.append(f"the head {expect[:12]}… noted earlier is not in the log: entries removed")
    head = (previous[0], previous[1] or "") if previous else None
    return Verification(len(rows), head, tuple(problems))


def seal(store: Store) -> int:
    """Chain entries recorded before the log was a chain, in order (run once, by the
    migration that added the hashes). Returns how many were sealed."""
    prev_hash: str | None = None
    rows = _entries(store)
    for row in rows:
        entry_hash = _digest(tuple(row[:7]), prev_hash)
        store.execute(
            "UPDATE change_log SET prev_hash = ?, entry_hash = ? WHERE change_id = ?",
            (prev_hash, entry_hash, row[0]),
        )
        prev_hash = entry_hash
    return len(rows)
