"""The portal's subscription pages in this process: the form on area and function pages,
``/subscribe`` with its cookie-bound CSRF token, and its refusals (no token, a bad address,
no SMTP settings, too many requests), none of which stores anything."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from icsatlas.web import limits, state
from icsatlas.web.app import create_app
from tests.notify.mailserver import mail_server, use
from tests.web.auth_helpers import copy_home
from tests.web.conftest import InProcess


@pytest.fixture(scope="module")
def site(web_home: Path, web_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    home = copy_home(web_home, tmp_path_factory.mktemp("subscribe-portal"))
    url = f"duckdb:///{home / 'icsatlas.duckdb'}"
    yield {"client": InProcess(create_app(url, home)), "url": url, "home": home}
    state.configure(web_url, web_home)


def stored(site: dict) -> int:
    return int(state.workspace().store.scalar("SELECT count(*) FROM subscription"))


def post(site: dict, fields: dict[str, str], with_csrf: bool = True) -> httpx.Response:
    page = site["client"].get("/subscribe?area=QWO")
    cookie = [c for c in page.headers.get_list("set-cookie") if c.startswith("icsatlas_login=")]
    form = dict(fields)
    if with_csrf:
        form["csrf"] = re.findall(r'name="csrf" value="([0-9a-f]+)"', page.text)[0]
    headers = {"cookie": cookie[0].split(";")[0]}
    return site["client"].request("POST", "/subscribe", data=form, headers=headers)


@pytest.mark.parametrize(
    ("path", "hidden"),
    [
        ("/icb/QWO", '<input type="hidden" name="area" value="QWO">'),
        ("/council/E10000030", '<input type="hidden" name="area" value="E10000030">'),
        (
            "/functions/continuing-healthcare",
            '<input type="hidden" name="function" value="continuing-healthcare">',
        ),
    ],
)
def test_area_and_function_pages_have_a_form_that_needs_no_script(site, path, hidden):
    page = site["client"].get(path)
    assert page.status_code == 200
    assert '<form action="/subscribe" method="get"' in page.text and hidden in page.text
    assert page.headers["cache-control"].startswith("public")  # no token: still shared


def test_the_subscribe_page_is_private_and_names_the_topic(site):
    page = site["client"].get("/subscribe?area=QWO&email=ann%40example.org")
    assert page.status_code == 200 and page.headers["cache-control"] == "private, no-store"
    assert "Follow <strong>NHS West Yorkshire Integrated Care Board</strong>" in page.text
    assert 'value="ann@example.org"' in page.text
    (cookie,) = [c for c in page.headers.get_list("set-cookie") if "icsatlas_login=" in c]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_without_smtp_settings_subscribing_is_refused_plainly(site, monkeypatch):
    monkeypatch.delenv("ICSATLAS_SMTP_HOST", raising=False)
    response = post(site, {"area": "QWO", "email": "ann@example.org"})
    assert response.status_code == 503
    assert "email subscriptions are not available here" in response.text
    assert stored(site) == 0


def test_a_form_without_its_csrf_token_is_refused(site, monkeypatch):
    with mail_server() as (received, port):
        use(monkeypatch, port)
        response = post(site, {"area": "QWO", "email": "ann@example.org"}, with_csrf=False)
    assert response.status_code == 403 and "this form has expired" in response.text
    assert received.messages == [] and stored(site) == 0


def test_a_bad_address_is_shown_on_the_form(site, monkeypatch):
    with mail_server() as (received, port):
        use(monkeypatch, port)
        response = post(site, {"area": "QWO", "email": "not-an-address"})
    assert response.status_code == 422 and "There is a problem" in response.text
    assert "is not an email address" in response.text
    assert received.messages == [] and stored(site) == 0


def test_requests_are_limited_like_sign_ins(site, monkeypatch):
    """The shared limit of web/limits.py, on a counter of its own (a new file in the home)."""
    monkeypatch.delenv("ICSATLAS_SMTP_HOST", raising=False)
    limits.close()
    for counts in site["home"].glob("rate-limits.sqlite3*"):
        counts.unlink()
    limits.configure(site["url"], site["home"], "subscribe=3/300")
    try:
        answers = [post(site, {"area": "QWO", "email": "ann@example.org"}) for _ in range(4)]
    finally:
        limits.configure(site["url"], site["home"])
    assert [a.status_code for a in answers] == [503, 503, 503, 429]
    assert "too many requests for email" in answers[-1].text
    assert int(answers[-1].headers["retry-after"]) > 0


def test_a_link_that_is_not_valid_is_a_page_saying_so(site):
    confirm = site["client"].get("/subscribe/confirm/no-such-link")
    assert confirm.status_code == 404 and "subscribe again" in confirm.text
    unsubscribe = site["client"].request("POST", "/unsubscribe/0123456789abcdef.forged")
    assert unsubscribe.status_code == 404 and "not complete" in unsubscribe.text
