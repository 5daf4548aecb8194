"""CLI tests run the real command in a workspace of their own, built once per module."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icsatlas.cli import app


@pytest.fixture(scope="module")
def built_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("home")
    result = CliRunner().invoke(app, ["build"], env={"ICSATLAS_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def cli(built_home, tmp_path, monkeypatch):
    """Run `icsatlas ...` on a copy of the built workspace; returns (exit code, output)."""
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    monkeypatch.setenv("ICSATLAS_HOME", str(home))
    monkeypatch.delenv("ICSATLAS_DATABASE_URL", raising=False)
    runner = CliRunner()

    def run(*args: str):
        """Exit code, and stdout (on success) or everything printed (on failure)."""
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout if result.exit_code == 0 else result.output

    return run


def data_of(output: str) -> list[dict]:
    return json.loads(output)["data"]
