"""Populations generated once per test session (small, so the suite stays fast).

* ``small``: Shropshire, Telford and Wrekin at 1% (about 5,000 people) - spec tests on
  both engines;
* ``frimley``: 2% of the three sub-ICB locations that took Frimley's practices in April
  2026 - aggregation back to the 42 ICBs of 2025;
* ``england``: 0.5% of everyone (about 316,000 people) - national checks and the need index.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, generate

PARAMS = ParameterSet.shipped()


@pytest.fixture(scope="session")
def population_home(tmp_path_factory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("population-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ICSATLAS_HOME", str(home))
        patch.delenv("ICSATLAS_DATABASE_URL", raising=False)
        yield home


def _generated(home: Path, name: str, areas: tuple[str, ...], fraction: float) -> dataset.Dataset:
    plan = generate.plan(areas, fraction=fraction, seed=7)
    return generate.run(plan, name, params=PARAMS, jobs=1).dataset


@pytest.fixture(scope="session")
def small(population_home) -> dataset.Dataset:
    return _generated(population_home, "small", ("Shropshire, Telford and Wrekin",), 0.01)


@pytest.fixture(scope="session")
def frimley(population_home) -> dataset.Dataset:
    return _generated(population_home, "frimley", ("U2G6B", "92A", "D9Y0V"), 0.02)


@pytest.fixture(scope="session")
def england(population_home) -> dataset.Dataset:
    return _generated(population_home, "england-sample", (), 0.005)
