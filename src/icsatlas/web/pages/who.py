""" "Who do I go to for X here?": a function and an area on a date (and under a reform) ->
the body that holds it, how accountable that kind of body is, how to reach it, and who held
it before.

The form is a GET, so an answer has an address that can be shared
(``/who?function=continuing-healthcare&area=Leeds&on=2026-06-01``); the home page's search
sends questions such as "who do I go to for continuing healthcare in Leeds" here. Every
figure is a Workspace answer: ``ws.register.who`` (now and over time) and
``ws.register.accountability``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from icsatlas.errors import NotFoundError
from icsatlas.register import accountability, reforms
from icsatlas.results import Result
from icsatlas.web.pages.view import PageQuery, area_path, page_query, render, table

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
Asked = Annotated[str, Query(max_length=200)]
# Representative addresses of the family's pages (the browser tests visit each).
EXAMPLES = (
    "/who",
    "/who?function=continuing-healthcare&area=Leeds&on=2026-06-01",
    "/who?function=strategic-workforce-planning&area=LS1&on=2027-06-01&reform=blueprint-2025",
)
# Holders whose own area has a page here: the kind of that page.
PAGES = {"icb": "icb", "nhs-region": "region", "local-authority": "council"}
# The criteria a reader asks about first, in this order; the rest follow.
FIRST = ("meets_in_public", "publishes_papers", "subject_to_foi", "elected_members")


@router.get("/who")
async def who(request: Request, query: Page, function: Asked = "", area: Asked = "") -> Response:
    """The question's form, and its answer once both a function and an area are given."""
    ws = query.workspace()
    asked, where = function.strip(), area.strip()
    catalogue = sorted(f.label for f in ws.data.functions.values())
    form: dict[str, Any] = {
        "function": asked,
        "area": where,
        "catalogue": catalogue,
        "reforms": list(reforms.shipped()),
    }
    if not (asked and where):
        missing = [n for n in ("function", "area") if not form[n] and request.url.query]
        return render(request, "who.html", query, form=form, missing=missing)
    try:
        chosen = ws.data.function(asked)
        ws.resolve(where, query.on)
    except NotFoundError as error:
        return _not_found(request, query, form, error)
    form["function"] = chosen.label
    context = _answer(query, chosen.function_id, where)
    return render(request, "who.html", query, form=form, missing=[], **context)


def _answer(query: PageQuery, function: str, area: str) -> dict[str, Any]:
    ws = query.workspace()
    now = ws.register.who(function, area, query.on)
    history = ws.register.who(function, area, query.on, history=True)
    holders = now.table.records()
    profiles = ws.register.accountability()
    kinds = {row["holder_type"]: row["label"] for row in profiles.table.records()}
    return {
        "answer": now,
        "holders": [_holder(query, h) for h in _unique(holders, "holder")],
        "kinds": kinds,
        "profiles": _profiles(profiles, {h["holder_type"] for h in holders}),
        "before": [h for h in history.table.records() if h["until"] and h["until"] <= query.on],
        "now_table": table(now, api=query.api("/api/v1/who", function=function, area=area)),
        "history_table": table(
            history, api=query.api("/api/v1/who", function=function, area=area, history="true")
        ),
        "without": _without_reform(query, function, area),
    }


def _holder(query: PageQuery, row: dict[str, Any]) -> dict[str, Any]:
    """A holder and how to reach it: its page here, when it is an area's own body."""
    ws = query.workspace()
    found = [o for o in ws.data.find_organisations(row["holder"]) if o.name == row["holder"]]
    body = found[0] if found else None
    code = None
    if body is not None and body.org_type in PAGES:
        code = body.ons_code if body.org_type == "local-authority" else body.ods_code
    page = query.link(area_path(PAGES[row["holder_type"]], code)) if code else None
    return {**row, "ods_code": body.ods_code if body else None, "page": page}


def _profiles(profiles: Result, holder_types: set[str]) -> list[dict[str, Any]]:
    """The accountability answers of each kind of holder, the first four criteria first."""
    labels = accountability.criteria()
    order = [*FIRST, *(c for c in accountability.CRITERIA if c not in FIRST)]
    shown = []
    for row in profiles.table.records():
        if row["holder_type"] not in holder_types:
            continue
        answers = [(labels[c].label, _said(row[c])) for c in order]
        shown.append({**row, "answers": answers, "uncertain": row["uncertain"]})
    return shown


def _said(value: str) -> str:
    return {"yes": "Yes", "no": "No", "partial": "Partly"}.get(value, value)


def _without_reform(query: PageQuery, function: str, area: str) -> Result | None:
    """Who holds it on the same date without the what-if reform (none asked: None)."""
    if not query.reform:
        return None
    plain_query = PageQuery(query.on, None, query.dated)
    return plain_query.workspace().register.who(function, area, query.on)


def _not_found(
    request: Request, query: PageQuery, form: dict[str, Any], error: NotFoundError
) -> Response:
    """The error page, each suggestion a link that asks the same question with it."""
    suggestions = []
    for s in error.suggestions:
        asked = {"function": s.key, "area": form["area"]}
        if s.kind != "function":
            asked = {"function": form["function"], "area": s.name}
        suggestions.append({"name": s.name, "kind": s.kind, "href": query.link("/who", **asked)})
    return render(
        request,
        "error.html",
        query,
        status=404,
        title="No single match",
        detail=str(error),
        suggestions=suggestions,
    )


def _unique(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return list({row[key]: row for row in rows}.values())
