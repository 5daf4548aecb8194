"""Errors as RFC 9457 problem documents (``application/problem+json``) for the API, and as
pages for the portal; never a stack trace.

Every refusal says what was wrong with the request in the same words the command line uses
(an unknown area suggests the nearest names, which a page shows as links; a bad date says
which forms are accepted).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, NotRequired

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from typing_extensions import TypedDict  # pydantic reads it on Python 3.11

from icsatlas.errors import IcsatlasError, InputError, InputErrors, NotFoundError

MEDIA_TYPE = "application/problem+json"


class Suggestion(TypedDict):
    """A name the request may have meant, and the register key to ask for it by."""

    name: str
    kind: str
    key: str


class Problem(TypedDict):
    """An RFC 9457 problem document: why a request was refused."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: NotRequired[list[str]]
    field: NotRequired[str]
    suggestions: NotRequired[list[Suggestion]]


_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Content too large",
    414: "Request too long",
    422: "Unprocessable request",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}
_PAGE_TITLES = {
    404: "Page not found",
    405: "Page not found",
    414: "The web address is too long",
    429: "Too many requests: please wait",
    500: "Sorry, there is a problem with this service",
}


def problem(status: int, detail: str, instance: str, **extra: Any) -> Response:
    body = {"type": "about:blank", "title": _TITLES.get(status, "Error"), "status": status}
    body |= {"detail": detail, "instance": instance, **extra}
    return Response(orjson.dumps(body), status_code=status, media_type=MEDIA_TYPE)


def too_long(scope: MutableMapping[str, Any]) -> list[dict[str, Any]]:
    """A 414 as raw ASGI messages (sent before any route is reached): a problem document
    for the API, a page for the portal."""
    return _raw(scope, 414, "the request's URL is too long")


def too_many(scope: MutableMapping[str, Any], detail: str, wait: int) -> list[dict[str, Any]]:
    """A 429 (a client over its rate limit) as raw ASGI messages, saying when to retry."""
    return _raw(scope, 429, detail, {"retry-after": str(wait)})


def _raw(
    scope: MutableMapping[str, Any], status: int, detail: str, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    cut = {**scope, "path": scope["path"][:200], "raw_path": None, "query_string": b""}
    response = _respond(Request(cut), status, detail, {})
    response.headers.update(headers or {})
    return [
        {"type": "http.response.start", "status": status, "headers": response.raw_headers},
        {"type": "http.response.body", "body": response.body},
    ]


async def icsatlas_error(request: Request, error: Exception) -> Response:
    """A user's mistake (404 for names that match nothing, 422 for a written file's bad rows,
    401/403 for a write without the right account, 400 for the rest)."""
    status = 404 if isinstance(error, NotFoundError) else getattr(error, "http_status", 400)
    if status == 400 and request.method == "POST" and isinstance(error, InputError | InputErrors):
        status = 422
    detail, extra = getattr(error, "public", None) or str(error), dict[str, Any]()
    if isinstance(error, InputErrors | InputError) and request.method == "POST":
        found = error.errors if isinstance(error, InputErrors) else [error]
        extra["invalid"] = [{"row": e.row, "field": e.field, "message": e.message} for e in found]
    if isinstance(error, InputErrors):
        extra["errors"] = [str(e) for e in error.errors]
    elif isinstance(error, InputError) and error.field:
        extra["field"] = error.field.removeprefix("--")  # a CLI option is a query parameter
        detail = detail.replace(f"{error.field}:", f"{extra['field']}:", 1)
    if isinstance(error, NotFoundError) and error.suggestions:
        extra["suggestions"] = [s._asdict() for s in error.suggestions]
    return _respond(request, status, detail, extra)


async def validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
    return _respond(request, 422, "; ".join(errors), {"errors": errors})


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return _respond(request, error.status_code, str(error.detail), {})


async def unexpected_error(request: Request, error: Exception) -> Response:
    """A bug of ours: said plainly, without internals (the server log has the trace)."""
    return _respond(request, 500, "icsatlas could not answer this request", {})


def _respond(request: Request, status: int, detail: str, extra: dict[str, Any]) -> Response:
    path = request.url.path
    if path.startswith("/api/") or path.startswith("/static/"):
        response = problem(status, detail, path, **extra)
        if status == 401:
            response.headers["www-authenticate"] = 'Bearer realm="icsatlas"'
        return response
    return _page(request, status, detail, extra)


def _page(request: Request, status: int, detail: str, extra: dict[str, Any]) -> Response:
    from icsatlas.web.pages.view import render, suggestion_path

    suggestions = [
        {
            "name": s["name"],
            "kind": s["kind"],
            "href": suggestion_path(s["kind"], s["key"], s["name"]),
        }
        for s in extra.get("suggestions", [])
    ]
    title = _PAGE_TITLES.get(status, "Sorry, that did not work")
    if status == 404 and suggestions:
        title = "No single match"
    return render(
        request, "error.html", status=status, title=title, detail=detail, suggestions=suggestions
    )


HANDLERS = {
    IcsatlasError: icsatlas_error,
    RequestValidationError: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
