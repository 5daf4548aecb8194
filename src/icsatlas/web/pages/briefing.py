"""``/briefing/<kind>/<code>.pdf`` (or ``.html``): the printed briefing of an area page,
made by the same code as ``icsatlas briefing`` from the same report the page shows, its
footer naming the portal's data release. Linked from every area page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from icsatlas.errors import NotFoundError
from icsatlas.web import state
from icsatlas.web.pages.view import PATHS, PageQuery, area_path, page_query

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
File = Annotated[str, Path(min_length=5, max_length=70, pattern=r"^[^/]+\.(pdf|html)$")]
Fmt = Annotated[str, Path(pattern=r"^(pdf|html)$")]
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def links(query: PageQuery, page: str) -> dict[str, str]:
    """The briefing's addresses for the area page at ``page`` (``/icb/QWO``), each format."""
    return {fmt: query.link(f"/briefing{page}.{fmt}") for fmt in MEDIA}


@router.get("/briefing/{kind}/{file}")
async def area_briefing(request: Request, kind: str, file: File, query: Page) -> Response:
    code, _, fmt = file.rpartition(".")
    if kind not in set(PATHS.values()) - {"england"}:
        raise NotFoundError(f"no briefing for areas of kind {kind!r}")
    return _briefing(request, code, fmt, query)


@router.get("/briefing/england.{fmt}")
async def england_briefing(request: Request, fmt: Fmt, query: Page) -> Response:
    return _briefing(request, "England", fmt, query)


def _briefing(request: Request, code: str, fmt: str, query: PageQuery) -> Response:
    from icsatlas import briefings

    found = query.workspace().resolve(code, query.on)
    canonical = f"/briefing{area_path(found.kind, found.code)}.{fmt}"
    if canonical != request.url.path:
        return RedirectResponse(query.link(canonical), status_code=301)
    ws = state.workspace()
    doc = briefings.briefing(ws, found.code, query.on, query.reform, state.release())
    name = f"briefing-{found.code}-{query.on}.{fmt}"
    return Response(
        briefings.render(doc, "pdf" if fmt == "pdf" else "html"),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
