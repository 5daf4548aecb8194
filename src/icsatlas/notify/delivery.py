"""Delivering changes to confirmed subscribers: each gets one message listing every change
to their topic since the last one delivered.

A subscription keeps the id of the newest change dealt with (``last_change_id``). A run
reads the public changes after the oldest of those once, and for each subscription, in its
own transaction: chooses the changes that concern its topic (the rule the Atom feeds use,
:func:`icsatlas.workspace.changes.concerning`), sends one message if there are any, and
moves its mark to the newest change read. A message that cannot be sent rolls its
transaction back and ends the run, so it and those after it stay pending for the next run
(nothing is skipped); a mark moved only after its message was accepted means nothing is
sent twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from icsatlas.accounts import keys
from icsatlas.errors import NotFoundError
from icsatlas.notify import mail, subscriptions
from icsatlas.workspace.changes import concerning, public_after

if TYPE_CHECKING:
    from icsatlas import config
    from icsatlas.store.audit import Change
    from icsatlas.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """What a run did: messages sent, subscriptions still waiting, and why it stopped."""

    sent: int
    pending: int
    failure: str | None = None


def send_pending(ws: Workspace, smtp: config.Smtp | None = None) -> Delivery:
    """Send every confirmed subscriber the changes to their topic not yet sent."""
    smtp = smtp or mail.settings()
    key = keys.server_key(ws.home)
    subscribed = subscriptions.confirmed(ws.store)
    marks = [s.last_change_id or 0 for s in subscribed]
    entries = public_after(ws.store, min(marks, default=0))
    head = max((c.change_id for c in entries), default=0)
    sent = stuck = 0
    with mail.mailer(smtp) as sender:
        for done, chosen in enumerate(subscribed):
            try:
                sent += _deliver(ws, smtp, key, sender, chosen.subscription_id, entries, head)
            except mail.MailFailed as failure:
                return Delivery(sent, stuck + _waiting(subscribed[done:], head), str(failure))
            except NotFoundError as gone:  # its topic left the register: the others go on
                log.warning("subscription %s not delivered: %s", chosen.subscription_id, gone)
                stuck += 1
    return Delivery(sent, stuck)


def _deliver(
    ws: Workspace,
    smtp: config.Smtp,
    key: bytes,
    sender: mail.Mailer,
    subscription_id: str,
    entries: list[Change],
    head: int,
) -> int:
    """Deliver one subscription's changes up to ``head`` (one message, or none if no change
    concerns it); how many messages were sent."""
    with ws.store.transaction():
        found = subscriptions.locked(ws.store, subscription_id)
        if found is None or (found.last_change_id or 0) >= head:
            return 0
        mark = found.last_change_id or 0
        rows = concerning(ws, [c for c in entries if c.change_id > mark], **found.filter)
        if rows:
            token = subscriptions.unsubscribe_token(key, subscription_id)
            sender.send(mail.changes(smtp, found, rows, token))
        subscriptions.delivered(ws.store, subscription_id, head)
    return 1 if rows else 0


def _waiting(left: list[subscriptions.Subscription], head: int) -> int:
    """How many of the subscriptions not reached were not up to date."""
    return sum(1 for s in left if (s.last_change_id or 0) < head)
