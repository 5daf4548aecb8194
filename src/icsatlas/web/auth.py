"""Who is asking, and the writes they may make: tokens, sessions, CSRF.

Reading needs no account. A write names its author by an API token
(``Authorization: Bearer icsa_...``) or, in the portal, by a session cookie set when they
sign in (signed under the server key, HttpOnly, SameSite=Lax, Secure over HTTPS). Every form
a signed-in person submits carries a CSRF token derived from their session, and the sign-in
form one derived from a cookie of its own, so another site cannot submit either. Sign-ins,
like writes and searches, are rate-limited per client address (``icsatlas.web.limits``).

A write opens the workspace writable for that one request (a server's workers otherwise
read it read-only, and do not hold a DuckDB file between requests), so the change is
recorded with the signed-in account as its actor and seen by the next question.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import Response

from icsatlas import config
from icsatlas.accounts import keys, users
from icsatlas.accounts.scopes import Forbidden, Principal, Unauthenticated
from icsatlas.errors import InputError
from icsatlas.web import state
from icsatlas.workspace import Workspace

SESSION_COOKIE = "icsatlas_session"
LOGIN_COOKIE = "icsatlas_login"
MAX_FORM = 64 * 1024
PRIVATE = "private, no-store"


def server_key() -> bytes:
    return keys.server_key(state.settings.home or config.home())


# -- who is asking -----------------------------------------------------------------------------
def principal(request: Request) -> Principal | None:
    """The account behind a bearer token (refused, 401, if it is not valid) or a session
    cookie (ignored if it is not); None for an anonymous reader."""
    if "principal" in request.scope.get("state", {}):
        return request.state.principal
    found = _from_header(request) or _from_cookie(request)
    request.state.principal = found
    return found


def require(request: Request) -> Principal:
    """The account making this request, or a 401 saying how to identify oneself."""
    found = principal(request)
    if found is None:
        raise Unauthenticated(
            "this change needs an account: send 'Authorization: Bearer TOKEN' "
            "(`icsatlas token create`), or sign in at /login"
        )
    return found


def _from_header(request: Request) -> Principal | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("use 'Authorization: Bearer TOKEN'")
    return users.authenticate(state.workspace().store, server_key(), value.strip(), "api")


def _from_cookie(request: Request) -> Principal | None:
    token = unsign(request.cookies.get(SESSION_COOKIE, ""))
    if token is None:
        return None
    try:
        return users.authenticate(state.workspace().store, server_key(), token, "session")
    except Unauthenticated:
        return None


# -- cookies and CSRF --------------------------------------------------------------------------
def sign(value: str) -> str:
    return f"{value}.{keys.digest(server_key(), 'cookie:' + value)[:32]}"


def unsign(cookie: str) -> str | None:
    value, _, signature = cookie.rpartition(".")
    if not value or not keys.same(signature, keys.digest(server_key(), "cookie:" + value)[:32]):
        return None
    return value


def set_cookie(request: Request, response: Response, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        sign(value),
        max_age=age,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )


def csrf_token(request: Request) -> str:
    """The CSRF token for a signed-in person's forms (bound to their session)."""
    found = principal(request)
    if found is None or found.token_id is None:
        return ""
    return keys.digest(server_key(), "csrf:" + found.token_id)


def login_csrf(request: Request, form: str = "login") -> tuple[str, str | None]:
    """The CSRF token of a form anyone may submit (signing in, subscribing), bound to a
    cookie of its own; and that cookie's new value when the browser has none yet (to be
    set on the response)."""
    seed = unsign(request.cookies.get(LOGIN_COOKIE, ""))
    fresh = None
    if seed is None:
        seed = fresh = secrets.token_urlsafe(24)
    return keys.digest(server_key(), f"{form}:" + seed), fresh


def check_login_csrf(request: Request, fields: dict[str, str], form: str = "login") -> None:
    seed = unsign(request.cookies.get(LOGIN_COOKIE, ""))
    expected = keys.digest(server_key(), f"{form}:" + seed) if seed else ""
    if not expected or not keys.same(fields.get("csrf", ""), expected):
        raise Forbidden(_EXPIRED)


def check_csrf(request: Request, form: dict[str, str]) -> Principal:
    """The signed-in person, if the form carries their CSRF token (else 403)."""
    found = require(request)
    expected = csrf_token(request)
    if not expected or not keys.same(form.get("csrf", ""), expected):
        raise Forbidden(_EXPIRED)
    return found


_EXPIRED = "this form has expired or was not sent from this site: reload the page and try again"


async def form(request: Request) -> dict[str, str]:
    """A URL-encoded form's fields (the first value of each), refused when too large."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise InputError(f"the form is larger than {MAX_FORM // 1024} KB")
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


# -- writes ------------------------------------------------------------------------------------
@contextmanager
def writable() -> Iterator[Workspace]:
    """The workspace opened writable for one request; afterwards the server's read-only
    workspace looks again, so the next answer (and its ETag) includes the change."""
    import icsatlas

    state.idle()
    ws = icsatlas.open(state.settings.url, home=state.settings.home)
    try:
        yield ws
    finally:
        ws.close()
        state.written()


# -- the board-member form ---------------------------------------------------------------------
def board_editor(
    request: Request, found: Any, values: Any = None, wrong: Any = None
) -> dict[str, Any] | None:
    """What the ICB page's board-member form needs, if the signed-in account may change the
    board of the ICB ``found`` names (a template global; None for everyone else)."""
    from icsatlas.register.governance import ROLES

    if getattr(found, "kind", None) != "icb":
        return None
    who = principal(request)
    if who is None or who.token_id is None or not who.may("board", found.code):
        return None
    return {
        "action": f"/icb/{found.code}/board-members",
        "csrf": csrf_token(request),
        "roles": ROLES,
        "name": who.name,
        "given": values if isinstance(values, dict) else {},
        "wrong": wrong if isinstance(wrong, dict) else {},
        "open": bool(values),
    }
