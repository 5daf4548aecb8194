"""A DuckDB file held by another process: a bounded wait, then a plain "busy" error, never a
traceback (issue 12, defect 6: "a second process gets a raw IOException ... traceback")."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from icsatlas.errors import IcsatlasError
from icsatlas.store import duckdb_store

HOLD = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    path = tmp_path / "busy.duckdb"
    duckdb_store.DuckDBStore(str(path)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "1.5"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    yield path, holder
    holder.kill()
    holder.wait()


def test_a_busy_store_is_refused_plainly_after_a_bounded_wait(held, monkeypatch):
    path, holder = held
    monkeypatch.setattr(duckdb_store, "LOCK_WAIT_S", 0.3)
    started = time.monotonic()
    with pytest.raises(IcsatlasError, match=rf"is busy: another process \(PID {holder.pid}\)"):
        duckdb_store.DuckDBStore(str(path))
    assert time.monotonic() - started < 1.4  # gave up before the holder let go


def test_the_store_opens_once_the_other_process_lets_go(held, monkeypatch):
    path, _ = held
    monkeypatch.setattr(duckdb_store, "LOCK_WAIT_S", 10.0)
    store = duckdb_store.DuckDBStore(str(path))
    assert store.fetchall("SELECT 1") == [(1,)]
    store.close()
