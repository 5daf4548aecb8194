"""Knowing a DuckDB workspace's latest change without opening it.

Importing and opening DuckDB costs more than answering most questions. After a command reads
the audit log's latest change, it records it with the state of the database file (size,
modification time, inode; and of its write-ahead log). While the file is exactly as it was,
nothing can have been written, so the next command reuses the figure; any write changes the
file and the next command asks the store again. PostgreSQL is always asked.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

State = list[list[int]]


def database_file(url: str) -> Path | None:
    """The DuckDB file of ``url`` (None for PostgreSQL or an in-memory database)."""
    if not url.startswith("duckdb://"):
        return None
    path = url.removeprefix("duckdb://").lstrip("/")
    return None if path in ("", ":memory:") else Path("/" + path)


def file_state(url: str) -> State | None:
    """Size, modification time and inode of the database file and its WAL."""
    path = database_file(url)
    if path is None:
        return None
    state: State = []
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            info = candidate.stat()
        except OSError:
            state.append([])
            continue
        state.append([info.st_size, info.st_mtime_ns, info.st_ino])
    return state


def read(folder: Path, url: str) -> int | None:
    """The latest change recorded for ``url``, if its file is untouched since."""
    state = file_state(url)
    if state is None:
        return None
    try:
        recorded = json.loads(_path(folder, url).read_text())
    except (OSError, ValueError):
        return None
    return recorded["change"] if recorded.get("state") == state else None


def write(folder: Path, url: str, before: State | None, change: int) -> None:
    """Record ``change`` if the file did not change while it was read (a write in between
    would make the figure stale, so nothing is recorded then)."""
    if before is None or file_state(url) != before:
        return
    path = _path(folder, url)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"state": before, "change": change}))
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only workspace still answers, just without the shortcut


def _path(folder: Path, url: str) -> Path:
    return folder / f"stamp-{hashlib.sha256(url.encode()).hexdigest()[:16]}.json"
