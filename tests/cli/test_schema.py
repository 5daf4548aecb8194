"""`icsatlas schema`: list the schemas, print one exactly as shipped, check files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from icsatlas import schemas
from icsatlas.cli import app
from tests.cli.conftest import data_of


@pytest.fixture
def run(workspace):
    def invoke(*args: str):
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.stdout if result.exit_code == 0 else result.output

    return invoke


def test_the_schemas_are_listed(run):
    code, output = run("schema", "--format", "json")
    assert code == 0
    assert [row["name"] for row in data_of(output)] == list(schemas.NAMES)


@pytest.mark.parametrize("name", schemas.NAMES)
def test_a_schema_is_printed_exactly_as_shipped(run, name):
    code, output = run("schema", name)
    assert code == 0
    assert output == schemas.text(name)
    assert json.loads(output)["title"]


def test_good_files_are_checked_as_the_commands_read_them(run, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("finance.redundancy.earnings_cap: 90000\n")
    slow = tmp_path / "slow.yaml"
    slow.write_text("inputs:\n  vr_share: 0.7\n")
    code, output = run("schema", "parameter-overrides", str(mine))
    assert code == 0
    assert output.strip().endswith(
        "mine.yaml: valid parameter overrides: finance.redundancy.earnings_cap"
    )
    code, output = run("schema", "scenario", str(slow))
    assert code == 0
    assert output.strip().endswith("slow.yaml: a valid scenario: inputs changed: vr_share")


def test_a_bad_file_lists_every_problem_and_exits_2(run, tmp_path):
    slow = tmp_path / "slow.yaml"
    slow.write_text("draws: 0\ninputs:\n  vr_share: {distribution: uniform, low: 0.5, high: 1.4}\n")
    code, output = run("schema", "scenario", str(slow))
    assert code == 2
    assert "slow.yaml:1: draws: must be 1 or more, got 0" in output
    assert "slow.yaml:3: inputs.vr_share.high: a share must be from 0 to 1, got 1.4" in output


def test_an_unknown_schema_suggests_the_nearest(run):
    code, output = run("schema", "scenarios")
    assert code == 2 and "did you mean 'scenario'?" in output


def test_a_reform_is_checked_against_the_register_too(cli, tmp_path):
    wave = tmp_path / "wave.yaml"
    wave.write_text(
        "name: wave\ntitle: t\nsource: s\neffective: 2027-04-01\noperations:\n"
        "  - transfer: {function: eprr, from: icb, to: nhs-region}\n"
        "  - review: {function: epr}\n"
    )
    code, output = cli("schema", "reform", str(wave))
    assert code == 2
    assert "wave.yaml:7: operations[1].review.function: unknown function 'epr'" in output


def test_the_command_line_starts_without_jsonschema():
    """Issue 9, section 4 (fast commands): the schemas' validator loads on first use only."""
    code = "import sys, icsatlas.cli; print(sorted(m for m in sys.modules if 'jsonschema' in m))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
