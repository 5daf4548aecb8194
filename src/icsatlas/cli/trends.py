"""`icsatlas trends ...`: trends from real data, a thin shell over ``Workspace.trends``.

Each command prints a table with its sources (the dataset releases used) and notes (stale
data flagged); ``--chart FILE`` (.png or .svg) also draws it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icsatlas.cli.options import workspace
from icsatlas.cli.render import Format, FormatOption, console, render

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from icsatlas.results import Result

app = typer.Typer(
    no_args_is_help=True,
    help="Trends from real data: outsourcing 2013-2020, money per head over time, Better Care "
    "Fund intermediate care, population over time.",
)

ChartOption = Annotated[
    Path | None, typer.Option("--chart", help="Also draw the chart to FILE (.png or .svg).")
]


def _shown(result: Result, fmt: Format, chart: Path | None, draw) -> None:
    render(result, fmt)
    if chart is not None:
        from icsatlas.finance.charts import save

        figure: Figure = draw(result)
        written = save(figure, chart)
        if fmt is Format.table:
            console.print(f"chart written to {written}")


@app.command()
def outsourcing(
    by: Annotated[
        str, typer.Option("--by", help="england, region, icb23 (42 ICBs), icb26 (36 ICBs) or ccg.")
    ] = "england",
    period: Annotated[
        str, typer.Option("--period", help="year, or month (England only).")
    ] = "year",
    area: Annotated[
        str | None, typer.Option("--area", help="One area at that level: a code or a name.")
    ] = None,
    with_contracts: Annotated[
        bool,
        typer.Option(
            "--with-contracts",
            help="England 2013-2020 beside the contracts register's years (one picture to today).",
        ),
    ] = False,
    chart: ChartOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """CCG spend going to for-profit providers 2013-2020 (Goodair & Reeves, Lancet Public
    Health 2022), by CCG, ICB, region or England, by year or month."""
    from icsatlas.trends import charts

    trends = workspace().trends
    if with_contracts:
        result = trends.outsourcing_since_2013()
        _shown(
            result,
            fmt,
            chart,
            lambda r: charts.line(r, "period", "share", "source", "Share of spend", percent=True),
        )
        return
    result = trends.outsourcing(by, period, area)
    x = "month" if period == "month" else "year"
    series = {
        "england": None,
        "region": "region_name",
        "icb23": "icb23_name",
        "icb26": "icb26_name",
        "ccg": "ccg_label",
    }[by]
    _shown(
        result,
        fmt,
        chart,
        lambda r: charts.line(
            r, x, "for_profit_share", series, "Spend to for-profit providers", percent=True
        ),
    )
