"""Finance tests share one workspace (the register built once for the session) and the
bases they ask about: an allocation year in the register's areas on a date."""

from __future__ import annotations

from datetime import date

import pytest

import icsatlas
from icsatlas.finance import weighted_population as wp
from icsatlas.finance import years
from icsatlas.workspace import Workspace


@pytest.fixture(scope="session")
def ws(tmp_path_factory) -> Workspace:
    home = tmp_path_factory.mktemp("finance-home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


@pytest.fixture(scope="session")
def basis(ws):
    """``basis(year, on)``: the year's weighted populations in the areas in force on ``on``
    (default: the first day of the year)."""

    def make(year: str = "2025/26", on: date | None = None) -> wp.Basis:
        return wp.Basis(year, ws.geography(on or years.first_day(year)))

    return make


@pytest.fixture(scope="session")
def b42(basis) -> wp.Basis:
    """2025/26 in the 42 ICBs in force on 1 April 2025."""
    return basis("2025/26")


@pytest.fixture(scope="session")
def b36(basis) -> wp.Basis:
    """2025/26 in the 36 ICBs in force on 1 June 2026."""
    return basis("2025/26", date(2026, 6, 1))
