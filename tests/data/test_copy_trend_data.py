"""scripts/copy-trend-data reproduces the shipped trend files byte for byte (where the curated
shared/data folder is beside the repository, as on a developer's machine and in CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SHIPPED = ROOT / "src" / "icsatlas" / "data" / "reference"
FILES = (
    "la23_to_icb_population_shares.csv",
    "ccg_procurement_outsourcing_annual_2013_2020.csv",
    "ccg_procurement_outsourcing_england_monthly_2013_2020.csv",
    "bcf_planned_spend_intermediate_care_hwb_2022_23.csv",
    "ons_mye_population_la_1991_2024.csv",
)


def _shared() -> Path | None:
    for candidate in (
        ROOT / "shared/data",
        ROOT.parent / "shared/data",
        ROOT.parents[1] / "shared/data",
    ):
        if (candidate / "lad22_to_icb_2026_registered_population_shares.csv").exists():
            return candidate
    return None


@pytest.mark.skipif(
    _shared() is None, reason="the curated shared/data folder is not beside the repository"
)
def test_the_script_reproduces_the_shipped_files(tmp_path):
    script = ROOT / "scripts" / "copy-trend-data"
    done = subprocess.run(
        [sys.executable, str(script), "--source", str(_shared()), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
