"""Trend tests compute their expected figures from the shipped CSVs themselves (csv module,
not the code under test)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parents[2] / "src" / "icsatlas" / "data" / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def ws(tmp_path_factory):
    import icsatlas

    workspace = icsatlas.open(home=tmp_path_factory.mktemp("trends-home"))
    yield workspace
    workspace.close()
