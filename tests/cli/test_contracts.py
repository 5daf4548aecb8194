"""`icsatlas contracts ...`: wiring, output formats, exit codes and error messages."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from icsatlas.parameters import ParameterSet

FIXTURES = Path(__file__).parents[1] / "contracts" / "fixtures"


@pytest.fixture
def run(cli):
    """Run `icsatlas contracts ...` in a workspace of the test's own (a copy of one built
    once per module); returns (exit code, output)."""

    def invoke(*args: str):
        return cli("contracts", *map(str, args))

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
    points, summary = (section["data"] for section in document["sections"])
    # worked by hand (NHSRplotthedots rules, ICS-REFERENCE.md §8): mean 151/13 = 11.62; the
    # moving range 9 (10 -> 19) exceeds 3.267 x 31/12 and is screened out, leaving mean MR 2,
    # so UPL = 11.62 + 2.66 x 2 = 16.94 and the last point, 19, is above it: a concern when
    # lower is better
    assert document["data"] == [] and len(points) == 13
    assert summary[0]["variation"] == "concern_high" and summary[0]["n"] == 13
    last = points[-1]
    assert last["special_cause_type"] == "Above UCL"
    assert last["point_type"] == "special_cause_concern"
    assert {"mean", "lpl", "upl", "outside_limits", "trend", "two_of_three", "shift"} <= set(last)
    assert document["provenance"]["parameters"] == ParameterSet.shipped().fingerprint
    assert "(nhsrplotthedots@2024-01-01)" in document["notes"][0]


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
    """Counts, dates and amounts as written in the constructed fixture
    nhs_release_package.json (6 releases of 3 ocids; 4 contracts; contract 006001-2024-1
    starts 2024-06-01 and is amended from £4.5m to £5.1m)."""
    code, output = run("import", FIXTURES / "nhs_release_package.json")
    assert code == 0 and "3 records compiled; 4 contracts" in output
    code, output = run("list", "--icb", "QNQ", "--format", "json")
    contracts = json.loads(output)["data"]
    assert len(contracts) == 4
    assert contracts[0]["start_date"] == "2024-06-01"
    code, output = run("outsourcing", "--icb", "QNQ", "--view", "routes", "--format", "csv")
    assert code == 0 and "direct award" in output
    code, output = run("record", "ocds-h6vhtk-0a1b2c", "--format", "json")
    fields = {r["field"]: r["value"] for r in json.loads(output)["data"]}
    assert fields["tag"] == "compiled" and fields["buyer.id"] == "GB-NHS-QNQ"
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
    # 8 working days from Wed 27 Mar 2024, Good Friday and Easter Monday skipped (gov.uk bank
    # holidays; worked in tests/contracts/test_psr.py)
    _, output = run("psr", "standstill", "2024-03-27", "--format", "json")
    assert json.loads(output)["data"][0]["standstill ends (midnight)"] == "2024-04-10"
    log = tmp_path / "psr.csv"
    log.write_text(
        "reference,authority,process,award_date,award_notice_date\n"
        "P1,NHS Frimley ICB,direct award a,2025-01-06,2025-03-01\n"
    )
    assert run("import", log)[0] == 0
    _, output = run("psr", "log", "--today", "2025-06-01", "--format", "json")
    # award notice 54 days after the award; the PSR allows 30 (NHS England, PSR statutory
    # guidance; contracts/psr/award_notice_days.yaml)
    assert json.loads(output)["data"][0]["status"] == "breached"


def test_psr_dates_are_read_day_first_and_words_are_a_clear_error(run, tmp_path):
    """Issue 9 section 5: a non-ISO date gave a traceback (`psr log --today yesterday`
    raised ValueError) or a bare Python message; dates are read day first, as in the UK."""
    _, output = run("psr", "standstill", "27/03/2024", "--format", "json")
    assert json.loads(output)["data"][0]["standstill ends (midnight)"] == "2024-04-10"
    code, output = run("psr", "log", "--today", "yesterday")
    assert code == 2
    assert "--on: not a date: 'yesterday' (use YYYY-MM-DD, or DD/MM/YYYY, day first)" in (
        output.replace("\n", "")
    )
    code, output = run("psr", "standstill", "2024-13-01")
    assert code == 2 and "published: not a date: '2024-13-01' (there is no month 13" in output


def test_a_contracts_csv_is_recognised_by_a_header_in_any_case(run, tmp_path):
    log = tmp_path / "psr.csv"
    log.write_text("Reference,Authority,Process,Award Date\nP1,NHS Frimley ICB,A,06/01/2025\n")
    code, output = run("import", log)
    assert code == 0, output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("reference,authority,process,contract_value\nP1,ICB,A,£5\n".encode("cp1252"))
    code, output = run("import", latin)
    assert code == 2 and "not UTF-8 (byte 0xa3 on line 2" in output


def test_kpi_loads_shipped_series_and_flags_concern(run, tmp_path):
    code, output = run("kpi", "rtt-18w/*", "--load", "rtt-18w", "--format", "json")
    assert code == 0
    summary = json.loads(output)["data"][0]
    # 224 months in the shipped NHS England RTT series (PROVENANCE-upstream.md); the 92%
    # standard is the NHS Constitution's. Worked from the file: mean 79.6%, mean moving range
    # 0.82 points, so the upper process limit (at most 79.6 + 2.66 x 0.82 = 81.8%) is below
    # 92%: consistently failing (NHSRplotthedots assurance rule, ICS-REFERENCE.md §8)
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
    code, output = run("kpi", "msk-wait/*", "--format", "json")
    row = json.loads(output)["data"][0]
    assert (row["name"], row["target"], row["improvement"]) == (
        "MSK wait (weeks)",
        18.0,
        "decrease",
    )
    code, output = run("import", series_csv)
    assert code == 2 and "--code and --name" in output


def test_percent_and_underscore_in_a_kpi_pattern_are_characters_not_wildcards(run, series_csv):
    """Defect 10 of the hardening issue: `contracts kpi %` matched every series."""
    meta = ["--name", "MSK wait", "--improvement", "decrease"]
    assert run("import", series_csv, "--code", "msk-wait/RDU", *meta)[0] == 0
    code, output = run("kpi", "%", "--format", "json")
    assert code == 2 and "no stored KPI series match '%'" in output
    assert run("kpi", "msk_wait/*")[0] == 2
    code, output = run("kpi", "*", "--format", "json")
    assert code == 0 and [r["series"] for r in json.loads(output)["data"]] == ["msk-wait/RDU"]


UNDATED = """contract_id,title,buyer_name,buyer_code,value,start_date,end_date
C-1,Pathology,NHS Frimley ICB,QNQ,1000,2024-04-01,2025-03-31
C-2,Cleaning,NHS Frimley ICB,QNQ,500,,
"""


def test_an_undated_contract_does_not_break_list_or_outsourcing(run, tmp_path):
    """Issue 9, section 5: one undated contract made `contracts list` and `contracts
    outsourcing` crash with "Unknown format code 'd'"."""
    register = tmp_path / "register.csv"
    register.write_text(UNDATED)
    assert run("import", register)[0] == 0
    code, output = run("list", "--format", "json")
    assert code == 0
    assert [c["start_date"] for c in json.loads(output)["data"]] == ["2024-04-01", None]
    code, output = run("outsourcing", "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert {r["financial_year"]: r["value"] for r in document["data"]} == {
        "2024/25": 1000,
        "no period": 500,
    }
    assert any(
        "not spread, the whole value shown under 'no period'" in n for n in document["notes"]
    )


def test_remove_a_contract_with_a_reason(run):
    """Issue 9, section 5: there was no way to remove a contract."""
    imported = run("import", FIXTURES / "nhs_release_package.json")[1]
    change = int(re.search(r"\(change (\d+)\)", imported)[1])
    key = "ocds-h6vhtk-0d4e5f/007777-2024-1"
    code, output = run("remove", key, "--reason", "awarded to another ICB")
    assert code == 0 and f"1 contract removed (change {change + 1})" in output
    listed = json.loads(run("list", "--format", "json")[1])["data"]
    assert key not in {c["contract_key"] for c in listed} and len(listed) == 3
    code, output = run("remove", key)
    assert code == 2 and "--reason" in output
    code, output = run("remove", "007777-2024-1", "--reason", "again")
    assert code != 0 and f"did you mean {key!r}" not in output  # already removed, not listed
    assert "no contract '007777-2024-1'" in output


PSR_LOG = """reference,authority,process,intention_notice_date
P1,NHS Frimley ICB,competitive,2024-06-03
"""
STEADY = "\n".join(f"2024-{m:02d}-01,{v}" for m, v in zip(range(1, 13), [5, 6] * 6, strict=True))


@pytest.mark.parametrize(
    ("command", "override", "shipped_value", "overridden_value"),
    [
        # PSR standstill: 8 working days from Mon 3 Jun 2024 end on Thu 13 Jun; 10 on Mon 17
        (
            ["psr", "standstill", "2024-06-03"],
            "contracts.psr.standstill_working_days: 10",
            "2024-06-13",
            "2024-06-17",
        ),
        (
            ["psr", "log", "--today", "2024-07-01"],
            "contracts.psr.standstill_working_days: 10",
            "2024-06-13",
            "2024-06-17",
        ),
        # a 6-point shift rule flags the six points below the mean that 7 points do not
        (
            ["spc", "shift.csv", "--fix-after", "12", "--rules", "mdc-2023"],
            "contracts.spc.rule_sets.mdc-2023: {shift_points: 6}",
            "Common Cause",
            "6 Points Below CL",
        ),
        # mdc-2023's trend of 7 points (contracts/spc/rule_sets/mdc-2023.yaml, as
        # NHSRplotthedots' R/ptd_calculate_point_type.R)
        (["rules"], "contracts.spc.rule_sets.mdc-2023: {trend_points: 5}", 7, 5),
        # the 92% RTT standard: consistently failed, and passed if the standard were 20%
        (
            ["kpi", "rtt-18w/*", "--load", "rtt-18w"],
            "contracts.kpi.rtt_18_week_standard: 0.2",
            "consistent_fail",
            "consistent_pass",
        ),
    ],
)
def test_parameters_file_changes_what_a_command_computes(
    run, tmp_path, monkeypatch, command, override, shipped_value, overridden_value
):
    """Issue 9, section 3: --parameters FILE on every contracts command that computes."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shift.csv").write_text(
        f"date,value\n{STEADY}\n" + "".join(f"2025-{m:02d}-01,5.4\n" for m in range(1, 7))
    )
    (tmp_path / "log.csv").write_text(PSR_LOG)
    (tmp_path / "mine.yaml").write_text(override + "\n")
    if command[0] == "psr" and command[1] == "log":
        assert run("import", "log.csv")[0] == 0
    values = []
    for extra in ([], ["--parameters", "mine.yaml"]):
        code, output = run(*command, *extra, "--format", "json")
        assert code == 0, output
        document = json.loads(output)
        values.append(_watched(command, document))
        fingerprint = document["provenance"]["parameters"]
    assert values == [shipped_value, overridden_value]
    assert "+overrides@" in fingerprint


def _watched(command: list[str], document: dict):
    """The one figure each command's override changes."""
    data = document["data"]
    if command[0] == "psr":
        return data[0].get("standstill ends (midnight)") or data[0]["standstill_ends"]
    if command[0] == "spc":
        return document["sections"][0]["data"][-1]["special_cause_type"]
    if command[0] == "rules":
        return next(r["trend"] for r in data if r["name"] == "mdc-2023")
    return data[0]["assurance"]


def test_outsourcing_concerns_follow_the_parameters(run, tmp_path, monkeypatch):
    """--parameters on `outsourcing`: the concerns view uses the SPC rule sets."""
    monkeypatch.chdir(tmp_path)
    register = tmp_path / "register.csv"
    register.write_text(
        "contract_id,title,buyer_name,buyer_code,value,start_date,end_date\n"
        "C-1,Pathology,NHS Frimley ICB,QNQ,1000,2024-04-01,2027-03-31\n"
    )
    run("import", register)
    kpis = tmp_path / "tat.csv"
    kpis.write_text(
        f"date,value\n{STEADY}\n" + "".join(f"2025-{m:02d}-01,5.4\n" for m in range(1, 7))
    )
    run("import", kpis, "--code", "tat", "--name", "Turnaround", "--contract", "csv:C-1")
    (tmp_path / "mine.yaml").write_text("contracts.spc.rule_sets.mdc-2023: {shift_points: 6}\n")
    found = []
    for extra in ([], ["--parameters", "mine.yaml"]):
        code, output = run(
            "outsourcing", "--view", "concerns", "--rules", "mdc-2023", *extra, "--format", "json"
        )
        assert code == 0, output
        found.append([r["contract_key"] for r in json.loads(output)["data"]])
    # six points below the mean of 5.5: a shift (concern, higher is better) only with 6
    assert found == [[], ["csv:C-1"]]


AREAS = """contract_id,title,buyer_name,supplier_name,value,start_date,end_date
LCC-1,Reablement,Leeds City Council,Care Co,2000,2024-04-01,2025-03-31
BMDC-1,Home care,City of Bradford Metropolitan District Council,Care Co,3000,2024-04-01,\
2025-03-31
"""


def test_area_filters_go_through_the_one_resolver(run, tmp_path):
    """Issue 9 §1: --area/--icb take what every command takes ("Leeds", a practice code,
    a council, an ICB code). Leeds City Council serves sub-ICB location 15F (Leeds), Bradford's
    36J, both in NHS West Yorkshire ICB (QWO); B86001 is a Leeds practice (ONS/MHCLG LSOA
    lookups and NHS England's practice list, as shipped)."""
    (tmp_path / "areas.csv").write_text(AREAS)
    assert run("import", tmp_path / "areas.csv")[0] == 0
    found = {}
    for option, area in (("--area", "Leeds"), ("--area", "B86001"), ("--icb", "QWO")):
        code, output = run("list", option, area, "--on", "2025-06-01", "--format", "json")
        assert code == 0, output
        found[area] = {r["contract_key"] for r in json.loads(output)["data"]}
    assert found == {
        "Leeds": {"csv:LCC-1"},
        "B86001": {"csv:LCC-1"},
        "QWO": {"csv:LCC-1", "csv:BMDC-1"},
    }
    code, output = run("outsourcing", "--area", "Bradford", "--on", "2025-06-01", "-f", "json")
    assert code == 0 and [r["value"] for r in json.loads(output)["data"]] == [3000]
    code, output = run("list", "--area", "Nowhere-on-Sea")
    assert code == 2 and "nothing matches 'Nowhere-on-Sea'" in output


def test_record_exports_the_compiled_release(run, tmp_path):
    run("import", FIXTURES / "nhs_release_package.json")
    target = tmp_path / "record.json"
    code, output = run("record", "ocds-h6vhtk-0a1b2c", "--export", target)
    assert code == 0
    assert output.strip() == f"compiled release of ocds-h6vhtk-0a1b2c written to {target}"
    assert json.loads(target.read_text())["tag"] == ["compiled"]


def test_psr_import_and_a_missing_parameters_file(run, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(PSR_LOG)
    code, output = run("psr", "import", log)
    assert code == 0 and output.startswith("1 decision imported from log.csv (change ")
    code, output = run("rules", "--parameters", tmp_path / "missing.yaml")
    assert code == 2 and "does not exist" in output


def test_contracts_help_imports_no_pandas_numpy_matplotlib_or_ocdsmerge():
    """Issue 9 §4: every command starts fast; `icsatlas contracts --help` loads typer and
    the CLI's options and renderer only."""
    script = (
        "import sys\nfrom icsatlas.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
        "    print(*sorted(sys.modules), file=sys.stderr)"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, "contracts", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "outsourcing" in found.stdout
    loaded = set(found.stderr.split())
    assert "icsatlas.cli.contracts" in loaded
    assert not loaded & {"pandas", "numpy", "matplotlib", "ocdsmerge"}
