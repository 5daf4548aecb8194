"""The store interface every engine implements: SQL in, rows or DataFrames out.

SQL is written once, portable between DuckDB and PostgreSQL, with ``?`` placeholders.
Writes happen inside :meth:`Store.transaction`; an exception rolls everything back,
so an import either lands whole or leaves the store exactly as it was.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

Params = Sequence[Any]


class Store(ABC):
    """A connection to one icsatlas database."""

    dialect: str
    url: str

    def __init__(self) -> None:
        self._depth = 0

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> None:
        """Run one statement (or, without params, a script of several)."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        """Run one statement for each row of parameters."""

    @abstractmethod
    def fetchall(self, sql: str, params: Params = ()) -> list[tuple]:
        """Rows of a query as tuples."""

    @abstractmethod
    def fetch_df(self, sql: str, params: Params = ()) -> pd.DataFrame:
        """A query's result as a DataFrame."""

    @abstractmethod
    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        """Bulk-insert a DataFrame whose columns are named as the table's."""

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def fetchone(self, sql: str, params: Params = ()) -> tuple | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.fetchone(sql, params)
        return row[0] if row else None

    def fetch_dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return self.fetch_df(sql, params).to_dict("records")

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All or nothing; nested blocks join the outermost transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        self._commit()

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"
