"""Email subscriptions to changes in the register, as OpenPrescribing sends its alerts.

Someone asks to follow an area or a function (:func:`subscribe`: the portal's form or
``POST /api/v1/subscriptions``), confirms by the link emailed to them, and from then on
gets one message per delivery run listing the changes that concern it, each with a
one-click unsubscribe. A write delivers straight after it commits (:func:`after_write`,
which every web write calls); ``icsatlas notify send`` delivers whatever is still pending
(writes from the command line, or a run that could not reach the SMTP server).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from icsatlas import config
from icsatlas.accounts import keys
from icsatlas.notify import mail, subscriptions
from icsatlas.notify.delivery import Delivery, send_pending
from icsatlas.notify.subscriptions import Subscription, Topic

if TYPE_CHECKING:
    from icsatlas.workspace import Workspace

__all__ = ["Delivery", "Subscription", "Topic", "after_write", "send_pending", "subscribe"]
log = logging.getLogger(__name__)


def subscribe(
    ws: Workspace, address: str, area: str | None = None, function: str | None = None
) -> Subscription:
    """Ask for ``address`` to follow an area or a function: a pending subscription and its
    confirmation email, both or neither (nothing is sent when one is confirmed already or
    a confirmation is still waiting)."""
    smtp = mail.settings()
    chosen = subscriptions.topic(ws, area, function)
    checked = subscriptions.checked_address(address)
    key = keys.server_key(ws.home)
    with ws.store.transaction(), mail.mailer(smtp) as sender:
        found, token = subscriptions.ask(ws.store, key, checked, chosen)
        if token is not None:
            sender.send(mail.confirmation(smtp, found, token))
    return found


def after_write(ws: Workspace) -> Delivery | None:
    """Deliver the changes a write just committed (call it after the write's transaction,
    with the workspace still open writable). Never raises: the write has happened whatever
    becomes of the email, and anything not sent stays pending for ``icsatlas notify send``.
    None when this server sends no email."""
    try:
        smtp = config.smtp()
        if smtp is None or not subscriptions.confirmed(ws.store):
            return None
        delivery = send_pending(ws, smtp)
    except Exception:  # the write stands; `icsatlas notify send` retries
        log.exception("changes were not emailed to subscribers: `icsatlas notify send` retries")
        return None
    if delivery.failure:
        log.warning("%s; %d subscriptions left pending", delivery.failure, delivery.pending)
    return delivery
