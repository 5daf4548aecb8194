"""Shared fixtures: isolated workspaces and a fresh store on every engine.

The ``store`` fixture runs each test on DuckDB and on a real PostgreSQL server
(``ICSATLAS_TEST_POSTGRES_URL``; ``scripts/test`` starts one on 127.0.0.1).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from icsatlas import store as store_module
from icsatlas.store import Store

POSTGRES_ENV = "ICSATLAS_TEST_POSTGRES_URL"
MERGER_2027 = Path(__file__).parent / "fixtures" / "merge-2027.yaml"  # a user's what-if merger


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ICSATLAS_HOME of the test's own, with no database URL set."""
    home = tmp_path / "home"
    monkeypatch.setenv("ICSATLAS_HOME", str(home))
    monkeypatch.delenv("ICSATLAS_DATABASE_URL", raising=False)
    return home


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.fail(
            f"{POSTGRES_ENV} is not set: run the suite with scripts/test, which starts a "
            "PostgreSQL server on 127.0.0.1, or deselect with -m 'not postgres'"
        )
    return url


ENGINES = ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def fresh_store(engine: str, folder: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A freshly migrated, empty store: a DuckDB file, or a PostgreSQL schema of its own."""
    if engine == "duckdb":
        with store_module.connect(f"duckdb:///{folder / 'test.duckdb'}") as duck:
            yield duck
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    store = store_module.connect(request.getfixturevalue("postgres_url"), schema=schema)
    try:
        yield store
    finally:
        store.execute(f"DROP SCHEMA {schema} CASCADE")
        store.close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A freshly migrated, empty store on each engine."""
    with fresh_store(engine, tmp_path, request) as fresh:
        yield fresh
