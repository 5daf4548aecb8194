"""The home page (England's ICBs on a date, the search box, what changed) and the search
that takes a newcomer from whatever they typed to the right page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from icsatlas.errors import NotFoundError
from icsatlas.web import maps
from icsatlas.web.pages.view import PageQuery, area_path, page_query, render, table

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
# "who do I go to for continuing healthcare in Leeds", "continuing healthcare in LS1"
_WHO = re.compile(
    r"^(?:(?:who|where)\b.*?\bfor\s+)?(?P<function>.+?)\s+(?:in|for|near)\s+(?P<area>[^?]+)\??$",
    re.IGNORECASE,
)


@router.get("/")
async def home(request: Request, query: Page) -> Response:
    ws = query.workspace()
    geography = ws.geography(query.on)
    ods = dict(zip(geography.icbs.icb_ons, geography.icbs.icb_ods, strict=True))
    drawn = maps.geography_layer(geography)
    svg = maps.render(
        drawn,
        values=_regions(geography),
        title=f"Integrated care boards in England on {query.on:%-d %B %Y}, by NHS region",
        link=lambda code: query.link(area_path("icb", ods.get(code, code))),
    )
    icbs = ws.register.areas("icb", query.on)
    links = {row["name"]: query.link(area_path("icb", row["ods_code"])) for row in icbs.table}
    return render(
        request,
        "home.html",
        query,
        map=svg,
        map_notes=drawn.notes,
        icbs=table(
            icbs,
            ("name", "ods_code", "within", "registered_patients_2026_08"),
            api=query.api("/api/v1/areas", type="icb"),
        ),
        links=links,
        reforms=table(
            ws.register.reforms(), ("name", "title", "operations"), api=("/api/v1/reforms", {})
        ),
    )


@router.get("/search")
async def search(
    request: Request, query: Page, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """An area, a function, or "<function> in <area>"; otherwise the nearest names."""
    text = "".join(c for c in q if c.isprintable()).strip()  # control characters ignored
    if not text:
        return RedirectResponse(query.link("/"), status_code=303)
    ws = query.workspace()
    try:
        found = ws.resolve(text, query.on)
    except NotFoundError as error:
        target = _function_or_question(query, text)
        if target:
            return RedirectResponse(target, status_code=303)
        suggestions = [
            {"name": s.name, "kind": s.kind, "href": query.link(area_path(s.kind, s.key))}
            for s in error.suggestions
        ]
        context = {"q": text, "message": str(error), "suggestions": suggestions}
        return render(request, "search.html", query, status=404, **context)
    return RedirectResponse(query.link(area_path(found.kind, found.code)), status_code=303)


def _function_or_question(query: PageQuery, text: str) -> str | None:
    ws = query.workspace()
    asked = _WHO.match(text)
    if asked:
        try:
            function = ws.data.function(asked["function"])
            ws.resolve(asked["area"], query.on)
        except NotFoundError:
            pass
        else:
            return query.link("/who", function=function.function_id, area=asked["area"].strip())
    try:
        return query.link(f"/functions/{ws.data.function(text).function_id}")
    except NotFoundError:
        return None


def _regions(geography: Geography) -> dict[str, str] | None:
    """Each ICB's NHS region (the map's shading), unless a what-if makes more regions than
    the map has colours."""
    icbs = geography.icbs
    regions = dict(zip(icbs.icb_ons, icbs.region_name, strict=True))
    return regions if len(set(regions.values())) <= len(maps.CATEGORICAL) else None
