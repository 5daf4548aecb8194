"""The audit log's latest change id on PostgreSQL, asked for by every request, coalesced.

Every request must be answered from a release no older than the latest change committed
before it arrived (so that a write acknowledged by one worker is seen by the next request
to any). Asking PostgreSQL once per request, synchronously, holds the worker's event loop
for a round trip each time: ``bench/serve.py --postgres`` measured the cached page falling
from 2.7 to 0.8 times the trivial endpoint's rate. Here the query is asynchronous, and
requests share it: a request arriving while no query is in flight starts one; a request
arriving while one is in flight (begun, perhaps, before a write it must see) waits for the
*next* query, which starts when that one ends and answers every request that queued for
it. So each answer still comes from a query begun after its request arrived, and under load
one round trip serves every request that arrived during the previous one.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

QUERY = "SELECT max(change_id) FROM change_log"


class ChangeWatch:
    """One worker's asynchronous connection to the store, and the queries in flight."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._current: asyncio.Task[int] | None = None  # the query in flight
        self._next: asyncio.Task[int] | None = None  # the query queued behind it

    async def latest(self) -> int:
        """The audit log's latest change id, from a query begun after this call."""
        if self._loop is not asyncio.get_running_loop():
            await self._reset()
        if self._current is None:
            self._current = task = asyncio.create_task(self._query())
        else:
            if self._next is None:
                self._next = asyncio.create_task(self._after(self._current))
            task = self._next
        return await asyncio.shield(task)

    async def _after(self, previous: asyncio.Task[int]) -> int:
        await asyncio.wait([previous])
        self._current, self._next = self._next, None  # this task is now the one in flight
        return await self._query()

    async def _query(self) -> int:
        try:
            connection = await self._connect()
            cursor = await connection.execute(QUERY)
            row = await cursor.fetchone()
            return int(row[0] or 0) if row else 0
        except Exception:
            await self._close()  # a lost connection is opened again by the next request
            raise
        finally:
            if self._current is asyncio.current_task():
                self._current = None

    async def _connect(self) -> Any:
        if self._connection is None or self._connection.closed:
            import psycopg

            self._connection = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
        return self._connection

    async def _reset(self) -> None:
        """A new event loop (a test's, or a worker's): nothing of the old one is used."""
        self._connection, self._current, self._next = None, None, None
        self._loop = asyncio.get_running_loop()

    async def _close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None
