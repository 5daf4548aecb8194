"""The open API, ``/api/v1``: every resource a thin shell over the Workspace.

Each route parses its query, asks the workspace the same question the command line asks, and
returns the same JSON shape (``title``, ``data``, ``provenance``, ``notes``, and ``sections``
where an answer has several tables), paged with an opaque ``cursor``, with an ``ETag`` for
the data release (a repeated request with ``If-None-Match`` gets 304). Areas are read by the
one resolver, so ``area=Leeds`` means the same here as everywhere; reforms are the shipped
ones only (a what-if from a file is a command-line and Python feature).

The OpenAPI document (:func:`openapi`) describes every answer and every refusal: a refused
request gets an RFC 9457 problem document (``application/problem+json``), never a trace.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

import orjson
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic import StringConstraints, TypeAdapter
from typing_extensions import TypedDict  # pydantic reads it on Python 3.11

from icsatlas.notify.subscriptions import ADDRESS
from icsatlas.results import Result
from icsatlas.web import problems
from icsatlas.web.state import (
    DOWNLOADS,
    answer,
    download_format,
    release,
    shipped_reforms,
    workspace,
)
from icsatlas.workspace.report import SectionName

AreaKind = Literal[
    "country", "region", "icb", "sub-icb", "place", "neighbourhood", "council", "practice", "pcn"
]
_SCHEMAS = "#/components/schemas/"
_REFUSALS = {
    400: "A value that cannot be read (a date that does not exist, a cursor not given out)",
    404: "A name, code or reform that matches nothing (with suggestions where there are any)",
    414: "The URL is longer than 2,048 characters",
    422: "A parameter missing, of the wrong type or too long",
}
_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": reason,
        "content": {problems.MEDIA_TYPE: {"schema": {"$ref": f"{_SCHEMAS}Problem"}}},
    }
    for status, reason in _REFUSALS.items()
}
router = APIRouter(
    prefix="/api/v1",
    tags=["icsatlas"],
    dependencies=[Depends(download_format)],  # ?format=csv|xlsx|json|parquet|csvw
    responses={
        **DOWNLOADS,
        304: {"description": "Not modified: If-None-Match named this answer's ETag"},
        **_PROBLEMS,
    },
)
_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "Over this client address's rate limit (see Retry-After)",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
        "content": {problems.MEDIA_TYPE: {"schema": {"$ref": f"{_SCHEMAS}Problem"}}},
    }
}
# Writes: no downloads, no ETags; each refusal a problem document; rate-limited per client
# address (web/limits.py, applied to every write before it reaches its route).
writes = APIRouter(prefix="/api/v1", tags=["icsatlas"], responses={**_PROBLEMS, **_LIMITED})

Text = Annotated[str, Query(min_length=1, max_length=200)]
Day = Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD or DD/MM/YYYY; today")]
Reforms = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=60)]] | None,
    Query(max_length=5, description="Shipped reforms to apply first (a what-if); repeatable."),
]
Optional = Annotated[str | None, Query(max_length=200)]
ReportSection = Literal["identity", SectionName]
Limit = Annotated[int, Query(ge=1, le=5000, description="Rows per page.")]
Cursor = Annotated[str | None, Query(max_length=40, description="From the previous page.")]


class Provenance(TypedDict, total=False):
    """Where an answer came from (what does not apply is left out)."""

    data: dict[str, str]
    reform: str
    parameters: str
    seed: int
    engine: str
    elapsed_s: float
    notes: list[str]


class Section(TypedDict):
    """A table of an answer: its rows, where they came from, and notes to read them by."""

    title: str
    data: list[dict[str, Any]]
    provenance: Provenance
    notes: list[str]
    sections: NotRequired[list[Section]]


class Answer(Section):
    """An answer, as the command line's ``--format json`` gives it, naming its release."""

    release: str


class Page(Answer):
    """One page of a long answer: ``total`` rows in all, ``next`` the address of the
    following page (``null`` on the last). A download (``format=json``) is the whole
    answer, without them."""

    total: NotRequired[int]
    next: NotRequired[str | None]


def openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document: FastAPI's, with the problem document every refusal is, and
    optional query parameters as their type (a parameter is left out, never null)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = TypeAdapter(problems.Problem).json_schema(ref_template=_SCHEMAS + "{model}")
    schemas |= problem.pop("$defs", {}) | {"Problem": problem}
    for operation in (op for path in document["paths"].values() for op in path.values()):
        for parameter in operation.get("parameters", []):
            _not_null(parameter["schema"])
    app.openapi_schema = document
    return document


def _not_null(schema: dict[str, Any]) -> None:
    options = [s for s in schema.get("anyOf", []) if s != {"type": "null"}]
    if "anyOf" in schema and len(options) == 1:
        del schema["anyOf"]
        schema |= options[0]


@router.get("/health", summary="The service is up")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/where",
    response_model=Answer,
    summary="How a name, code or postcode is read",
    responses=_LIMITED,  # a search: rate-limited per client address
)
async def where(request: Request, q: Text, on: Day = None, reform: Reforms = None) -> Response:
    return answer(request, _ws(reform).register.where(q, on))


@router.get("/areas", response_model=Page, summary="Areas of a kind on a date")
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


@router.get(
    "/areas/{area}",
    response_model=Answer,
    summary="Everything for one area: every function and its holder",
)
async def area(
    request: Request,
    area: Annotated[str, Path(min_length=1, max_length=200)],
    on: Day = None,
    reform: Optional = None,
) -> Response:
    after = shipped_reforms([reform])[0] if reform else None
    return answer(request, workspace().register.overview(area, on, after))


@router.get(
    "/areas/{area}/report", response_model=Answer, summary="An area's full report, in sections"
)
async def area_report(
    request: Request,
    area: Annotated[str, Path(min_length=1, max_length=200)],
    on: Day = None,
    reform: Optional = None,
    section: Annotated[
        ReportSection | None, Query(description="One section alone (e.g. to download it).")
    ] = None,
) -> Response:
    """What the area's page shows: identity and successor notices, then sections (functions,
    accountability, boards, money, population, contracts, related, similar), each with its
    own data, provenance and notes."""
    after = shipped_reforms([reform])[0] if reform else None
    report = workspace().report(area, on, after)
    if section is None:
        return answer(request, report.to_result())
    if section == "identity":  # with the notices, as the whole report has them
        whole = report.to_result()
        return answer(request, Result(whole.table, whole.provenance, whole.title, whole.notes))
    return answer(request, report.section(section))


@router.get("/who", response_model=Answer, summary="Who holds a function in an area on a date")
async def who(
    request: Request,
    function: Text,
    area: Text,
    on: Day = None,
    history: bool = False,
    reform: Reforms = None,
) -> Response:
    return answer(request, _ws(reform).register.who(function, area, on, history))


@router.get("/diff", response_model=Page, summary="What changed between two dates")
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


@router.get(
    "/gaps",
    response_model=Page,
    summary="Functions with no holder, undeclared holders, or uncertain",
)
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


@router.get(
    "/register",
    response_model=Page,
    summary="The whole register on a date: every area, function, holder",
)
async def register(
    request: Request,
    on: Day = None,
    reform: Reforms = None,
    limit: Limit = 500,
    cursor: Cursor = None,
) -> Response:
    from icsatlas.exports.register import register_on

    return answer(request, register_on(_ws(reform), on), limit=limit, cursor=cursor)


@router.get("/reforms", response_model=Answer, summary="The shipped reforms")
async def reforms(request: Request) -> Response:
    return answer(request, workspace().register.reforms())


@router.get("/reforms/{name}/impact", response_model=Answer, summary="What a reform does")
async def impact(
    request: Request, name: Annotated[str, Path(min_length=1, max_length=60)]
) -> Response:
    (chosen,) = shipped_reforms([name])
    _, result = workspace().register.impact(chosen)
    return answer(request, result)


@router.get("/functions", response_model=Answer, summary="The function catalogue")
async def functions(request: Request, q: Optional = None) -> Response:
    return answer(request, workspace().register.functions(q))


@router.get(
    "/accountability", response_model=Answer, summary="How accountable each type of body is"
)
async def accountability(request: Request) -> Response:
    return answer(request, workspace().register.accountability())


@router.get(
    "/parameters", response_model=Answer, summary="Every assumption, its value, unit and source"
)
async def parameters(request: Request, prefix: Optional = None, on: Day = None) -> Response:
    return answer(request, workspace().parameters(prefix or "", on))


@router.get("/sources", response_model=Answer, summary="Where the shipped data come from")
async def sources(request: Request) -> Response:
    return answer(request, workspace().sources())


@router.get(
    "/population/profile", response_model=Answer, summary="An area's population beside England"
)
async def profile(
    request: Request,
    area: Text,
    on: Day = None,
    population: Optional = None,
    reform: Reforms = None,
) -> Response:
    result = _ws(reform).population.profile(area, name=population, on=on)
    return answer(request, result)


@router.get("/finance/targets", response_model=Answer, summary="Needs-based allocation targets")
async def targets(
    request: Request,
    on: Day = None,
    year: Annotated[str | None, Query(max_length=10)] = None,
    reform: Reforms = None,
) -> Response:
    return answer(request, _ws(reform).finance.targets(year=year, on=on))


@router.get("/finance/places", response_model=Answer, summary="An area's budget split by place")
async def places(
    request: Request,
    area: Text,
    on: Day = None,
    year: Annotated[str | None, Query(max_length=10)] = None,
    reform: Reforms = None,
) -> Response:
    return answer(request, _ws(reform).finance.places(area, year=year, on=on))


@router.get("/contracts", response_model=Page, summary="Contracts in the register")
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


Reason = Annotated[
    str,
    Query(min_length=1, max_length=500, description="Why: kept in the audit log."),
]
IcbCode = Annotated[str, Path(min_length=1, max_length=60, description="The ICB's ODS code.")]
_CSV = {"type": "string", "description": "A CSV file (UTF-8, or with a byte-order mark)."}
_LINES = {"type": "string", "description": "JSON Lines: one OCDS release or record a line."}
_YAML = {"type": "string", "description": "A reform file (see docs/reference/reforms.md)."}


def _write(summary: str, forbidden: str, limit: str, **media: Any) -> dict[str, Any]:
    """What the OpenAPI document says of a write: its body's media types and its answers."""
    problem = {problems.MEDIA_TYPE: {"schema": {"$ref": f"{_SCHEMAS}Problem"}}}
    refusals = (
        (401, "No valid token (missing, unknown, expired, revoked)."),
        (403, forbidden),
        (404, "No area with that code (or, for a removal, no such contract)."),
        (413, f"The body is larger than {limit}."),
        (415, f"The body is not {' or '.join(media)}."),
        (422, "Bad rows, each listed (row, field, message); nothing written."),
        (503, "The store is busy with another write: retry in a few seconds."),
    )
    return {
        "status_code": 201,
        "summary": summary,
        "responses": {
            201: {"description": "Saved: the audit log's change, how many, by whom, where."},
            **{status: {"description": why, "content": problem} for status, why in refusals},
        },
        "openapi_extra": {
            "requestBody": {
                "required": True,
                "content": {name: {"schema": schema} for name, schema in media.items()},
            }
        },
    }


def _saved(done: Any, **extra: Any) -> Response:
    """A write's answer (201): its change in the audit log, how many, by whom, where."""
    document = {
        "change": done.change_id,
        "count": done.count,
        "actor": done.actor,
        "area": done.area,
        "summary": done.summary,
        **extra,
        "release": release(),
    }
    return Response(orjson.dumps(document), status_code=201, media_type="application/json")


@writes.post(
    "/areas/{icb}/board",
    **_write(
        "Add board members to an ICB's board (an editor of that ICB's board)",
        "The ICB, or a row's board, is outside the token's scopes.",
        "1 MB",
        **{
            "text/csv": _CSV,
            "application/json": {"type": "array", "items": {"type": "object"}},
        },
    ),
)
async def add_board_members(
    request: Request, icb: IcbCode, reason: Reason = "board members added through the API"
) -> Response:
    """The body is a CSV in the board template (or JSON rows with its columns), checked by
    the same code as ``icsatlas board import``; needs ``Authorization: Bearer TOKEN``."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    code = writes.board_code(icb)
    who.require("board", code)
    media = writes.media_type(request, (writes.CSV, writes.JSON))
    data = await writes.body(request, writes.MAX_BODY)
    if media == writes.JSON:
        data = writes.csv_from_json(data).encode()
    done = writes.add_board_members(who, code, data, reason, f"POST /api/v1/areas/{code}/board")
    return _saved(done, added=done.count, board=done.area)


CONTRACTS_FORBIDDEN = "The ICB, or a row's buyer (or a contract it replaces), is outside scope."


@writes.post(
    "/areas/{icb}/contracts",
    **_write(
        "Import contracts of an ICB: a contract register CSV, or OCDS JSON or JSON Lines",
        CONTRACTS_FORBIDDEN,
        "8 MB (CSV) or 16 MB (OCDS)",
        **{
            "text/csv": _CSV,
            "application/json": {"type": "object"},
            "application/x-ndjson": _LINES,
        },
    ),
)
async def import_contracts(request: Request, icb: IcbCode) -> Response:
    """Checked by the same code as ``icsatlas contracts import``: every row's buyer must be
    in the ICB, and so must every stored contract the file replaces (scope ``contracts``)."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    code = writes.icb_code(icb)
    who.require("contracts", code)
    media = writes.media_type(request, (writes.CSV, writes.JSON, writes.NDJSON))
    limit = 8 * writes.MB if media == writes.CSV else 16 * writes.MB
    data = await writes.body(request, limit)
    kind = "register" if media == writes.CSV else "ocds"
    via = f"POST /api/v1/areas/{code}/contracts"
    return _saved(writes.import_contracts(who, code, data, media, kind, via))


@writes.post(
    "/areas/{icb}/contracts/psr",
    **_write(
        "Import Provider Selection Regime decisions of an ICB (a decision log CSV)",
        "The ICB, or a row's authority (or a decision it replaces), is outside the scopes.",
        "2 MB",
        **{"text/csv": _CSV},
    ),
)
async def import_psr_decisions(request: Request, icb: IcbCode) -> Response:
    """Checked by the same code as ``icsatlas contracts import LOG.csv --kind psr``."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    code = writes.icb_code(icb)
    who.require("contracts", code)
    writes.media_type(request, (writes.CSV,))
    data = await writes.body(request, 2 * writes.MB)
    via = f"POST /api/v1/areas/{code}/contracts/psr"
    return _saved(writes.import_contracts(who, code, data, writes.CSV, "psr", via))


@writes.post(
    "/areas/{icb}/contracts/removals",
    **_write(
        "Remove contracts of an ICB (a new change in the audit log; the history is kept)",
        "The ICB, or a contract's buyer, is outside the token's scopes.",
        "256 KB",
        **{
            "application/json": {"type": "array", "items": {"type": "string"}},
            "text/csv": _CSV,
        },
    ),
)
async def remove_contracts(request: Request, icb: IcbCode, reason: Reason) -> Response:
    """The same as ``icsatlas contracts remove KEY... --reason``: the contracts (a JSON list
    of keys, or a CSV with a ``contract_key`` column) must all be the ICB's."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    code = writes.icb_code(icb)
    who.require("contracts", code)
    media = writes.media_type(request, (writes.JSON, writes.CSV))
    data = await writes.body(request, 256 * writes.KB)
    via = f"POST /api/v1/areas/{code}/contracts/removals"
    return _saved(writes.remove_contracts(who, code, data, media, reason, via))


Short = Annotated[str | None, Query(max_length=200)]


@writes.post(
    "/areas/{icb}/kpi",
    **_write(
        "Import a KPI series (a date,value CSV) monitored for an ICB",
        "The ICB, or the series' contract or provider (or a series it replaces), is outside "
        "the token's scopes.",
        "2 MB",
        **{"text/csv": _CSV},
    ),
)
async def import_kpi(
    request: Request,
    icb: IcbCode,
    code: Annotated[str, Query(min_length=1, max_length=100, description="The series' code.")],
    name: Annotated[str, Query(min_length=1, max_length=200, description="What it measures.")],
    unit: Annotated[str, Query(max_length=40)] = "",
    improvement: Literal["increase", "decrease"] = "increase",
    target: Annotated[float | None, Query(allow_inf_nan=False)] = None,
    contract: Short = None,
    provider: Short = None,
) -> Response:
    """The same as ``icsatlas contracts import FILE --kind kpi``, with the series' ICB the
    address's; a contract or provider it names must be the ICB's too."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    area = writes.icb_code(icb)
    who.require("contracts", area)
    writes.media_type(request, (writes.CSV,))
    data = await writes.body(request, 2 * writes.MB)
    via = f"POST /api/v1/areas/{area}/kpi"
    meta = {
        "code": code,
        "name": name,
        "unit": unit,
        "improvement": improvement,
        "target": target,
        "contract": contract,
        "provider": provider,
        "icb": area,
    }
    return _saved(writes.import_contracts(who, area, data, writes.CSV, "kpi", via, **meta))


@writes.post(
    "/areas/{area}/bcf",
    **_write(
        "Import Better Care Fund contributions of a council, or of the councils of an ICB",
        "The area, or a row's council, is outside the token's scopes (finance).",
        "1 MB",
        **{"text/csv": _CSV},
    ),
)
async def import_bcf(
    request: Request,
    area: Annotated[str, Path(min_length=1, max_length=60, description="ONS or ODS code.")],
    description: Annotated[
        str, Query(min_length=1, max_length=500, description="Where the figures come from.")
    ],
    kind: Literal["data", "scenario"] = "data",
) -> Response:
    """The same as ``icsatlas finance bcf import``: every row's council must be the address's
    (or, for an ICB, have most of its population in it)."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    code = writes.bcf_area(area)
    who.require("finance", code)
    writes.media_type(request, (writes.CSV,))
    data = await writes.body(request, 1 * writes.MB)
    via = f"POST /api/v1/areas/{code}/bcf"
    return _saved(writes.import_bcf(who, code, data, description, kind, via))


@writes.post(
    "/areas/{icb}/populations/{name}",
    **_write(
        "Import an ICB's de-identified population extract (CSV) as a population",
        "The ICB, a row's practice, or a population it replaces, is outside the scopes.",
        "64 MB",
        **{"text/csv": _CSV},
    ),
)
async def import_population(
    request: Request,
    icb: IcbCode,
    name: Annotated[
        str, Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$", description="The population's name.")
    ],
    extract_date: Annotated[str, Query(max_length=40, description="YYYY-MM-DD")],
    replace: bool = False,
) -> Response:
    """The same as ``icsatlas population import``: every row's practice must be in the ICB
    (population extracts are an ICB's; one covering England is imported at the command
    line by an administrator)."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    code = writes.icb_code(icb)
    who.require("population", code)
    writes.media_type(request, (writes.CSV,))
    data = await writes.body(request, 64 * writes.MB)
    via = f"POST /api/v1/areas/{code}/populations/{name}"
    return _saved(writes.import_population(who, code, name, data, extract_date, replace, via))


@writes.post(
    "/reforms",
    **_write(
        "Apply a reform file to the register (an administrator, or scope reforms:*)",
        "The token may not change reforms (reforms:* or admin).",
        "256 KB",
        **{"application/yaml": _YAML},
    ),
)
async def apply_reform(
    request: Request, reason: Reason = "reform applied through the API"
) -> Response:
    """Checked by the same code as ``icsatlas reform check``, then applied as ``icsatlas
    reform apply`` does (one change in the audit log)."""
    from icsatlas.web import auth, writes

    who = auth.require(request)
    who.require("reforms", "*")
    writes.media_type(request, (writes.YAML,))
    data = await writes.body(request, 256 * writes.KB)
    return _saved(writes.apply_reform(who, data, reason, "POST /api/v1/reforms"))


Email = Annotated[str, StringConstraints(max_length=254, pattern=ADDRESS.pattern)]
Topic = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class AreaSubscription(TypedDict):
    """Who to email, and the area to follow (an ICB, place, council, region, PCN or
    practice: its code or name)."""

    email: Email
    area: Topic


class FunctionSubscription(TypedDict):
    """Who to email, and the function to follow (its id, label or a synonym)."""

    email: Email
    function: Topic


class SubscriptionAsked(TypedDict):
    """What was asked for: a confirmation link goes to the address unless it follows the
    topic already or a link is still waiting (the answer is the same either way)."""

    status: str
    topic: dict[str, str]
    confirm_within_hours: int


@writes.post(
    "/subscriptions",
    status_code=202,
    summary="Ask for email when an area or function changes (confirmed by a link)",
    response_model=SubscriptionAsked,
    responses={
        202: {"description": "A confirmation link is emailed (unless one is waiting)."},
        **{
            status: {
                "description": why,
                "content": {problems.MEDIA_TYPE: {"schema": {"$ref": f"{_SCHEMAS}Problem"}}},
            }
            for status, why in (
                (404, "No area or function by that name or code."),
                (429, "Too many requests from this address, or confirmations waiting."),
                (503, "This server sends no email, or its mail server could not be reached."),
            )
        },
    },
)
async def subscribe(request: Request, asked: AreaSubscription | FunctionSubscription) -> Response:
    """Anyone may ask (no token needed): nothing is sent to the address but one
    confirmation link until it is used; as many requests as sign-ins are allowed from one
    client address."""
    from icsatlas import notify
    from icsatlas.web import auth

    with auth.writable() as ws:
        topic = {name: str(value) for name, value in asked.items() if name != "email"}
        found = notify.subscribe(ws, asked["email"], **topic)
    document = {
        "status": "confirmation sent, unless this address follows the topic already or a "
        "confirmation is waiting",
        "topic": {
            "kind": found.topic.kind,
            "code": found.topic.code,
            "name": found.topic.name,
            "page": found.topic.page,
        },
        "confirm_within_hours": notify.subscriptions.CONFIRM_HOURS,
    }
    return Response(orjson.dumps(document), status_code=202, media_type="application/json")
