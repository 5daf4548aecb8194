"""Reform pages: every shipped reform, one reform (its source, what it does, every function
it moves and what that does to accountability), and two reforms side by side.

A reform is either part of the register's history (applied when the register was built,
recorded in its audit log: the 2022 establishment, the 2026 mergers), or a what-if the
register does not yet hold (the 2025 Blueprint). A what-if's moves and accountability
impact are ``ws.register.impact``; a history reform's moves are the ones its file states,
shown with what ``ws.register.diff`` says changed on its dates. Every count of functions
lists the functions it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from icsatlas.errors import IcsatlasError
from icsatlas.register import reforms
from icsatlas.register.impact import PHRASES, SEPARATOR, Impact
from icsatlas.results import Result
from icsatlas.store.audit import changes
from icsatlas.web import state
from icsatlas.web.pages.view import PageQuery, page_query, render, table

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
Name = Annotated[str, Path(min_length=1, max_length=60)]
Chosen = Annotated[str, Query(max_length=60)]
EXAMPLES = (
    "/reforms",
    "/reforms/blueprint-2025",
    "/reforms/mergers-2026-04",
    "/reforms/compare?a=blueprint-2025&b=delegations-2023-2025",
)
# The operations that move a function from one kind of body to another.
MOVES = ("transfer", "delegate")
_impacts: dict[tuple[str, str], tuple[Impact, Result]] = {}


@dataclass
class Summary:
    """What a page says about one reform: its file, whether the register holds it, its
    function moves (one dict per move) and, for a what-if, its accountability impact."""

    reform: reforms.Reform
    change: int | None  # the audit log's change that applied it, if the register holds it
    moves: list[dict[str, Any]]
    results: list[Result]  # the Workspace answers the moves come from
    impact: Impact | None = None
    dates: list[date] = field(default_factory=list)
    problem: str | None = None  # why its impact could not be computed, if it could not

    @property
    def name(self) -> str:
        return self.reform.name


@router.get("/reforms")
async def listing(request: Request, query: Page) -> Response:
    summaries = [_summary(name) for name in reforms.shipped()]
    return render(request, "reforms.html", query, summaries=summaries)


@router.get("/reforms/compare")
async def compare(request: Request, query: Page, a: Chosen = "", b: Chosen = "") -> Response:
    """Two reforms side by side (a form to choose them until both are given)."""
    names = list(reforms.shipped())
    if not (a and b):
        return render(request, "reform_compare.html", query, names=names, a=a, b=b, pair=None)
    pair = [_summary(n) for n in state.shipped_reforms([a, b])]
    functions = sorted({m["function"] for s in pair for m in s.moves})
    moves = [[f, *(_move_text(s, f) for s in pair)] for f in functions]
    return render(
        request,
        "reform_compare.html",
        query,
        names=names,
        a=a,
        b=b,
        pair=pair,
        moves=moves,
        counts=_counts(pair),
    )


@router.get("/reforms/{name}")
async def reform(request: Request, query: Page, name: Name) -> Response:
    (chosen,) = state.shipped_reforms([name])
    summary = _summary(chosen)
    functions = {f.function_id: f.label for f in state.workspace().data.functions.values()}
    operations = [_operation(op, functions) for op in summary.reform.operations]
    return render(
        request,
        "reform.html",
        query,
        summary=summary,
        operations=operations,
        figures=[table(r) for r in summary.results],
    )


def _summary(name: str) -> Summary:
    """One reform as its page shows it."""
    ws = state.workspace()
    reform = reforms.load(name, set(ws.data.functions))
    dates = sorted({op.effective for op in reform.operations if op.effective})
    applied = _applied(ws.store)
    if name in applied:
        found = [ws.register.diff(day - timedelta(days=1), day) for day in dates]
        functions = {f.function_id: f.label for f in ws.data.functions.values()}
        moves = [_stated_move(op, functions) for op in reform.operations if op.kind in MOVES]
        return Summary(reform, applied[name], moves, found, None, dates)
    try:
        impact, result = _impact(name)
    except IcsatlasError as error:
        return Summary(reform, None, [], [], None, dates, problem=str(error))
    return Summary(reform, None, _impact_moves(impact), [result], impact, dates)


def _applied(store: Any) -> dict[str, int]:
    """The reforms the register holds, each with the audit log's change that applied it."""
    return {
        c.detail["reform"]: c.change_id
        for c in changes(store)
        if c.kind == "reform" and c.detail and "reform" in c.detail
    }


def _impact(name: str) -> tuple[Impact, Result]:
    """``ws.register.impact(name)``, kept for the release (a reform takes a second or two)."""
    key = (state.release(), name)
    if key not in _impacts:
        _impacts[key] = state.workspace().register.impact(name)
    return _impacts[key]


def _impact_moves(impact: Impact) -> list[dict[str, Any]]:
    """One move per function and pair of kinds of body, with the date it takes effect."""
    dates: dict[tuple[str, str], date] = {}
    for m in impact.moves:
        key = (m.function.function_id, m.before.org_type)
        dates[key] = min(dates.get(key, m.effective), m.effective)
    return [
        {
            "function": g.function.label,
            "change": f"{g.from_type} -> {g.to_type} in {_count(g.areas, 'area')}",
            "date": dates[(g.function.function_id, g.from_type)],
            "accountability": _scores(g.score_before, g.score_after),
            "certainty": g.certainty,
        }
        for g in impact.groups
    ]


def _stated_move(op: reforms.Operation, functions: dict[str, str]) -> dict[str, Any]:
    """A move as the reform's file states it (function, from and to kinds of body)."""
    return {
        "function": functions.get(op.spec["function"], op.spec["function"]),
        "change": f"{op.spec['from']} -> {op.spec['to']}",
        "date": op.effective,
        "accountability": None,
        "certainty": op.overall_certainty,
    }


def _operation(op: reforms.Operation, functions: dict[str, str]) -> list[Any]:
    """One operation as a row: what it does, to what, from and to whom, when, how surely."""
    spec = op.spec
    into: dict[str, Any] = spec["into"] if isinstance(spec.get("into"), dict) else {}
    subject = (
        functions.get(spec.get("function", ""))
        or into.get("name")
        or spec.get("name")
        or spec.get("icb")
        or spec.get("measure")
    )
    origin = spec.get("from")
    origin = ", ".join(origin) if isinstance(origin, list) else origin
    target = spec.get("to") or into.get("name")
    if op.kind == "cost-target":
        target = f"{spec.get('value')} {spec.get('unit', '')}".strip()
    when = spec.get("effective") or spec.get("by")
    return [op.kind, subject, origin, target, when, op.overall_certainty, spec.get("source")]


def _move_text(summary: Summary, function: str) -> str:
    found = [m for m in summary.moves if m["function"] == function]
    return "; ".join(f"{m['change']} ({m['date']})" for m in found) or "no move"


def _counts(pair: list[Summary]) -> list[list[Any]]:
    """The headline counts of two reforms, row by row."""
    rows: list[list[Any]] = [
        ["Operations", *(len(s.reform.operations) for s in pair)],
        ["Uncertain operations", *(len(s.reform.uncertain) for s in pair)],
        ["Function moves", *(len(s.moves) for s in pair)],
    ]
    shifted = {shift.criterion for s in pair for shift in (s.impact.shifts if s.impact else ())}
    for criterion in (c for c in PHRASES if c in shifted):
        strong, weak = PHRASES[criterion]
        label = f"Functions moving from {strong} to {weak}"
        rows.append([label, *(_shifted(s, criterion) for s in pair)])
    return rows


def _shifted(summary: Summary, criterion: str) -> str:
    """How many functions (and which) a reform moves to bodies weaker on ``criterion``."""
    if summary.impact is None:
        return "not computed (in the register's history)"
    for shift in summary.impact.shifts:
        if shift.criterion == criterion:
            return f"{len(shift.functions)}: {SEPARATOR.join(shift.functions)}"
    return "0"


def _scores(before: float | None, after: float | None) -> str | None:
    if before is None and after is None:
        return None
    return f"{'?' if before is None else f'{before:g}'} -> {'?' if after is None else f'{after:g}'}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
