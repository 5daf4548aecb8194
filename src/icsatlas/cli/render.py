"""Output of query commands as a rich table, JSON or CSV (``--format``)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from icsatlas.results import Result


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format: table, json or csv.")
]

console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True)


def render(result: Result, fmt: Format) -> None:
    """Print a result in the chosen format; provenance and notes go with it."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(result.to_dict(), default=_json_default, indent=2) + "\n")
    elif fmt is Format.csv:
        result.frame.to_csv(sys.stdout, index=False)
    else:
        console.print(table(result))
        for note in result.notes:
            console.print(f"[yellow]![/yellow] {note}")
        provenance = result.provenance.to_dict()
        if provenance:
            console.print(f"[dim]source: {_describe(provenance)}[/dim]")


def table(result: Result) -> Table:
    grid = Table(title=result.title or None, title_justify="left", header_style="bold")
    for column in result.frame.columns:
        grid.add_column(str(column), overflow="fold")
    for row in result.frame.itertuples(index=False):
        grid.add_row(*(_cell(v) for v in row))
    return grid


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        if pd.isna(value):
            return ""
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _describe(provenance: dict[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in provenance.items() if k not in ("data", "notes")]
    parts += [f"{k}: {v}" for k, v in provenance.get("data", {}).items()]
    return "; ".join(parts)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
