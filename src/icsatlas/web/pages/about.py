"""Pages about icsatlas itself: where every shipped dataset comes from (``ws.sources()``),
the licences (the code's, the data's with their attributions, the design system's notice),
and the open API's documentation, written from the application's own OpenAPI document
(no script from another site), with the API's change log.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from icsatlas.web import maps
from icsatlas.web.pages.view import PageQuery, page_query, render, table

router = APIRouter()
Page = Annotated[PageQuery, Depends(page_query)]
EXAMPLES = ("/sources", "/licence", "/api/v1/docs")
WEB = Path(__file__).parent.parent
# A value for each API parameter in the documentation's example addresses (where the
# parameter's schema gives none), so that every example can be followed as it is.
EXAMPLE_VALUES = {
    "q": "Leeds",
    "area": "Leeds",
    "function": "continuing-healthcare",
    "name": "blueprint-2025",
    "from": "2026-03-31",
    "to": "2026-04-01",
}
EXAMPLE_OVERRIDES = {
    ("/api/v1/population/profile", "area"): "M2L0M",  # an area with a generated population
    ("/api/v1/finance/places", "area"): "NHS West Yorkshire ICB",
}


@router.get("/sources")
async def sources(request: Request, query: Page) -> Response:
    shown = table(query.workspace().sources(), api=("/api/v1/sources", {}))
    return render(request, "sources.html", query, sources=shown)


@router.get("/licence")
async def licence(request: Request, query: Page) -> Response:
    found = query.workspace().sources()
    by_licence: dict[str, list[str]] = defaultdict(list)
    for row in found.table.records():
        by_licence[row["licence"]].append(row["title"])
    return render(
        request,
        "licence.html",
        query,
        code=_paragraphs(_licence_text()),
        licences=sorted(by_licence.items()),
        maps=[maps.boundary_set(key) for key in maps.SETS],
        notice=_markdown((WEB / "NOTICE.md").read_text(), "Files of other projects"),
    )


@router.get("/api/v1/docs")
async def docs(request: Request, query: Page) -> Response:
    """Every endpoint of the open API, from the application's OpenAPI document."""
    spec = request.app.openapi()
    endpoints = [
        _endpoint(path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]
    return render(
        request,
        "api_docs.html",
        query,
        info=spec["info"],
        endpoints=endpoints,
        changelog=_markdown((WEB / "API-CHANGELOG.md").read_text(), "API versions", shift=1),
    )


def _licence_text() -> str:
    """The MIT licence installed with icsatlas (``licenses/`` in newer packaging metadata)."""
    found = metadata.distribution("icsatlas")
    return found.read_text("licenses/LICENSE") or found.read_text("LICENSE") or ""


def _endpoint(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    parameters = [_parameter(p) for p in operation.get("parameters", [])]
    ok = operation.get("responses", {}).get("200", {})
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    return {
        "method": method.upper(),
        "path": path,
        "anchor": path.strip("/").replace("/", "-").replace("{", "").replace("}", ""),
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": parameters,
        "example": _example(path, operation.get("parameters", [])) if method == "get" else None,
        "paged": any(p["name"] == "cursor" for p in parameters),
        "shape": _shape(schema),
    }


def _parameter(spec: dict[str, Any]) -> dict[str, Any]:
    schema = spec.get("schema", {})
    kinds = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    kind = " or ".join(_type(s) for s in kinds) or "any"
    limits = [
        f"{word} {s[key]}"
        for s in kinds
        for key, word in (("minLength", "at least"), ("maxLength", "at most"))
        if key in s
    ]
    limits += [f"one of {', '.join(map(str, s['enum']))}" for s in kinds if "enum" in s]
    limits += [
        f"{word} {s[key]}"
        for s in kinds
        for key, word in (("minimum", "from"), ("maximum", "to"), ("maxItems", "up to"))
        if key in s
    ]
    return {
        "name": spec["name"],
        "where": spec["in"],
        "required": spec.get("required", False),
        "type": kind,
        "default": schema.get("default"),
        "description": spec.get("description") or schema.get("description") or "",
        "limits": "; ".join(limits),
    }


def _type(schema: dict[str, Any]) -> str:
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))} (repeat the parameter)"
    return str(schema.get("type", "text" if "enum" in schema else "any"))


def _example(path: str, parameters: list[dict[str, Any]]) -> str:
    """``path`` with a value for every required parameter."""
    values = {}
    for p in parameters:
        if not p.get("required"):
            continue
        schema = p.get("schema", {})
        given = schema.get("examples", [None])[0] or schema.get("example")
        value = given or EXAMPLE_OVERRIDES.get((path, p["name"])) or EXAMPLE_VALUES[p["name"]]
        values[(p["in"], p["name"])] = value
    for (where, name), value in values.items():
        if where == "path":
            path = path.replace(f"{{{name}}}", value)
    query = {name: value for (where, name), value in values.items() if where == "query"}
    return f"{path}?{urlencode(query)}" if query else path


def _shape(schema: dict[str, Any]) -> list[str]:
    """The fields of a documented JSON object ([] where the route documents none)."""
    properties = schema.get("properties", {})
    if properties:
        return [f"{name}: {_type(p)}" for name, p in properties.items()]
    if schema.get("type") == "object" and "additionalProperties" in schema:
        return [f"an object of {_type(schema['additionalProperties'])} values"]
    return []


def _paragraphs(text: str) -> Markup:
    """Plain text as paragraphs (a licence reads on a phone without sideways scrolling)."""
    parts = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in parts))  # noqa: S704 - escaped parts / markdown-it with html off, shipped text


def _markdown(text: str, caption: str, shift: int = 1) -> Markup:
    """A Markdown file in the page: headings moved down ``shift`` levels, tables in the
    design system's markup with ``caption``, code blocks as paragraphs."""
    md = _parser()
    tokens = md.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
        if token.type == "table_open":
            token.meta["caption"] = caption
    return Markup(md.renderer.render(tokens, md.options, {}))  # noqa: S704 - escaped parts / markdown-it with html off, shipped text


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", lambda *_: "</table></div>\n")
    md.add_render_rule("fence", _fence)
    return md


def _table_open(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    caption = escape(tokens[idx].meta.get("caption", ""))
    return (
        '<div class="app-table-scroll"><table class="nhsuk-table">'
        f'<caption class="nhsuk-table__caption">{caption}</caption>\n'
    )


def _fence(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    return str(_paragraphs(tokens[idx].content))
