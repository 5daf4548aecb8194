"""Issue 12's "done means" for notifications, over HTTP to ``icsatlas serve`` in its own
process on DuckDB and PostgreSQL, with a real SMTP server on loopback: an editor scoped to
board:QWO adds a board member through the API and through the portal's form; a confirmed
subscriber to QWO gets one email per change naming it and linking to the QWO page; a
subscriber to another ICB gets nothing; after a one-click unsubscribe (RFC 8058) no more."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from icsatlas import store as store_module
from tests.notify.mailserver import PUBLIC_URL, Received, body, link, mail_server, settings
from tests.web.auth_helpers import CSV_HEADER, PASSWORD, add_accounts, copy_home, member_row
from tests.web.conftest import ENGINES, _served

QWO, OTHER = "follower@example.org", "surrey@example.org"


@pytest.fixture(scope="module", params=ENGINES)
def served(
    request: pytest.FixtureRequest, web_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict]:
    """A server whose email goes to a loopback SMTP server; its editor's token."""
    home = copy_home(web_home, tmp_path_factory.mktemp(f"notify-{request.param}"))
    schema = f"notify_{uuid.uuid4().hex[:10]}"
    postgres = request.getfixturevalue("postgres_url") if request.param != "duckdb" else ""
    if postgres:
        store_module.connect(postgres, schema=schema).close()
        url = f"{postgres}{'&' if '?' in postgres else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"duckdb:///{home / 'icsatlas.duckdb'}"
    tokens = add_accounts(url, home)
    try:
        with mail_server() as (received, port), pytest.MonkeyPatch.context() as env:
            for name, value in settings(port).items():
                env.setenv(name, value)
            for base in _served(url, home):
                yield {"base": base, "mail": received, **tokens}
    finally:
        if postgres:
            with store_module.connect(postgres, upgrade=False) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")


def on_server(served: dict, sent_link: str) -> str:
    """A link as emailed (the public address) on the test's server."""
    return sent_link.replace(PUBLIC_URL, served["base"])


def confirm(served: dict, address: str) -> None:
    mail: Received = served["mail"]
    (message,) = mail.to(address)
    confirmation = on_server(served, link(message, "/subscribe/confirm/"))
    page = httpx.get(confirmation, timeout=60)
    assert page.status_code == 200 and "Confirm subscription" in page.text  # a GET changes nothing
    done = httpx.post(confirmation, timeout=60)
    assert done.status_code == 200 and "Subscription confirmed" in done.text


def subscribe_by_api(served: dict, address: str, area: str) -> None:
    response = httpx.post(
        f"{served['base']}/api/v1/subscriptions",
        json={"email": address, "area": area},
        timeout=60,
    )
    assert response.status_code == 202, response.text
    assert response.json()["topic"]["page"] == f"/icb/{area}"


def subscribe_by_form(served: dict, address: str, area: str) -> None:
    with httpx.Client(base_url=served["base"], timeout=60) as browser:
        page = browser.get("/subscribe", params={"area": area, "email": address})
        assert page.headers["cache-control"] == "private, no-store"
        form = {"csrf": csrf(page.text), "area": area, "email": address}
        response = browser.post("/subscribe", data=form)
    assert response.status_code == 200, response.text
    assert "Check your email" in response.text


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "the form has no CSRF field"
    return found[1]


def add_by_api(served: dict, person: str) -> int:
    response = httpx.post(
        f"{served['base']}/api/v1/areas/QWO/board",
        params={"reason": f"appointed {person}"},
        content=f"{CSV_HEADER}\n{member_row(person)}\n".encode(),
        headers={"content-type": "text/csv", "authorization": f"Bearer {served['editor']}"},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    return response.json()["change"]


def add_by_form(served: dict, person: str) -> None:
    with httpx.Client(base_url=served["base"], timeout=60) as browser:
        login = browser.get("/login")
        signed_in = browser.post(
            "/login",
            data={"username": "amira", "password": PASSWORD, "csrf": csrf(login.text)},
        )
        assert signed_in.status_code == 303, signed_in.text
        page = browser.get("/icb/QWO/board-members")
        form = {
            "csrf": csrf(page.text),
            "person": person,
            "role": "non-executive",
            "is_councillor": "false",
            "valid_from": "2026-05-01",
            "source": "https://example.org/papers",
            "reason": f"appointed {person}",
        }
        response = browser.post("/icb/QWO/board-members", data=form)
    assert response.status_code == 200 and "Board member added" in response.text


def test_subscribers_to_qwo_hear_of_its_changes_once_and_others_do_not(served):
    mail: Received = served["mail"]
    subscribe_by_api(served, QWO, "QWO")
    subscribe_by_form(served, OTHER, "S9B9J")
    assert len(mail.to(QWO)) == 1 and len(mail.to(OTHER)) == 1  # the confirmations only
    confirm(served, QWO)
    confirm(served, OTHER)
    mail.clear()

    change = add_by_api(served, "Lee Example")
    (by_api,) = mail.to(QWO)
    text = body(by_api)
    assert f"Change {change}," in text and "appointed Lee Example" in text
    assert f"{PUBLIC_URL}/icb/QWO" in text and f"{PUBLIC_URL}/feeds/area/QWO.atom" in text
    assert "by amira (import)" in text and "1 board_member added" in text

    add_by_form(served, "Iris Example")
    first, by_form = mail.to(QWO)
    assert first is by_api and "appointed Iris Example" in body(by_form)
    assert "appointed Lee Example" not in body(by_form)  # nothing sent twice
    assert mail.to(OTHER) == []

    unsubscribe = on_server(served, by_form["List-Unsubscribe"].strip("<>"))
    assert by_form["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Unsubscribe" in httpx.get(unsubscribe, timeout=60).text  # a GET changes nothing
    add_by_api(served, "Mo Example")
    assert len(mail.to(QWO)) == 3
    one_click = httpx.post(
        unsubscribe,
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
        timeout=60,
    )
    assert one_click.status_code == 200 and "Unsubscribed" in one_click.text
    add_by_api(served, "Ned Example")
    assert len(mail.to(QWO)) == 3 and mail.to(OTHER) == []


def test_the_feed_and_the_log_never_show_a_subscribers_address(served):
    feed = httpx.get(f"{served['base']}/feeds/changes.atom", timeout=60).text
    assert "example.org</" not in feed and QWO not in feed and "subscription " not in feed
