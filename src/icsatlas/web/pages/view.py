"""What every portal page shares: its date and reform, links that keep them, the Jinja
environment, and Results turned into the design system's tables.

A page's address says everything it shows (``/icb/QWO?on=2027-04-01&reform=blueprint-2025``),
so it can be shared and cached: :class:`PageQuery` reads ``on`` and ``reform`` once, and
:meth:`PageQuery.link` builds links that carry them on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup, escape

from icsatlas.provenance import Provenance
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
# How a page names a kind of area ("ICB · QWO", "GP practice · B86001").
KIND_LABELS = {
    "region": "NHS region",
    "icb": "ICB",
    "sub-icb": "Sub-ICB location",
    "place": "Place (sub-ICB location)",
    "council": "Council",
    "practice": "GP practice",
    "pcn": "Primary care network",
    "postcode": "Postcode",
    "country": "Country",
}
_ACRONYMS = {"ods": "ODS", "ons": "ONS", "icb": "ICB", "pcn": "PCN", "gp": "GP", "id": "ID"}
# The download links under a table: the API resource in each format, as a reader names it.
DOWNLOADS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON"), ("parquet", "Parquet"))
Api = tuple[str, dict[str, Any]]  # an API resource: its path and query, e.g. ("/api/v1/who", {...})


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

    def api(self, path: str, **params: Any) -> Api:
        """The API resource ``path`` with ``params``, on this page's date and reform (for a
        table's download links: ``table(result, api=query.api("/api/v1/gaps", area="QWO"))``)."""
        return path, {**params, "on": self.on.isoformat(), "reform": self.reform}

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
    from icsatlas.web.auth import board_editor

    env = design.environment()
    env.filters["heading"] = heading
    env.filters["kind_label"] = kind_label
    env.globals["board_editor"] = board_editor
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


def table(
    result: Result, columns: tuple[str, ...] | None = None, api: Api | None = None
) -> dict[str, Any]:
    """A Result as the ``data_table`` macro's arguments: caption, headings and cells (numbers
    right-aligned as readers see them), its notes and its source line; with ``api`` (the
    resource that answers the same question, usually ``query.api(...)``), links to download
    the whole answer in each format."""
    shown = columns or result.columns
    indices = [result.columns.index(c) for c in shown]
    rows = [[_cell(row[i], result.columns[i]) for i in indices] for row in result.table.rows]
    return {
        "caption": result.title,
        "head": [heading(c) for c in shown],
        "rows": rows,
        "notes": result.notes,
        "source": public_source(result.provenance),
        "downloads": downloads(*api) if api else [],
    }


def public_source(provenance: Provenance) -> str:
    """Where a table's figures come from, the register named by its release (a page never
    shows the server's files)."""
    data = dict(provenance.data)
    if "register" in data:
        data["register"] = f"icsatlas register, release {state.release()}"
    return replace(provenance, data=data).describe()


def downloads(path: str, params: dict[str, Any]) -> list[dict[str, str]]:
    """Links to ``path`` (an API resource) as CSV, XLSX, JSON and Parquet files."""
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return [
        {"href": f"{path}?{urlencode({**kept, 'format': fmt})}", "text": text}
        for fmt, text in DOWNLOADS
    ]


def kind_label(kind: str) -> str:
    """A kind of area as a page names it: ``icb`` -> 'ICB', ``former icb`` -> 'Former ICB'."""
    former = kind.startswith("former ")
    label = KIND_LABELS.get(kind.removeprefix("former "), kind)
    return f"Former {label}" if former else label


def _is_share(column: str) -> bool:
    """A column of fractions of a whole (``share``, ``core20_share``), shown as percentages."""
    return column == "share" or column.endswith("_share")


def percent(fraction: float) -> str:
    """0.583 -> '58.3%', 1 -> '100%'."""
    return f"{fraction * 100:.1f}".removesuffix(".0") + "%"


def heading(column: str) -> str:
    """A column name as a heading: ``ods_code`` -> 'ODS code'."""
    words = [_ACRONYMS.get(w, w) for w in column.replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _cell(value: Any, column: str = "") -> Any:
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)) and _is_share(column):
        return {"text": percent(value), "format": "numeric"}
    if isinstance(value, (int, float)):
        return {"text": display(value), "format": "numeric"}
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return _web_link(value)
    return str(value)


_UNCLEAR_URL = re.compile(r"[\\\s\x00-\x1f\x7f]")


def _web_link(url: str) -> dict[str, Markup] | str:
    """A web address in a cell (a member's source, a contract notice) as a link named by its
    site, so a long address does not widen the table; the whole address is the link's. An
    address a browser might read differently from Python (a backslash, a user name before
    the site, spaces) or that is malformed is shown as text: the link's name must be the
    site it opens, and a typo in a source must not break the page."""
    if _UNCLEAR_URL.search(url):
        return url
    try:
        parts = urlsplit(url)
        site = parts.hostname
    except ValueError:
        return url
    if not site or "@" in parts.netloc:
        return url
    return {"html": Markup(f'<a href="{escape(url)}">{escape(site)}</a>')}  # noqa: S704 - escaped
