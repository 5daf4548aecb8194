"""Writing through the API: ``POST /api/v1/areas/{icb}/board`` with a bearer token, checked
by the same code as ``icsatlas board import`` and refused without the right scope."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from icsatlas.store import duckdb_store
from icsatlas.web import state
from icsatlas.web.app import create_app
from tests.web.auth_helpers import CSV_HEADER, add_accounts, copy_home, log, member_row, members
from tests.web.conftest import InProcess

PROBLEM = "application/problem+json"
CSV = {"content-type": "text/csv"}
JSON = "application/json"


@pytest.fixture(scope="module")
def site(web_home: Path, web_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    home = copy_home(web_home, tmp_path_factory.mktemp("auth-api"))
    url = f"duckdb:///{home / 'icsatlas.duckdb'}"
    tokens = add_accounts(url, home)
    yield {"client": InProcess(create_app(url, home)), "url": url, "home": home, **tokens}
    state.configure(web_url, web_home)  # the other web tests' workspace again


def post(site: dict, icb: str, body: str, token: str | None, **headers: str):
    if token:
        headers["authorization"] = f"Bearer {token}"
    return site["client"].request(
        "POST",
        f"/api/v1/areas/{icb}/board",
        params={"reason": "test"},
        content=body.encode(),
        headers={**CSV, **headers},
    )


def test_an_editor_adds_a_member_to_their_icbs_board_as_themselves(site):
    before = site["client"].get("/api/v1/functions").json()["release"]
    response = post(site, "QWO", f"{CSV_HEADER}\n{member_row('Ada Example')}\n", site["editor"])
    assert response.status_code == 201, response.text
    assert response.json() | {"release": None} == {
        "change": response.json()["change"],
        "count": 1,
        "added": 1,
        "actor": "amira",
        "area": "QWO",
        "board": "QWO",
        "summary": "1 board member added",
        "release": None,
    }
    entry = log(site["url"], site["home"])[-1]
    assert (entry.change_id, entry.actor) == (response.json()["change"], "amira")
    assert entry.source == "POST /api/v1/areas/QWO/board by amira"
    assert "Ada Example" in members(site["url"], site["home"])
    after = site["client"].get("/api/v1/functions").json()["release"]
    assert after != before  # the change is in the release, so every ETag changes


def test_json_rows_are_read_as_the_same_template(site):
    row = {
        "board_ods": "QWO",
        "person": "Bea Example",
        "role": "partner-other",
        "is_councillor": True,
        "valid_from": "2026-05-01",
        "source": "https://example.org/b",
    }
    response = site["client"].request(
        "POST",
        "/api/v1/areas/QWO/board",
        json=[row],
        headers={"authorization": f"Bearer {site['editor']}"},
    )
    assert response.status_code == 201, response.text
    assert "Bea Example" in members(site["url"], site["home"])


def test_the_same_editor_is_refused_on_another_icb(site):
    before = len(log(site["url"], site["home"]))
    response = post(site, "S9B9J", f"{CSV_HEADER}\n{member_row('Cy', 'S9B9J')}\n", site["editor"])
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert "amira may not change board of S9B9J" in response.json()["detail"]
    assert len(log(site["url"], site["home"])) == before


def test_a_csv_row_cannot_reach_another_board(site):
    before = len(log(site["url"], site["home"]))
    body = f"{CSV_HEADER}\n{member_row('Di')}\n{member_row('Ed', 'S9B9J')}\n"
    response = post(site, "QWO", body, site["editor"])
    assert response.status_code == 403
    assert response.json()["detail"].startswith("row 3: amira may not change board of S9B9J")
    assert len(log(site["url"], site["home"])) == before


def test_an_admin_posting_another_boards_row_gets_the_row_named(site):
    body = f"{CSV_HEADER}\n{member_row('Fay', 'S9B9J')}\n"
    response = post(site, "QWO", body, site["admin"])
    assert response.status_code == 422
    assert response.json()["invalid"] == [
        {
            "row": 2,
            "field": "board_ods",
            "message": "is in S9B9J, not QWO this request changes",
        }
    ]


def test_a_bad_row_is_the_command_lines_error_and_nothing_is_written(site):
    before = len(log(site["url"], site["home"]))
    bad = member_row("Gil", role="boss").replace("2026-05-01", "2026-13-01")
    response = post(site, "QWO", f"{CSV_HEADER}\n{member_row('Hal')}\n{bad}\n", site["editor"])
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    fields = {(p["row"], p["field"]) for p in response.json()["invalid"]}
    assert fields == {(3, "role"), (3, "valid_from")}
    # the command line's words (docs/reference/board-template.md), placed in the request body
    assert any(
        e.startswith("request body:3: role: unknown role 'boss'") for e in response.json()["errors"]
    )
    assert len(log(site["url"], site["home"])) == before
    assert "Hal" not in members(site["url"], site["home"])


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "this change needs an account"),
        ({"authorization": "Basic YTpi"}, "use 'Authorization: Bearer TOKEN'"),
        ({"authorization": "Bearer icsa_0123456789ab_" + "x" * 43}, "unknown token"),
    ],
)
def test_without_a_valid_token_a_write_is_refused(site, headers, message):
    response = site["client"].request(
        "POST", "/api/v1/areas/QWO/board", content=b"", headers={**CSV, **headers}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="icsatlas"'
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "media", "status", "says"),
    [
        (b"\xff\xfe\x00\x01\x02" * 100, "text/csv", 422, "missing columns"),
        (b"", "text/csv", 422, "the file is empty"),
        (b"a" * (2 * 1024 * 1024), "text/csv", 413, "larger than 1024 KB"),
        (f"{CSV_HEADER}\nQWO,x\n".encode(), "text/csv", 422, "request body:2: role: required"),
        (b"{", JSON, 422, "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, JSON, 422, "depth limit exceeded"),
        (b'[{"person": {"a": 1}}]', JSON, 422, "person: must be text, not dict"),
        (b'{"rows": 5}', JSON, 422, "give a list of rows"),
    ],
)
def test_hostile_bodies_are_refused_plainly_and_change_nothing(site, body, media, status, says):
    before = len(log(site["url"], site["home"]))
    response = site["client"].request(
        "POST",
        "/api/v1/areas/QWO/board",
        content=body,
        headers={"content-type": media, "authorization": f"Bearer {site['editor']}"},
    )
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    assert says in response.json()["detail"]
    assert len(log(site["url"], site["home"])) == before


def test_a_board_of_no_icb_is_not_found(site):
    response = post(site, "NOPE", "", site["editor"])
    assert response.status_code == 404


def test_a_write_while_another_process_holds_the_file_says_busy_without_the_path(site, monkeypatch):
    monkeypatch.setattr(duckdb_store, "LOCK_WAIT_S", 0.5)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(site["home"] / "icsatlas.duckdb")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        response = post(site, "QWO", f"{CSV_HEADER}\n{member_row('Pat')}\n", site["editor"])
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    assert response.status_code == 503
    assert (
        response.json()["detail"] == "the store is busy with another write: retry in a few seconds"
    )
    assert str(site["home"]) not in response.text


HOLD = (  # a writer holding the DuckDB file (as an import does)
    "import duckdb, sys, time\nc = duckdb.connect(sys.argv[1])\n"
    "print('holding', flush=True)\ntime.sleep(60)"
)
