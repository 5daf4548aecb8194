"""Signing in to the portal and adding a board member with its form: CSRF tokens, the
session cookie's flags, lock-out, sign-in limits, and caching kept for the public only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from icsatlas.web import limits, state
from icsatlas.web.app import create_app
from tests.web.auth_helpers import PASSWORD, add_accounts, copy_home, log, members
from tests.web.conftest import InProcess

FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def site(web_home: Path, web_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    home = copy_home(web_home, tmp_path_factory.mktemp("auth-portal"))
    url = f"duckdb:///{home / 'icsatlas.duckdb'}"
    add_accounts(url, home)
    yield {"client": InProcess(create_app(url, home)), "url": url, "home": home}
    state.configure(web_url, web_home)


@pytest.fixture(autouse=True)
def fresh_limits(site: dict, tmp_path: Path) -> None:
    """Each test's requests counted afresh (in a counter file of its own)."""
    limits.configure(site["url"], tmp_path)


def cookies(response: httpx.Response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        found[name] = rest.split(";")[0]
    return found


def csrf(page: httpx.Response) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]*)"', page.text)
    assert match, "the form has no CSRF field"
    return match[1]


def sign_in(site: dict, name: str, password: str, url: str = "/login") -> httpx.Response:
    client = site["client"]
    page = client.get(url)
    jar = cookies(page)
    body = {"username": name, "password": password, "csrf": csrf(page), "next": "/icb/QWO"}
    return client.request(
        "POST", url, data=body, headers={"cookie": f"icsatlas_login={jar['icsatlas_login']}"}
    )


def session(site: dict) -> str:
    response = sign_in(site, "amira", PASSWORD)
    assert response.status_code == 303, response.text
    return f"icsatlas_session={cookies(response)['icsatlas_session']}"


def test_the_sign_in_page_is_private_and_its_cookie_guarded(site):
    page = site["client"].get("/login")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    (login,) = [c for c in page.headers.get_list("set-cookie") if c.startswith("icsatlas_login=")]
    assert "HttpOnly" in login and "SameSite=lax" in login and "Secure" not in login


def test_signing_in_sets_a_signed_httponly_lax_session_cookie(site):
    response = sign_in(site, "amira", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/icb/QWO"
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if "icsatlas_session=" in c]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # plain HTTP here; over HTTPS it is Secure (below)


def test_over_https_the_session_cookie_is_secure(site):
    response = sign_in(site, "amira", PASSWORD, url="https://testserver/login")
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if "icsatlas_session=" in c]
    assert "Secure" in cookie


def test_a_sign_in_without_the_forms_csrf_token_is_refused(site):
    response = site["client"].request(
        "POST", "/login", data={"username": "amira", "password": PASSWORD}, headers=FORM
    )
    assert response.status_code == 403
    assert "this form has expired or was not sent from this site" in response.text
    assert "icsatlas_session" not in cookies(response)


def test_an_editor_sees_the_form_on_their_icb_page_and_nobody_else_does(site):
    cookie = session(site)
    theirs = site["client"].get("/icb/QWO", headers={"cookie": cookie})
    assert "Add a board member" in theirs.text
    assert theirs.headers["cache-control"] == "private, no-store" and "etag" not in theirs.headers
    other = site["client"].get("/icb/S9B9J", headers={"cookie": cookie})
    assert "Add a board member" not in other.text
    public = site["client"].get("/icb/QWO")
    assert "Add a board member" not in public.text
    assert public.headers["cache-control"].startswith("public") and "etag" in public.headers


def test_an_editor_adds_a_board_member_with_the_form(site):
    none = "none recorded: no board members are recorded for these boards"
    assert none in site["client"].get("/icb/QWO").text  # the public page, cached
    cookie = session(site)
    page = site["client"].get("/icb/QWO", headers={"cookie": cookie})
    form = {
        "csrf": csrf(page),
        "person": "Iris Example",
        "role": "partner-local-authority",
        "nominated_by": "Leeds City Council",
        "is_councillor": "true",
        "valid_from": "2026-05-01",
        "source": "https://example.org/papers",
        "reason": "appointed on 1 May 2026",
    }
    response = site["client"].request(
        "POST", "/icb/QWO/board-members", data=form, headers={"cookie": cookie}
    )
    assert response.status_code == 200, response.text
    assert "Board member added" in response.text
    entry = log(site["url"], site["home"])[-1]
    assert (entry.actor, entry.reason) == ("amira", "appointed on 1 May 2026")
    assert "Iris Example" in members(site["url"], site["home"])
    public = site["client"].get("/icb/QWO").text  # the public page shows the change
    assert none not in public
    assert "Iris Example" in public


def test_the_form_shows_the_command_lines_errors_and_writes_nothing(site):
    cookie = session(site)
    page = site["client"].get("/icb/QWO/board-members", headers={"cookie": cookie})
    before = len(log(site["url"], site["home"]))
    form = {"csrf": csrf(page), "person": "Jo", "role": "chair", "valid_from": "2026-13-01"}
    response = site["client"].request(
        "POST", "/icb/QWO/board-members", data=form, headers={"cookie": cookie}
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "valid_from: not a date: &#39;2026-13-01&#39;" in response.text
    assert "source: every member needs a source" in response.text
    assert len(log(site["url"], site["home"])) == before


def test_the_form_without_its_csrf_token_is_refused(site):
    cookie = session(site)
    before = len(log(site["url"], site["home"]))
    form = {"person": "Kit", "role": "chair", "valid_from": "2026-05-01", "source": "x"}
    response = site["client"].request(
        "POST", "/icb/QWO/board-members", data=form, headers={"cookie": cookie}
    )
    assert response.status_code == 403
    assert len(log(site["url"], site["home"])) == before


def test_an_editor_of_qwo_cannot_open_s9b9js_form(site):
    response = site["client"].get("/icb/S9B9J/board-members", headers={"cookie": session(site)})
    assert response.status_code == 403
    assert "amira may not change board of S9B9J" in response.text


def test_signing_out_ends_the_session(site):
    cookie = session(site)
    page = site["client"].get("/logout", headers={"cookie": cookie})
    response = site["client"].request(
        "POST", "/logout", data={"csrf": csrf(page)}, headers={"cookie": cookie}
    )
    assert response.status_code == 303
    after = site["client"].get("/icb/QWO", headers={"cookie": cookie})
    assert "Add a board member" not in after.text  # the old cookie no longer signs anyone in


def test_wrong_passwords_lock_the_account_and_the_page_says_so(site):
    for _ in range(4):
        assert sign_in(site, "root", "not the password").status_code == 401
    locked = sign_in(site, "root", "not the password")
    assert locked.status_code == 401
    assert "locked after 5 wrong passwords in a row: try again in 15 minutes" in locked.text
    assert "try again" in sign_in(site, "root", PASSWORD).text  # locked even with the right one


def test_too_many_sign_ins_from_one_address_are_refused(site, tmp_path):
    limits.configure(site["url"], tmp_path, "login=2/300")
    for _ in range(2):
        sign_in(site, "nobody", "not the password")
    refused = sign_in(site, "nobody", "not the password")
    assert refused.status_code == 429
    assert "too many sign-in attempts from this address" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 300
