"""Import an OCDS file into the store: validate, keep every release, compile records
with ocdsmerge, and derive contracts, parties and amendments.

All in one transaction: a bad file (invalid JSON, a release without ``ocid``, a schema
error, mixed OCDS versions) raises with the file and position and leaves the store as it
was. Re-importing the same releases is a no-op; a release id reused with other content
is an error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pandas as pd
from ocdsmerge import Merger

from icsatlas.contracts import parties, removal
from icsatlas.contracts.ocds import reader, schema
from icsatlas.contracts.ocds.contracts import extract
from icsatlas.errors import InputError, InputErrors
from icsatlas.inputs.rows import Allow, Placing
from icsatlas.register.register import Register
from icsatlas.store import Store
from icsatlas.store.audit import record_change

BATCH = 500
ERROR_LIMIT = 20


@dataclass(frozen=True)
class Imported:
    """What one import did."""

    source: str
    format: str
    releases: int
    new_releases: int
    records: int
    contracts: int
    change_id: int


@cache
def merger() -> Merger:
    """ocdsmerge with merge rules from the shipped release schema (no network)."""
    return Merger(schema=schema.release_schema())


def import_file(
    store: Store,
    path: str | Path,
    *,
    register: Register | None = None,
    actor: str | None = None,
    progress: Callable[[int], None] | None = None,
    source_name: str | None = None,
    allow: Allow | None = None,
) -> Imported:
    """Import one OCDS file (JSON or JSON Lines: releases, records or packages).
    ``allow`` sees where each process touched is (its contracts' buyers' ICBs, before and
    after) before the transaction commits, and may refuse it all; ``source_name`` names
    where the file came from (its path)."""
    path = Path(path)
    named = source_name or str(path)
    source = reader.detect(path)
    register = register or parties.baseline_register()
    with store.transaction():
        change = record_change(
            store,
            kind="import",
            reason="import OCDS contracting data",
            source=named,
            actor=actor,
            detail={"format": source.format},
        )
        import_id = store.scalar("SELECT nextval('contract_import_seq')")
        checker = _Checker(store, path)
        batch, touched, total = [], set(), 0
        for item in reader.items(source):
            row = checker.check(item)
            total += 1
            if row is not None:
                batch.append(row)
            if len(batch) >= BATCH:
                touched |= _insert(store, checker.new_in(batch), import_id)
                batch = []
            if progress and total % 1000 == 0:
                progress(total)
        touched |= _insert(store, checker.new_in(batch), import_id)
        checker.finish(total)
        placings: list[Placing] = []
        contracts = _compile(store, sorted(touched), import_id, register, placings)
        if allow is not None:
            allow(placings)
        store.execute(
            "INSERT INTO contract_import (import_id, change_id, source, format, ocds_version,"
            " imported_at, items) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                import_id,
                change.change_id,
                named,
                source.format,
                checker.version,
                datetime.now(UTC).replace(tzinfo=None),
                total,
            ),
        )
    return Imported(
        named, source.format, total, checker.new, len(touched), contracts, change.change_id
    )


class _Checker:
    """Checks each release; collects errors so one run reports as many as it can."""

    def __init__(self, store: Store, path: Path) -> None:
        self.store, self.path = store, path
        self.errors: list[InputError] = []
        self.version: str | None = None
        self.seen: dict[tuple[str, str], str] = {}
        self.pending: list[reader.Item] = []
        self.new = 0
        stored = [v for (v,) in store.fetchall("SELECT DISTINCT ocds_version FROM ocds_release")]
        self.stored_version = stored[0] if stored else None

    def error(self, item: reader.Item, field: str, message: str) -> None:
        where = item.position + (f".{field}" if field else "")
        self.errors.append(InputError(message, file=self.path, row=item.line, field=where))
        if len(self.errors) >= ERROR_LIMIT:
            raise InputErrors(self.errors)

    def check(self, item: reader.Item) -> tuple | None:
        self._check_version(item)
        release = item.release
        if not isinstance(release, dict):
            self.error(item, "", "a release must be a JSON object")
            return None
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or not ocid.strip():
            self.error(item, "ocid", "release has no ocid")
            return None
        problems = schema.errors(schema.release_validator(), release)
        problems += sorted(schema.bad_numbers(release))[:5]
        for where, message in problems:
            self.error(item, where, message)
        if problems or "date" not in release or "id" not in release:
            return None
        body = json.dumps(release, sort_keys=True, separators=(",", ":"))
        key = (ocid, str(release["id"]))
        return self._check_duplicate(item, key, body, release)

    def _check_version(self, item: reader.Item) -> None:
        version = item.version
        if self.version is None:
            if version != schema.SUPPORTED:
                raise InputError(
                    f"OCDS {version} is not supported: only OCDS {schema.SUPPORTED} is imported; "
                    "upgrade the file first (ocdskit upgrade 1.0:1.1)",
                    file=self.path,
                    row=item.line,
                    field=item.position,
                )
            if self.stored_version and version != self.stored_version:
                raise InputError(
                    f"this file is OCDS {version} but the store holds OCDS {self.stored_version}",
                    file=self.path,
                )
            self.version = version
        elif version != self.version:
            raise InputError(
                f"mixes OCDS versions: this item is OCDS {version}, earlier items are "
                f"OCDS {self.version}; import one version at a time",
                file=self.path,
                row=item.line,
                field=item.position,
            )

    def _check_duplicate(self, item, key, body, release) -> tuple | None:
        digest = hashlib.sha256(body.encode()).hexdigest()
        if key in self.seen:
            if self.seen[key] != digest:
                self.error(item, "id", f"release {key[1]} of {key[0]} appears twice, differently")
            return None
        self.seen[key] = digest
        tags = ",".join(str(t) for t in release.get("tag") or [])
        self.pending.append(item)
        return (key[0], key[1], str(release["date"]), tags, self.version, body)

    def new_in(self, batch: list[tuple]) -> list[tuple]:
        """The releases of ``batch`` not yet in the store; one stored with other content
        under the same id is an error."""
        items, self.pending = self.pending, []
        ocids = sorted({row[0] for row in batch})
        stored = {}
        for chunk in _chunks(ocids):
            marks = ", ".join("?" * len(chunk))
            for ocid, release_id, body in self.store.fetchall(
                f"SELECT ocid, release_id, body FROM ocds_release WHERE ocid IN ({marks})",  # noqa: S608 - placeholders only: the values are bound
                chunk,
            ):
                stored[(ocid, release_id)] = body
        fresh = []
        for row, item in zip(batch, items, strict=True):
            before = stored.get((row[0], row[1]))
            if before is None:
                fresh.append(row)
            elif before != row[5]:
                message = f"release {row[1]} of {row[0]} was imported before with different content"
                self.error(item, "id", message)
        self.new += len(fresh)
        return fresh

    def finish(self, total: int) -> None:
        if total == 0:
            self.errors.append(InputError("no releases or records found", file=self.path))
        if self.errors:
            raise InputErrors(self.errors)


def _insert(store: Store, batch: list[tuple], import_id: int) -> set[str]:
    """Store new releases; returns their ocids."""
    columns = ["ocid", "release_id", "release_date", "tags", "ocds_version", "body"]
    if batch:
        frame = pd.DataFrame(batch, columns=columns).assign(import_id=import_id)
        store.insert_df("ocds_release", frame)
    return {row[0] for row in batch}


def _chunks(values: list, size: int = BATCH) -> list[list]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _compile(
    store: Store, ocids: list[str], import_id: int, register: Register, placings: list[Placing]
) -> int:
    """Merge every release of each touched ocid into a compiled release and re-derive its
    contracts (except those removed), parties and amendments, a chunk of processes at a
    time; adds to ``placings`` where each process's contracts were and are."""
    listed = parties.listed(store)
    gone = removal.removed(store)
    count = 0
    for chunk in _chunks(ocids):
        marks = ", ".join("?" * len(chunk))
        rows = store.fetchall(
            "SELECT ocid, body, ocds_version FROM ocds_release"  # noqa: S608 - placeholders only: the values are bound
            f" WHERE ocid IN ({marks}) ORDER BY ocid, release_date",
            chunk,
        )
        by_ocid: dict[str, list] = {}
        for ocid, body, version in rows:
            by_ocid.setdefault(ocid, []).append((json.loads(body), version))
        records, contracts, party_rows, amendments = [], [], [], []
        for ocid, found in by_ocid.items():
            releases = [r for r, _ in found]
            compiled = merger().create_compiled_release(releases)
            compiled["ocid"] = ocid
            records.append((ocid, found[0][1], json.dumps(compiled), import_id))
            rows_c, rows_p, rows_a = extract(compiled, releases, listed, register)
            contracts += [row for row in rows_c if row["contract_key"] not in gone]
            party_rows += rows_p
            amendments += [row for row in rows_a if row["contract_key"] not in gone]
        placings += _placed(store, chunk, marks, contracts)
        _replace(store, chunk, marks, records, contracts, party_rows, amendments, import_id)
        count += len(contracts)
    return count


def _placed(store: Store, chunk: list[str], marks: str, contracts: list[dict]) -> list[Placing]:
    """Each process's contracts' buyers' ICBs as stored and as compiled now (a process
    with no contract is not placed)."""
    before = store.fetchall(
        f"SELECT ocid, icb_ods_code FROM contract WHERE ocid IN ({marks})",  # noqa: S608 - placeholders only; values bound
        chunk,
    )
    after = [(c["ocid"], c["icb_ods_code"]) for c in contracts]
    placed = [Placing(ocid, (icb,) if icb else (), "buyer") for ocid, icb in [*before, *after]]
    unplaced = sorted(set(chunk) - {ocid for ocid, _ in after})
    return placed + [Placing(ocid, (), "buyer") for ocid in unplaced]


def _replace(store, chunk, marks, records, contracts, party_rows, amendments, import_id):
    """Swap a chunk of processes' derived rows for the new ones, in bulk."""
    store.execute(
        "DELETE FROM contract_amendment WHERE contract_key IN"  # noqa: S608 - placeholders only: the values are bound
        f" (SELECT contract_key FROM contract WHERE ocid IN ({marks}))",
        chunk,
    )
    for table in ("ocds_record", "contract", "contract_party"):
        store.execute(f"DELETE FROM {table} WHERE ocid IN ({marks})", chunk)  # noqa: S608 - placeholders only: the values are bound
    columns = ["ocid", "ocds_version", "compiled", "import_id"]
    store.insert_df("ocds_record", pd.DataFrame(records, columns=columns))
    if contracts:
        frame = pd.DataFrame(contracts).assign(source="ocds", import_id=import_id)
        store.insert_df("contract", frame)
    if party_rows:
        store.insert_df("contract_party", pd.DataFrame(party_rows))
    if amendments:
        store.insert_df("contract_amendment", pd.DataFrame(amendments))
