"""Roles and scopes: what an account may change."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from icsatlas.errors import IcsatlasError, InputError

ROLES = ("viewer", "editor", "admin")
DOMAINS = ("board", "register", "contracts", "finance", "population", "reforms")
_AREA = re.compile(r"^[A-Z0-9]{2,12}$")


class Unauthenticated(IcsatlasError):
    """No credentials, or credentials that are not (or no longer) valid."""

    http_status = 401


class Forbidden(IcsatlasError):
    """Valid credentials that do not allow this change."""

    http_status = 403


@dataclass(frozen=True, order=True)
class Scope:
    """One domain of one area (``*`` for any): ``board:QWO``, ``contracts:*``, ``*:QWO``."""

    domain: str
    area: str

    @classmethod
    def parse(cls, text: str) -> Scope:
        domain, sep, area = text.strip().partition(":")
        domain, area = domain.lower(), area.upper() if sep else "*"
        if domain != "*" and domain not in DOMAINS:
            raise InputError(
                f"unknown domain {domain!r} (one of {', '.join(DOMAINS)}, or *)", field="--scope"
            )
        if area != "*" and not _AREA.match(area):
            raise InputError(
                f"{area!r} is not an area code (an ICB's ODS code such as QWO, or *)",
                field="--scope",
            )
        if domain == "*" and area == "*":
            raise InputError("*:* is everything: give the account the admin role", field="--scope")
        return cls(domain, area)

    def covers(self, other: Scope) -> bool:
        """Whether holding this scope allows everything ``other`` allows."""
        return self.domain in ("*", other.domain) and self.area in ("*", other.area)

    def __str__(self) -> str:
        return f"{self.domain}:{self.area}"


def parse_all(texts: Iterable[str]) -> tuple[Scope, ...]:
    """Scopes from ``board:QWO`` strings (comma- or space-separated lists too), sorted."""
    parts = [p for t in texts for p in re.split(r"[,\s]+", t) if p]
    return tuple(sorted(set(Scope.parse(p) for p in parts)))


def dump(scopes: Iterable[Scope]) -> str:
    return " ".join(str(s) for s in scopes)


def load(text: str) -> tuple[Scope, ...]:
    return tuple(Scope(*p.split(":", 1)) for p in text.split())


@dataclass(frozen=True)
class Principal:
    """Who is asking (signed in or by token), and what they may change."""

    name: str
    role: str
    scopes: tuple[Scope, ...] = ()
    token_id: str | None = None

    def may(self, domain: str, area: str) -> bool:
        if self.role == "admin":
            return True
        wanted = Scope(domain, area)
        return self.role == "editor" and any(s.covers(wanted) for s in self.scopes)

    def require(self, domain: str, area: str) -> None:
        """Refuse (403) a change outside this account's scopes."""
        if not self.may(domain, area):
            held = dump(self.scopes) or "none"
            raise Forbidden(
                f"{self.name} may not change {domain} of {area} (role {self.role}, scopes: {held})"
            )
