"""The messages subscribers get, and sending them over SMTP (stdlib ``smtplib``).

Two kinds of message: the confirmation link (the only message an unconfirmed address ever
gets) and the list of changes to a topic. Each list carries a one-click unsubscribe
(RFC 8058): a ``List-Unsubscribe`` header with the link, ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, and the same link in the text.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from icsatlas import config, redact
from icsatlas.errors import IcsatlasError
from icsatlas.notify.subscriptions import CONFIRM_HOURS, Subscription

TIMEOUT_S = 20.0
TAG = "tag:icsatlas,2026:change/"  # as the Atom feeds name an entry


class NotConfigured(IcsatlasError):
    """No SMTP settings: subscriptions are refused rather than kept and never sent."""

    http_status = 503


class MailFailed(IcsatlasError):
    """The SMTP server could not be reached or refused a message."""

    http_status = 503


def settings() -> config.Smtp:
    """The SMTP settings, or a refusal saying how to give them."""
    found = config.smtp()
    if found is None:
        raise NotConfigured(
            "email subscriptions are not available here: this server sends no email "
            f"(its administrator sets {config.SMTP_HOST_ENV}; see docs/how-to/follow-changes.md)"
            "; follow the Atom feeds instead"
        )
    return found


class Mailer:
    """One SMTP connection, opened at the first message and closed with the context."""

    def __init__(self, smtp: config.Smtp) -> None:
        self.smtp = smtp
        self._connection: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        try:
            if self._connection is None:
                self._connection = self._connect()
            self._connection.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            where = f"{self.smtp.host}:{self.smtp.port}"
            text = redact.credentials(f"could not send email via {where}: {error}")
            raise MailFailed(text) from None

    def _connect(self) -> smtplib.SMTP:
        smtp, context = self.smtp, ssl.create_default_context()
        connection: smtplib.SMTP
        if smtp.security == "tls":
            connection = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_S, context=context)
        else:
            connection = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S)
            if smtp.security == "starttls":
                connection.starttls(context=context)
        if smtp.user:
            connection.login(smtp.user, smtp.password or "")
        return connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except (smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None


@contextmanager
def mailer(smtp: config.Smtp) -> Iterator[Mailer]:
    sender = Mailer(smtp)
    try:
        yield sender
    finally:
        sender.close()


def confirmation(smtp: config.Smtp, found: Subscription, token: str) -> EmailMessage:
    """The message with the link that confirms a subscription."""
    link = f"{smtp.public_url}/subscribe/confirm/{token}"
    body = "\n".join(
        [
            f"Someone (we hope you) asked icsatlas to email {found.address} when the register",
            f"changes for {found.topic}.",
            "",
            "To start these emails, open this link and confirm:",
            link,
            "",
            f"The link works for {CONFIRM_HOURS} hours. If you did not ask, ignore this email:",
            "nothing more will be sent and your address will be forgotten when the link expires.",
        ]
    )
    return _message(smtp, found.address, f"Confirm: icsatlas changes for {found.topic.name}", body)


def changes(
    smtp: config.Smtp, found: Subscription, rows: list[dict[str, Any]], unsubscribe: str
) -> EmailMessage:
    """One message listing ``rows`` (changes, as ``icsatlas changes`` lists them, oldest
    first here) with where to read each, and how to stop."""
    url = smtp.public_url
    link = f"{url}/unsubscribe/{unsubscribe}"
    topic = found.topic
    count = f"{len(rows)} change{'s' if len(rows) != 1 else ''}"
    lines = [f"{count} to the icsatlas register for {topic}:", ""]
    for row in sorted(rows, key=lambda r: r["change"]):
        lines += _described(row)
    lines += [
        f"Read {topic.name} as it is now: {url}{topic.page}",
        f"Every change to it (Atom feed): {url}{topic.feed}",
        "",
        f"You get this because {found.address} subscribed to changes for {topic.name}.",
        f"Unsubscribe (one click): {link}",
    ]
    message = _message(smtp, found.address, f"icsatlas: {count} for {topic.name}", "\n".join(lines))
    message["List-Unsubscribe"] = f"<{link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["List-Id"] = f"icsatlas changes for {topic.kind} {topic.code} <{_list_id(smtp, found)}>"
    return message


def _described(row: dict[str, Any]) -> list[str]:
    when: datetime = row["recorded_at"]
    return [
        f"Change {row['change']}, {when:%-d %B %Y %H:%M} UTC, by {row['actor']} ({row['kind']})",
        f"  Why: {row['reason']}",
        f"  What: {row['records'] or 'no records in the register'}",
        f"  Source: {row['source'] or 'not given'}",
        f"  In the log: change {row['change']} (`icsatlas log`; feed entry {TAG}{row['change']})",
        "",
    ]


def _list_id(smtp: config.Smtp, found: Subscription) -> str:
    host = smtp.public_url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
    return f"{found.topic.kind}-{found.topic.code.lower()}.changes.{host}"


# Headers are folded only past RFC 5322's hard limit: the default folds at 78 characters,
# and a List-Unsubscribe link longer than that became an RFC 2047 encoded word, which mail
# clients do not read as the link (RFC 2369 wants the URL itself between angle brackets).
POLICY = email.policy.SMTP.clone(max_line_length=998)


def _message(smtp: config.Smtp, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = smtp.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message
