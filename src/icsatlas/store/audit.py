"""Appending to the audit log: every write to the store is one change with a reason."""

from __future__ import annotations

import getpass
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
    """Append a change (inside the caller's transaction) and return it with its id."""
    change_id = store.scalar("SELECT nextval('change_log_seq')")
    change = Change(
        change_id=int(change_id),
        recorded_at=datetime.now(UTC).replace(tzinfo=None),
        actor=actor or default_actor(),
        kind=kind,
        reason=reason,
        source=source,
        detail=detail,
    )
    store.execute(
        "INSERT INTO change_log (change_id, recorded_at, actor, kind, reason, source, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            change.change_id,
            change.recorded_at,
            change.actor,
            change.kind,
            change.reason,
            change.source,
            json.dumps(detail, default=str) if detail is not None else None,
        ),
    )
    return change


def changes(store: Store) -> list[Change]:
    """The whole audit log, oldest first."""
    rows = store.fetchall(
        "SELECT change_id, recorded_at, actor, kind, reason, source, detail"
        " FROM change_log ORDER BY change_id"
    )
    return [
        Change(int(r[0]), r[1], r[2], r[3], r[4], r[5], json.loads(r[6]) if r[6] else None)
        for r in rows
    ]
