"""The same commands on a real PostgreSQL server (ICSATLAS_DATABASE_URL)."""

from __future__ import annotations

import uuid
from datetime import date
from importlib import resources

import psycopg
import pytest
from typer.testing import CliRunner

from icsatlas.cli import app
from tests.cli.conftest import data_of

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_workspace(postgres_url, tmp_path, monkeypatch):
    schema = f"cli_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_url else "?"
    monkeypatch.setenv(
        "ICSATLAS_DATABASE_URL", f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    )
    monkeypatch.setenv("ICSATLAS_HOME", str(tmp_path / "home"))
    yield
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


def test_build_query_and_apply_on_postgresql(postgres_workspace, tmp_path):
    runner = CliRunner()
    built = runner.invoke(app, ["build", "--format", "json"])
    assert built.exit_code == 0, built.output
    result = runner.invoke(
        app, ["areas", "--type", "icb", "--on", "2022-07-01", "--format", "json"]
    )
    assert len(data_of(result.stdout)) == 42
    result = runner.invoke(
        app,
        ["who", "primary care", "--area", "E54000034", "--on", "2025-01-01", "--format", "json"],
    )
    assert data_of(result.stdout)[0]["holder"] == "NHS Frimley Integrated Care Board"
    applied = runner.invoke(app, ["reform", "apply", "blueprint-2025", "--reason", "test"])
    assert applied.exit_code == 0, applied.output
    log = data_of(runner.invoke(app, ["log", "--format", "json"]).stdout)
    assert log[-1]["kind"] == "reform"
    result = runner.invoke(
        app,
        ["who", "workforce planning", "--area", "QYG", "--on", "2026-06-01", "--format", "json"],
    )
    assert data_of(result.stdout)[0]["holder_type"] == "nhs-region"


def test_changes_on_postgresql_list_a_board_import_first(postgres_workspace, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(app, ["build"]).exit_code == 0
    board = resources.files("icsatlas.data") / "examples" / "board_hertfordshire_west_essex.csv"
    monkeypatch.setenv("ICSATLAS_ACTOR", "board-clerk")
    imported = runner.invoke(app, ["board", "import", str(board), "--reason", "constitution"])
    assert imported.exit_code == 0, imported.output
    since = date.today().isoformat()
    result = runner.invoke(app, ["changes", "--since", since, "--area", "QM7", "-f", "json"])
    assert result.exit_code == 0, result.output
    newest = data_of(result.stdout)[0]
    # board_hertfordshire_west_essex.csv holds the 10 minimum seats of the HWE board
    assert (newest["actor"], newest["records"]) == ("board-clerk", "10 board_member added")
