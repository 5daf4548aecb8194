"""What every portal page shares: its date and reform, links that keep them, the Jinja
environment, and Results turned into the design system's tables.

A page's address says everything it shows (``/icb/QWO?on=2027-04-01&reform=blueprint-2025``),
so it can be shared and cached: :class:`PageQuery` reads ``on`` and ``reform`` once, and
:meth:`PageQuery.link` builds links that carry them on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from icsatlas.results import Result, display, plain
from icsatlas.web import design, state
from icsatlas.workspace import Workspace, as_date

NAVIGATION = (
    ("/", "Home"),
    ("/who", "Who do I go to?"),
    ("/reforms", "Reforms"),
    ("/functions", "Functions"),
    ("/sources", "Data sources"),
)
# The area kinds a resolver answer can be, and the path of each kind's page.
PATHS = {
    "region": "region",
    "icb": "icb",
    "sub-icb": "sub-icb",
    "place": "sub-icb",
    "council": "council",
    "practice": "practice",
    "pcn": "pcn",
    "postcode": "postcode",
    "country": "england",
}
_ACRONYMS = {"ods": "ODS", "ons": "ONS", "icb": "ICB", "pcn": "PCN", "gp": "GP", "id": "ID"}


@dataclass(frozen=True)
class PageQuery:
    """The date a page is about (today unless given) and the what-if reform, if any."""

    on: date
    reform: str | None = None
    dated: bool = False  # the address gave a date (links then keep it)

    def link(self, path: str, **params: Any) -> str:
        """``path`` with this page's date and reform (and ``params``) in its query."""
        query = {"on": self.on.isoformat() if self.dated else None, "reform": self.reform}
        query |= params
        kept = {k: v for k, v in query.items() if v not in (None, "", False)}
        return f"{path}?{urlencode(kept)}" if kept else path

    def workspace(self) -> Workspace:
        """The server's workspace, with this page's reform applied as a what-if."""
        return state.workspace(*([self.reform] if self.reform else []))


def page_query(
    on: Annotated[str | None, Query(max_length=40)] = None,
    reform: Annotated[str | None, Query(max_length=60)] = None,
) -> PageQuery:
    """A page's ``on`` and ``reform`` (a shipped reform only), read from its address."""
    chosen = state.shipped_reforms([reform])[0] if reform else None
    return PageQuery(as_date(on, "on"), chosen, dated=bool(on))


def area_path(kind: str, code: str) -> str:
    """The page of an area the resolver named (a former area's page is its kind's page)."""
    kind = kind.removeprefix("former ")
    return f"/{PATHS[kind]}/{code}" if kind != "country" else "/england"


def suggestion_path(kind: str, key: str, name: str) -> str:
    """The page of something a "did you mean" suggestion names: an area's page, a function's
    page, or (a kind with no page of its own) a search for its name."""
    if kind == "function":
        return f"/functions/{key}"
    if kind.removeprefix("former ") in PATHS:
        return area_path(kind, key)
    return f"/search?{urlencode({'q': name})}"


@cache
def environment() -> Environment:
    env = design.environment()
    env.filters["heading"] = heading
    return env


def render(
    request: Request,
    template: str,
    query: PageQuery | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page from ``templates/pages/<template>``, with what every page needs."""
    path = request.url.path
    navigation = [
        {"href": href, "text": text, "current": href == path} for href, text in NAVIGATION
    ]
    html = (
        environment()
        .get_template(f"pages/{template}")
        .render(
            request=request,
            query=query or PageQuery(date.today()),
            navigation=navigation,
            release=state.release(),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status)


def table(result: Result, columns: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A Result as the ``data_table`` macro's arguments: caption, headings and cells (numbers
    right-aligned as readers see them), its notes and its source line."""
    shown = columns or result.columns
    indices = [result.columns.index(c) for c in shown]
    rows = [[_cell(row[i]) for i in indices] for row in result.table.rows]
    return {
        "caption": result.title,
        "head": [heading(c) for c in shown],
        "rows": rows,
        "notes": result.notes,
        "source": result.provenance.describe(),
    }


def heading(column: str) -> str:
    """A column name as a heading: ``ods_code`` -> 'ODS code'."""
    words = [_ACRONYMS.get(w, w) for w in column.replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _cell(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return {"text": display(value), "format": "numeric"}
    return str(value)
