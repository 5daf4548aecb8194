"""The store's record of the populations a workspace holds, written through the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from icsatlas.store.audit import Change, record_change
from icsatlas.store.base import Store


def record(
    store: Store,
    name: str,
    path: str,
    manifest: dict[str, Any],
    *,
    reason: str,
    actor: str | None = None,
    source: str | None = None,
) -> Change:
    """Record (or replace) population ``name`` in the store, with an audit-log entry naming
    ``actor`` and ``source`` (default: the manifest's source); run it inside the caller's
    transaction. Returns the audit-log entry."""
    kind = str(manifest.get("kind", "synthetic"))
    change = record_change(
        store,
        kind=f"population.{'generate' if kind == 'synthetic' else 'import'}",
        reason=reason,
        source=source or str(manifest.get("source") or manifest.get("generator") or ""),
        actor=actor,
        detail={
            "name": name,
            "people": manifest.get("rows"),
            "seed": manifest.get("seed"),
            "fraction": manifest.get("fraction"),
            "extract_date": manifest.get("extract_date"),
            "sha256": manifest.get("sha256"),
        },
    )
    store.execute("DELETE FROM population_datasets WHERE name = ?", (name,))
    store.execute(
        "INSERT INTO population_datasets (name, kind, path, people, extract_date, seed, fraction,"
        " source, parameters, recorded_at, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            kind,
            path,
            int(manifest.get("rows", 0)),
            manifest["extract_date"],
            manifest.get("seed"),
            manifest.get("fraction"),
            manifest.get("source"),
            manifest.get("parameters"),
            datetime.now(UTC).replace(tzinfo=None),
            change.change_id,
        ),
    )
    return change


def forget(store: Store, name: str, *, reason: str) -> None:
    """Remove population ``name`` from the store's record, with an audit-log entry."""
    with store.transaction():
        record_change(store, kind="population.remove", reason=reason, detail={"name": name})
        store.execute("DELETE FROM population_datasets WHERE name = ?", (name,))


def recorded(store: Store) -> pd.DataFrame:
    return store.fetch_df(
        "SELECT name, kind, people, extract_date, seed, fraction, source, recorded_at, change_id"
        " FROM population_datasets ORDER BY name"
    )
