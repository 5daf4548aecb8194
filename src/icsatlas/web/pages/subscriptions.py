"""Email subscriptions in the portal: ``/subscribe``, the confirmation link and the one-click
unsubscribe link. No JavaScript is needed.

An area or function page has a small GET form that brings its topic and the address here;
``/subscribe`` asks for them (a POST with a CSRF token bound to a cookie, as signing in) and
emails the confirmation link. Opening a confirmation or unsubscribe link shows a button and
changes nothing (mail scanners open links); pressing it POSTs. The unsubscribe link also
takes a POST straight from a mail program (``List-Unsubscribe-Post``, RFC 8058), needing no
cookie or CSRF token: the signed link is itself the permission.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from icsatlas import notify
from icsatlas.errors import IcsatlasError, NotFoundError
from icsatlas.notify import subscriptions
from icsatlas.notify.subscriptions import CONFIRM_HOURS
from icsatlas.web import auth, state
from icsatlas.web.pages.view import render

router = APIRouter()
FORM = "subscribe"  # the CSRF token's purpose
Token = Annotated[str, Path(min_length=1, max_length=100)]
Given = Annotated[str, Query(max_length=200)]


@router.get("/subscribe")
async def subscribe_page(
    request: Request, area: Given = "", function: Given = "", email: Given = ""
) -> Response:
    given = {"area": area, "function": function, "email": email}
    if area or function:  # an unknown name is refused as on every page, with suggestions
        subscriptions.topic(state.workspace(), area, function)
    return _form(request, given)


@router.post("/subscribe")
async def subscribe(request: Request) -> Response:
    fields = await auth.form(request)
    try:
        auth.check_login_csrf(request, fields, FORM)
        with auth.writable() as ws:
            found = notify.subscribe(
                ws, fields.get("email", "")[:300], fields.get("area"), fields.get("function")
            )
    except IcsatlasError as refused:
        status = 422 if isinstance(refused, NotFoundError) else _status(refused)
        return _form(request, fields, str(refused), status)
    return render(request, "subscribe.html", sent=found, hours=CONFIRM_HOURS, address=found.address)


@router.get("/subscribe/confirm/{token}")
async def confirm_page(request: Request, token: Token) -> Response:
    found = subscriptions.pending_for(state.workspace().store, auth.server_key(), token)
    return render(request, "subscription_link.html", action="confirm", found=found)


@router.post("/subscribe/confirm/{token}")
async def confirm(request: Request, token: Token) -> Response:
    with auth.writable() as ws:
        found = subscriptions.confirm(ws.store, auth.server_key(), token)
    return render(request, "subscription_link.html", action="confirm", found=found, done=True)


@router.get("/unsubscribe/{token}")
async def unsubscribe_page(request: Request, token: Token) -> Response:
    found = subscriptions.by_unsubscribe_token(state.workspace().store, auth.server_key(), token)
    return render(request, "subscription_link.html", action="unsubscribe", found=found)


@router.post("/unsubscribe/{token}")
async def unsubscribe(request: Request, token: Token) -> Response:
    with auth.writable() as ws:
        found = subscriptions.unsubscribe(ws.store, auth.server_key(), token)
    return render(request, "subscription_link.html", action="unsubscribe", found=found, done=True)


def _form(
    request: Request, given: dict[str, str], error: str | None = None, status: int = 200
) -> Response:
    token, fresh = auth.login_csrf(request, FORM)
    functions = sorted(state.workspace().data.functions.values(), key=lambda f: f.label)
    response = render(
        request,
        "subscribe.html",
        status=status,
        csrf=token,
        given={k: given.get(k, "") for k in ("area", "function", "email")},
        functions=[(f.function_id, f.label) for f in functions],
        topic=_topic(given),
        errors=[{"text": error, "href": "#email"}] if error else [],
    )
    if fresh is not None:
        auth.set_cookie(request, response, auth.LOGIN_COOKIE, fresh, 3600)
    return response


def _topic(given: dict[str, str]) -> Any:
    """The topic the form was opened for (shown by name), if it names exactly one."""
    try:
        return subscriptions.topic(state.workspace(), given.get("area"), given.get("function"))
    except IcsatlasError:
        return None


def _status(error: IcsatlasError) -> int:
    return int(getattr(error, "http_status", 422))
