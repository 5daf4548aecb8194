"""Populations generated once per test session (small, so the suite stays fast), and the
workspace whose register gives their geography.

* ``small``: Shropshire, Telford and Wrekin (sub-ICB location M2L0M) at 1% (about 5,000
  people) - spec tests on both engines;
* ``frimley``: 2% of the three sub-ICB locations that took Frimley's practices in April
  2026 - aggregation back to the 42 ICBs of 2025;
* ``england``: 0.5% of everyone (about 316,000 people) - national checks and the need index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pytest

import icsatlas
from icsatlas.geography.on_date import Geography
from icsatlas.parameters import ParameterSet
from icsatlas.population import areas, dataset, generate
from icsatlas.workspace import Workspace

PARAMS = ParameterSet.shipped()
AUG_2026 = date(2026, 8, 1)


@pytest.fixture(scope="session")
def population_home(tmp_path_factory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("population-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ICSATLAS_HOME", str(home))
        patch.delenv("ICSATLAS_DATABASE_URL", raising=False)
        yield home


@pytest.fixture(scope="session")
def ws(population_home) -> Workspace:
    """The workspace of the session (its register built once, in ``population_home``)."""
    return icsatlas.open()


@pytest.fixture(scope="session")
def geography(ws) -> Callable[..., Geography]:
    """``geography(on)``: the register's geography on a date (default 1 August 2026)."""
    return cache(lambda on=AUG_2026: ws.geography(on))


@pytest.fixture(scope="session")
def focus(ws, geography) -> Callable[..., areas.Focus]:
    """``focus(text, on)``: the people of an area named as a user would name it."""

    def read(text: str, on: date = AUG_2026) -> areas.Focus:
        return areas.focus(ws.resolve(text, on), geography(on))

    return read


def _generated(home: Path, name: str, areas: tuple[str, ...], fraction: float) -> dataset.Dataset:
    plan = generate.plan(areas, fraction=fraction, seed=7)
    return generate.run(plan, name, params=PARAMS, jobs=1).dataset


@pytest.fixture(scope="session")
def small(population_home) -> dataset.Dataset:
    return _generated(population_home, "small", ("M2L0M",), 0.01)


@pytest.fixture(scope="session")
def frimley(population_home) -> dataset.Dataset:
    return _generated(population_home, "frimley", ("U2G6B", "92A", "D9Y0V"), 0.02)


@pytest.fixture(scope="session")
def england(population_home) -> dataset.Dataset:
    return _generated(population_home, "england-sample", (), 0.005)
