"""Function pages: the catalogue of the jobs the NHS does (searchable), and one function
across England on a date: who holds it for each ICB, on a map shaded by the kind of body,
with the table beside it.

The catalogue is ``ws.register.functions``; who holds a function for each ICB is
``ws.register.who`` asked once per ICB of ``ws.register.areas("icb")`` on the date.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from icsatlas.errors import NotFoundError
from icsatlas.register.model import ORG_TYPES
from icsatlas.results import Result
from icsatlas.web import maps
from icsatlas.web.pages.view import (
    PageQuery,
    area_path,
    page_query,
    public_source,
    render,
    table,
)

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
Name = Annotated[str, Path(min_length=1, max_length=200)]
EXAMPLES = (
    "/functions",
    "/functions?q=workforce",
    "/functions/continuing-healthcare?on=2026-06-01",
    "/functions/better-care-fund?on=2025-06-01",
    "/functions/strategic-workforce-planning?on=2027-04-01&reform=blueprint-2025",
)


@router.get("/functions")
async def catalogue(
    request: Request, query: Page, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """Every function, or the one ``q`` names, or the nearest names to it."""
    ws = query.workspace()
    text, message, suggestions = q.strip(), None, []
    try:
        found = ws.register.functions(text or None)
    except NotFoundError as error:
        found, message = None, str(error)
        suggestions = [
            {"name": s.name, "kind": s.kind, "href": query.link(f"/functions/{s.key}")}
            for s in error.suggestions
        ]
    return render(
        request,
        "functions.html",
        query,
        q=text,
        found=_catalogue(query, found) if found else None,
        message=message,
        suggestions=suggestions,
    )


@router.get("/functions/{function_id}")
async def function(request: Request, query: Page, function_id: Name) -> Response:
    """One function across England on the date (another name for it redirects)."""
    ws = query.workspace()
    chosen = ws.data.function(function_id)
    if chosen.function_id != function_id:
        return RedirectResponse(query.link(f"/functions/{chosen.function_id}"), status_code=301)
    icbs = ws.register.areas("icb", query.on)
    rows = [_holders(query, icb, chosen.function_id) for icb in icbs.table.records()]
    kinds = {row["ons_code"]: row["kind"] for row in rows}
    return render(
        request,
        "function.html",
        query,
        function=chosen,
        about=ws.register.functions(chosen.function_id).table.records()[0],
        rows=rows,
        legend=sorted(Counter(kinds.values()).items()),
        source=public_source(icbs.provenance),
        map=_map(query, chosen.label, kinds),
        icbs=table(icbs, ("name", "ods_code", "within")),
    )


def _catalogue(query: PageQuery, found: Result) -> dict[str, Any]:
    """The catalogue as the table macro's arguments, each function a link to its page."""
    shown = table(found, ("label", "category", "blueprint", "statutory", "synonyms"))
    for row, record in zip(shown["rows"], found.table.records(), strict=True):
        row[0] = {"html": _link(query.link(f"/functions/{record['id']}"), record["label"])}
    return shown


def _holders(query: PageQuery, icb: dict[str, Any], function: str) -> dict[str, Any]:
    """Who holds ``function`` for one ICB: every holder, and the kinds of body they are."""
    answer = query.workspace().register.who(function, icb["ods_code"], query.on)
    held = answer.table.records()
    kinds = sorted({ORG_TYPES.get(h["holder_type"], h["holder_type"]) for h in held})
    return {
        "icb": icb["name"],
        "ods_code": icb["ods_code"],
        "ons_code": icb["ons_code"],
        "href": query.link(area_path("icb", icb["ods_code"])),
        "holders": "; ".join(dict.fromkeys(h["holder"] for h in held)) or "nobody (a gap)",
        "kind": " and ".join(kinds) or "Nobody (a gap)",
        "since": "; ".join(dict.fromkeys(str(h["since"]) for h in held)),
        "certainty": "; ".join(dict.fromkeys(h["certainty"] for h in held)),
    }


def _map(query: PageQuery, label: str, kinds: dict[str, str]) -> str:
    geography = query.workspace().geography(query.on)
    ods = dict(zip(geography.icbs.icb_ons, geography.icbs.icb_ods, strict=True))
    return maps.render(
        maps.geography_layer(geography),
        values=kinds,
        title=f"Who holds {label} in each ICB on {query.on:%-d %B %Y}, by kind of body",
        link=lambda code: query.link(area_path("icb", ods.get(code, code))),
        id_prefix="function-map",
    )


def _link(href: str, text: str) -> str:
    from markupsafe import Markup

    return Markup('<a href="{}">{}</a>').format(href, text)
