"""Data releases: every shipped file matches its release record; staleness is 18 months."""

from __future__ import annotations

import csv
import gzip
import hashlib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icsatlas.cli import app
from icsatlas.data import releases

REFERENCE = Path(releases.__file__).parent / "reference"


def test_every_shipped_dataset_matches_its_release():
    assert releases.check() == []


def test_row_counts_are_the_files_data_rows():
    # counted here from the files themselves: the MYE is 342 English areas x 34 years
    # (PROVENANCE.md, batch 3); the gzip practice file's rows are its lines less the header
    mye = (REFERENCE / "ons_mye_population_la_1991_2024.csv").read_text().splitlines()
    assert releases.release("ons_mye_population_la_1991_2024").rows == len(mye) - 1 == 11_628
    gz = REFERENCE / "allocation_weighted_population_practice_2023_24_to_2025_26.csv.gz"
    lines = gzip.decompress(gz.read_bytes()).decode().splitlines()
    assert releases.release(gz.name.split(".")[0]).rows == len(lines) - 1 == 19_454


def test_checksum_is_the_sha256_of_the_shipped_bytes():
    path = REFERENCE / "icb_36_aug2026.csv"
    assert (
        releases.release("icb_36_aug2026").sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    )


def test_a_changed_file_no_longer_measures_as_released(tmp_path):
    original = REFERENCE / "icb_36_aug2026.csv"
    copy = tmp_path / "icb_36_aug2026.csv"
    rows = list(csv.reader(original.open()))
    with copy.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows[:-1])  # one ICB dropped
    count, digest = releases.measure(copy)
    release = releases.release("icb_36_aug2026")
    assert (count, count == release.rows, digest == release.sha256) == (35, False, False)


@pytest.mark.parametrize(
    ("on", "stale"),
    [(date(2025, 12, 29), False), (date(2025, 12, 30), False), (date(2025, 12, 31), True)],
)
def test_stale_the_day_after_eighteen_months(on, stale):
    # the MYE runs to 2024-06-30: 18 months later is 2025-12-30
    assert releases.release("ons_mye_population_la_1991_2024").stale(on) is stale


def test_stale_note_names_the_dataset_and_schemas_never_age():
    notes = releases.notes(["ons_mye_population_la_1991_2024"], date(2026, 12, 1))
    assert notes and "Mid-year population estimates" in notes[0] and "June 2024" in notes[0]
    assert not releases.release("ocds_release_schema_1_1_2").stale(date(2099, 1, 1))


def test_data_command_lists_and_check_passes():
    runner = CliRunner()
    listed = runner.invoke(app, ["data", "--on", "2026-12-01", "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    rows = list(csv.DictReader(listed.stdout.splitlines()))
    mye = next(r for r in rows if r["key"] == "ons_mye_population_la_1991_2024")
    assert (mye["rows"], mye["licence"], mye["stale"]) == ("11628", "OGL v3", "True")
    checked = runner.invoke(app, ["data", "check", "--format", "csv"])
    assert checked.exit_code == 0, checked.output
    assert {r["status"] for r in csv.DictReader(checked.stdout.splitlines())} == {"ok"}
