"""One built workspace for the briefing tests, with a small synthetic population (Shropshire,
Telford and Wrekin at 1%, as the report's tests use) so the population section has people."""

from __future__ import annotations

import pytest

import icsatlas
from icsatlas.workspace import Workspace

ON = "2026-06-01"


@pytest.fixture(scope="package")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    home = tmp_path_factory.mktemp("briefing-home")
    workspace = icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)
    workspace.population.generate("small", fraction=0.01, areas=["M2L0M"], seed=7, jobs=1)
    return workspace
