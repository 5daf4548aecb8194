"""Stored populations: written whole or not at all, and what a killed write left is cleared.

Issue 12 (measured): 11 of 40 `kill -9` trials left orphan `.NAME.*.tmp` folders under the
population folder that no later run cleaned up."""

from __future__ import annotations

import os
import time

import pytest

from icsatlas.population import dataset


def test_a_write_clears_what_a_killed_write_left_an_hour_ago(tmp_path):
    stale = tmp_path / ".england.deadbeef.tmp"
    stale.mkdir()
    recent = tmp_path / ".england.cafebabe.tmp"
    recent.mkdir()
    hour_ago = time.time() - 3700
    os.utime(stale, (hour_ago, hour_ago))
    with dataset.writing("sample", folder=tmp_path) as directory:
        dataset.write_manifest(directory, {"extract_date": "2026-08-01"})
    assert not stale.exists()
    assert recent.exists()  # perhaps a write in progress in another process
    assert dataset.open_dataset("sample", tmp_path).extract_date == "2026-08-01"


def test_a_failed_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), dataset.writing("sample", folder=tmp_path):
        raise RuntimeError("killed half-way")
    assert list(tmp_path.iterdir()) == []
