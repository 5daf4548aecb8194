"""`icsatlas population ...`: the wiring, output formats and exit codes (the logic is tested
in tests/population)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from icsatlas.cli import app


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A workspace holding a 2% population of two ICBs, generated once through the CLI."""
    home = tmp_path_factory.mktemp("cli-population")
    result = CliRunner().invoke(
        app,
        [
            "population",
            "generate",
            "--fraction",
            "0.02",
            "--area",
            "QYG",
            "--area",
            "QOC",
            "--jobs",
            "1",
        ],
        env={"ICSATLAS_HOME": str(home), "ICSATLAS_DATABASE_URL": ""},
    )
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def run(home, monkeypatch):
    monkeypatch.setenv("ICSATLAS_HOME", str(home))
    monkeypatch.delenv("ICSATLAS_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, ["population", *args])
        return result.exit_code, result.stdout if result.exit_code == 0 else result.output

    return invoke


def test_generate_reports_people_per_icb(run):
    code, output = run("list", "--format", "json")
    assert code == 0
    (stored,) = json.loads(output)["data"]
    assert stored["name"] == "england" and stored["fraction"] == 0.02


def test_profile_by_name_is_disclosure_controlled_json(run):
    code, output = run("profile", "--area", "Cheshire and Merseyside", "--format", "json")
    assert code == 0
    result = json.loads(output)
    people = next(r for r in result["data"] if r["measure"] == "registered people")
    assert people["area"] % 5 == 0  # rounded to 5
    assert result["provenance"]["engine"] == "duckdb"
    assert "qof_prevalence_practice_2024_25" in result["provenance"]["data"]


@pytest.mark.parametrize("area", ["QYG", "E54000008"])
def test_profile_accepts_codes(run, area):
    code, output = run("profile", "--area", area)
    assert code == 0 and "Cheshire and Merseyside" in output and "Need index" in output


def test_aggregate_as_csv(run):
    code, output = run("aggregate", "--level", "icb", "--by", "segment", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert {r["segment"] for r in rows} >= {"healthy", "end_of_life"}
    assert all(r["people"] == "" or int(r["people"]) % 5 == 0 for r in rows)


def test_need_and_inequalities_run(run):
    assert run("need", "--level", "sub-icb")[0] == 0
    code, output = run("inequalities", "--area", "QOC", "--plus5", "--format", "json")
    assert code == 0
    areas = [r["clinical_area"] for r in json.loads(output)["data"]]
    assert "Hypertension case-finding" in areas


def test_validate_passes_and_a_failure_exits_1(run, home):
    assert run("validate")[0] == 0
    part = next((home / "population" / "england").glob("icb_code=QOC/*.parquet"))
    table = pq.read_table(part)
    pq.write_table(table.slice(1), part)
    code, output = run("validate", "--format", "csv")
    assert code == 1 and "fail" in output
    pq.write_table(table, part)


def test_unknown_area_is_a_user_error(run):
    code, output = run("profile", "--area", "Atlantis")
    assert code == 2 and "no area matches 'Atlantis'" in output


def test_import_rejects_a_bad_file_with_file_row_field(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,practice_code,age,sex\n1,A81001,200,F\n")
    code, output = run("import", str(bad), "--name", "bad", "--extract-date", "2026-08-01")
    assert code == 2
    assert f"{bad}:1: " in output  # missing columns, on the header line
    assert run("list", "--format", "json")[1].count('"name"') == 1


def test_schema_and_segments_explain_themselves(run):
    assert "unplanned_admissions_12m" in run("schema")[1]
    code, output = run("segments", "--format", "json")
    assert json.loads(output)["data"][0]["segment"] == "end_of_life"
    code, output = run("segments", "--hierarchy", "healthy,maternal")
    assert code == 2 and "exactly once" in output
