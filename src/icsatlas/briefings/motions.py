"""Model motions and letters: a Jinja template (a shipped one, or a user's copy) filled with
an area's figures from its report. Every figure is a :class:`Fact` that footnotes itself
when the template uses it, so a filled motion lists exactly the sources of what it says.
Templates run in Jinja's sandbox; a template naming a field that does not exist is refused
with every unknown field listed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icsatlas.briefings import figures, holders
from icsatlas.briefings.document import Sources
from icsatlas.briefings.sources import footnote
from icsatlas.errors import IcsatlasError, InputError, InputErrors

if TYPE_CHECKING:
    from icsatlas.results import Result
    from icsatlas.workspace.report import Report

TEMPLATES = Path(__file__).parent / "templates"
BLUEPRINT_COLUMN = "holder_with_blueprint"


@dataclass
class Fact:
    """A figure and the footnote of the Result it came from, cited when it is shown."""

    text: str
    source: str
    sources: Sources

    def __str__(self) -> str:
        return f"{self.text}[{self.sources.cite(self.source)}]"


def shipped() -> dict[str, Path]:
    """The shipped templates by name: council, scrutiny, letter."""
    return {p.name.removesuffix(".md.j2"): p for p in sorted(TEMPLATES.glob("*.md.j2"))}


def locate(name: str) -> Path:
    """A shipped template by name, or a user's template file."""
    if name in shipped():
        return shipped()[name]
    path = Path(name)
    if not path.is_file():
        raise IcsatlasError(
            f"no template {name!r}: use one of {', '.join(shipped())}, or a file of your own"
        )
    return path


def facts(report: Report, release: str) -> tuple[dict[str, Any], Sources]:
    """The fields a template can use, each figure a :class:`Fact` of the report."""
    sources = Sources()

    def fact(text: Any, result: Result) -> Fact:
        return Fact(str(text), footnote(result.provenance, release), sources)

    money = report.section("money")
    context: dict[str, Any] = {
        "area": {
            "name": report.name,
            "kind": report.kind,
            "code": report.code,
            "date": figures.day(report.on),
        },
        "icbs": fact("; ".join(money.table.column("icb")) or "not recorded", money),
        "reform": report.reform or "none",
        "release": release,
        "money": _money(money, fact),
        "changes": _changes(report, fact),
        "board": _board(report.section("boards"), fact),
    }
    return context, sources


def _money(result: Result, fact: Any) -> dict[str, Fact]:
    records = result.table.records()
    shown = {
        "allocation": ("allocation_gbp", figures.millions),
        "allocation_per_head": ("allocation_per_head", figures.pounds),
        "target_per_head": ("target_per_head", figures.pounds),
        "distance_from_target": (
            "distance_from_target",
            lambda v: figures.percent(v, signed=True, fraction=True),
        ),
        "running_costs_per_head": ("running_costs_per_head", figures.pounds),
        "envelope_per_head": ("envelope_per_head", figures.pounds),
        "blueprint_cut": ("blueprint_cut_gbp", figures.millions),
        "blueprint_cut_pct": ("blueprint_cut_pct", figures.percent),
    }
    several = len(records) > 1
    return {
        name: fact(
            "; ".join(
                f"{r['ods_code']} {show(r[key])}" if several else show(r[key]) for r in records
            )
            or "not recorded",
            result,
        )
        for name, (key, show) in shown.items()
    }


def _changes(report: Report, fact: Any) -> dict[str, Fact]:
    functions = report.section("functions")
    bodies = {holders.key(r["holder"]): r for r in report.section("accountability").table}
    moved = [
        r for r in functions.table if r.get(BLUEPRINT_COLUMN) and r[BLUEPRINT_COLUMN] != r["holder"]
    ]
    less_public = [
        r
        for r in moved
        if (bodies.get(holders.first(r[BLUEPRINT_COLUMN])) or {}).get("meets_in_public")
        in ("no", "partial")
    ]
    return {
        "moves": fact(len(moved), functions),
        "moved_functions": fact(", ".join(r["function"] for r in moved) or "none", functions),
        "less_public": fact(len(less_public), functions),
        "less_public_functions": fact(
            ", ".join(f"{r['function']} (to {r[BLUEPRINT_COLUMN]})" for r in less_public) or "none",
            functions,
        ),
    }


def _board(result: Result, fact: Any) -> dict[str, Fact]:
    rows = result.table.records()
    members = sum(r["members"] or 0 for r in rows)
    return {
        "members": fact(members or "not recorded", result),
        "councillors": fact(
            sum(r["councillors"] or 0 for r in rows) if members else "not recorded", result
        ),
    }


def fields(context: dict[str, Any]) -> set[str]:
    """Every field a template may name: ``area.name``, ``money.allocation``, ``reform``."""
    names = set()
    for key, value in context.items():
        names.add(key)
        if isinstance(value, dict):
            names |= {f"{key}.{inner}" for inner in value}
    return names


def validate(text: str, path: str, known: set[str]) -> None:
    """Refuse a template that does not parse or names an unknown field (all listed)."""
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.sandbox import SandboxedEnvironment

    try:
        tree = SandboxedEnvironment().parse(text)
    except TemplateSyntaxError as error:
        raise InputError(str(error.message), file=path, row=error.lineno) from error
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    used = []
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name not in assigned:
            used.append((node.lineno, f"{node.node.name}.{node.attr}"))
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in assigned:
            used.append((name.lineno, name.name))
    errors = [
        InputError(f"unknown field {name!r}{_hint(name, known)}", file=path, row=line)
        for line, name in sorted(set(used))
        if name not in known
    ]
    if errors:
        raise InputErrors(errors)


def _hint(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def fill(template: Path, report: Report, release: str) -> str:
    """The template filled with the report's figures, then its numbered sources."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    text = template.read_text(encoding="utf-8")
    context, sources = facts(report, release)
    validate(text, str(template), fields(context))
    environment = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True)
    filled = environment.from_string(text).render(context).rstrip()
    notes = "\n".join(f"[{n}] {entry}" for n, entry in enumerate(sources.entries, 1))
    return f"{filled}\n\nSources\n\n{notes}\n" if notes else f"{filled}\n"
