"""What every response passes through: limits, revalidation, a cache, security headers.

* a request line longer than ``MAX_URL`` is refused (414) before any route parses it;
* a write, a search or a sign-in over its client address's rate limit is refused (429,
  with ``Retry-After``) before any route is reached (:mod:`icsatlas.web.limits`: one place
  every write passes through, whichever router it is on);
* a request for anything but a static file or the health check first asks whether the
  audit log has moved on (:func:`state.refresh`), so a write through another worker is seen
  by the next request to this one;
* a successful GET is tagged (``ETag``) by its URL, the data release and the day (answers
  default to today); a GET whose ``If-None-Match`` names that tag gets 304 without the
  answer being computed again;
* a request with credentials (a bearer token or a session cookie), signing in or out, and
  subscribing (a form with a CSRF cookie, a link with a token) bypasses all of that: its
  answer is ``Cache-Control: private, no-store``;
* answers (200s of at most ``CACHE_BODY`` bytes, gzipped for clients that accept it) are
  kept in a small in-process cache by that tag, so a page everyone opens is computed and
  compressed once per worker and release;
* every response carries a strict Content-Security-Policy (nothing from another origin:
  the design system's CSS, the maps and the script are served from the wheel), and API
  answers may be read from any origin (open data).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from icsatlas.web import limits, problems, proxies, state

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_URL = 2048
CACHE_ENTRIES = 512
CACHE_BODY = 512 * 1024
# A shared answer is the one for a reader who is not signed in: a cache in front of the
# server must not give it to someone whose session cookie would show them more (the
# board-member form), nor theirs to anyone else (signed-in answers are private anyway).
VARY = (b"vary", b"Cookie")
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]
_UNCACHED = ("/static/", "/api/v1/health")
_PRIVATE_PATHS = ("/login", "/logout", "/subscribe")
_PRIVATE_PREFIXES = ("/subscribe/", "/unsubscribe/")  # a form's CSRF cookie; a link's token
PRIVATE = (b"cache-control", b"private, no-store")


class Guard:
    """The ASGI wrapper around the whole application."""

    def __init__(self, app: App, behind: proxies.Proxies | None = None) -> None:
        self.app = app
        self.behind = behind  # the reverse proxies whose forwarding headers are believed
        self.cache: OrderedDict[bytes, list[Message]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.behind is not None:
            scope = proxies.forwarded(scope, self.behind)
        try:
            await self._answer(scope, receive, send)
        finally:
            state.idle()

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, query = scope["path"], scope.get("query_string", b"").decode("latin-1")
        if len(path) + len(query) > MAX_URL:
            await _send(_secured(send, path), problems.too_long(scope))
            return
        try:
            limits.check(scope)
        except limits.TooMany as refused:
            await _send(
                _secured(send, path), problems.too_many(scope, str(refused), refused.retry_after)
            )
            return
        if not path.startswith(_UNCACHED):
            await state.refresh()
        if _private(scope):
            await self.app(scope, receive, _secured(send, path, [PRIVATE]))
            return
        cacheable = scope["method"] in ("GET", "HEAD") and not path.startswith(_UNCACHED)
        if not cacheable:
            scope = _without_pathsend(scope) if path.startswith("/static/") else scope
            await self.app(scope, receive, _secured(send, path, _immutable(path, query)))
            return
        tag = state.etag(f"{path}?{query}").encode()
        if tag in _header(scope, b"if-none-match"):
            await _send(send, _not_modified(tag))
            return
        key = _cache_key(scope, tag)
        if key in self.cache:
            self.cache.move_to_end(key)
            await _replay(self.cache[key], _secured(send, path), scope["method"])
            return
        await self.app(scope, receive, self._recording(tag, key, _secured(send, path)))

    def _recording(self, tag: bytes, key: bytes, send: Send) -> Send:
        """Tag a successful answer with its validator, and keep it (compressed or not)."""
        messages: list[Message] = []
        validators = [(b"etag", tag), (b"cache-control", state.CACHE_CONTROL.encode()), VARY]

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message = {**message, "headers": [*message.get("headers", []), *validators]}
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self._keep(key, messages)
            await send(message)

        return record

    def _keep(self, key: bytes, messages: list[Message]) -> None:
        start, *bodies = messages
        size = sum(len(m.get("body", b"")) for m in bodies)
        if start.get("status") != 200 or size > CACHE_BODY:
            return
        self.cache[key] = messages
        while len(self.cache) > CACHE_ENTRIES:
            self.cache.popitem(last=False)


def _private(scope: Scope) -> bool:
    """A request that names its author (a token, a session cookie) or signs in or out: its
    answer is for that person only, kept by no cache (neither this one nor a shared one)."""
    path = scope["path"]
    if path in _PRIVATE_PATHS or path.startswith(_PRIVATE_PREFIXES):
        return True
    if _header(scope, b"authorization"):
        return True
    return b"icsatlas_session=" in _header(scope, b"cookie")


def _without_pathsend(scope: Scope) -> Scope:
    """The request without the server's zero-copy file sending (granian offers it): a file
    sent that way bypasses the gzip middleware, and the stylesheet would go out at 186 KB
    instead of 20 KB gzipped."""
    extensions = {
        k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"
    }
    return {**scope, "extensions": extensions}


def _immutable(path: str, query: str) -> list[tuple[bytes, bytes]]:
    """A static file asked for by its content's digest (``?v=``) never changes."""
    if path.startswith("/static/") and query.startswith("v="):
        return [(b"cache-control", b"public, max-age=31536000, immutable")]
    return []


def _secured(send: Send, path: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> Send:
    extra = [*SECURITY_HEADERS, *headers]
    if path.startswith("/api/"):
        extra.append((b"access-control-allow-origin", b"*"))

    async def secured(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {name for name, _ in message.get("headers", [])}
            message = {
                **message,
                "headers": [
                    *message.get("headers", []),
                    *(h for h in extra if h[0] not in names),
                ],
            }
        await send(message)

    return secured


async def _replay(messages: list[Message], send: Send, method: str) -> None:
    for message in messages:
        if method == "HEAD" and message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)


def _cache_key(scope: Scope, tag: bytes) -> bytes:
    """What a kept answer is kept under: its validator, and whether it is compressed, and the
    scheme and ``Host`` it was asked for by, since an answer's links (the next page, a feed's
    own address, a CSV's CSVW description) are absolute: a request with a made-up ``Host``
    gets links to it, and must not leave them for everyone else (web cache poisoning)."""
    zipped = b"+gzip" if b"gzip" in _header(scope, b"accept-encoding") else b""
    origin = scope.get("scheme", "http").encode() + b"://" + _header(scope, b"host")
    return tag + zipped + b" " + origin


def _header(scope: Scope, name: bytes) -> bytes:
    return b",".join(v for k, v in scope.get("headers", []) if k == name)


def _not_modified(tag: bytes) -> list[Message]:
    headers = [(b"etag", tag), (b"cache-control", state.CACHE_CONTROL.encode()), VARY]
    return [
        {"type": "http.response.start", "status": 304, "headers": headers + SECURITY_HEADERS},
        {"type": "http.response.body", "body": b""},
    ]


async def _send(send: Send, messages: Sequence[Message]) -> None:
    for message in messages:
        await send(message)
