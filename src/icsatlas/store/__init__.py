"""One store layer for every engine: DuckDB by default, PostgreSQL for the server."""

from __future__ import annotations

from icsatlas import config
from icsatlas.store.base import Store
from icsatlas.store.migrate import migrate

__all__ = ["Store", "connect", "migrate"]


def connect(
    url: str | None = None,
    *,
    schema: str | None = None,
    upgrade: bool = True,
    read_only: bool = False,
) -> Store:
    """Open the store at ``url`` (default: the workspace's) and bring its schema up to date.

    ``duckdb:///path.duckdb`` or ``duckdb:///:memory:`` for DuckDB, ``postgresql://...``
    for PostgreSQL (``schema`` then selects a PostgreSQL schema). ``read_only`` opens a
    DuckDB file so that several processes (a web server's workers) can read it at once; it
    is not upgraded.
    """
    url = url or config.database_url()
    store = _open(url, schema, read_only)
    if upgrade and not read_only:
        migrate(store)
    return store


def _open(url: str, schema: str | None, read_only: bool = False) -> Store:
    if url.startswith(("postgresql://", "postgres://")):
        from icsatlas.store.postgres_store import PostgresStore

        return PostgresStore(url, schema=schema)
    if url.startswith("duckdb://"):
        from icsatlas.store.duckdb_store import DuckDBStore

        path = url.removeprefix("duckdb://").removeprefix("/") or ":memory:"
        return DuckDBStore(path if path == ":memory:" else "/" + path.lstrip("/"), read_only)
    if url.endswith(".duckdb") or url == ":memory:":
        from icsatlas.store.duckdb_store import DuckDBStore

        return DuckDBStore(url, read_only)
    raise ValueError(
        f"unsupported database URL {url!r}: use duckdb:///PATH or postgresql://USER@HOST/DB"
    )
