"""Delivering changes to confirmed subscribers through a real SMTP server on loopback, on
DuckDB and PostgreSQL: one message per subscriber naming the change and where to read it,
nothing for other areas, nothing twice, and nothing lost when the server is down."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from icsatlas import notify
from icsatlas.accounts import keys
from icsatlas.notify import subscriptions
from icsatlas.workspace import Workspace
from tests.notify.mailserver import PUBLIC_URL, Received, body, free_port, link
from tests.web.auth_helpers import CSV_HEADER, member_row

QWO, OTHER, FUNCTION = "qwo@example.org", "surrey@example.org", "chc@example.org"


def subscribed(ws: Workspace, received: Received, address: str, **topic: str) -> str:
    """Subscribe and confirm; the subscription's id."""
    notify.subscribe(ws, address, **topic)
    (message,) = received.to(address)
    token = link(message, "/subscribe/confirm/").rsplit("/", 1)[1]
    received.clear()
    return subscriptions.confirm(ws.store, keys.server_key(ws.home), token).subscription_id


def add_member(ws: Workspace, folder: Path, board: str = "QWO") -> tuple[int, str]:
    """A board member added as ``icsatlas board import`` adds one; the change id and name."""
    person = f"Member {uuid.uuid4().hex[:6]}"
    path = folder / f"{person}.csv"
    path.write_text(f"{CSV_HEADER}\n{member_row(person, board)}\n")
    saved = ws.register.import_board(str(path), f"appointed {person}", actor="amira")
    return saved.change.change_id, person


@pytest.fixture
def three(ws: Workspace, smtp) -> dict[str, str]:
    """Subscribers to QWO, to another ICB (S9B9J) and to a function."""
    received, _ = smtp
    return {
        QWO: subscribed(ws, received, QWO, area="QWO"),
        OTHER: subscribed(ws, received, OTHER, area="S9B9J"),
        FUNCTION: subscribed(ws, received, FUNCTION, function="continuing-healthcare"),
    }


def test_a_change_reaches_only_the_subscribers_whose_area_it_touches(ws, smtp, three, tmp_path):
    received, _ = smtp
    change, person = add_member(ws, tmp_path)
    delivery = notify.send_pending(ws)
    assert (delivery.sent, delivery.pending, delivery.failure) == (1, 0, None)
    assert received.to(OTHER) == [] and received.to(FUNCTION) == []
    (message,) = received.to(QWO)
    text = body(message)
    assert message["Subject"].strip().startswith("icsatlas: 1 change for NHS West Yorkshire")
    assert f"Change {change}," in text and f"appointed {person}" in text
    assert "1 board_member added" in text
    assert f"{PUBLIC_URL}/icb/QWO" in text and f"{PUBLIC_URL}/feeds/area/QWO.atom" in text
    unsubscribe = f"{PUBLIC_URL}/unsubscribe/" + subscriptions.unsubscribe_token(
        keys.server_key(ws.home), three[QWO]
    )
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"  # RFC 8058
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text
    # on the wire the link is the header's literal value (RFC 2369), never an encoded word
    (raw,) = received.raw_to(QWO)
    header = rb"^List-Unsubscribe: <" + re.escape(unsubscribe.encode()) + rb">\r?$"
    assert re.search(header, raw, re.MULTILINE), raw[:800]


def test_nothing_is_sent_twice_and_the_next_message_lists_only_what_is_new(
    ws, smtp, three, tmp_path
):
    received, _ = smtp
    first, _ = add_member(ws, tmp_path)
    assert notify.send_pending(ws).sent == 1
    assert notify.send_pending(ws).sent == 0
    second, _ = add_member(ws, tmp_path)
    third, _ = add_member(ws, tmp_path)
    assert notify.send_pending(ws).sent == 1
    older, newer = received.to(QWO)
    assert f"Change {first}," in body(older) and f"Change {first}," not in body(newer)
    assert f"Change {second}," in body(newer) and f"Change {third}," in body(newer)
    assert newer["Subject"].strip().startswith("icsatlas: 2 changes for")


def test_with_the_smtp_server_down_changes_wait_and_are_sent_once_it_is_back(
    ws, smtp, three, tmp_path, monkeypatch
):
    received, port = smtp
    monkeypatch.setenv("ICSATLAS_SMTP_PORT", str(free_port()))  # nothing listens there
    change, _ = add_member(ws, tmp_path)
    down = notify.send_pending(ws)
    assert down.sent == 0 and down.pending >= 1 and "could not send email" in (down.failure or "")
    assert notify.after_write(ws) is not None  # a web write's hook reports, never raises
    monkeypatch.setenv("ICSATLAS_SMTP_PORT", str(port))
    assert notify.send_pending(ws).sent == 1
    (message,) = received.to(QWO)
    assert f"Change {change}," in body(message)


def test_changes_before_confirming_are_not_sent(ws, smtp, tmp_path):
    received, _ = smtp
    add_member(ws, tmp_path)
    subscribed(ws, received, QWO, area="QWO")
    assert notify.send_pending(ws).sent == 0
    assert received.messages == []


def test_an_unconfirmed_address_gets_nothing_but_its_confirmation(ws, smtp, tmp_path):
    received, _ = smtp
    notify.subscribe(ws, QWO, area="QWO")
    add_member(ws, tmp_path)
    notify.send_pending(ws)
    (only,) = received.to(QWO)
    assert only["Subject"].strip().startswith("Confirm:")


def test_after_unsubscribing_no_more_mail(ws, smtp, three, tmp_path):
    received, _ = smtp
    key = keys.server_key(ws.home)
    subscriptions.unsubscribe(ws.store, key, subscriptions.unsubscribe_token(key, three[QWO]))
    add_member(ws, tmp_path)
    assert notify.send_pending(ws).sent == 0
    assert received.to(QWO) == []


def test_with_no_smtp_settings_the_write_hook_does_nothing(ws, monkeypatch):
    monkeypatch.delenv("ICSATLAS_SMTP_HOST", raising=False)
    assert notify.after_write(ws) is None


def test_a_subscription_whose_area_left_the_register_does_not_hold_up_the_others(
    ws, smtp, three, tmp_path
):
    received, _ = smtp
    ws.store.execute(  # ordered first; its area is no longer anything the register knows
        "INSERT INTO subscription (subscription_id, address, topic_kind, topic, topic_name,"
        " page, created_at, confirmed_at, last_change_id)"
        " VALUES ('0', 'gone@example.org', 'area', 'ZZZ99', 'Gone', '/icb/ZZZ99',"
        " current_timestamp, current_timestamp, 0)"
    )
    add_member(ws, tmp_path)
    delivery = notify.send_pending(ws)
    assert (delivery.sent, delivery.pending, delivery.failure) == (1, 1, None)
    assert len(received.to(QWO)) == 1
