"""Versioned schema migrations, shared by every engine.

Each file ``migrations/NNNN_name.sql`` is portable SQL applied once, in its own
transaction, and recorded in ``schema_migrations``. Number ranges by package:
0001-0099 register and core, 0100-0199 contracts, 0200-0299 finance,
0300-0399 population.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from icsatlas.store import audit
from icsatlas.store.base import Store

CHAIN_MIGRATION = "change_log_chain"  # entries before it are sealed as it is applied
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]


def available() -> list[Migration]:
    """Every migration shipped with the package, in version order."""
    folder = resources.files("icsatlas.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text()))
    versions = [m.version for m in found]
    duplicated = {v for v in versions if versions.count(v) > 1}
    if duplicated:
        raise RuntimeError(f"duplicate migration versions: {sorted(duplicated)}")
    return sorted(found, key=lambda m: m.version)


def applied(store: Store) -> dict[int, str]:
    """Versions already applied to this store, with their checksums."""
    store.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " checksum TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    return dict(store.fetchall("SELECT version, checksum FROM schema_migrations"))


def migrate(store: Store) -> list[Migration]:
    """Apply every pending migration, once even when several processes start together
    (PostgreSQL: under an advisory lock); returns those applied now."""
    with _one_migrator(store):
        done = applied(store)
        pending = [m for m in available() if m.version not in done]
        for migration in pending:
            with store.transaction():
                store.execute(migration.sql)
                if migration.name == CHAIN_MIGRATION:
                    audit.seal(store)
                store.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                    " VALUES (?, ?, ?, ?)",
                    (migration.version, migration.name, migration.checksum, _now()),
                )
    return pending


@contextmanager
def _one_migrator(store: Store) -> Iterator[None]:
    if store.dialect != "postgresql":
        yield
        return
    store.execute("SELECT pg_advisory_lock(hashtext('icsatlas.migrate'))")
    try:
        yield
    finally:
        store.execute("SELECT pg_advisory_unlock(hashtext('icsatlas.migrate'))")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
