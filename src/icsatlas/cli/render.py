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
from typing import TYPE_CHECKING, Annotated, Any

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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(result: Result, fmt: Format = Format.table) -> None:
    """Print a result in the chosen format; provenance and notes go with it."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, default=plain) + "\n")
    elif fmt is Format.csv:
        write_csv(result)
    else:
        print_result(result)


def print_result(result: Result) -> None:
    if result.columns:
        console.print(table(result))
    elif result.title:  # an answer made only of sections (e.g. SPC's points and summary)
        console.print(escape(result.title), style="bold", soft_wrap=True)
    for note in result.notes:  # soft-wrapped: the terminal folds long lines, files keep them
        console.print(f"[yellow]![/yellow] {escape(note)}", soft_wrap=True)
    source = result.provenance.describe()
    if source:
        console.print(f"[dim]source: {escape(source)}[/dim]", soft_wrap=True)
    for section in result.sections:
        console.print()
        print_result(section)


def table(result: Result) -> RichTable:
    from rich.table import Table as RichTable

    grid = RichTable(title=result.title or None, title_justify="left", header_style="bold")
    for column in result.columns:
        grid.add_column(str(column), overflow="fold")
    for row in result.table.rows:
        grid.add_row(*(escape(display(v)) for v in row))
    return grid


def write_csv(result: Result) -> None:
    """The table as CSV; text cells that start like a formula get a leading apostrophe
    (OWASP CSV injection advice), numbers are left as they are."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.table.rows:
        writer.writerow([_csv_cell(v) for v in row])


def _csv_cell(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


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
