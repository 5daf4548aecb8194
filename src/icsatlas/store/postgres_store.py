"""The server store: PostgreSQL through psycopg 3.

Queries use ``?`` placeholders like DuckDB; they are translated to psycopg's ``%s``.
An optional schema isolates a workspace (tests use one schema per test).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql as pgsql

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
        self.url = url
        self.schema = schema
        self.connection = psycopg.connect(url, autocommit=True)
        if schema:
            if not _SCHEMA_NAME.match(schema):
                raise ValueError(f"invalid schema name {schema!r}")
            ident = pgsql.Identifier(schema)
            self.connection.execute(pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
            self.connection.execute(pgsql.SQL("SET search_path TO {}").format(ident))

    def execute(self, sql: str, params: Params = ()) -> None:
        if params:
            self.connection.execute(_translate(sql), [_plain(p) for p in params])
        else:
            self.connection.execute(sql)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = [[_plain(v) for v in r] for r in rows]
        if rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(_translate(sql), rows)

    def fetchall(self, sql: str, params: Params = ()) -> list[tuple]:
        query = _translate(sql) if params else sql
        with self.connection.cursor() as cursor:
            cursor.execute(query, [_plain(p) for p in params] if params else None)
            return cursor.fetchall()

    def fetch_df(self, sql: str, params: Params = ()) -> pd.DataFrame:
        query = _translate(sql) if params else sql
        with self.connection.cursor() as cursor:
            cursor.execute(query, [_plain(p) for p in params] if params else None)
            columns = [d.name for d in cursor.description or []]
            return pd.DataFrame(cursor.fetchall(), columns=columns)

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table), pgsql.SQL(", ").join(map(pgsql.Identifier, frame.columns))
        )
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row([_plain(v) for v in row])

    def _begin(self) -> None:
        self.connection.execute("BEGIN")

    def _commit(self) -> None:
        self.connection.execute("COMMIT")

    def _rollback(self) -> None:
        self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()
