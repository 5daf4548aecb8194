"""Atom feeds of what changed in the register (RFC 4287): ``/feeds/changes.atom`` for every
change, ``/feeds/area/<code>.atom`` and ``/feeds/function/<id>.atom`` for those touching one
area or function. One entry per audited change, newest first, its id stable
(``tag:icsatlas,2026:change/<n>``), its author the change's actor; the same answer as
``icsatlas changes``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from icsatlas.results import Result
from icsatlas.web import state

router = APIRouter()
ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "application/atom+xml"
ENTRIES = 100  # the newest changes a feed carries
EPOCH = date(1970, 1, 1)  # a feed lists every change recorded since
# Characters XML 1.0 cannot carry at all (escaping does not help): dropped from text.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
Code = Annotated[str, Path(min_length=1, max_length=100)]


@router.get("/feeds/changes.atom")
async def all_changes(request: Request) -> Response:
    return _feed(request, state.workspace().register.changes(EPOCH))


@router.get("/feeds/area/{code}.atom")
async def area_changes(request: Request, code: Code) -> Response:
    return _feed(request, state.workspace().register.changes(EPOCH, area=code))


@router.get("/feeds/function/{function_id}.atom")
async def function_changes(request: Request, function_id: Code) -> Response:
    return _feed(request, state.workspace().register.changes(EPOCH, function=function_id))


def _feed(request: Request, result: Result) -> Response:
    """The feed document for a changes answer (its newest ``ENTRIES`` changes)."""
    rows = result.table.records()[:ENTRIES]
    ET.register_namespace("", ATOM)
    feed = ET.Element(_tag("feed"))
    self_link = state.absolute(request)
    _text(feed, "id", f"tag:icsatlas,2026:feed{request.url.path}")
    _text(feed, "title", "icsatlas: " + result.title.replace(f" since {EPOCH}", ""))
    _text(feed, "updated", _time(rows[0]["recorded_at"]) if rows else _latest())
    ET.SubElement(feed, _tag("link"), rel="self", type=MEDIA, href=self_link)
    _text(feed, "generator", "icsatlas")
    for row in rows:
        feed.append(_entry(row))
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=MEDIA)


def _entry(row: dict[str, Any]) -> ET.Element:
    entry = ET.Element(_tag("entry"))
    _text(entry, "id", f"tag:icsatlas,2026:change/{row['change']}")
    _text(entry, "title", f"Change {row['change']} ({row['kind']}): {row['reason']}")
    _text(entry, "updated", _time(row["recorded_at"]))
    author = ET.SubElement(entry, _tag("author"))
    _text(author, "name", row["actor"])
    lines = [row["reason"], f"source: {row['source'] or 'not given'}"]
    lines.append(f"records: {row['records'] or 'none in the register'}")
    content = _text(entry, "content", "\n".join(lines))
    content.set("type", "text")
    return entry


def _latest() -> str:
    """When the log was last written (a feed with no entries is still dated)."""
    found = state.workspace().store.scalar("SELECT max(recorded_at) FROM change_log")
    return _time(found) if found else _time(datetime.combine(EPOCH, datetime.min.time()))


def _time(value: datetime) -> str:
    """An RFC 3339 time: the log records UTC without a zone."""
    return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = NOT_XML.sub("", text)
    return element
