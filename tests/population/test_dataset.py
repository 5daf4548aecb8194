"""Stored populations: written whole or not at all, and what a killed write left is cleared.

Issue 12 (measured): 11 of 40 `kill -9` trials left orphan `.NAME.*.tmp` folders under the
population folder that no later run cleaned up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from icsatlas.population import dataset

WRITER = """
import sys, time
from pathlib import Path
from icsatlas.population import dataset
with dataset.writing("england", folder=Path(sys.argv[1])) as directory:
    print(directory, flush=True)
    time.sleep(600)
"""


def _writer(folder):
    """A population write in another process, stopped half-way: (process, its directory)."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    return child, Path(child.stdout.readline().strip())


def test_a_write_clears_what_a_killed_write_left_and_spares_a_running_one(tmp_path):
    killed, orphan = _writer(tmp_path)
    os.kill(killed.pid, signal.SIGKILL)  # as kill -9 mid-import (issue 12: 11 of 40 trials)
    killed.wait()
    assert orphan.exists()
    running, building = _writer(tmp_path)
    try:
        assert not orphan.exists()  # no process held its lock: the next write removed it
        with dataset.writing("sample", folder=tmp_path) as directory:
            dataset.write_manifest(directory, {"extract_date": "2026-08-01"})
        assert building.exists()  # a write in progress in another process is left alone
    finally:
        running.kill()
        running.wait()
    assert dataset.open_dataset("sample", tmp_path).extract_date == "2026-08-01"
    with dataset.writing("again", folder=tmp_path) as directory:
        dataset.write_manifest(directory, {"extract_date": "2026-08-01"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "again", "sample"]


def test_a_dataset_moved_aside_for_a_swap_is_cleared_after_an_hour(tmp_path):
    stale = tmp_path / ".england.deadbeef.old"
    stale.mkdir()
    recent = tmp_path / ".england.cafebabe.old"
    recent.mkdir()
    hour_ago = time.time() - 3700
    os.utime(stale, (hour_ago, hour_ago))
    with dataset.writing("sample", folder=tmp_path) as directory:
        dataset.write_manifest(directory, {"extract_date": "2026-08-01"})
    assert not stale.exists()
    assert recent.exists()  # perhaps a swap in progress in another process


def test_a_failed_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), dataset.writing("sample", folder=tmp_path):
        raise RuntimeError("killed half-way")
    assert [p.name for p in tmp_path.iterdir()] == [".lock"]


def test_a_half_built_or_moved_aside_population_is_not_listed(tmp_path):
    """CI's crash test (seed 531660) killed a population import after its manifest was
    written and before the swap: the building folder was then listed as a population."""
    for name in (".england.b9578ae6.tmp", ".england.deadbeef.old", "sample"):
        (tmp_path / name).mkdir()
        dataset.write_manifest(tmp_path / name, {"extract_date": "2026-08-01"})
    assert [d.name for d in dataset.list_datasets(tmp_path)] == ["sample"]
