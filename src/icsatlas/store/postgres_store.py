"""The server store: PostgreSQL through psycopg 3.

Queries use ``?`` placeholders like DuckDB; they are translated to psycopg's ``%s``.
An optional schema isolates a workspace (tests use one schema per test). A server that cannot
be reached, or a connection lost mid-write (a restart), is a :class:`StoreUnavailable` saying
whether anything may have been written, never a driver traceback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql as pgsql

from icsatlas.errors import StoreUnavailable
from icsatlas.redact import credentials
from icsatlas.store.base import Params, Store

_PLACEHOLDER = re.compile(r"\?")
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _translate(query: str) -> str:
    return _PLACEHOLDER.sub("%s", query.replace("%", "%%"))


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as the Python values psycopg adapts."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


class PostgresStore(Store):
    dialect = "postgresql"

    def __init__(self, url: str, schema: str | None = None) -> None:
        super().__init__()
        if schema and not _SCHEMA_NAME.match(schema):
            raise ValueError(f"invalid schema name {schema!r}")
        self.url = url
        self.schema = schema
        self.connection = self._opened()

    def _opened(self) -> psycopg.Connection:
        connection = _connect(self.url)
        if self.schema:
            ident = pgsql.Identifier(self.schema)
            connection.execute(pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
            connection.execute(pgsql.SQL("SET search_path TO {}").format(ident))
        return connection

    def execute(self, sql: str, params: Params = ()) -> None:
        with self._kept():
            if params:
                self.connection.execute(_translate(sql), [_plain(p) for p in params])
            else:
                self.connection.execute(sql)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = [[_plain(v) for v in r] for r in rows]
        if rows:
            with self._kept(), self.connection.cursor() as cursor:
                cursor.executemany(_translate(sql), rows)

    def fetchall(self, sql: str, params: Params = ()) -> list[tuple]:
        query = _translate(sql) if params else sql
        with self._kept(), self.connection.cursor() as cursor:
            cursor.execute(query, [_plain(p) for p in params] if params else None)
            return cursor.fetchall()

    def fetch_df(self, sql: str, params: Params = ()) -> pd.DataFrame:
        query = _translate(sql) if params else sql
        with self._kept(), self.connection.cursor() as cursor:
            cursor.execute(query, [_plain(p) for p in params] if params else None)
            columns = [d.name for d in cursor.description or []]
            return pd.DataFrame(cursor.fetchall(), columns=columns)

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table), pgsql.SQL(", ").join(map(pgsql.Identifier, frame.columns))
        )
        with self._kept(), self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row([_plain(v) for v in row])

    def _begin(self) -> None:
        self.execute("BEGIN")

    def _commit(self) -> None:
        with self._kept(committing=True):
            self.connection.execute("COMMIT")

    def _rollback(self) -> None:
        """Roll back; on a lost connection the server has already discarded the transaction."""
        if not self.connection.closed:
            self.execute("ROLLBACK")

    @contextmanager
    def _kept(self, committing: bool = False) -> Iterator[None]:
        """Turn a connection lost mid-statement into a :class:`StoreUnavailable` that says
        whether the write may have landed (only a lost COMMIT leaves that unknown). A store
        whose connection was lost connects again at its next statement outside a transaction
        (a long-running server recovers once the database is back)."""
        if self.connection.closed and not self.in_transaction:
            self.connection = self._opened()
        try:
            yield
        except psycopg.OperationalError as error:
            if not self.connection.closed:
                raise
            where = _where(self.url)
            if committing:
                raise StoreUnavailable(
                    f"the connection to the database {where} was lost while committing "
                    f"({_reason(error)}): the write may or may not have been stored; check "
                    "`icsatlas log` before you retry"
                ) from None
            raise StoreUnavailable(
                f"the connection to the database {where} was lost ({_reason(error)}); nothing "
                "was written (the server rolls back an unfinished write): retry when it is back"
            ) from None

    def close(self) -> None:
        self.connection.close()


def _connect(url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as error:
        raise StoreUnavailable(
            f"cannot connect to the database {_where(url)} ({_reason(error)}); nothing was "
            "written: retry when it is up"
        ) from None


def _where(url: str) -> str:
    """``host:port/dbname`` of a URL, never its password."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unreadable URL)"
    host = info.get("host") or "localhost"
    return f"{host}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def _reason(error: Exception) -> str:
    """The driver's first line, with any credentials hidden."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return credentials(lines[0])
