"""Per-client rate limits on writes, searches and sign-ins, shared by every worker.

A request counts against its client address's allowance in one of three buckets:

* ``write``: every request that may change something (any method but GET, HEAD and
  OPTIONS), whichever route it is for, except signing in and asking for email;
* ``search``: the portal's search (``/search``) and the API's ``/api/v1/where``;
* ``login``: ``POST /login``;
* ``subscribe``: asking for email (``POST /subscribe``, ``POST /api/v1/subscriptions``),
  which anyone may do, so it is held to as few as sign-ins.

Each bucket allows ``COUNT`` requests per fixed window of ``SECONDS`` (``DEFAULTS``; set
``ICSATLAS_RATE_LIMITS``, e.g. ``write=30/60,search=1200/60,subscribe=5/300``). A refused
request is not counted, so a client that waits for ``Retry-After`` is served. The counters
live where every worker process sees them, each request one atomic upsert: on PostgreSQL an
UNLOGGED table in the store (no write-ahead log: counters need not survive a crash), and
with DuckDB, whose file the read-only server does not hold, a SQLite file (WAL mode) in the
server's home. Behind a reverse proxy the client is the address the proxy forwards
(``icsatlas serve --forwarded-allow-ips``: web/proxies.py).
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from icsatlas.errors import IcsatlasError

ENV = "ICSATLAS_RATE_LIMITS"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SEARCHES = ("/search", "/api/v1/where")
LOGIN = "/login"
SUBSCRIBE = ("/subscribe", "/api/v1/subscriptions")
SWEEP_S = 60.0  # how often a process deletes counters of windows that have ended
TABLE = "web_rate_limits"
_COLUMNS = (
    "bucket TEXT NOT NULL, client TEXT NOT NULL, window_start BIGINT NOT NULL,"
    " hits INTEGER NOT NULL, expires BIGINT NOT NULL,"
    " PRIMARY KEY (bucket, client, window_start)"
)
# One statement: count the request unless the window's allowance is spent (no row returned).
_HIT = (
    f"INSERT INTO {TABLE} (bucket, client, window_start, hits, expires) VALUES (?, ?, ?, 1, ?)"  # noqa: S608 - the table name is a constant; values bound
    f" ON CONFLICT (bucket, client, window_start) DO UPDATE SET hits = {TABLE}.hits + 1"
    f" WHERE {TABLE}.hits < ? RETURNING hits"
)
_SWEEP = f"DELETE FROM {TABLE} WHERE expires < ?"  # noqa: S608 - a constant table name


@dataclass(frozen=True)
class Rule:
    """At most ``count`` requests per ``seconds``."""

    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}"


DEFAULTS = {
    "write": Rule(60, 60),
    "search": Rule(600, 60),
    "login": Rule(10, 300),
    "subscribe": Rule(10, 300),
}


class TooMany(IcsatlasError):
    """A client over its allowance in a bucket: 429, and how long to wait."""

    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


_WHAT = {
    "write": "changes",
    "search": "searches",
    "login": "sign-in attempts",
    "subscribe": "requests for email",
}


def rules(text: str | None) -> dict[str, Rule]:
    """The defaults, with any ``BUCKET=COUNT/SECONDS`` of ``text`` (comma-separated)."""
    chosen = dict(DEFAULTS)
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        bucket, _, value = part.partition("=")
        count, _, seconds = value.partition("/")
        if bucket.strip() not in DEFAULTS or not count.isdigit() or not seconds.isdigit():
            raise IcsatlasError(
                f"{ENV}: {part!r} is not BUCKET=COUNT/SECONDS with a bucket of "
                f"{', '.join(DEFAULTS)} (e.g. write=60/60)"
            )
        if int(count) < 1 or int(seconds) < 1:
            raise IcsatlasError(f"{ENV}: {part!r}: the count and the seconds must be at least 1")
        chosen[bucket.strip()] = Rule(int(count), int(seconds))
    return chosen


def bucket(method: str, path: str) -> str | None:
    """Which bucket a request counts against (None: it is not limited)."""
    if method not in SAFE_METHODS:
        return "login" if path == LOGIN else "subscribe" if path in SUBSCRIBE else "write"
    return "search" if path in SEARCHES else None


class Counts(Protocol):
    def hit(self, bucket: str, client: str, window: int, expires: int, limit: int) -> bool: ...

    def sweep(self, now: int) -> None: ...

    def close(self) -> None: ...


class SqliteCounts:
    """Counters in a SQLite file every worker on this machine opens (WAL: readers and the
    one writer at a time do not block one another; a busy file is waited for)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, timeout=10, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({_COLUMNS})")

    def hit(self, bucket: str, client: str, window: int, expires: int, limit: int) -> bool:
        row = self.connection.execute(_HIT, (bucket, client, window, expires, limit)).fetchone()
        return row is not None

    def sweep(self, now: int) -> None:
        self.connection.execute(_SWEEP, (now,))

    def close(self) -> None:
        self.connection.close()


class PostgresCounts:
    """Counters in an UNLOGGED table of the store (created by the first worker to need it,
    under an advisory lock so that workers starting together do not race)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True)
        with self.connection.transaction():
            self.connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (TABLE,))
            self.connection.execute(f"CREATE UNLOGGED TABLE IF NOT EXISTS {TABLE} ({_COLUMNS})")

    def hit(self, bucket: str, client: str, window: int, expires: int, limit: int) -> bool:
        query = _HIT.replace("?", "%s")
        row = self.connection.execute(query, (bucket, client, window, expires, limit)).fetchone()
        return row is not None

    def sweep(self, now: int) -> None:
        self.connection.execute(_SWEEP.replace("?", "%s"), (now,))

    def close(self) -> None:
        self.connection.close()


@dataclass
class Limiter:
    """This process's view of the shared counters (opened at its first request, and again in
    a process forked after that)."""

    url: str
    home: Path
    rules: dict[str, Rule]
    counts: Counts | None = None
    pid: int = 0
    swept: float = 0.0

    def check(self, bucket: str, client: str) -> None:
        """Count one request from ``client`` in ``bucket``, or refuse it (TooMany)."""
        rule, now = self.rules[bucket], time.time()
        window = int(now // rule.seconds) * rule.seconds
        counts = self._counts()
        if now - self.swept > SWEEP_S:
            self.swept = now
            counts.sweep(int(now))
        if not counts.hit(bucket, client, window, window + rule.seconds, rule.count):
            wait = max(1, math.ceil(window + rule.seconds - now))
            raise TooMany(
                f"too many {_WHAT[bucket]} from this address (at most {rule.count} in "
                f"{rule.seconds} seconds): try again in {wait} seconds",
                wait,
            )

    def _counts(self) -> Counts:
        if self.counts is None or self.pid != os.getpid():
            self.counts, self.pid = self._open(), os.getpid()
        return self.counts

    def _open(self) -> Counts:
        if self.url.startswith(("postgresql://", "postgres://")):
            return PostgresCounts(self.url)
        return SqliteCounts(self.home / "rate-limits.sqlite3")

    def close(self) -> None:
        if self.counts is not None and self.pid == os.getpid():
            self.counts.close()
        self.counts = None


_limiter: dict[str, Limiter] = {}


def configure(url: str, home: Path, text: str | None = None) -> None:
    """Count this process's requests in the store at ``url`` (or beside it, in ``home``),
    under the limits ``text`` sets (default: ``ICSATLAS_RATE_LIMITS``, else ``DEFAULTS``)."""
    close()
    chosen = rules(text if text is not None else os.environ.get(ENV))
    _limiter["current"] = Limiter(url, home, chosen)


def check(scope: MutableMapping[str, Any]) -> None:
    """Count the request ``scope`` describes if it is limited, or refuse it (TooMany)."""
    chosen = bucket(scope["method"], scope["path"])
    if chosen is None:
        return
    client = scope.get("client")
    _limiter["current"].check(chosen, client[0] if client else "unknown")


def close() -> None:
    """Let go of the counters' connection (the next request opens it again)."""
    if "current" in _limiter:
        _limiter["current"].close()
