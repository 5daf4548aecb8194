"""Subscriptions in the store: asked for, confirmed by a link, ended in one click.

An address follows one topic (an area with a page, or a function) per subscription. Asking
creates it *pending*, with a random confirmation token kept only as its HMAC under the
server key and good for ``CONFIRM_HOURS``; asking again while one is pending sends nothing
more, and one address may have at most ``MAX_PENDING`` waiting. Confirming starts delivery
from the newest change then (nothing older is sent). Ending one deletes the row, so the
address is kept no longer than it is used. The unsubscribe token is not stored at all: it
is the subscription's id signed under the server key, so every message can carry it.

Confirming and ending are recorded in the audit log (kind ``subscriptions``, kept out of the
feeds and ``icsatlas changes``) by the subscription's id and topic, never its address.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from icsatlas.accounts import keys
from icsatlas.accounts.users import now
from icsatlas.errors import IcsatlasError, InputError, NotFoundError
from icsatlas.store.audit import record_change

if TYPE_CHECKING:
    from icsatlas.store.base import Store
    from icsatlas.workspace import Workspace

CONFIRM_HOURS = 48
MAX_PENDING = 5  # unconfirmed subscriptions one address may have at a time
KIND = "subscriptions"  # their entries in the audit log
ACTOR = "subscriber"
# An address as mail systems accept it, with nothing that could end a header line.
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_COLUMNS = (
    "subscription_id, address, topic_kind, topic, topic_name, page, created_at,"
    " confirm_expires, confirmed_at, last_change_id"
)


@dataclass(frozen=True)
class Topic:
    """What a subscription follows: an area (by its code) or a function (by its id)."""

    kind: str  # area | function
    code: str
    name: str
    page: str  # the portal's page of it, a path

    @property
    def feed(self) -> str:
        return f"/feeds/{self.kind}/{self.code}.atom"

    def __str__(self) -> str:
        return f"{self.name} ({self.kind} {self.code})"


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    address: str
    topic: Topic
    created_at: datetime
    confirm_expires: datetime | None
    confirmed_at: datetime | None
    last_change_id: int | None

    @property
    def state(self) -> str:
        return "confirmed" if self.confirmed_at else "pending"

    @property
    def filter(self) -> dict[str, str]:
        """The ``area=`` or ``function=`` this subscription's changes are chosen by."""
        return {self.topic.kind: self.topic.code}


class TooManyPending(IcsatlasError):
    """An address with ``MAX_PENDING`` confirmations already waiting."""

    http_status = 429


class LinkNotValid(NotFoundError):
    """A confirmation or unsubscribe link that matches nothing (used, expired or mistyped)."""


def topic(ws: Workspace, area: str | None = None, function: str | None = None) -> Topic:
    """The one topic a request names (an area with a page, or a function)."""
    from icsatlas.web.pages.view import PATHS, area_path

    area, function = (area or "").strip(), (function or "").strip()
    if bool(area) == bool(function):
        raise InputError("name one area or one function to follow", field="area")
    if function:
        chosen = ws.data.function(function)
        page = f"/functions/{chosen.function_id}"
        return Topic("function", chosen.function_id, chosen.label, page)
    found = ws.resolve(area)
    kind = found.kind.removeprefix("former ")
    if kind not in PATHS or kind in ("country", "postcode"):
        raise InputError(
            f"{found.name} is a {kind}: follow an ICB, place, council, region, PCN or practice",
            field="area",
        )
    return Topic("area", found.code, found.name, area_path(kind, found.code))


def checked_address(text: str) -> str:
    """An email address, lower-cased, or a clear refusal."""
    address = text.strip().lower()
    if len(address) > 254 or not ADDRESS.match(address):
        raise InputError(f"{text[:80]!r} is not an email address", field="email")
    return address


def ask(store: Store, key: bytes, address: str, chosen: Topic) -> tuple[Subscription, str | None]:
    """The subscription of ``address`` to ``chosen``, made (pending) if there was none; and
    a new confirmation token to send, or None when nothing should be sent (confirmed
    already, or a confirmation still waiting). Call inside the transaction that sends the
    confirmation, so a message that cannot be sent leaves nothing behind."""
    purge(store)
    found = _find(store, address, chosen)
    if found is not None and (found.confirmed_at or _waiting(found)):
        return found, None
    token = secrets.token_urlsafe(32)
    expires = now() + timedelta(hours=CONFIRM_HOURS)
    if found is not None:  # its link expired (and was not yet purged): a new one
        store.execute(
            "UPDATE subscription SET confirm_digest = ?, confirm_expires = ?"
            " WHERE subscription_id = ?",
            (_confirm_digest(key, token), expires, found.subscription_id),
        )
        return _get(store, found.subscription_id), token
    waiting = store.scalar(
        "SELECT count(*) FROM subscription WHERE address = ? AND confirmed_at IS NULL", (address,)
    )
    if int(waiting) >= MAX_PENDING:
        raise TooManyPending(
            f"{address} already has {MAX_PENDING} subscriptions waiting to be confirmed: "
            f"use the links sent to it (they expire after {CONFIRM_HOURS} hours)"
        )
    subscription_id = secrets.token_hex(8)
    store.execute(
        "INSERT INTO subscription (subscription_id, address, topic_kind, topic, topic_name,"
        " page, created_at, confirm_digest, confirm_expires, confirmed_at, last_change_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        (
            subscription_id,
            address,
            chosen.kind,
            chosen.code,
            chosen.name,
            chosen.page,
            now(),
            _confirm_digest(key, token),
            expires,
        ),
    )
    return _get(store, subscription_id), token


def pending_for(store: Store, key: bytes, token: str) -> Subscription:
    """The subscription a confirmation link is for, if it is still waiting (else 404)."""
    row = store.fetchone(
        f"SELECT {_COLUMNS} FROM subscription WHERE confirm_digest = ? AND confirmed_at IS NULL",  # noqa: S608 - the column list is a constant; values bound
        (_confirm_digest(key, token),),
    )
    found = None if row is None else _subscription(row)
    if found is None or not _waiting(found):
        raise LinkNotValid(
            "this confirmation link has been used, has expired or is not complete: "
            "subscribe again to get a new one"
        )
    return found


def confirm(store: Store, key: bytes, token: str) -> Subscription:
    """Confirm the subscription a link is for; delivery starts after the newest change."""
    with store.transaction():
        found = pending_for(store, key, token)
        change = record_change(
            store,
            kind=KIND,
            reason=f"subscription {found.subscription_id} to {found.topic.kind} "
            f"{found.topic.code} confirmed",
            actor=ACTOR,
        )
        store.execute(
            "UPDATE subscription SET confirmed_at = ?, confirm_digest = NULL,"
            " confirm_expires = NULL, last_change_id = ? WHERE subscription_id = ?",
            (now(), change.change_id, found.subscription_id),
        )
    return _get(store, found.subscription_id)


def unsubscribe_token(key: bytes, subscription_id: str) -> str:
    """The token of a subscription's unsubscribe link (its id, signed)."""
    return f"{subscription_id}.{keys.digest(key, 'unsubscribe:' + subscription_id)[:32]}"


def by_unsubscribe_token(store: Store, key: bytes, token: str) -> Subscription | None:
    """The subscription an unsubscribe link ends; None if it has ended already (a link
    that was never given out is refused, 404)."""
    subscription_id, _, _signature = token.partition(".")
    if not keys.same(token, unsubscribe_token(key, subscription_id)):
        raise LinkNotValid("this unsubscribe link is not complete: copy the whole link")
    row = store.fetchone(
        f"SELECT {_COLUMNS} FROM subscription WHERE subscription_id = ?",  # noqa: S608 - the column list is a constant; values bound
        (subscription_id,),
    )
    return None if row is None else _subscription(row)


def unsubscribe(store: Store, key: bytes, token: str) -> Subscription | None:
    """End the subscription an unsubscribe link names (its address is deleted); None if it
    had ended already (ending twice is not an error)."""
    with store.transaction():
        found = by_unsubscribe_token(store, key, token)
        if found is None:
            return None
        store.execute(
            "DELETE FROM subscription WHERE subscription_id = ?", (found.subscription_id,)
        )
        if found.confirmed_at is not None:
            record_change(
                store,
                kind=KIND,
                reason=f"subscription {found.subscription_id} to {found.topic.kind} "
                f"{found.topic.code} ended",
                actor=ACTOR,
            )
    return found


def purge(store: Store) -> int:
    """Forget unconfirmed subscriptions whose link has expired (their addresses with them)."""
    expired = int(
        store.scalar(
            "SELECT count(*) FROM subscription WHERE confirmed_at IS NULL AND confirm_expires < ?",
            (now(),),
        )
    )
    if expired:
        store.execute(
            "DELETE FROM subscription WHERE confirmed_at IS NULL AND confirm_expires < ?",
            (now(),),
        )
    return expired


def listed(store: Store) -> list[Subscription]:
    """Every subscription, by address then topic."""
    rows = store.fetchall(
        f"SELECT {_COLUMNS} FROM subscription ORDER BY address, topic_kind, topic"  # noqa: S608 - the column list is a constant; values bound
    )
    return [_subscription(r) for r in rows]


def confirmed(store: Store) -> list[Subscription]:
    rows = store.fetchall(
        f"SELECT {_COLUMNS} FROM subscription WHERE confirmed_at IS NOT NULL"  # noqa: S608 - the column list is a constant; values bound
        " ORDER BY subscription_id"
    )
    return [_subscription(r) for r in rows]


def delivered(store: Store, subscription_id: str, change_id: int) -> None:
    """Record that every change up to ``change_id`` has been dealt with for a subscription."""
    store.execute(
        "UPDATE subscription SET last_change_id = ? WHERE subscription_id = ?",
        (change_id, subscription_id),
    )


def locked(store: Store, subscription_id: str) -> Subscription | None:
    """The subscription as it is now, held against another delivery until the transaction
    ends (PostgreSQL; a DuckDB file has one writer already). None if it has ended."""
    lock = " FOR UPDATE" if store.dialect == "postgresql" else ""
    row = store.fetchone(
        f"SELECT {_COLUMNS} FROM subscription WHERE subscription_id = ?{lock}",  # noqa: S608 - the column list is a constant; values bound
        (subscription_id,),
    )
    return None if row is None else _subscription(row)


def _find(store: Store, address: str, chosen: Topic) -> Subscription | None:
    row = store.fetchone(
        f"SELECT {_COLUMNS} FROM subscription WHERE address = ? AND topic_kind = ? AND topic = ?",  # noqa: S608 - the column list is a constant; values bound
        (address, chosen.kind, chosen.code),
    )
    return None if row is None else _subscription(row)


def _get(store: Store, subscription_id: str) -> Subscription:
    row = store.fetchone(
        f"SELECT {_COLUMNS} FROM subscription WHERE subscription_id = ?",  # noqa: S608 - the column list is a constant; values bound
        (subscription_id,),
    )
    assert row is not None
    return _subscription(row)


def _waiting(found: Subscription) -> bool:
    return found.confirm_expires is not None and found.confirm_expires > now()


def _confirm_digest(key: bytes, token: str) -> str:
    return keys.digest(key, "subscribe:" + token)


def _subscription(row: tuple[Any, ...]) -> Subscription:
    sid, address, kind, code, name, page, created, expires, confirmed_at, last = row
    return Subscription(
        sid,
        address,
        Topic(kind, code, name, page),
        created,
        expires,
        confirmed_at,
        None if last is None else int(last),
    )
