"""`icsatlas contracts ...`: wiring, output formats, exit codes and error messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icsatlas.cli import app

FIXTURES = Path(__file__).parents[1] / "contracts" / "fixtures"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run `icsatlas contracts ...` in an empty workspace; returns (exit code, output)."""
    monkeypatch.setenv("ICSATLAS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ICSATLAS_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, ["contracts", *map(str, args)])
        return result.exit_code, result.stdout if result.exit_code == 0 else result.output

    return invoke


@pytest.fixture
def series_csv(tmp_path) -> Path:
    path = tmp_path / "waits.csv"
    values = [12, 10] * 6 + [19]
    lines = [f"2024-{m:02d}-01,{v}" for m, v in zip(range(1, 13), values, strict=False)]
    path.write_text("date,value\n" + "\n".join([*lines, f"2025-01-01,{values[-1]}"]) + "\n")
    return path


def test_spc_prints_every_point_as_json(run, series_csv):
    code, output = run("spc", series_csv, "--format", "json", "--improvement", "decrease")
    assert code == 0
    document = json.loads(output)
    points = document["data"]
    assert len(points) == 13
    last = points[-1]
    assert last["special_cause_type"] == "Above UCL"
    assert last["point_type"] == "special_cause_concern"
    assert {"mean", "lpl", "upl", "outside_limits", "trend", "two_of_three", "shift"} <= set(last)
    assert document["provenance"]["parameters"] == "nhsrplotthedots@2024-01-01"


def test_spc_csv_output_and_rule_set_choice(run, series_csv):
    code, output = run("spc", series_csv, "--format", "csv", "--rules", "mdc-2023")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert code == 0 and len(rows) == 13


def test_spc_writes_charts(run, series_csv, tmp_path):
    for suffix in ("png", "svg", "html"):
        chart = tmp_path / f"chart.{suffix}"
        code, _ = run("spc", series_csv, "--chart", chart, "--target", "8")
        assert code == 0 and chart.stat().st_size > 1000
    page = (tmp_path / "chart.html").read_text()
    assert "<script src" not in page and "<link" not in page  # self-contained, no CDN


def test_spc_errors_name_the_file_row_and_field(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,value\n2024-01-01,3\n2024-13-01,4\n")
    code, output = run("spc", bad)
    assert code == 2
    assert "bad.csv:3: date: not a date or month: '2024-13-01'" in output
    code, output = run("spc", bad, "--rules", "nonsense")
    assert code == 2


def test_import_list_outsourcing_and_record(run):
    code, output = run("import", FIXTURES / "nhs_release_package.json")
    assert code == 0 and "3 records compiled; 4 contracts" in output
    code, output = run("list", "--icb", "QNQ", "--format", "json")
    contracts = json.loads(output)["data"]
    assert len(contracts) == 4
    assert contracts[0]["start_date"] == "2024-06-01"
    code, output = run("outsourcing", "--icb", "QNQ", "--view", "routes", "--format", "csv")
    assert code == 0 and "direct award" in output
    code, output = run("record", "ocds-h6vhtk-0a1b2c")
    assert json.loads(output)["tag"] == ["compiled"]
    code, output = run("amendments", "ocds-h6vhtk-0a1b2c/006001-2024-1", "--format", "json")
    assert [a["value_amount"] for a in json.loads(output)["data"]] == [4_500_000, 5_100_000]


def test_a_bad_ocds_file_exits_2_with_the_position(run, tmp_path):
    package = json.loads((FIXTURES / "nhs_release_package.json").read_text())
    del package["releases"][3]["ocid"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(package))
    code, output = run("import", bad)
    assert code == 2
    assert "releases[3].ocid: release has no ocid" in output
    assert run("list", "--format", "json")[1].count("contract_key") == 0


def test_psr_standstill_and_log(run, tmp_path):
    _, output = run("psr", "standstill", "2024-03-27", "--format", "json")
    assert json.loads(output)["data"][0]["standstill ends (midnight)"] == "2024-04-10"
    log = tmp_path / "psr.csv"
    log.write_text(
        "reference,authority,process,award_date,award_notice_date\n"
        "P1,NHS Frimley ICB,direct award a,2025-01-06,2025-03-01\n"
    )
    assert run("import", log)[0] == 0
    _, output = run("psr", "log", "--today", "2025-06-01", "--format", "json")
    assert json.loads(output)["data"][0]["status"] == "breached"


def test_kpi_loads_shipped_series_and_flags_concern(run, tmp_path):
    code, output = run("kpi", "rtt-18w/%", "--load", "rtt-18w", "--format", "json")
    assert code == 0
    summary = json.loads(output)["data"][0]
    assert summary["n"] == 224 and summary["target"] == 0.92
    assert summary["assurance"] == "consistent_fail"


def test_rules_lists_the_rule_sets(run):
    _, output = run("rules", "--format", "json")
    assert {r["name"] for r in json.loads(output)["data"]} >= {"nhsrplotthedots", "mdc-2023"}


def test_spc_runs_many_series_from_one_csv(run, tmp_path):
    path = tmp_path / "many.csv"
    rows = [
        f"{s},2024-{m:02d}-01,{v}"
        for s in ("a", "b")
        for m, v in zip(range(1, 13), [5, 6] * 6, strict=True)
    ]
    path.write_text("series,date,value\n" + "\n".join(rows) + "\n")
    code, output = run("spc", path, "--summary", "--format", "json")
    assert code == 0
    assert [r["series"] for r in json.loads(output)["data"]] == ["a", "b"]


def test_a_kpi_csv_is_imported_with_its_metadata(run, series_csv):
    code, _ = run(
        "import",
        series_csv,
        "--code",
        "msk-wait/RDU",
        "--name",
        "MSK wait (weeks)",
        "--improvement",
        "decrease",
        "--target",
        "18",
        "--provider",
        "RDU",
    )
    assert code == 0
    code, output = run("kpi", "msk-wait/%", "--format", "json")
    row = json.loads(output)["data"][0]
    assert (row["name"], row["target"], row["improvement"]) == (
        "MSK wait (weeks)",
        18.0,
        "decrease",
    )
    code, output = run("import", series_csv)
    assert code == 2 and "--code and --name" in output
