"""The open API, ``/api/v1``: every resource a thin shell over the Workspace.

Each route parses its query, asks the workspace the same question the command line asks, and
returns the same JSON shape (``title``, ``data``, ``provenance``, ``notes``, and ``sections``
where an answer has several tables), paged with an opaque ``cursor``, with an ``ETag`` for
the data release (a repeated request with ``If-None-Match`` gets 304). Areas are read by the
one resolver, so ``area=Leeds`` means the same here as everywhere; reforms are the shipped
ones only (a what-if from a file is a command-line and Python feature).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from icsatlas.web.state import answer, shipped_reforms, workspace

AreaKind = Literal[
    "country", "region", "icb", "sub-icb", "place", "neighbourhood", "council", "practice", "pcn"
]
router = APIRouter(prefix="/api/v1", tags=["icsatlas"])

Text = Annotated[str, Query(min_length=1, max_length=200)]
Day = Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD or DD/MM/YYYY; today")]
Reforms = Annotated[
    list[str] | None,
    Query(max_length=5, description="Shipped reforms to apply first (a what-if); repeatable."),
]
Optional = Annotated[str | None, Query(max_length=200)]
Limit = Annotated[int, Query(ge=1, le=5000, description="Rows per page.")]
Cursor = Annotated[str | None, Query(max_length=40, description="From the previous page.")]


@router.get("/health", summary="The service is up")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/where", summary="How a name, code or postcode is read")
async def where(request: Request, q: Text, on: Day = None, reform: Reforms = None) -> Response:
    return answer(request, _ws(reform).register.where(q, on))


@router.get("/areas", summary="Areas of a kind on a date")
async def areas(
    request: Request,
    type: Annotated[AreaKind, Query(description="The kind of area.")] = "icb",
    within: Optional = None,
    on: Day = None,
    reform: Reforms = None,
    limit: Limit = 500,
    cursor: Cursor = None,
) -> Response:
    result = _ws(reform).register.areas(type, on, within)
    return answer(request, result, limit=limit, cursor=cursor)


@router.get("/areas/{area}", summary="Everything for one area: every function and its holder")
async def area(
    request: Request,
    area: Annotated[str, Path(min_length=1, max_length=200)],
    on: Day = None,
    reform: Optional = None,
) -> Response:
    after = shipped_reforms([reform])[0] if reform else None
    return answer(request, workspace().register.overview(area, on, after))


@router.get("/areas/{area}/report", summary="An area's full report, in sections")
async def area_report(
    request: Request,
    area: Annotated[str, Path(min_length=1, max_length=200)],
    on: Day = None,
    reform: Optional = None,
) -> Response:
    """What the area's page shows: identity and successor notices, then sections (functions,
    accountability, boards, money, population, contracts, related, similar), each with its
    own data, provenance and notes."""
    after = shipped_reforms([reform])[0] if reform else None
    return answer(request, workspace().report(area, on, after).to_result())


@router.get("/who", summary="Who holds a function in an area on a date")
async def who(
    request: Request,
    function: Text,
    area: Text,
    on: Day = None,
    history: bool = False,
    reform: Reforms = None,
) -> Response:
    return answer(request, _ws(reform).register.who(function, area, on, history))


@router.get("/diff", summary="What changed between two dates")
async def diff(
    request: Request,
    start: Annotated[str, Query(alias="from", max_length=40)],
    end: Annotated[str, Query(alias="to", max_length=40)],
    area: Optional = None,
    reform: Reforms = None,
    limit: Limit = 500,
    cursor: Cursor = None,
) -> Response:
    result = _ws(reform).register.diff(start, end, area)
    return answer(request, result, limit=limit, cursor=cursor)


@router.get("/gaps", summary="Functions with no holder, undeclared holders, or uncertain")
async def gaps(
    request: Request,
    on: Day = None,
    area: Optional = None,
    reform: Reforms = None,
    limit: Limit = 500,
    cursor: Cursor = None,
) -> Response:
    result = _ws(reform).register.gaps(on, area)
    return answer(request, result, limit=limit, cursor=cursor)


@router.get("/reforms", summary="The shipped reforms")
async def reforms(request: Request) -> Response:
    return answer(request, workspace().register.reforms())


@router.get("/reforms/{name}/impact", summary="What a reform does")
async def impact(
    request: Request, name: Annotated[str, Path(min_length=1, max_length=60)]
) -> Response:
    (chosen,) = shipped_reforms([name])
    _, result = workspace().register.impact(chosen)
    return answer(request, result)


@router.get("/functions", summary="The function catalogue")
async def functions(request: Request, q: Optional = None) -> Response:
    return answer(request, workspace().register.functions(q))


@router.get("/accountability", summary="How accountable each type of body is")
async def accountability(request: Request) -> Response:
    return answer(request, workspace().register.accountability())


@router.get("/parameters", summary="Every assumption, its value, unit and source")
async def parameters(request: Request, prefix: Optional = None, on: Day = None) -> Response:
    return answer(request, workspace().parameters(prefix or "", on))


@router.get("/sources", summary="Where the shipped data come from")
async def sources(request: Request) -> Response:
    return answer(request, workspace().sources())


@router.get("/population/profile", summary="An area's population beside England")
async def profile(
    request: Request,
    area: Text,
    on: Day = None,
    population: Optional = None,
    reform: Reforms = None,
) -> Response:
    result = _ws(reform).population.profile(area, name=population, on=on)
    return answer(request, result)


@router.get("/finance/targets", summary="Needs-based allocation targets")
async def targets(
    request: Request,
    on: Day = None,
    year: Annotated[str | None, Query(max_length=10)] = None,
    reform: Reforms = None,
) -> Response:
    return answer(request, _ws(reform).finance.targets(year=year, on=on))


@router.get("/finance/places", summary="An area's budget split by place")
async def places(
    request: Request,
    area: Text,
    on: Day = None,
    year: Annotated[str | None, Query(max_length=10)] = None,
    reform: Reforms = None,
) -> Response:
    return answer(request, _ws(reform).finance.places(area, year=year, on=on))


@router.get("/contracts", summary="Contracts in the register")
async def contracts(
    request: Request,
    area: Optional = None,
    on: Day = None,
    reform: Reforms = None,
    limit: Limit = 500,
    cursor: Cursor = None,
) -> Response:
    result = _ws(reform).contracts.list(area=area, on=on)
    return answer(request, result, limit=limit, cursor=cursor)


def _ws(reform: list[str] | None):
    return workspace().with_reforms(*shipped_reforms(reform or []))
