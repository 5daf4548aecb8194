"""A built workspace on each engine for the subscription tests (built once per module;
subscriptions cleared before each test), and a real SMTP server on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import icsatlas
from icsatlas import store as store_module
from icsatlas.workspace import Workspace
from tests.notify.mailserver import Received, mail_server, use

ENGINES = ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=ENGINES)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The URL and folder of a workspace with the register built."""
    home = tmp_path_factory.mktemp(f"notify-{request.param}")
    if request.param == "duckdb":
        url = f"duckdb:///{home / 'icsatlas.duckdb'}"
        icsatlas.open(url, home=home).close()
        yield url, home
        return
    postgres = request.getfixturevalue("postgres_url")
    schema = f"notify_{uuid.uuid4().hex[:10]}"
    store_module.connect(postgres, schema=schema).close()
    url = f"{postgres}{'&' if '?' in postgres else '?'}options=-csearch_path%3D{schema}"
    icsatlas.open(url, home=home).close()
    try:
        yield url, home
    finally:
        with store_module.connect(postgres, upgrade=False) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def ws(built: tuple[str, Path]) -> Iterator[Workspace]:
    url, home = built
    with icsatlas.open(url, home=home) as opened:
        opened.store.execute("DELETE FROM subscription")
        yield opened


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Received, int]]:
    """The SMTP server, with icsatlas's settings pointing at it."""
    with mail_server() as (received, port):
        use(monkeypatch, port)
        yield received, port
