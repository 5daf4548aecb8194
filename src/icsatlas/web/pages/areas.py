"""Area pages: an ICB, a sub-ICB location (place), a council, a GP practice, a PCN, a
postcode district, a region and England, each at ``/<kind>/<code>`` on a date.

The page asks the workspace what the code names on the date (the one resolver), so a
former area's address still works: it says what replaced it and shows the areas that now
cover its people. Any other address of the same area (an ONS code, lower case) is sent on
to the one canonical address. Everything below the heading is the area's report
(``Workspace.report``, the same answer as ``icsatlas report`` and
``/api/v1/areas/{area}/report``), one section a table, laid out here without changing a
figure: links to related areas, and red/amber/green as the design system's tags.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape

from icsatlas.geography import Resolution
from icsatlas.results import Result
from icsatlas.web import maps, state
from icsatlas.web.maps import Layer
from icsatlas.web.pages import briefing
from icsatlas.web.pages.view import (
    PATHS,
    PageQuery,
    area_path,
    page_query,
    public_source,
    render,
    table,
)
from icsatlas.workspace.report import Report, memo

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
Code = Annotated[str, Path(min_length=1, max_length=60)]

HEADINGS = {
    "functions": "Who holds each function",
    "accountability": "How accountable each holder is",
    "boards": "Board and council representation",
    "money": "Money",
    "population": "Population health beside England",
    "contracts": "Contracts in concern",
    "related": "Related areas",
    "similar": "Similar areas",
}
# Columns whose cell names an area with a page: the column with its kind and code.
LINKED = {
    "identity": ("covered_by", "type", "code"),
    "related": ("name", "kind", "code"),
    "similar": ("name", "kind", "code"),
    "money": ("icb", None, "ods_code"),
}
TAGS = {"red": "red", "amber": "yellow", "green": "green", "higher": "blue", "lower": "aqua-green"}


async def area_page(request: Request, code: Code, query: Page) -> Response:
    ws = query.workspace()
    found = ws.resolve(code, query.on)
    canonical = area_path(found.kind, found.code)
    if canonical != request.url.path:
        return RedirectResponse(query.link(canonical), status_code=301)
    report = state.workspace().report(found.code, query.on, query.reform)
    return render(
        request,
        "area.html",
        query,
        found=found,
        former=found.kind.startswith("former "),
        notices=report.notices,
        identity=_shown(query, "identity", report.identity, found.code),
        sections=sections(query, report),
        map=_map(query, found),
        briefing=briefing.links(query, canonical),
    )


for _prefix in sorted(set(PATHS.values()) - {"england"}):
    router.add_api_route(f"/{_prefix}/{{code}}", area_page, methods=["GET"])


@router.get("/england")
async def england(request: Request, query: Page) -> Response:
    return await area_page(request, "England", query)


def sections(query: PageQuery, report: Report) -> list[dict[str, Any]]:
    """Each section of the report as the page shows it: an anchor, a heading, its table and
    the section's further tables (a board's members)."""
    return [
        {
            "id": f"section-{key}",
            "heading": HEADINGS[key],
            "table": _shown(query, key, result, report.code),
            "parts": _parts(result),
        }
        for key, result in report.sections.items()
    ]


def _parts(result: Result) -> list[dict[str, Any]]:
    """A section's further tables, each without a source line that repeats the section's."""
    shown = [table(part) for part in result.sections]
    source = public_source(result.provenance)
    return [part | {"source": ""} if part["source"] == source else part for part in shown]


def _shown(query: PageQuery, key: str, result: Result, code: str) -> dict[str, Any]:
    """A section's table, with links to download it (the report resource's same section)."""
    api = query.api(f"/api/v1/areas/{quote(code, safe='')}/report", section=key)
    shown = table(result, api=api)
    if key in LINKED:
        shown["rows"] = _linked(query, result, shown["rows"], *LINKED[key])
    if key == "population":
        shown["rows"] = _tagged(result, shown["rows"])
    return shown


def _linked(
    query: PageQuery, result: Result, rows: list[list[Any]], name: str, kind: str | None, code: str
) -> list[list[Any]]:
    """The ``name`` cells as links to the pages of the areas they name."""
    at = result.columns.index(name)
    kinds = result.table.column(kind) if kind else ["icb"] * len(rows)
    codes = result.table.column(code)
    for row, area_kind, area_code in zip(rows, kinds, codes, strict=True):
        if area_code and area_kind in PATHS:
            href = query.link(area_path(area_kind, area_code))
            row[at] = {"html": Markup(f'<a href="{escape(href)}">{escape(row[at])}</a>')}  # noqa: S704 - every interpolated value escaped
    return rows


def _tagged(result: Result, rows: list[list[Any]]) -> list[list[Any]]:
    """The population's red/amber/green (or higher/lower) as the design system's tags."""
    at = result.columns.index("rag")
    for row in rows:
        colour = TAGS.get(row[at] or "")
        if colour:
            tag = f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{escape(row[at])}</strong>'
            row[at] = {"html": Markup(tag)}  # noqa: S704 - every interpolated value escaped
    return rows


def _map(query: PageQuery, found: Resolution) -> str:
    """England's ICBs on the date, the ones covering this area highlighted."""
    drawn, icb_of, ods = memo.kept(query.workspace(), ("icb map", query.on), lambda: _icbs(query))
    marked = {icb_of.get(c.area.area_id, c.area.area_id) for c in found.covers}
    return maps.render(
        drawn,
        highlight=marked,
        title=f"Where {found.name} is: integrated care boards on {query.on:%-d %B %Y}",
        link=lambda code: query.link(area_path("icb", ods.get(code, code))),
        id_prefix="area-map",
    )


def _icbs(query: PageQuery) -> tuple[Layer, dict[str, str], dict[str, str]]:
    """The ICB layer on the page's date (drawn once per workspace and date), each sub-ICB
    location's ICB and each ICB's ODS code, by ONS code."""
    geography = query.workspace().geography(query.on)
    tree = geography.sub_icbs
    icb_of = dict(zip(tree.sub_icb_ons, tree.icb_ons, strict=True))
    ods = dict(zip(geography.icbs.icb_ons, geography.icbs.icb_ods, strict=True))
    return maps.geography_layer(geography), icb_of, ods
