"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the
subscription tests; and the settings that point icsatlas at it."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

PORTS = range(18100, 18200)  # this helper's ports (plan/TEAM.md)
PUBLIC_URL = "https://icsatlas.example.org"
SENDER = "icsatlas <changes@icsatlas.example.org>"


@dataclass
class Received:
    """What the server accepted: each message with its envelope recipients."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    raw: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        self.raw.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.messages if address in rcpt]

    def raw_to(self, address: str) -> list[bytes]:
        """The messages to ``address`` as they came over the wire."""
        return [m for rcpt, m in self.raw if address in rcpt]

    def clear(self) -> None:
        self.messages.clear()
        self.raw.clear()


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


@contextmanager
def mail_server() -> Iterator[tuple[Received, int]]:
    received = Received()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield received, port
    finally:
        controller.stop()


def settings(port: int) -> dict[str, str]:
    """The environment that sends icsatlas's email to the server on ``port``."""
    return {
        "ICSATLAS_SMTP_HOST": "127.0.0.1",
        "ICSATLAS_SMTP_PORT": str(port),
        "ICSATLAS_SMTP_SECURITY": "none",
        "ICSATLAS_SMTP_FROM": SENDER,
        "ICSATLAS_PUBLIC_URL": PUBLIC_URL,
    }


def use(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    for name, value in settings(port).items():
        monkeypatch.setenv(name, value)


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content()


def link(message: EmailMessage, path: str) -> str:
    """The first link in the text to a path starting ``path`` (as sent, with the site)."""
    found = re.search(rf"{re.escape(PUBLIC_URL + path)}\S+", body(message))
    assert found, f"no {path} link in:\n{body(message)}"
    return found[0]
