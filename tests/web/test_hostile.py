"""Hostile or malformed requests get a 4xx and never a 5xx (issue 10): a problem document
(``application/problem+json``) under ``/api/`` and ``/static/``, an HTML error page
elsewhere, and nothing the request sent is echoed back unescaped.

Every parameter of every API route and every page route (read from the routers, so a new
route is covered as soon as it exists) gets each hostile value in turn, the other
parameters valid; the issue's own list (unknown code, impossible date, 10 kB query string,
SQL-like strings, path traversal, wrong types, NUL bytes, huge numbers) is also spelled out
case by case, in process and - for what an HTTP client would tidy up before sending - as
raw bytes on a socket to ``icsatlas serve``.
"""

from __future__ import annotations

import socket
from urllib.parse import quote, urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute

from icsatlas.web import api, pages
from tests.web.routes import parameters, routes

PROBLEM = "application/problem+json"
HTML = "text/html; charset=utf-8"
HOSTILE = {
    "unknown code": "ZZZ99",
    "impossible date": "2026-02-30",
    "SQL": "' OR 1=1 --",
    "SQL statement": "1; DROP TABLE register_assignment; --",
    "path traversal": "../../etc/passwd",
    "encoded traversal": "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "NUL byte": "\x00",
    "markup": "<script>alert(1)</script>",
    "header injection": "x\r\nSet-Cookie: hostile=1",
    "wrong type": "abc",
    "huge number": "9" * 30,
    "float overflow": "1e309",
    "another site": "//evil.example/",
}
# a valid value for a parameter of this name: required ones always get one, optional ones
# too (a form's other fields filled in), so the hostile value is the one thing wrong
VALID = {
    "q": "Leeds",
    "area": "Leeds",
    "function": "continuing healthcare",
    "function_id": "continuing-healthcare",
    "from": "2026-01-01",
    "to": "2026-06-01",
    "name": "blueprint-2025",
    "a": "blueprint-2025",
    "b": "establishment-2022",
    "code": "QWO",
    "kind": "icb",
    "file": "QWO.html",
    "fmt": "html",
}
# free-text filters, where a value matching nothing is a correct (empty) answer, and the
# search box, which sends a search left empty (once control characters are dropped) home
ANSWERED = {
    ("/api/v1/parameters", "prefix"): 200,
    ("/functions", "q"): 200,
    ("/search", "q"): 303,
    ("/icb/{code}/board-members", "code"): 303,  # signed out: to the sign-in page, first
    (
        "/login",
        "next",
    ): 200,  # the sign-in form, returning home: a 'next' not on this site is dropped
}


# Routes a browser or client GETs that take parameters (a write's hostile bodies:
# tests/web/test_auth_api.py)
ROUTES = sorted(
    {
        route.path: route
        for route in [*routes(api.router), *routes(pages.router)]
        if "GET" in route.methods and parameters(route)
    }.items()
)


def request(route: APIRoute, where: str, name: str, value: str) -> tuple[str, dict[str, str]]:
    """The URL path and query with ``value`` in parameter ``name``, the others valid."""
    path, query = route.path, {}
    for kind, other, required in parameters(route):
        given = value if other == name else VALID[other] if required else VALID.get(other)
        if given is None:
            continue
        if kind == "path":
            path = path.replace(f"{{{other}}}", quote(given, safe=""))
        else:
            query[other] = given
    return path, query


def assert_refused_safely(response: httpx.Response, path: str, sent: str = "") -> None:
    """A 4xx in the right dress, with nothing sent echoed raw or turned into a header."""
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:300])
    expected = PROBLEM if path.startswith(("/api/", "/static/")) else HTML
    assert response.headers["content-type"] == expected, path
    if expected == PROBLEM:
        assert response.json()["status"] == response.status_code
    else:
        assert response.text.startswith("<!DOCTYPE html>")
    assert_nothing_echoed_raw(response, sent)


def assert_nothing_echoed_raw(response: httpx.Response, sent: str) -> None:
    """HTML escapes what it repeats; JSON (never sniffed as HTML) quotes it in strings."""
    if response.headers.get("content-type", "").startswith("text/html"):
        if set(sent) & set("<>\"'&\x00"):
            assert sent not in response.text
    elif response.content:
        response.json()
        assert response.headers["x-content-type-options"] == "nosniff"
    # only the sign-in form sets a cookie (its CSRF token), and never from what was sent
    cookie = response.headers.get("set-cookie", "")
    assert not cookie or response.url.path == "/login", cookie
    assert not sent or sent not in cookie
    location = response.headers.get("location", "/")
    assert location.startswith("/") and not location.startswith("//"), location


@pytest.mark.parametrize(("path", "route"), ROUTES, ids=[path for path, _ in ROUTES])
def test_every_parameter_refuses_hostile_values(app_client, subtests, path, route):
    for where, name, _ in parameters(route):
        for label, value in HOSTILE.items():
            with subtests.test(parameter=name, value=label):
                url, query = request(route, where, name, value)
                response = app_client.get(url, params=query)
                if response.status_code == ANSWERED.get((path, name)):
                    assert_nothing_echoed_raw(response, value)
                else:
                    assert_refused_safely(response, url, value)


@pytest.mark.parametrize(("path", "route"), ROUTES, ids=[path for path, _ in ROUTES])
def test_a_10_kb_query_string_is_refused_on_every_route(app_client, path, route):
    url = path.replace("{", "").replace("}", "")
    response = app_client.get(url, params={"q": "x" * 10_000})
    assert response.status_code == 414
    assert_refused_safely(response, url)


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        # unknown codes
        ("/api/v1/areas/ZZZ99", 404, "nothing matches 'ZZZ99'"),
        ("/icb/ZZZ99", 404, "nothing matches"),
        ("/practice/" + "9" * 30, 404, "nothing matches"),
        ("/api/v1/reforms/blueprint-2099/impact", 404, "shipped reforms only"),
        # impossible dates (February 2026 has 28 days)
        ("/api/v1/who?function=chc&area=Leeds&on=2026-02-30", 400, "February 2026 has 28 days"),
        ("/icb/QWO?on=2026-02-30", 400, "February 2026 has 28 days"),
        ("/api/v1/diff?from=2026-13-01&to=2026-06-01", 400, "from: not a date"),
        # SQL-like strings are names that match nothing
        ("/api/v1/where?q=%27%20OR%201%3D1%20--", 404, "nothing matches"),
        ("/api/v1/who?function=%27%3B%20DROP%20TABLE%20x%3B%20--&area=Leeds", 404, "function"),
        ("/search?q=%27%20OR%201%3D1%20--", 404, "nothing matches"),
        # traversal in a parameter
        ("/api/v1/reforms/..%2F..%2Fetc%2Fpasswd/impact", 404, "Not Found"),
        ("/api/v1/who?function=chc&area=Leeds&reform=..%2F..%2Fetc%2Fpasswd", 404, "shipped"),
        ("/icb/QWO?reform=..%2F..%2Fetc%2Fpasswd", 404, "shipped reforms only"),
        # wrong types and huge numbers
        ("/api/v1/areas?limit=abc", 422, "limit: Input should be a valid integer"),
        ("/api/v1/areas?limit=1e309", 422, "limit"),
        ("/api/v1/areas?limit=" + "9" * 30, 422, "limit"),
        ("/api/v1/areas?limit=-1", 422, "limit"),
        ("/api/v1/who?function=chc&area=Leeds&history=maybe", 422, "history"),
        ("/api/v1/areas?type=galaxy", 422, "type"),
        # NUL bytes and text with no name in it
        ("/api/v1/where?q=%00", 404, "nothing matches"),
        ("/api/v1/areas/%00", 404, "nothing matches"),
        ("/icb/QWO%00", 404, "nothing matches"),
    ],
)
def test_the_issues_list_of_hostile_requests(app_client, url, status, says):
    response = app_client.get(url)
    assert response.status_code == status, response.text[:300]
    assert_refused_safely(response, urlsplit(url).path)
    assert says in response.text


def test_markup_in_a_search_is_shown_as_text(app_client):
    response = app_client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert response.status_code == 404
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert" not in response.text


def test_sql_like_input_leaves_the_register_as_it_was(app_client):
    before = app_client.get("/api/v1/areas", params={"on": "2026-06-01"}).json()
    for text in ("'; DROP TABLE register_assignment; --", "1' OR '1'='1", '" OR ""="'):
        app_client.get("/api/v1/where", params={"q": text})
        app_client.get("/api/v1/who", params={"function": text, "area": text})
    after = app_client.get("/api/v1/areas", params={"on": "2026-06-01"}).json()
    assert after["data"] == before["data"]
    assert after["total"] == 36  # 42 - 12 abolished + 6 created, 1 April 2026 (ICS-REFERENCE)


def raw_get(server: str, target: bytes) -> tuple[int, dict[str, str], bytes]:
    """GET ``target`` exactly as given (no client tidying of dots or escapes)."""
    address = urlsplit(server)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % target)
        data = b"".join(iter(lambda: connection.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    "target",
    [
        b"/static/../../etc/passwd",
        b"/static/%2e%2e/%2e%2e/etc/passwd",
        b"/static/..%2f..%2fetc%2fpasswd",
        b"/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        b"/static/icsatlas.css%00.txt",
        b"/api/v1/../../etc/passwd",
        b"/../../etc/passwd",
        b"//etc/passwd",
        b"/icb/%ff%fe",
        b"/api/v1/where?q=%ff%fe",
        b"/api/v1/where?q=%zz",
        b"/api/v1/areas?limit=1&limit=abc",
        b"/api/v1/" + b"a" * 10_000,
    ],
)
def test_raw_requests_are_refused_by_the_server(server, target):
    status, headers, body = raw_get(server, target)
    assert 400 <= status < 500, (target, status)
    assert b"root:" not in body
    path = target.split(b"?")[0].decode()
    expected = PROBLEM if path.startswith(("/api/", "/static/")) else HTML
    assert headers["content-type"] == expected


def test_a_nul_byte_in_the_request_line_is_refused(server):
    status, _, body = raw_get(server, b"/api/v1/where?q=a\x00b")
    assert status == 400  # by granian, before the application: RFC 9110 forbids it
    assert b"Traceback" not in body
