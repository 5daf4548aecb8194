"""The open API end to end: ``icsatlas serve`` in its own process, asked over HTTP, on
DuckDB and on PostgreSQL. Every answer must be the Workspace's answer to the same question
(the API is a thin shell), and hostile requests get a problem document, never a trace."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import icsatlas

JSON = "application/json"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def ws(web_url: str, web_home: Path) -> icsatlas.Workspace:
    return icsatlas.open(web_url, home=web_home, read_only=True)


def get(server: str, path: str, **kwargs) -> httpx.Response:
    return httpx.get(f"{server}{path}", timeout=30, **kwargs)


def test_who_is_the_workspace_answer(server, ws):
    response = get(
        server, "/api/v1/who", params={"function": "chc", "area": "Leeds", "on": "2026-06-01"}
    )
    expected = ws.register.who("chc", "Leeds", "2026-06-01").to_dict()
    body = response.json()
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert body["data"] == expected["data"]
    assert body["title"] == expected["title"]
    assert body["notes"] == expected["notes"]


def test_what_if_reform_is_applied(server, ws):
    params = {
        "function": "primary care",
        "area": "Leeds",
        "on": "2027-06-01",
        "reform": "blueprint-2025",
    }
    body = get(server, "/api/v1/who", params=params).json()
    what_if = ws.with_reforms("blueprint-2025").register.who("primary care", "Leeds", "2027-06-01")
    assert body["data"] == what_if.to_dict()["data"]
    assert body["provenance"]["reform"] == "blueprint-2025"


def test_areas_pages_join_up_to_the_whole_listing(server, ws):
    expected = ws.register.areas("sub-icb", "2026-06-01").to_dict()["data"]
    rows, url, pages = [], f"{server}/api/v1/areas?type=sub-icb&on=2026-06-01&limit=40", 0
    while url:
        page = httpx.get(url, timeout=30).json()
        rows += page["data"]
        assert page["total"] == len(expected)
        url, pages = page["next"], pages + 1
    assert rows == expected
    assert pages == -(-len(expected) // 40)


def test_a_repeated_request_is_not_modified(server):
    first = get(server, "/api/v1/areas/Frimley")
    again = get(server, "/api/v1/areas/Frimley", headers={"If-None-Match": first.headers["etag"]})
    other = get(server, "/api/v1/areas/Leeds")
    assert first.status_code == 200 and again.status_code == 304
    assert again.content == b""
    assert other.headers["etag"] != first.headers["etag"]


def test_answers_name_their_release_and_not_the_server_files(server, web_home):
    body = get(server, "/api/v1/where", params={"q": "B86002"}).json()
    assert body["release"].startswith(f"{icsatlas.__version__}.")
    assert str(web_home) not in str(body)
    assert body["provenance"]["data"]["register"].startswith("icsatlas register, change ")


def test_population_profile_is_disclosure_controlled(server, ws):
    response = get(
        server,
        "/api/v1/population/profile",
        params={"area": "Telford and Wrekin", "population": "small"},
    )
    expected = ws.population.profile("Telford and Wrekin", name="small").to_dict()
    assert response.status_code == 200
    assert response.json()["data"] == expected["data"]


def test_security_headers(server):
    headers = get(server, "/api/v1/reforms").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["access-control-allow-origin"] == "*"


def test_area_kinds_are_the_workspace_kinds():
    from typing import get_args

    from icsatlas.web.api import AreaKind
    from icsatlas.workspace.areas import AREA_KINDS

    assert set(get_args(AreaKind)) == set(AREA_KINDS)


def test_openapi_document_describes_the_resources(server):
    document = get(server, "/api/v1/openapi.json").json()
    assert {"/api/v1/who", "/api/v1/where", "/api/v1/areas/{area}"} <= set(document["paths"])
    assert get(server, "/docs").status_code == 404  # no CDN-loaded interactive docs


@pytest.mark.parametrize(
    ("path", "params", "status", "says"),
    [
        ("/api/v1/where", {"q": "Leds"}, 404, "did you mean 'Leeds'"),
        (
            "/api/v1/who",
            {"function": "chc", "area": "Leeds", "on": "31/02/2026"},
            400,
            "on: not a date",
        ),
        (
            "/api/v1/who",
            {"function": "chc", "area": "Leeds", "reform": "../../etc/passwd"},
            404,
            "shipped reforms only",
        ),
        ("/api/v1/where", {"q": "'; DROP TABLE assignments; --"}, 404, "nothing matches"),
        ("/api/v1/where", {"q": "Ñandú 🏥"}, 404, "nothing matches"),
        ("/api/v1/where", {}, 422, "q: Field required"),
        ("/api/v1/areas", {"limit": "0"}, 422, "limit"),
        ("/api/v1/areas", {"limit": "99999999999999999999"}, 422, "limit"),
        ("/api/v1/areas", {"cursor": "bm9wZQ"}, 400, "cursor"),
        ("/api/v1/areas", {"type": "galaxy"}, 422, "type: Input should be"),
        ("/api/v1/where", {"q": "x" * 201}, 422, "at most 200"),
        ("/api/v1/where", {"q": "x" * 3000}, 414, "too long"),
        ("/api/v1/reforms/..%2F..%2Fetc%2Fpasswd/impact", {}, 404, "Not Found"),
        ("/api/v1/reforms/no-such-reform/impact", {}, 404, "shipped reforms only"),
        ("/api/v1/nothing-here", {}, 404, "Not Found"),
    ],
)
def test_hostile_or_mistaken_requests_get_a_problem_document(server, path, params, status, says):
    response = get(server, path, params=params)
    problem = response.json()
    assert response.status_code == status, problem
    assert response.headers["content-type"] == PROBLEM
    assert problem["status"] == status
    assert says in problem["detail"]
    assert "Traceback" not in response.text


def test_only_reading_methods_are_allowed(server):
    response = httpx.post(f"{server}/api/v1/where?q=Leeds", content=b"{}", timeout=30)
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM


def test_control_characters_are_ignored_as_the_command_line_ignores_them(server):
    body = get(server, "/api/v1/where", params={"q": "Leeds\x00\x1b"}).json()
    assert body["data"][0]["place"] == "Leeds"


def test_the_server_answers_after_hostile_requests(server):
    assert get(server, "/api/v1/where", params={"q": "LS6"}).status_code == 200
