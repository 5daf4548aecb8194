"""Area pages: an ICB, a sub-ICB location (place), a council, a GP practice, a PCN, a
postcode district, a region and England, each at ``/<kind>/<code>`` on a date.

The page asks the workspace what the code names on the date (the one resolver), so a
former area's address still works: it says what replaced it and shows the areas that now
cover its people. Any other address of the same area (an ONS code, lower case) is sent on
to the one canonical address.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from icsatlas.geography import Resolution
from icsatlas.web import maps
from icsatlas.web.pages.view import PATHS, PageQuery, area_path, page_query, render, table

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
Code = Annotated[str, Path(min_length=1, max_length=60)]


async def area_page(request: Request, code: Code, query: Page) -> Response:
    ws = query.workspace()
    found = ws.resolve(code, query.on)
    canonical = area_path(found.kind, found.code)
    if canonical != request.url.path:
        return RedirectResponse(query.link(canonical), status_code=301)
    return render(
        request,
        "area.html",
        query,
        found=found,
        former=found.kind.startswith("former "),
        covers=_covers(query, found),
        overview=table(ws.register.overview(found.code, query.on)),
        map=_map(query, found),
    )


for _prefix in sorted(set(PATHS.values()) - {"england"}):
    router.add_api_route(f"/{_prefix}/{{code}}", area_page, methods=["GET"])


@router.get("/england")
async def england(request: Request, query: Page) -> Response:
    return await area_page(request, "England", query)


def _covers(query: PageQuery, found: Resolution) -> list[dict[str, object]]:
    """The NHS areas covering what was named, each a link, with its share."""
    return [
        {
            "name": cover.area.place_name or cover.area.name,
            "href": query.link(
                area_path(cover.area.area_type, cover.area.ods_code or cover.area.area_id)
            ),
            "kind": cover.area.area_type,
            "code": cover.area.ods_code or cover.area.area_id,
            "share": cover.share,
        }
        for cover in found.covers
    ]


def _map(query: PageQuery, found: Resolution) -> str:
    """England's ICBs on the date, the ones covering this area highlighted."""
    geography = query.workspace().geography(query.on)
    tree = geography.sub_icbs
    icb_of = dict(zip(tree.sub_icb_ons, tree.icb_ons, strict=True))
    ods = dict(zip(geography.icbs.icb_ons, geography.icbs.icb_ods, strict=True))
    marked = {icb_of.get(c.area.area_id, c.area.area_id) for c in found.covers}
    return maps.render(
        maps.geography_layer(geography),
        highlight=marked,
        title=f"Where {found.name} is: integrated care boards on {query.on:%-d %B %Y}",
        link=lambda code: query.link(area_path("icb", ods.get(code, code))),
        id_prefix="area-map",
    )
