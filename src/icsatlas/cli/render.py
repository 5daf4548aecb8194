"""The one renderer: a Result as a terminal table, JSON or CSV (``--format``).

Every command prints through :func:`render`, so every output carries its notes and its
provenance, JSON always has the shape ``{"title", "data", "provenance", "notes"}`` and CSV
cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from icsatlas.results import Result, display, plain

if TYPE_CHECKING:
    from rich.table import Table as RichTable


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format: table, json or csv.")
]


def render(result: Result, fmt: Format = Format.table) -> None:
    """Print a result in the chosen format; provenance and notes go with it."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, default=plain) + "\n")
    elif fmt is Format.csv:
        write_csv(result)
    else:
        print_result(result)


def print_result(result: Result, shown: tuple[set[str], set[str]] | None = None) -> None:
    """The table, then its sections, then the notes and the source line once (a section's
    notes and source are printed only where they differ from what was already shown)."""
    notes_shown, sources_shown = shown or (set(), set())
    if result.columns and len(result.table.rows):
        console.print(table(result))
    elif result.title:  # no rows, or an answer made only of sections (e.g. SPC's points)
        console.print(escape(result.title), style="bold", soft_wrap=True)
    for section in result.sections:
        print_result(section, (notes_shown | set(result.notes), sources_shown | {_source(result)}))
    for note in result.notes:  # soft-wrapped: the terminal folds long lines, files keep them
        if note not in notes_shown:
            console.print(f"[yellow]![/yellow] {escape(note)}", soft_wrap=True)
    source = _source(result)
    if source and source not in sources_shown:
        console.print(f"[dim]source: {escape(source)}[/dim]", soft_wrap=True)
    if shown is not None:
        console.print()


def _source(result: Result) -> str:
    """The provenance in one line: settings, then the data it used by key (the citations:
    ``icsatlas sources``, or ``--format json``)."""
    provenance = result.provenance.to_dict()
    parts = [f"{k}={v}" for k, v in provenance.items() if k not in ("data", "notes")]
    data = provenance.get("data", {})
    cited = [k for k in data if k in sources()]
    parts += [f"{k}: {v}" for k, v in data.items() if k not in cited]
    if cited:
        parts.append(f"data: {', '.join(cited)} (icsatlas sources)")
    return "; ".join(parts)


def sources() -> dict[str, object]:
    """The shipped data sources, cited in full by ``icsatlas sources`` and in JSON."""
    from icsatlas import data

    return dict(data.sources())


def table(result: Result) -> RichTable:
    from rich.table import Table as RichTable

    grid = RichTable(title=result.title or None, title_justify="left", header_style="bold")
    for column in result.columns:
        grid.add_column(str(column), overflow="fold")
    for row in result.table.rows:
        grid.add_row(*(escape(display(v)) for v in row))
    return grid


def write_csv(result: Result) -> None:
    """The table as CSV, its cells made safe as every download's are
    (:mod:`icsatlas.exports.cells`: text that starts like a formula gets a leading
    apostrophe, numbers are left as they are)."""
    from icsatlas.exports.cells import safe

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([safe(c) for c in result.columns])
    for row in result.table.rows:
        writer.writerow(["" if v is None else v for v in map(safe, row)])


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


console = Console()
errors = Console(stderr=True)


def fit_width() -> None:
    """Tables as wide as the terminal, or ``$COLUMNS``, or 160 characters when the output
    goes to a file or a pipe (read when a command starts, not when the CLI is imported)."""
    if sys.stdout.isatty():
        return
    try:
        console.width = int(os.environ.get("COLUMNS", "160"))
    except ValueError:
        console.width = 160


_json_default = plain  # the JSON fallback for commands that print documents of their own
