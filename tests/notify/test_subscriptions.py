"""Asking, confirming and ending a subscription, on DuckDB and PostgreSQL, with a real SMTP
server on loopback: one confirmation per address and topic, links that expire, a keyed
hash in the store and no address in the audit log."""

from __future__ import annotations

import pytest

from icsatlas import notify
from icsatlas.accounts import keys
from icsatlas.errors import InputError
from icsatlas.notify import subscriptions
from icsatlas.notify.mail import MailFailed, NotConfigured
from icsatlas.store.audit import changes, verify
from icsatlas.workspace import Workspace
from tests.notify.mailserver import PUBLIC_URL, Received, body, free_port, link

ADDRESS = "ann@example.org"


def token_of(received: Received, address: str = ADDRESS) -> str:
    (message,) = received.to(address)
    return link(message, "/subscribe/confirm/").rsplit("/", 1)[1]


def test_asking_sends_one_confirmation_and_keeps_only_its_keyed_hash(ws: Workspace, smtp):
    received, _ = smtp
    found = notify.subscribe(ws, "Ann@Example.org", area="QWO")
    (message,) = received.to(ADDRESS)
    assert message["Subject"].strip() == "Confirm: icsatlas changes for " + found.topic.name
    assert "NHS West Yorkshire Integrated Care Board (area QWO)" in body(message)
    token = token_of(received)
    stored = ws.store.scalar("SELECT confirm_digest FROM subscription")
    key = keys.server_key(ws.home)
    assert token not in stored and stored == keys.digest(key, "subscribe:" + token)
    assert (found.address, found.state, found.topic.page) == (ADDRESS, "pending", "/icb/QWO")


def test_asking_again_sends_nothing_more_while_a_link_waits_or_once_confirmed(ws, smtp):
    received, _ = smtp
    for _ in range(3):
        notify.subscribe(ws, ADDRESS, area="QWO")
    assert len(received.to(ADDRESS)) == 1
    subscriptions.confirm(ws.store, keys.server_key(ws.home), token_of(received))
    notify.subscribe(ws, ADDRESS, area="qwo")
    assert len(received.to(ADDRESS)) == 1
    assert ws.store.scalar("SELECT count(*) FROM subscription") == 1


def test_one_address_may_have_only_a_few_confirmations_waiting(ws, smtp):
    received, _ = smtp
    areas = ["QWO", "S9B9J", "QHG", "QJK", "QKK"]
    for area in areas[: subscriptions.MAX_PENDING]:
        notify.subscribe(ws, ADDRESS, area=area)
    with pytest.raises(subscriptions.TooManyPending):
        notify.subscribe(ws, ADDRESS, function="continuing-healthcare")
    assert len(received.to(ADDRESS)) == subscriptions.MAX_PENDING


def test_a_confirmation_link_expires_and_asking_again_sends_a_new_one(ws, smtp):
    received, _ = smtp
    notify.subscribe(ws, ADDRESS, area="QWO")
    old = token_of(received)
    ws.store.execute("UPDATE subscription SET confirm_expires = created_at")  # 48 hours on
    key = keys.server_key(ws.home)
    with pytest.raises(subscriptions.LinkNotValid, match="expired"):
        subscriptions.confirm(ws.store, key, old)
    received.clear()
    notify.subscribe(ws, ADDRESS, area="QWO")
    new = token_of(received)
    assert new != old
    assert subscriptions.confirm(ws.store, key, new).state == "confirmed"


def test_an_expired_request_is_forgotten_address_and_all(ws, smtp):
    notify.subscribe(ws, ADDRESS, area="QWO")
    ws.store.execute("UPDATE subscription SET confirm_expires = created_at")
    assert subscriptions.purge(ws.store) == 1
    assert ws.store.scalar("SELECT count(*) FROM subscription") == 0


def test_confirming_and_ending_are_audited_by_id_never_by_address(ws, smtp):
    received, _ = smtp
    key = keys.server_key(ws.home)
    notify.subscribe(ws, ADDRESS, area="QWO")
    found = subscriptions.confirm(ws.store, key, token_of(received))
    with pytest.raises(subscriptions.LinkNotValid):  # a link works once
        subscriptions.confirm(ws.store, key, token_of(received))
    token = subscriptions.unsubscribe_token(key, found.subscription_id)
    ended = subscriptions.unsubscribe(ws.store, key, token)
    assert ended is not None and ended.subscription_id == found.subscription_id
    assert ws.store.scalar("SELECT count(*) FROM subscription") == 0  # the address is gone
    entries = [c for c in changes(ws.store) if c.kind == "subscriptions"][-2:]
    assert [e.reason for e in entries] == [
        f"subscription {found.subscription_id} to area QWO confirmed",
        f"subscription {found.subscription_id} to area QWO ended",
    ]
    assert not any("example.org" in repr(c) for c in changes(ws.store))
    assert verify(ws.store).intact
    listed = ws.register.changes("1970-01-01").table.records()
    assert "subscriptions" not in {row["kind"] for row in listed}  # nor in the feeds


def test_an_unsubscribe_link_must_be_the_signed_one(ws, smtp):
    key = keys.server_key(ws.home)
    found = notify.subscribe(ws, ADDRESS, area="QWO")
    forged = f"{found.subscription_id}.{'0' * 32}"
    with pytest.raises(subscriptions.LinkNotValid):
        subscriptions.unsubscribe(ws.store, key, forged)
    token = subscriptions.unsubscribe_token(key, found.subscription_id)
    assert subscriptions.unsubscribe(ws.store, key, token) is not None
    assert subscriptions.unsubscribe(ws.store, key, token) is None  # twice is not an error


@pytest.mark.parametrize(
    ("address", "area", "function", "field"),
    [
        ("not an address", "QWO", None, "email"),
        ("ann@example.org\r\nBcc: eve@example.org", "QWO", None, "email"),
        (ADDRESS, None, None, "area"),
        (ADDRESS, "QWO", "continuing-healthcare", "area"),
        (ADDRESS, "LS1", None, "area"),  # a postcode district has a page but is not a body
    ],
)
def test_a_bad_request_is_refused_and_sends_nothing(ws, smtp, address, area, function, field):
    received, _ = smtp
    with pytest.raises(InputError) as refused:
        notify.subscribe(ws, address, area=area, function=function)
    assert refused.value.field == field
    assert received.messages == []


def test_with_no_smtp_settings_subscribing_is_refused_not_dropped(ws, monkeypatch):
    monkeypatch.delenv("ICSATLAS_SMTP_HOST", raising=False)
    with pytest.raises(NotConfigured, match="ICSATLAS_SMTP_HOST"):
        notify.subscribe(ws, ADDRESS, area="QWO")
    assert ws.store.scalar("SELECT count(*) FROM subscription") == 0


def test_a_confirmation_that_cannot_be_sent_leaves_nothing_behind(ws, smtp, monkeypatch):
    monkeypatch.setenv("ICSATLAS_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("ICSATLAS_SMTP_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("ICSATLAS_SMTP_USER", "mailer")
    with pytest.raises(MailFailed) as failed:
        notify.subscribe(ws, ADDRESS, area="QWO")
    assert "hunter2-secret" not in str(failed.value)
    assert ws.store.scalar("SELECT count(*) FROM subscription") == 0


def test_the_links_use_the_public_address(ws, smtp):
    received, _ = smtp
    notify.subscribe(ws, ADDRESS, function="continuing-healthcare")
    (message,) = received.to(ADDRESS)
    assert link(message, "/subscribe/confirm/").startswith(PUBLIC_URL + "/subscribe/confirm/")
