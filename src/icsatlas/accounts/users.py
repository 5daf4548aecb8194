"""Accounts and tokens in the store: add, list, disable; sign in; create, check, revoke.

Passwords are kept as argon2id hashes; tokens as HMAC-SHA256 digests under the server key
(:mod:`icsatlas.accounts.keys`), so a copy of the database gives neither. A password that
fails ``MAX_FAILURES`` times in a row locks the account for ``LOCK_MINUTES``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from icsatlas.accounts import keys
from icsatlas.accounts.scopes import (
    ROLES,
    Forbidden,
    Principal,
    Scope,
    Unauthenticated,
    dump,
    load,
)
from icsatlas.errors import IcsatlasError, InputError, NotFoundError
from icsatlas.store.audit import record_change
from icsatlas.store.base import Store

MIN_PASSWORD = 12
MAX_FAILURES = 5
LOCK_MINUTES = 15
MAX_TOKEN_DAYS = 366
SESSION_HOURS = 12
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
_TOKEN = re.compile(r"^icsa_([0-9a-f]{12})_[A-Za-z0-9_-]{40,60}$")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    scopes: tuple[Scope, ...]
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    password_hash: str | None = None


@dataclass(frozen=True)
class Token:
    token_id: str
    user_name: str
    kind: str
    scopes: tuple[Scope, ...]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class LockedOut(Unauthenticated):
    """Too many wrong passwords in a row."""


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# -- users -------------------------------------------------------------------------------------
def add(
    store: Store,
    name: str,
    role: str,
    scopes: Sequence[Scope],
    password: str | None,
    actor: str | None = None,
) -> User:
    """A new account (an editor needs at least one scope; a password, if given, is hashed)."""
    name = _checked_name(name)
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (one of {', '.join(ROLES)})", field="--role")
    if role == "editor" and not scopes:
        raise InputError("an editor needs at least one scope, e.g. board:QWO", field="--scope")
    if role != "editor" and scopes:
        raise InputError(f"scopes are for editors (a {role} has none)", field="--scope")
    hashed = _hasher().hash(_checked_password(password)) if password is not None else None
    with store.transaction():
        if find(store, name) is not None:
            raise InputError(f"there is already an account {name!r}", field="NAME")
        store.execute(
            "INSERT INTO account_user (name, role, scopes, password_hash, disabled,"
            " failed_logins, locked_until, created_at) VALUES (?, ?, ?, ?, FALSE, 0, NULL, ?)",
            (name, role, dump(scopes), hashed, now()),
        )
        held = " ".join([role, dump(scopes)]).strip()
        _audit(store, f"account {name} added ({held})", actor)
    return get(store, name)


def find(store: Store, name: str) -> User | None:
    row = store.fetchone(
        "SELECT name, role, scopes, disabled, failed_logins, locked_until, created_at,"
        " password_hash FROM account_user WHERE name = ?",
        (name.lower(),),
    )
    return None if row is None else _user(row)


def get(store: Store, name: str) -> User:
    found = find(store, name)
    if found is None:
        raise NotFoundError(f"no account {name!r} (`icsatlas user list` lists them)")
    return found


def listed(store: Store) -> list[User]:
    rows = store.fetchall(
        "SELECT name, role, scopes, disabled, failed_logins, locked_until, created_at,"
        " NULL FROM account_user ORDER BY name"
    )
    return [_user(r) for r in rows]


def disable(store: Store, name: str, actor: str | None = None) -> User:
    """Disable an account: it can no longer sign in, and its tokens and sessions stop working."""
    with store.transaction():
        user = get(store, name)
        store.execute("UPDATE account_user SET disabled = TRUE WHERE name = ?", (user.name,))
        store.execute(
            "UPDATE account_token SET revoked_at = ? WHERE user_name = ? AND revoked_at IS NULL",
            (now(), user.name),
        )
        _audit(store, f"account {user.name} disabled (its tokens revoked)", actor)
    return get(store, user.name)


def sign_in(store: Store, name: str, password: str) -> User:
    """The account, if ``password`` is its password; every failure counts towards a
    lock-out, and the message does not say whether the account exists."""
    with store.transaction():
        user = find(store, name) if _NAME.match(name.strip().lower()) else None
        refusal = _refusal(store, user, password)
    if refusal is not None:
        raise refusal
    assert user is not None
    return user


def _refusal(store: Store, user: User | None, password: str) -> Unauthenticated | None:
    """Why this sign-in is refused (counting a wrong password), or None if it is not."""
    if user is None or user.password_hash is None:
        _hasher().hash(password[:200])  # as slow as a real check
        return Unauthenticated("that name and password do not match an account")
    if user.locked_until is not None and user.locked_until > now():
        return _locked(user.locked_until)
    if not _matches(user.password_hash, password):
        return _failed(store, user)
    if user.disabled:
        return Unauthenticated(f"the account {user.name} is disabled")
    store.execute(
        "UPDATE account_user SET failed_logins = 0, locked_until = NULL WHERE name = ?",
        (user.name,),
    )
    if _hasher().check_needs_rehash(user.password_hash):
        store.execute(
            "UPDATE account_user SET password_hash = ? WHERE name = ?",
            (_hasher().hash(password), user.name),
        )
    return None


def _matches(hashed: str, password: str) -> bool:
    try:
        return _hasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _failed(store: Store, user: User) -> Unauthenticated:
    failures = user.failed_logins + 1
    until = now() + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
    store.execute(
        "UPDATE account_user SET failed_logins = ?, locked_until = ? WHERE name = ?",
        (0 if until else failures, until, user.name),
    )
    if until is not None:
        return _locked(until)
    return Unauthenticated("that name and password do not match an account")


def _locked(until: datetime) -> LockedOut:
    minutes = max(1, round((until - now()).total_seconds() / 60))
    return LockedOut(
        f"this account is locked after {MAX_FAILURES} wrong passwords in a row: try again in "
        f"{minutes} minutes, or ask an administrator"
    )


# -- tokens ------------------------------------------------------------------------------------
def create_token(
    store: Store,
    key: bytes,
    name: str,
    scopes: Sequence[Scope] = (),
    days: float = 30,
    kind: str = "api",
    actor: str | None = None,
) -> tuple[str, Token]:
    """A new token for the account (scopes: within the account's; none: all of them). The
    token's text is returned once and never stored."""
    if not 0 < days <= MAX_TOKEN_DAYS:
        raise InputError(
            f"must be more than 0 and at most {MAX_TOKEN_DAYS} days", field="--expires"
        )
    user = get(store, name)
    if user.disabled:
        raise InputError(f"the account {user.name} is disabled", field="--user")
    holder = Principal(user.name, user.role, user.scopes)
    for scope in scopes:
        if not holder.may(scope.domain, scope.area):
            raise InputError(
                f"{scope} is outside what {user.name} may change ({dump(user.scopes) or 'none'})",
                field="--scope",
            )
    token_id = secrets.token_hex(6)
    text = f"icsa_{token_id}_{secrets.token_urlsafe(32)}"
    created = now()
    token = Token(
        token_id, user.name, kind, tuple(scopes), created, created + timedelta(days=days), None
    )
    with store.transaction():
        store.execute(
            "INSERT INTO account_token (token_id, user_name, kind, digest, scopes, created_at,"
            " expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                token_id,
                user.name,
                kind,
                keys.digest(key, text),
                dump(scopes),
                created,
                token.expires_at,
            ),
        )
        if kind == "api":
            _audit(store, f"token {token_id} created for {user.name} ({days:g} days)", actor)
    return text, token


def tokens(store: Store, name: str | None = None) -> list[Token]:
    """API tokens (of one account), newest first."""
    sql = (
        "SELECT token_id, user_name, kind, scopes, created_at, expires_at, revoked_at"
        " FROM account_token WHERE kind = 'api'"
    )
    params: tuple[str, ...] = ()
    if name:
        sql, params = sql + " AND user_name = ?", (name.lower(),)
    rows = store.fetchall(sql + " ORDER BY created_at DESC", params)
    return [Token(r[0], r[1], r[2], load(r[3]), r[4], r[5], r[6]) for r in rows]


def revoke_token(store: Store, token_id: str, actor: str | None = None, audit: bool = True) -> None:
    """Revoke a token (or a session) by its id; revoking twice is refused."""
    with store.transaction():
        row = store.fetchone(
            "SELECT user_name, revoked_at FROM account_token WHERE token_id = ?", (token_id,)
        )
        if row is None:
            raise NotFoundError(f"no token {token_id!r} (`icsatlas token list` lists them)")
        if row[1] is not None:
            raise IcsatlasError(f"token {token_id} was already revoked on {row[1]:%Y-%m-%d %H:%M}")
        store.execute(
            "UPDATE account_token SET revoked_at = ? WHERE token_id = ?", (now(), token_id)
        )
        if audit:
            _audit(store, f"token {token_id} of {row[0]} revoked", actor)


def authenticate(store: Store, key: bytes, text: str, kind: str = "api") -> Principal:
    """Who a token (or session) belongs to and what it may change; refused (401) when it is
    unknown, expired, revoked, or its account disabled."""
    match = _TOKEN.match(text)
    if match is None:
        raise Unauthenticated("that is not an icsatlas token")
    row = store.fetchone(
        "SELECT t.digest, t.scopes, t.expires_at, t.revoked_at, u.name, u.role, u.scopes,"
        " u.disabled FROM account_token t JOIN account_user u ON u.name = t.user_name"
        " WHERE t.token_id = ? AND t.kind = ?",
        (match[1], kind),
    )
    if row is None or not keys.same(row[0], keys.digest(key, text)):
        raise Unauthenticated("unknown token")
    _, token_scopes, expires, revoked, name, role, user_scopes, disabled = row
    if revoked is not None:
        raise Unauthenticated(f"this token was revoked on {revoked:%Y-%m-%d}")
    if expires <= now():
        raise Unauthenticated(f"this token expired on {expires:%Y-%m-%d}")
    if disabled:
        raise Unauthenticated(f"the account {name} is disabled")
    return _principal(name, role, load(user_scopes), load(token_scopes), match[1])


def _principal(
    name: str, role: str, held: tuple[Scope, ...], granted: tuple[Scope, ...], token_id: str
) -> Principal:
    """A token's scopes, as far as the account still holds them (none given: the account's)."""
    if not granted:
        return Principal(name, role, held, token_id)
    account = Principal(name, role, held)
    kept = tuple(s for s in granted if account.may(s.domain, s.area))
    return Principal(name, "editor", kept, token_id)


# -- helpers -----------------------------------------------------------------------------------
def _checked_name(name: str) -> str:
    lowered = name.strip().lower()
    if not _NAME.match(lowered):
        raise InputError(
            "2-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
            field="NAME",
        )
    return lowered


def _checked_password(password: str | None) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if len(password) > 1024:
        raise InputError("a password may have at most 1024 characters", field="password")
    return password


def _user(row: tuple) -> User:
    name, role, scopes, disabled, failed, locked, created, hashed = row
    return User(name, role, load(scopes), bool(disabled), int(failed), locked, created, hashed)


def _audit(store: Store, reason: str, actor: str | None) -> None:
    record_change(store, kind="accounts", reason=reason, actor=actor)


__all__ = [
    "Forbidden",
    "LockedOut",
    "Token",
    "Unauthenticated",
    "User",
    "add",
    "authenticate",
    "create_token",
    "disable",
    "find",
    "get",
    "listed",
    "revoke_token",
    "sign_in",
    "tokens",
]
