"""``icsatlas serve --workers 2`` over HTTP, on DuckDB and on PostgreSQL (issue 12,
"Concurrency, crashes and scale-out"; "per-client rate limits on writes and search").

* A write through one worker is seen by every answer after it, from either worker: each
  read is a new connection (so the two workers, accepting from one socket, share them;
  sixteen at a time, so both are busy), each shows QWO's board with its new member (the
  page counts members: "none recorded" before) under a new ETag, and none is the page
  both workers had cached before.
* A client's rate limit is one count across the workers: with two workers keeping counts
  of their own, ``COUNT + 1`` requests spread over them would all pass. Each test's client
  has a loopback address of its own (127.0.0.x), so its counts are its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from icsatlas import store as store_module
from icsatlas.web import limits
from tests.web.auth_helpers import CSV_HEADER, add_accounts, copy_home, log, member_row, members
from tests.web.conftest import ENGINES, _served

pytestmark = pytest.mark.slow

WORKERS = 2
READS = 32
NONE = "none recorded: no board members are recorded for these boards"
# A window of an hour: a test's few seconds of requests do not straddle two windows.
LIMITS = {limits.ENV: "write=4/3600,search=12/3600,login=3/3600"}


@pytest.fixture(scope="module", params=ENGINES)
def scaled(
    request: pytest.FixtureRequest, web_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict]:
    home = copy_home(web_home, tmp_path_factory.mktemp(f"workers-{request.param}"))
    if request.param == "duckdb":
        url = f"duckdb:///{home / 'icsatlas.duckdb'}"
        tokens = add_accounts(url, home)
        for base in _served(url, home, WORKERS, LIMITS):
            yield {"base": base, "url": url, "home": home, **tokens}
        return
    postgres = request.getfixturevalue("postgres_url")
    schema = f"workers_{uuid.uuid4().hex[:10]}"
    store_module.connect(postgres, schema=schema).close()
    url = f"{postgres}{'&' if '?' in postgres else '?'}options=-csearch_path%3D{schema}"
    tokens = add_accounts(url, home)
    try:
        for base in _served(url, home, WORKERS, LIMITS):
            yield {"base": base, "url": url, "home": home, **tokens}
    finally:
        with store_module.connect(postgres, upgrade=False) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def ask(
    scaled: dict, method: str, path: str, address: str = "127.0.0.1", **kwargs
) -> httpx.Response:
    """One request on a new connection from loopback ``address``."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, base_url=scaled["base"], timeout=120) as client:
        return client.request(method, path, **kwargs)


def many_reads(scaled: dict, path: str) -> list[httpx.Response]:
    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(lambda _: ask(scaled, "GET", path), range(READS)))


def write(scaled: dict, person: str, address: str = "127.0.0.1", token: str | None = None):
    return ask(
        scaled,
        "POST",
        "/api/v1/areas/QWO/board",
        address,
        params={"reason": "scale-out test"},
        content=f"{CSV_HEADER}\n{member_row(person)}\n".encode(),
        headers={"content-type": "text/csv", "authorization": f"Bearer {token or 'none'}"},
    )


def test_a_write_through_one_worker_is_seen_at_once_by_all(scaled):
    before = many_reads(scaled, "/icb/QWO")
    assert all(NONE in r.text for r in before)
    old_tags = {r.headers["etag"] for r in before}
    assert len(old_tags) == 1  # both workers answer the same release

    written = write(scaled, "Ada Scaleout", token=scaled["editor"])
    assert written.status_code == 201, written.text

    after = many_reads(scaled, "/icb/QWO")
    assert all(r.status_code == 200 for r in after)
    assert not any(NONE in r.text for r in after)
    new_tags = {r.headers["etag"] for r in after}
    assert len(new_tags) == 1 and new_tags != old_tags
    releases = {r.json()["release"] for r in many_reads(scaled, "/api/v1/reforms")}
    assert releases == {written.json()["release"]}
    assert written.json()["release"].split(".")[-2] == str(written.json()["change"])


def test_the_search_limit_holds_across_workers(scaled):
    address = "127.0.0.3"
    with ThreadPoolExecutor(6) as pool:
        allowed = list(
            pool.map(
                lambda _: ask(scaled, "GET", "/api/v1/where", address, params={"q": "Leeds"}),
                range(12),
            )
        )
    assert [r.status_code for r in allowed] == [200] * 12
    refused = ask(scaled, "GET", "/api/v1/where", address, params={"q": "Leeds"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert "too many searches from this address" in refused.json()["detail"]
    assert 0 < int(refused.headers["retry-after"]) <= 3600  # the end of the hour's window
    portal = ask(scaled, "GET", "/search", address, params={"q": "Leeds"})  # the same bucket
    assert portal.status_code == 429 and "text/html" in portal.headers["content-type"]
    other = ask(scaled, "GET", "/api/v1/where", "127.0.0.4", params={"q": "Leeds"})
    assert other.status_code == 200  # another client is counted on its own


def test_the_write_limit_holds_across_workers_and_writes_nothing(scaled):
    address = "127.0.0.5"
    count = len(log(scaled["url"], scaled["home"]))
    with ThreadPoolExecutor(4) as pool:
        anonymous = list(pool.map(lambda n: write(scaled, f"Anon {n}", address), range(4)))
    assert [r.status_code for r in anonymous] == [401] * 4  # refusals count too
    refused = write(scaled, "Bea Overlimit", address, scaled["editor"])
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) > 0
    assert len(log(scaled["url"], scaled["home"])) == count
    assert "Bea Overlimit" not in members(scaled["url"], scaled["home"])


def test_the_sign_in_limit_holds_across_workers(scaled):
    address = "127.0.0.6"
    form = {"username": "amira", "password": "wrong", "csrf": "none"}
    tries = [ask(scaled, "POST", "/login", address, data=form) for _ in range(3)]
    assert all(r.status_code == 403 for r in tries)  # no sign-in cookie: refused, counted
    refused = ask(scaled, "POST", "/login", address, data=form)
    assert refused.status_code == 429
    assert "too many sign-in attempts from this address" in refused.text
    assert int(refused.headers["retry-after"]) > 0
