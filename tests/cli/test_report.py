"""``icsatlas report``: the wiring, output formats and exit codes."""

from __future__ import annotations

import json

from tests.conftest import MERGER_2027


def test_json_has_the_identity_then_every_section(cli):
    code, output = cli("report", "QWO", "--on", "2026-06-01", "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert document["title"] == "NHS West Yorkshire Integrated Care Board (icb, QWO) on 2026-06-01"
    assert [s["title"].split(" ")[0] for s in document["sections"]] == [
        "Who",
        "Accountability",
        "Board",
        "Money",
        "Population",
        "Contracts",
        "Areas",
        "Areas",
    ]


def test_a_reform_adds_its_column(cli):
    code, output = cli(
        "report", "Leeds", "--on", "2027-06-01", "-r", str(MERGER_2027), "-f", "json"
    )
    assert code == 0
    functions = json.loads(output)["sections"][0]
    row = next(r for r in functions["data"] if r["function"] == "NHS Continuing Healthcare")
    assert row["holder_under_reform"] == "NHS Yorkshire Test ICB"  # merge-2027.yaml


def test_report_help_imports_no_pandas():
    """The command line starts fast: defining the report command imports no pandas."""
    import subprocess
    import sys

    script = "import sys, icsatlas.cli.report; print('pandas' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert found.stdout.strip() == "False", found.stderr


def test_the_table_shows_the_successor_notice(cli):
    code, output = cli("report", "Frimley", "--on", "2026-06-01")
    assert code == 0
    assert "NHS Frimley ICB was abolished on 1 April 2026" in " ".join(output.split())


def test_an_unknown_area_is_a_user_error(cli):
    code, output = cli("report", "Atlantis", "--on", "2026-06-01")
    assert code == 2
    assert "error:" in output
