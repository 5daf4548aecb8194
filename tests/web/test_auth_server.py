"""Writes over HTTP to ``icsatlas serve`` in its own process, on DuckDB (the server opens the
file writable for the one request) and on PostgreSQL: the editor's change is recorded as
theirs and seen by the next answer; the wrong ICB, no token and a bad row change nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from icsatlas import store as store_module
from tests.web.auth_helpers import CSV_HEADER, add_accounts, copy_home, log, member_row, members
from tests.web.conftest import ENGINES, _served


@pytest.fixture(scope="module", params=ENGINES)
def served(
    request: pytest.FixtureRequest, web_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict]:
    home = copy_home(web_home, tmp_path_factory.mktemp(f"auth-{request.param}"))
    if request.param == "duckdb":
        url = f"duckdb:///{home / 'icsatlas.duckdb'}"
        tokens = add_accounts(url, home)
        for base in _served(url, home):
            yield {"base": base, "url": url, "home": home, **tokens}
        return
    postgres = request.getfixturevalue("postgres_url")
    schema = f"auth_{uuid.uuid4().hex[:10]}"
    store_module.connect(postgres, schema=schema).close()
    url = f"{postgres}{'&' if '?' in postgres else '?'}options=-csearch_path%3D{schema}"
    tokens = add_accounts(url, home)
    try:
        for base in _served(url, home):
            yield {"base": base, "url": url, "home": home, **tokens}
    finally:
        with store_module.connect(postgres, upgrade=False) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def post(served: dict, icb: str, body: str, token: str | None) -> httpx.Response:
    headers = {"content-type": "text/csv"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return httpx.post(
        f"{served['base']}/api/v1/areas/{icb}/board",
        params={"reason": "over HTTP"},
        content=body.encode(),
        headers=headers,
        timeout=60,
    )


def page(served: dict, path: str) -> str:
    return httpx.get(f"{served['base']}{path}", timeout=60).text


def release(served: dict) -> str:
    return httpx.get(f"{served['base']}/api/v1/reforms", timeout=60).json()["release"]


def test_an_editors_write_is_theirs_and_seen_by_the_next_answer(served):
    before = release(served)
    none = "none recorded: no board members are recorded for these boards"
    assert none in page(served, "/icb/QWO")
    response = post(served, "QWO", f"{CSV_HEADER}\n{member_row('Lee Example')}\n", served["editor"])
    assert response.status_code == 201, response.text
    assert log(served["url"], served["home"])[-1].actor == "amira"
    assert "Lee Example" in members(served["url"], served["home"])
    assert release(served) != before
    assert none not in page(served, "/icb/QWO")  # the ICB's page shows the new member


def test_refusals_change_nothing(served):
    count = len(log(served["url"], served["home"]))
    other = post(served, "S9B9J", f"{CSV_HEADER}\n{member_row('Mo', 'S9B9J')}\n", served["editor"])
    anonymous = post(served, "QWO", f"{CSV_HEADER}\n{member_row('Ned')}\n", None)
    bad = post(served, "QWO", f"{CSV_HEADER}\n{member_row('Oz', role='boss')}\n", served["editor"])
    assert [other.status_code, anonymous.status_code, bad.status_code] == [403, 401, 422]
    assert all(
        r.headers["content-type"] == "application/problem+json" for r in (other, anonymous, bad)
    )
    assert bad.json()["invalid"][0]["field"] == "role"
    assert len(log(served["url"], served["home"])) == count
