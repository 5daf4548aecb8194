"""``icsatlas report AREA``: an area's full report (what its portal page shows), one table per
section, each with its notes and sources; a thin shell over ``Workspace.report``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from icsatlas.cli.options import AreaArgument, AsOfOption, OnOption, workspace


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def report(
    text: AreaArgument,
    on: OnOption = None,
    reform: Annotated[
        str | None,
        typer.Option("--reform", "-r", help="Also show who would hold each function under it."),
    ] = None,
    as_of_change: AsOfOption = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Output format: table, or json (sections nested)."),
    ] = ReportFormat.table,
) -> None:
    """Everything about one area on a date: successor notices, who holds each function now,
    with the Blueprint and under a reform, their accountability, boards, money, population
    beside England, contracts in concern, related and similar areas."""
    from icsatlas.cli.render import Format, render

    found = workspace(None, as_of_change).report(text, on, reform)
    render(found.to_result(), Format(fmt.value))


def add_commands(app: typer.Typer) -> None:
    app.command()(report)
