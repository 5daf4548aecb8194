"""The web process's one workspace, its data release, and how a Result becomes a response.

A server process opens the workspace once, read-only (so several workers can share one
DuckDB file), and answers every request from it. The *release* names what the answers were
computed from: the icsatlas version, the audit log's latest change and the parameters'
fingerprint. It is part of every answer's ``ETag`` and of the key of the rendered-page
cache, so a client (or a cache in front of the server) can revalidate cheaply.

At the start of every request that reads the workspace (:func:`refresh`) the process asks
whether anything has been recorded since: on PostgreSQL, the audit log's latest change id
(one query on its primary key, shared by requests that arrive together); for a DuckDB
file, which the server does not keep open, its size, time and inode (a ``stat``). If so
(a write through another worker, or a command), the workspace is reopened, so every worker
answers from the new release from the next request on, and no cached page or ETag of the
old release is served again.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import orjson
from fastapi import Query, Request
from fastapi.responses import Response

from icsatlas import __version__, config, exports
from icsatlas.errors import IcsatlasError, NotFoundError
from icsatlas.results import Result, Table, plain
from icsatlas.store import Store
from icsatlas.web.watch import ChangeWatch
from icsatlas.workspace import Workspace, as_date, stamp

CACHE_CONTROL = "public, max-age=300, must-revalidate"


def _download_schema(media: str) -> dict[str, str]:
    """A file, except CSVW metadata, which is a JSON document (JSON-LD)."""
    return {"type": "object"} if media.endswith("+json") else {"type": "string", "format": "binary"}


# What a resource's 200 may be besides JSON (``format=``), for the OpenAPI document.
DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            media: {"schema": _download_schema(media)}
            for fmt, media in exports.MEDIA_TYPES.items()
            if fmt != "json"
        }
    }
}


@dataclass
class Settings:
    """Where the server's workspace is (set once by ``icsatlas serve`` or a test)."""

    url: str | None = None
    home: Path | None = None


settings = Settings()
_open: dict[str, Any] = {}
_watches: dict[str, ChangeWatch] = {}


def configure(url: str | None = None, home: str | Path | None = None) -> None:
    """Point this process at a workspace (forgetting any opened before)."""
    settings.url = url
    settings.home = Path(home) if home else None
    close()


def workspace(*reforms: str) -> Workspace:
    """The process's workspace (with shipped ``reforms`` applied as a what-if), reopened if
    the register has changed since it was opened. Derived workspaces are kept, so a what-if
    is applied once per process, not once per request."""
    base = _current()
    if not reforms:
        return base
    derived = _open.setdefault("derived", {})
    if reforms not in derived:
        derived[reforms] = base.with_reforms(*reforms)
    return derived[reforms]


def _current() -> Workspace:
    if "workspace" not in _open or _open.get("stale"):
        look()
    return _open["workspace"]


async def refresh() -> None:
    """At the start of a request: reopen the workspace if anything has been recorded since
    it was opened. On PostgreSQL the audit log is asked without holding up other requests,
    one query shared by the requests that arrive while another is in flight (web/watch.py)."""
    opened = _open.get("workspace")
    if opened is not None and _open["file"] is None and not _open.get("stale"):
        watch = _watches.setdefault(opened.url, ChangeWatch(opened.url))
        if await watch.latest() == _open["change"]:
            return
    look()


def look() -> None:
    """Reopen the workspace if anything has been recorded since it was opened (after a
    write from this process; and, for a DuckDB file, at the start of each request)."""
    if "workspace" in _open and _unchanged(_open["workspace"]):
        _open.pop("stale", None)
        return
    close()
    import icsatlas

    opened = icsatlas.open(settings.url, home=settings.home, read_only=True)
    state = stamp.file_state(opened.url)
    change = audit_change(opened.store)  # before the register: a write in between is seen
    opened.resolver  # noqa: B018 - the register and its name index, read now
    _open.update(workspace=opened, change=change, register=opened.latest_change, file=state)
    idle()  # a DuckDB file is not held open (and locked) between questions


def audit_change(store: Store) -> int:
    """The audit log's latest change id: every write (register, contracts, population,
    accounts) records one, in the write's own transaction."""
    return int(store.scalar("SELECT max(change_id) FROM change_log") or 0)


def _unchanged(ws: Workspace) -> bool:
    """Nothing recorded since the workspace was opened: a DuckDB file untouched, or
    PostgreSQL's audit log at the same change."""
    if _open["file"] is not None:
        return stamp.file_state(ws.url) == _open["file"]
    return audit_change(ws.store) == _open["change"]


def idle() -> None:
    """Between questions: let go of a DuckDB file a question opened, so commands can write."""
    if "workspace" in _open and _open["file"] is not None:
        _open["workspace"].close()


def written() -> None:
    """After a write from this process: look for the change at the next question."""
    if "workspace" in _open:
        _open["stale"] = True


def close() -> None:
    if "workspace" in _open:
        _open.pop("workspace").close()
    _open.clear()


def release() -> str:
    """``VERSION.CHANGE.PARAMETERS``: what every answer is computed from."""
    ws = workspace()
    digest = hashlib.sha256(ws.params.fingerprint.encode()).hexdigest()[:8]
    return f"{__version__}.{_open['change']}.{digest}"


def shipped_reforms(names: list[str]) -> tuple[str, ...]:
    """The named shipped reforms; anything else (a path, a typo) is refused."""
    from icsatlas.register import reforms

    shipped = reforms.shipped()
    unknown = [n for n in names if n not in shipped]
    if unknown:
        raise NotFoundError(
            f"unknown reform {unknown[0]!r}: the API applies shipped reforms only "
            f"({', '.join(sorted(shipped))})"
        )
    return tuple(names)


def answer(
    request: Request, result: Result, *, limit: int | None = None, cursor: str | None = None
) -> Response:
    """The Result as JSON (one page of it when ``limit`` is given), naming its release; with
    ``format=`` in the query, the whole of it as a download in that format."""
    fmt = request.query_params.get("format")
    if fmt:
        return download(request, result, fmt)
    document = result.to_dict()
    document["provenance"] = _public(document["provenance"])
    for section in document.get("sections", ()):
        section["provenance"] = _public(section["provenance"])
    document["release"] = release()
    if limit is not None:
        document |= _page(request, result.table, limit, cursor)
    return Response(orjson.dumps(document), media_type="application/json")


def download_format(
    fmt: Annotated[
        str | None,
        Query(
            alias="format",
            max_length=10,
            description="Download the whole answer as csv, xlsx, json or parquet (each with "
            "its provenance), or csvw: the CSV's CSVW metadata. Without it: paged JSON.",
        ),
    ] = None,
) -> str | None:
    """The ``format`` every API resource takes (an unknown one is refused with a 400)."""
    return exports.chosen(fmt) if fmt else None


def download(request: Request, result: Result, fmt: str) -> Response:
    """All of ``result`` in ``fmt`` as an attachment named by its resource and date; a CSV
    links (``Link: rel=describedby``) to its CSVW metadata, ``format=csvw``."""
    fmt = exports.chosen(fmt)
    about = exports.About.of(result, release(), _public(result.provenance.to_dict()))
    csv_url = absolute(request, format="csv")
    body = exports.encode(result, fmt, about, url=csv_url)
    name = exports.filename(_stem(request.url.path), fmt, _day(request))
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        described = absolute(request, format="csvw")
        headers["Link"] = f'<{described}>; rel="describedby"; type="{exports.MEDIA_TYPES["csvw"]}"'
    return Response(body, media_type=exports.MEDIA_TYPES[fmt], headers=headers)


def absolute(request: Request, **params: str) -> str:
    """The request's own address with ``params`` set, on the site's public address
    (``ICSATLAS_PUBLIC_URL``) when it is configured, so no link depends on the ``Host`` a
    client sent; else on the address the request was made to."""
    url = request.url.include_query_params(**params) if params else request.url
    public = config.public_url()
    if public is not None:
        site = urlsplit(public)
        url = url.replace(scheme=site.scheme, netloc=site.netloc)
    return str(url)


def _stem(path: str) -> str:
    """``/api/v1/reforms/blueprint-2025/impact`` -> ``icsatlas-reforms-blueprint-2025-impact``."""
    resource = re.sub(r"[^A-Za-z0-9_-]+", "-", path.removeprefix("/api/v1/")).strip("-")
    return f"icsatlas-{resource[:80] or 'answer'}"


def _day(request: Request) -> date | None:
    """The date the answer is about (``on``, or ``to`` of a diff), if the query gives one."""
    given = request.query_params.get("on") or request.query_params.get("to")
    try:
        return as_date(given) if given else None
    except IcsatlasError:
        return None


def etag(url: str) -> str:
    """A weak validator for ``url`` (path and query) in this release, today."""
    digest = hashlib.sha256(f"{release()} {date.today()} {url}".encode())
    return f'W/"{digest.hexdigest()[:20]}"'


def _public(provenance: dict[str, Any]) -> dict[str, Any]:
    """Provenance without the server's file paths: the register is named by its change."""
    data = dict(provenance.get("data", {}))
    if "register" in data:
        data["register"] = f"icsatlas register, change {_open['register']}"
    return {**provenance, "data": data}


def _page(request: Request, table: Table, limit: int, cursor: str | None) -> dict[str, Any]:
    start = _offset(cursor)
    rows = table.rows[start : start + limit]
    data = [{c: plain(v) for c, v in zip(table.columns, r, strict=True)} for r in rows]
    page: dict[str, Any] = {"data": data, "total": len(table), "next": None}
    if start + limit < len(table):
        page["next"] = absolute(request, cursor=_cursor(start + limit))
    return page


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text.startswith("o") and text[1:].isdigit():
            return int(text[1:])
    except ValueError:  # not base64, not ASCII, not UTF-8
        pass
    raise IcsatlasError("cursor: not one this API gave out; start again without it")
