"""Signing in and out, and the board-member form an editor submits.

``/login`` takes an account name and password (a POST with a CSRF token bound to a cookie of
its own; at most ten tries per address in five minutes, ``icsatlas.web.limits``; an account locks
after five wrong passwords in a row, and the page says so and for how long) and sets a
session cookie. ``/logout`` ends the session. ``/icb/{code}/board-members`` is the
board-member form: the ICB page shows it to an editor of that board, and it is submitted
here, through the same importer as ``icsatlas board import``. No JavaScript is needed.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from icsatlas.accounts import users
from icsatlas.accounts.scopes import Forbidden, Unauthenticated
from icsatlas.errors import InputError, InputErrors
from icsatlas.web import auth, writes
from icsatlas.web.pages.view import render

router = APIRouter()
Code = Annotated[str, Path(min_length=1, max_length=60)]
SESSION_S = users.SESSION_HOURS * 3600


@router.get("/login")
async def login_page(request: Request, next: str = "/") -> Response:
    who = auth.principal(request)
    if who is not None and who.token_id is not None:
        return _signed_in_page(request, who.name)
    return _login_form(request, _safe(next))


@router.post("/login")
async def login(request: Request) -> Response:
    fields = await auth.form(request)
    target, name = _safe(fields.get("next", "/")), fields.get("username", "")[:64]
    try:
        auth.check_login_csrf(request, fields)
        text = _sign_in(name, fields.get("password", ""))
    except (Unauthenticated, Forbidden) as refused:
        status = getattr(refused, "http_status", 401)
        return _login_form(request, target, name, str(refused), status)
    response = RedirectResponse(target, status_code=303)
    auth.set_cookie(request, response, auth.SESSION_COOKIE, text, SESSION_S)
    response.delete_cookie(auth.LOGIN_COOKIE, path="/")
    return response


def _sign_in(name: str, password: str) -> str:
    """A new session's token for the account, if the password is right."""
    with auth.writable() as ws:
        user = users.sign_in(ws.store, name, password)
        days = users.SESSION_HOURS / 24
        text, _ = users.create_token(
            ws.store, auth.server_key(), user.name, days=days, kind="session"
        )
    return text


@router.get("/logout")
async def logout_page(request: Request) -> Response:
    who = auth.principal(request)
    if who is None or who.token_id is None:
        return RedirectResponse("/login", status_code=303)
    return _signed_in_page(request, who.name)


@router.post("/logout")
async def logout(request: Request) -> Response:
    who = auth.check_csrf(request, await auth.form(request))
    assert who.token_id is not None
    with auth.writable() as ws:
        users.revoke_token(ws.store, who.token_id, audit=False)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/icb/{code}/board-members")
async def board_form(request: Request, code: Code) -> Response:
    if auth.principal(request) is None:
        back = urlencode({"next": f"/icb/{code}/board-members"})
        return RedirectResponse(f"/login?{back}", status_code=303)
    found = _icb(code)
    auth.require(request).require("board", found.code)
    return render(request, "board_member.html", found=found)


@router.post("/icb/{code}/board-members")
async def add_board_member(request: Request, code: Code) -> Response:
    fields = await auth.form(request)
    who = auth.check_csrf(request, fields)
    found = _icb(code)
    content = writes.csv_from_form(found.code, fields).encode()
    reason = fields.get("reason", "").strip() or "board member added through the portal"
    via = f"portal form /icb/{found.code}/board-members"
    try:
        done = writes.add_board_members(who, found.code, content, reason, via)
    except (InputError, InputErrors) as error:
        found_errors = error.errors if isinstance(error, InputErrors) else [error]
        return _form_again(request, found, fields, found_errors)
    return render(request, "board_member.html", found=found, done=done)


def _form_again(
    request: Request, found: Any, fields: dict[str, str], errors: list[InputError]
) -> Response:
    wrong = {e.field: e.message for e in errors if e.field}
    summary = [
        {
            "text": f"{e.field}: {e.message}" if e.field else e.message,
            "href": f"#member-{e.field}" if e.field else None,
        }
        for e in errors
    ]
    return render(
        request,
        "board_member.html",
        status=422,
        found=found,
        errors=summary,
        form_values=fields,
        form_wrong=wrong,
    )


def _icb(code: str) -> Any:
    """The ICB (as the resolver names it) whose board an address means."""
    from icsatlas.web import state

    return state.workspace().resolve(writes.board_code(code))


def _login_form(
    request: Request, target: str, name: str = "", error: str | None = None, status: int = 200
) -> Response:
    token, fresh = auth.login_csrf(request)
    response = render(
        request,
        "login.html",
        status=status,
        next=target,
        username=name,
        csrf=token,
        errors=[{"text": error, "href": "#username"}] if error else [],
    )
    if fresh is not None:
        auth.set_cookie(request, response, auth.LOGIN_COOKIE, fresh, 3600)
    return response


def _signed_in_page(request: Request, name: str) -> Response:
    return render(request, "login.html", signed_in=name, csrf=auth.csrf_token(request))


def _safe(target: str) -> str:
    """A path on this site to go to after signing in (anything else: the home page)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target[:500]
    return "/"
