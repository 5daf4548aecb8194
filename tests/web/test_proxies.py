"""Behind a reverse proxy (web/proxies.py): whose forwarding headers are believed, and
``icsatlas serve --forwarded-allow-ips`` counting each visitor on its own over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from icsatlas.errors import IcsatlasError
from icsatlas.web import limits, proxies
from tests.web.auth_helpers import copy_home
from tests.web.conftest import _served

PROXY = "127.0.0.1"


def scope(peer: str, *headers: tuple[str, str]) -> dict:
    return {
        "type": "http",
        "scheme": "http",
        "client": (peer, 5000),
        "headers": [(k.encode(), v.encode()) for k, v in headers],
    }


def test_a_trusted_proxys_headers_name_the_client_and_scheme():
    behind = proxies.parse("10.0.0.1, 192.168.0.0/16")
    seen = proxies.forwarded(
        scope("10.0.0.1", ("x-forwarded-for", "203.0.113.9"), ("x-forwarded-proto", "https")),
        behind,
    )
    assert (seen["client"], seen["scheme"]) == (("203.0.113.9", 0), "https")


def test_the_client_is_the_rightmost_address_that_is_not_a_proxy():
    """A visitor can put any address first; each proxy appends the address it saw."""
    behind = proxies.parse("10.0.0.1, 192.168.0.0/16")
    headers = ("x-forwarded-for", "1.2.3.4, 203.0.113.9"), ("x-forwarded-for", "192.168.4.4")
    assert proxies.forwarded(scope("10.0.0.1", *headers), behind)["client"][0] == "203.0.113.9"


def test_with_any_peer_believed_the_client_is_what_the_nearest_proxy_appended():
    """nginx appends the address it saw to whatever the visitor sent."""
    sent = scope("10.0.0.1", ("x-forwarded-for", "1.2.3.4, 203.0.113.9"))
    assert proxies.forwarded(sent, proxies.parse("*"))["client"][0] == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("203.0.113.9:4431", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
    ],
)
def test_a_forwarded_address_is_named_without_its_port(forwarded_for, client):
    sent = scope("10.0.0.1", ("x-forwarded-for", forwarded_for))
    assert proxies.forwarded(sent, proxies.parse("10.0.0.1"))["client"][0] == client


def test_a_proxy_seen_on_an_ipv6_socket_is_still_the_proxy():
    sent = scope("::ffff:127.0.0.1", ("x-forwarded-for", "203.0.113.9"))
    assert proxies.forwarded(sent, proxies.parse("127.0.0.1"))["client"][0] == "203.0.113.9"


def test_the_scheme_is_the_nearest_proxys_even_without_an_address():
    sent = scope("10.0.0.1", ("x-forwarded-proto", "http, https"))
    seen = proxies.forwarded(sent, proxies.parse("10.0.0.1"))
    assert (seen["client"][0], seen["scheme"]) == ("10.0.0.1", "https")


def test_headers_from_anyone_else_are_ignored():
    behind = proxies.parse("10.0.0.1")
    sent = scope("198.51.100.7", ("x-forwarded-for", "1.2.3.4"), ("x-forwarded-proto", "https"))
    assert proxies.forwarded(sent, behind) == sent


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((), ("10.0.0.1", "http")),  # nothing forwarded: the proxy is the client
        ((("x-forwarded-for", "not-an-address"),), ("10.0.0.1", "http")),
        (
            (("x-forwarded-for", "203.0.113.9"), ("x-forwarded-proto", "gopher")),
            ("203.0.113.9", "http"),
        ),
    ],
)
def test_what_is_not_an_address_or_a_web_scheme_is_not_believed(headers, expected):
    seen = proxies.forwarded(scope("10.0.0.1", *headers), proxies.parse("10.0.0.1"))
    assert (seen["client"][0], seen["scheme"]) == expected


def test_the_setting_is_addresses_networks_or_a_star():
    assert proxies.parse(None) is None and proxies.parse(" ") is None
    assert proxies.parse("*") == proxies.Proxies(everyone=True)
    assert proxies.parse("::1, 10.0.0.0/8").trusted("10.9.9.9")
    with pytest.raises(IcsatlasError, match=r"'proxy\.local' is not an IP address or network"):
        proxies.parse("10.0.0.1, proxy.local")


@pytest.fixture(scope="module")
def proxied(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``icsatlas serve`` trusting loopback 127.0.0.1 as its proxy, two searches an hour."""
    home = copy_home(web_home, tmp_path_factory.mktemp("proxied"))
    settings = {proxies.ENV: PROXY, limits.ENV: "search=2/3600"}
    yield from _served(f"duckdb:///{home / 'icsatlas.duckdb'}", home, 1, settings)


def ask(base: str, path: str, address: str, headers: dict[str, str]) -> httpx.Response:
    """One request on a new connection from loopback ``address``."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, base_url=base, timeout=60) as client:
        return client.get(path, headers=headers)


def searches(base: str, address: str, forwarded_for: str) -> list[int]:
    headers = {"x-forwarded-for": forwarded_for}
    return [ask(base, "/api/v1/where?q=Leeds", address, headers).status_code for _ in range(3)]


@pytest.mark.slow
def test_behind_the_proxy_each_visitor_has_an_allowance_of_its_own(proxied):
    assert searches(proxied, PROXY, "203.0.113.7") == [200, 200, 429]
    assert searches(proxied, PROXY, "203.0.113.8") == [200, 200, 429]


@pytest.mark.slow
def test_a_visitor_that_is_not_the_proxy_cannot_choose_its_address(proxied):
    answers = [  # one allowance, whatever X-Forwarded-For says
        ask(proxied, "/api/v1/where?q=Leeds", "127.0.0.2", {"x-forwarded-for": f"203.0.113.{n}"})
        for n in (20, 21, 22)
    ]
    assert [r.status_code for r in answers] == [200, 200, 429]


@pytest.mark.slow
def test_the_sign_in_cookie_is_secure_when_the_proxy_says_https(proxied):
    https = {"x-forwarded-for": "203.0.113.30", "x-forwarded-proto": "https"}
    assert "secure" in ask(proxied, "/login", PROXY, https).headers["set-cookie"].lower()
    direct = ask(proxied, "/login", "127.0.0.3", https).headers["set-cookie"].lower()
    assert "secure" not in direct
