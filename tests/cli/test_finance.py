"""The finance commands: wiring, formats, exports, charts and exit codes.

Each test runs the real command on a workspace built once for the module (the register is
where finance's areas come from); tests that write to the store get a copy of their own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from icsatlas.cli import app
from tests.conftest import MERGER_2027

runner = CliRunner()


@pytest.fixture(autouse=True)
def workspace(built_home, monkeypatch) -> Path:
    """The module's built workspace, shared by read-only commands."""
    monkeypatch.setenv("ICSATLAS_HOME", str(built_home))
    monkeypatch.delenv("ICSATLAS_DATABASE_URL", raising=False)
    return built_home


@pytest.fixture
def own_workspace(built_home, tmp_path, monkeypatch) -> Path:
    """A copy of the built workspace, for commands that write to the store."""
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    monkeypatch.setenv("ICSATLAS_HOME", str(home))
    return home


def invoke(*args: str):
    return runner.invoke(app, ["finance", *args], env={"COLUMNS": "160"})


def test_finance_help_imports_no_pandas_numpy_or_matplotlib():
    """Issue 9, section 4: commands start fast; `finance --help` (and the module) import
    only typer and the CLI's options and renderer at the top."""
    code = (
        "import sys\nfrom icsatlas.cli import main\nsys.argv = ['icsatlas', 'finance', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted({'pandas', 'numpy', 'matplotlib'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    assert done.stdout.strip().endswith("[]"), done.stdout


def test_blueprint_bill_national_prints_savings_payback_sensitivity_and_sources():
    result = invoke("blueprint-bill", "--national", "--draws", "2000")
    assert result.exit_code == 0, result.output
    out = result.output
    for expected in (
        "National: net savings by year",
        "2029/30",
        "Payback",
        "turns positive in",
        "Sensitivity: ranking of inputs",
        "rehire_share",
        "Inputs: distributions, certainty, sources",
        "healthcareleadernews.com",
        "seed=20250401",
        "Claims: ~£750m a year",
        "geography: 42 ICBs",
    ):
        assert expected in out, expected


def test_blueprint_bill_is_reproducible_from_its_seed(workspace):
    first = json.loads(
        invoke(
            "blueprint-bill", "--national", "--draws", "500", "--seed", "11", "--format", "json"
        ).output
    )
    again = json.loads(
        invoke(
            "blueprint-bill", "--national", "--draws", "500", "--seed", "11", "--format", "json"
        ).output
    )
    other = json.loads(
        invoke(
            "blueprint-bill", "--national", "--draws", "500", "--seed", "12", "--format", "json"
        ).output
    )
    assert first["data"] == again["data"]
    assert first["data"] != other["data"]
    provenance = first["provenance"]
    assert provenance["seed"] == 11 and provenance["parameters"].startswith("parameters@")
    assert first["sections"][0]["title"].startswith("Payback")


def test_blueprint_bill_exports_and_draws_charts(workspace, tmp_path):
    result = invoke(
        "blueprint-bill", "--draws", "300",
        "--export", str(tmp_path / "bill.xlsx"),
        "--chart", str(tmp_path / "payback.png"),
        "--tornado", str(tmp_path / "tornado.svg"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(tmp_path / "bill.xlsx", sheet_name=None)
    assert list(sheets) == [
        "national", "payback", "claims", "sensitivity", "inputs", "icbs", "provenance",
    ]  # fmt: skip
    assert (tmp_path / "payback.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "tornado.svg").read_bytes()[:500]


def test_blueprint_bill_for_one_icb(workspace):
    result = invoke("blueprint-bill", "--icb", "West Yorkshire", "--draws", "200")
    assert result.exit_code == 0, result.output
    assert "West Yorkshire" in result.output and "pays back in" in result.output
    assert "Sensitivity: ranking of inputs for NHS West Yorkshire" in result.output


def test_one_icbs_export_and_charts_are_that_icbs(workspace, tmp_path):
    """Issue 9, section 5: `blueprint-bill --icb X --chart/--export` wrote the national
    chart and workbook instead of X's."""
    result = invoke(
        "blueprint-bill", "--icb", "West Yorkshire", "--draws", "200",
        "--export", str(tmp_path / "wy.xlsx"),
        "--chart", str(tmp_path / "wy.svg"),
        "--tornado", str(tmp_path / "wy-tornado.svg"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(tmp_path / "wy.xlsx", sheet_name=None)
    assert list(sheets) == ["by-year", "sensitivity", "provenance"]
    titles = sheets["provenance"].query("item == 'title'").value.tolist()
    assert all("NHS West Yorkshire" in title for title in titles)
    national = invoke("blueprint-bill", "--draws", "200", "--format", "json")
    total = json.loads(national.stdout)["data"][-1]["cumulative_net_gbp"]
    assert 0 < sheets["by-year"].cumulative_net_gbp.iloc[-1] < total / 10
    payback = (tmp_path / "wy.svg").read_text()
    assert "West Yorkshire" in payback and "National: net savings" not in payback
    assert "West Yorkshire" in (tmp_path / "wy-tornado.svg").read_text()


def test_blueprint_bill_csv_export_names_every_table_in_full(workspace, tmp_path):
    """Issue 9, section 5: `--export bill.csv` wrote 12 files with truncated names."""
    result = invoke("blueprint-bill", "--draws", "100", "--export", str(tmp_path / "bill.csv"))
    assert result.exit_code == 0, result.output
    tables = ["national", "payback", "claims", "sensitivity", "inputs", "icbs"]
    expected = sorted([*(f"bill-{t}.csv" for t in tables), "bill.provenance.json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    said = " ".join(result.stderr.split())
    assert "wrote 6 tables: " in said and "bill-national.csv" in said
    assert f"provenance in {tmp_path / 'bill.provenance.json'}" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--national", "--icb", "QWO"], "choose one view, not --national and --icb"),
        (["--icb", "QWO", "--icbs"], "choose one view, not --icb and --icbs"),
        (["--icbs", "--chart", "x.png"], "--icbs has no chart"),
    ],
)
def test_blueprint_bill_views_exclude_each_other(workspace, args, message):
    """Issue 9, section 5: `--national` did nothing, even beside --icb or --icbs."""
    result = invoke("blueprint-bill", "--draws", "10", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_a_bad_scenario_file_is_a_located_error_with_exit_code_2(workspace, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("inputs:\n  vr_share: {distribution: uniform, low: 0.5, high: 1.4}\n")
    result = invoke("blueprint-bill", "--scenario", str(bad))
    assert result.exit_code == 2
    assert "bad.yaml:2: inputs.vr_share.high: a share must be from 0 to 1, got 1.4" in result.output


def test_csv_output_is_the_national_table(workspace):
    result = invoke("blueprint-bill", "--draws", "100", "--format", "csv")
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0]
    assert header.startswith("financial_year,savings_gbp,redundancy_gbp,net_gbp")


def test_allocate_check_reproduces_the_published_distances(workspace):
    result = invoke("allocate", "check")
    assert result.exit_code == 0, result.output
    assert "Largest difference from the published figure" in result.output


def test_allocate_targets_json_sums_to_the_control_total(workspace):
    result = invoke(
        "allocate", "targets", "--year", "2025/26", "--on", "2026-06-01", "--format", "json"
    )
    document = json.loads(result.stdout)
    assert len(document["data"]) == 36
    # NHS England's implied 2025/26 core target total, worked from its published table
    # (icb_allocations_gbp_2023_24_to_2025_26.csv, 42 ICBs): the sum over ICBs of core
    # recurrent allocation / (1 + distance from target) = £114,848,740,544.82, to the pound
    assert sum(row["target_gbp"] for row in document["data"]) == 114_848_740_545
    assert document["provenance"]["data"]["geography"].startswith("36 ICBs")


def test_a_reform_changes_the_targets(workspace, tmp_path):
    """Issue 9, section 1: `--reform` reaches finance: a user's 2027 merger of West
    Yorkshire and Humber and North Yorkshire is one ICB in the targets of 2027."""
    merger = MERGER_2027
    args = ["allocate", "targets", "--year", "2025/26", "--on", "2027-06-01", "--format", "json"]
    plain = json.loads(invoke(*args).stdout)
    result = invoke(*args, "--reform", str(merger))
    assert result.exit_code == 0, result.output
    what_if = json.loads(result.stdout)
    assert (len(plain["data"]), len(what_if["data"])) == (36, 35)
    merged = next(row for row in what_if["data"] if row["ods_code"] == "QZZ")
    parts = [row["share"] for row in plain["data"] if row["ods_code"] in ("QWO", "QOQ")]
    assert merged["share"] == pytest.approx(sum(parts), abs=1e-12)
    assert what_if["provenance"]["reform"] == str(merger)


def test_allocate_places_by_name_with_a_budget(workspace):
    result = invoke(
        "allocate",
        "places",
        "Cheshire and Merseyside",
        "--by",
        "lad",
        "--budget",
        "£1.2bn",
        "--year",
        "2025/26",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout))
    assert frame.budget_gbp.sum() == 1_200_000_000
    assert frame.explanation.str.contains("of the budget").all()


def test_allocate_places_of_a_place_a_council_and_a_former_icb(workspace):
    """Issue 9, section 1: places resolve through the one resolver: a place, a council and
    Frimley after 1 April 2026 (its practices, now in three ICBs)."""
    for area in ("Leeds", "Surrey County Council", "Frimley"):
        result = invoke(
            "allocate", "places", area, "--by", "sub-icb", "--on", "2026-06-01", "--format", "json"
        )
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        assert document["data"] and any(area in note for note in document["notes"])
    icbs = {row["icb_ods"] for row in document["data"]}
    assert icbs == {"QRL", "S0E4D", "S9B9J"}  # icb_crosswalk_2023_to_2026: Frimley's successors


def test_allocate_waterfall_rejects_a_region(workspace):
    result = invoke("allocate", "waterfall", "London", "--year", "2025/26")
    assert result.exit_code == 2
    assert "not an ICB in force" in " ".join(result.output.split())


def test_a_places_file_reports_every_bad_row(workspace, tmp_path):
    places = tmp_path / "places.csv"
    places.write_text("Practice Code,Place\nN81001,North\n,South\nn81001,East\nN81002,\n")
    result = invoke("allocate", "places", "Cheshire and Merseyside", "--places", str(places))
    assert result.exit_code == 2
    for message in (
        "places.csv:3: practice_code: required",
        "places.csv:4: practice_code: practice N81001 is listed twice (first at row 2)",
        "places.csv:5: place: required",
    ):
        assert message in result.output.replace("\n", "")


def test_allocate_need_compares_a_csv(workspace, tmp_path):
    from icsatlas.finance import need
    from icsatlas.finance import weighted_population as wp
    from icsatlas.workspace import open as open_workspace

    path = tmp_path / "need.csv"
    basis = wp.Basis("2025/26", open_workspace().geography("2025-04-01"))
    need.from_practice_file(basis).to_csv(path, index=False)
    result = invoke("allocate", "need", str(path), "--year", "2025/26")
    assert result.exit_code == 0, result.output
    assert "NHSE target £m" in result.output


def test_allocate_waterfall_and_converge_charts(workspace, tmp_path):
    result = invoke(
        "allocate", "waterfall", "QHM", "--year", "2025/26", "--chart", str(tmp_path / "w.svg")
    )
    assert result.exit_code == 0, result.output
    assert "Target" in result.output and (tmp_path / "w.svg").exists()
    result = invoke(
        "allocate",
        "converge",
        "--years",
        "3",
        "--year",
        "2025/26",
        "--chart",
        str(tmp_path / "c.png"),
    )
    assert result.exit_code == 0, result.output
    assert "2028/29" in result.output


def test_running_costs_and_redundancy(workspace):
    result = invoke("running-costs")
    assert result.exit_code == 0, result.output
    assert "England (all ICBs)" in result.output
    result = invoke("redundancy", "--salary", "95000", "--service", "30", "--format", "json")
    rows = json.loads(result.output)["data"]
    # Section 16 of the NHS Terms and Conditions Handbook: pay capped at £80,000, at most
    # 24 months: 80,000 / 12 x 24 = £160,000
    assert rows[0]["gbp"] == 160000.0


def test_bcf_import_show_and_scenario(own_workspace, tmp_path):
    path = tmp_path / "bcf.csv"
    path.write_text(
        "area_code,financial_year,funding_stream,amount_gbp\nE10000016,2025/26,nhs_minimum,155850000\n"
    )
    result = invoke("bcf", "import", str(path), "--description", "Kent BCF plan 2025/26")
    assert result.exit_code == 0, result.output
    shown = invoke("bcf", "show")
    assert "Kent" in shown.output and "Kent BCF plan 2025/26" in shown.output
    scenario = invoke(
        "bcf", "scenario", "--from-year", "2017/18", "--from-per-head", "15",
        "--year", "2024/25", "--per-head", "13",
    )  # fmt: skip
    assert "SCENARIO, NOT DATA" in scenario.output
    assert "2017/18" in scenario.output and "ONS mid-year" in scenario.output
    unsourced = invoke("bcf", "scenario")
    assert unsourced.exit_code == 2 and "no sourced per-resident figure" in unsourced.output


def test_bcf_import_of_a_bad_file_exits_2_with_row_and_field(own_workspace, tmp_path):
    path = tmp_path / "bcf.csv"
    path.write_text(
        "area_code,financial_year,funding_stream,amount_gbp\nE10000016,2025,nhs_minimum,1\n"
    )
    result = invoke("bcf", "import", str(path), "-d", "x")
    assert result.exit_code == 2
    assert "bcf.csv:2: financial_year: not a financial year" in result.output


def test_shift_for_one_icb_and_streams(workspace):
    result = invoke("shift", "--icb", "QHL", "--year", "2025/26", "--mode", "need")
    assert result.exit_code == 0, result.output
    assert "Birmingham and Solihull" in result.output
    assert "community vs need" in result.output
    assert invoke("shift", "--streams").exit_code == 0


def figure_and_fingerprint(args: list[str], overrides: Path | None):
    more = ["--parameters", str(overrides)] if overrides else []
    result = invoke(*args, "--format", "json", *more)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return document["data"], document["provenance"]["parameters"]


# Each command that computes, a parameter it reads and a figure that parameter moves (None:
# its figures are data, so only the fingerprint in its provenance changes).
OVERRIDES = [
    (["allocate", "targets", "--year", "2025/26"], "finance.allocation.core_weights: {g_a: 0.5}",
     None),
    (["allocate", "check", "--year", "2025/26"], "finance.allocation.core_weights: {g_a: 0.5}",
     None),
    (["allocate", "places", "QWO", "--year", "2025/26"],
     "finance.allocation.core_weights: {g_a: 0.5}", "from_g_a"),
    (["allocate", "waterfall", "QWO", "--year", "2025/26"],
     "finance.allocation.core_weights: {g_a: 0.5}", "gbp"),
    (["allocate", "converge", "--year", "2025/26", "--years", "2"],
     "finance.allocation.gap_closed_per_year: 0.5", "allocation_gbp"),
    (["allocate", "weights", "--year", "2025/26"], "finance.allocation.core_weights: {g_a: 0.5}",
     "shipped"),
    (["running-costs"], "finance.running_costs.target_per_head: 20", "reduction_gbp"),
    (["redundancy", "--salary", "95000", "--service", "30"],
     "finance.redundancy.earnings_cap: 90000", "gbp"),
    (["blueprint-bill", "--draws", "20"], "finance.redundancy.earnings_cap: 60000",
     "redundancy_gbp"),
    (["bcf", "minimums"], "finance.bcf.england_population: 60000000", "per_head_gbp"),
    (["bcf", "scenario", "--from-year", "2017/18", "--from-per-head", "15", "--year",
      "2024/25", "--per-head", "13"], "finance.bcf.england_population: 60000000", None),
    (["shift", "--year", "2025/26"], "finance.allocation.core_weights: {g_a: 0.5}",
     "acute_share"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "override", "column"), OVERRIDES, ids=lambda v: str(v)[:30])
def test_every_computing_command_takes_a_parameters_file(
    workspace, tmp_path, args, override, column
):
    """Issue 9, section 3: `--parameters FILE` on every finance command that computes; the
    override moves the figures that depend on it, and the fingerprint in the provenance."""
    file = tmp_path / "mine.yaml"
    file.write_text(override + "\n")
    shipped, shipped_print = figure_and_fingerprint(args, None)
    mine, mine_print = figure_and_fingerprint(args, file)
    assert shipped_print.startswith("parameters@") and "+overrides@" in mine_print
    assert mine_print != shipped_print
    if column is not None:
        assert [row[column] for row in mine] != [row[column] for row in shipped]


def test_bcf_show_and_counties_take_a_parameters_file(own_workspace, tmp_path):
    path = tmp_path / "bcf.csv"
    path.write_text(
        "area_code,financial_year,funding_stream,amount_gbp\nE10000016,2025/26,nhs_minimum,1e8\n"
    )
    assert invoke("bcf", "import", str(path), "-d", "test").exit_code == 0
    file = tmp_path / "mine.yaml"
    file.write_text("finance.bcf.england_population: 60000000\n")
    for command in ("show", "counties"):
        shipped, shipped_print = figure_and_fingerprint(["bcf", command], None)
        mine, mine_print = figure_and_fingerprint(["bcf", command], file)
        assert mine_print != shipped_print
        # per head is over each council's own ONS estimate, not a share of England's total
        assert mine[0]["pooled_per_head"] == shipped[0]["pooled_per_head"]


def test_a_bad_parameters_file_is_a_located_error(workspace, tmp_path):
    file = tmp_path / "mine.yaml"
    file.write_text("finance.redundancy.earnings_cap: lots\n")
    result = invoke("redundancy", "--salary", "30000", "--service", "5", "--parameters", str(file))
    assert result.exit_code == 2
    assert "mine.yaml:1: finance.redundancy.earnings_cap: expected a number" in result.output
    missing = invoke("running-costs", "--parameters", str(tmp_path / "nothing.yaml"))
    assert missing.exit_code == 2 and "does not exist" in " ".join(missing.output.split())
