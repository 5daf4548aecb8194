"""Removing contracts from the register: one change in the audit log, all or nothing.

The audit log keeps each removed contract as it was (its row, in the change's detail),
with who removed it, when and why. An OCDS contract stays removed when later releases of
its process are imported (its releases are kept as evidence); a CSV contract comes back
only if a CSV that lists it is imported again.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from icsatlas.errors import InputError, NotFoundError
from icsatlas.inputs.rows import Allow, Placing
from icsatlas.store import Store
from icsatlas.store.audit import record_change


@dataclass(frozen=True)
class Removed:
    """What one removal did."""

    keys: tuple[str, ...]
    change_id: int
    kpi_series: int  # KPI series that still name a removed contract (kept)


def remove(
    store: Store,
    keys: Sequence[str],
    reason: str,
    actor: str | None = None,
    *,
    source: str | None = None,
    allow: Allow | None = None,
) -> Removed:
    """Remove contracts by ``contract_key``; if any is unknown, none is removed. ``allow``
    sees where each contract is (its buyer's ICB) before anything is written."""
    if not reason or not reason.strip():
        raise InputError("say why the contracts are removed", field="reason")
    keys = tuple(dict.fromkeys(keys))
    if not keys:
        raise InputError("name at least one contract to remove", field="contract_key")
    with store.transaction():
        rows = [_contract(store, key) for key in keys]
        if allow is not None:
            allow([_placing(number, row) for number, row in enumerate(rows, start=1)])
        change = record_change(
            store,
            kind="remove",
            reason=reason.strip(),
            source=source,
            actor=actor,
            detail={"contracts": rows},
        )
        for row in rows:
            key = row["contract_key"]
            store.execute("DELETE FROM contract_amendment WHERE contract_key = ?", (key,))
            store.execute("DELETE FROM contract WHERE contract_key = ?", (key,))
            store.execute(
                "INSERT INTO contract_removal (contract_key, ocid, change_id) VALUES (?, ?, ?)",
                (key, row["ocid"], change.change_id),
            )
    marks = ", ".join("?" * len(keys))
    linked = store.scalar(f"SELECT count(*) FROM kpi_series WHERE contract_key IN ({marks})", keys)  # noqa: S608 - placeholders only: the values are bound
    return Removed(keys, change.change_id, int(linked))


def _placing(number: int, row: dict) -> Placing:
    icb = row["icb_ods_code"]
    return Placing(number, (icb,) if icb else (), "contract_key")


def removed(store: Store) -> set[str]:
    """Keys of every contract ever removed (an OCDS import does not bring them back)."""
    return {key for (key,) in store.fetchall("SELECT contract_key FROM contract_removal")}


def _contract(store: Store, key: str) -> dict:
    found = store.fetch_dicts("SELECT * FROM contract WHERE contract_key = ?", (key,))
    if found:
        return {column: _plain(value) for column, value in found[0].items()}
    change = store.scalar(
        "SELECT max(change_id) FROM contract_removal WHERE contract_key = ?", (key,)
    )
    if change is not None:
        raise NotFoundError(f"contract {key!r} was already removed (change {change})")
    raise NotFoundError(f"no contract {key!r}{_suggestion(store, key)}")


def _plain(value: Any) -> Any:
    """A cell as JSON can keep it: no NaN, dates as dates."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _suggestion(store: Store, key: str) -> str:
    """The key of a contract whose id is ``key``, or the nearest key."""
    keys = [k for (k,) in store.fetchall("SELECT contract_key FROM contract")]
    by_id = [k for k in keys if k.rpartition("/")[2] == key or k == f"csv:{key}"]
    close = by_id or difflib.get_close_matches(key, keys, n=1)
    return f" (did you mean {close[0]!r}?)" if close else " (see `icsatlas contracts list`)"
