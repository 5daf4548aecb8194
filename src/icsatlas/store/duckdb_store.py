"""The embedded default: a DuckDB file (or ``:memory:``)."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from icsatlas.errors import IcsatlasError, StoreBusy
from icsatlas.store.base import Params, Store

if TYPE_CHECKING:
    import pandas as pd


LOCK_WAIT_S = 10.0
_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


class DuckDBStore(Store):
    dialect = "duckdb"

    def __init__(self, path: str, read_only: bool = False) -> None:
        super().__init__()
        if path != ":memory:" and not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if path != ":memory:" and read_only and not Path(path).exists():
            raise IcsatlasError(f"no icsatlas store at {path}: run `icsatlas build` first")
        self.path = path
        self.url = f"duckdb:///{path}"
        self.connection = _connect(path, read_only)

    def execute(self, sql: str, params: Params = ()) -> None:
        self.connection.execute(sql, list(params) if params else None)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            self.connection.executemany(sql, [list(r) for r in rows])

    def fetchall(self, sql: str, params: Params = ()) -> list[tuple]:
        return self.connection.execute(sql, list(params) if params else None).fetchall()

    def fetch_df(self, sql: str, params: Params = ()) -> pd.DataFrame:
        return self.connection.execute(sql, list(params) if params else None).df()

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        self.connection.register("_icsatlas_insert", frame)
        try:
            self.connection.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _icsatlas_insert"  # noqa: S608 - table and column names from code, never from input
            )
        finally:
            self.connection.unregister("_icsatlas_insert")

    def _begin(self) -> None:
        self.connection.begin()

    def _commit(self) -> None:
        self.connection.commit()

    def _rollback(self) -> None:
        self.connection.rollback()

    def close(self) -> None:
        self.connection.close()


def _connect(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting up to ``LOCK_WAIT_S`` while another process holds its lock (an
    import finishing), then saying plainly that the store is busy."""
    deadline = time.monotonic() + LOCK_WAIT_S
    pause = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                holder = _LOCK_HOLDER.search(str(error))
                raise StoreBusy(
                    f"the store {path} is busy: another process"
                    + (f" (PID {holder[1]})" if holder else "")
                    + f" has it open; tried for {LOCK_WAIT_S:g} s. Retry when it has finished "
                    "(a running `icsatlas serve` reads it only between questions; an import "
                    "holds it until done). Several writers at once need PostgreSQL."
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
