"""``bench/soak.py --seconds 60`` once (issue 12: "a bounded soak ... CI may run 60 s"):
mixed reads and writes against ``icsatlas serve --workers 2`` on PostgreSQL, with 0 errors
and every acknowledged write on the board and in the audit log afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SOAK = Path(__file__).parents[2] / "bench" / "soak.py"


def test_a_minute_of_mixed_reads_and_writes_loses_nothing(postgres_url):
    env = {**os.environ, "ICSATLAS_TEST_POSTGRES_URL": postgres_url}
    done = subprocess.run(
        [sys.executable, str(SOAK), "--seconds", "60"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert figure(done.stdout, "errors") == 0
    assert figure(done.stdout, "lost") == 0
    acknowledged = figure(done.stdout, r"writes acknowledged \(201\)")
    assert acknowledged >= 2  # two writers, one write each every 30 s
    assert figure(done.stdout, "present afterwards") == acknowledged


def figure(report: str, label: str) -> int:
    found = re.search(rf"^\s*{label}\s+([0-9,]+)", report, re.MULTILINE)
    assert found, f"no {label!r} in the soak's report:\n{report}"
    return int(found[1].replace(",", ""))
