"""`icsatlas trends ...`: trends from real data, a thin shell over ``Workspace.trends``.

Each command prints a table with its sources (the dataset releases used) and notes (stale
data flagged); ``--chart FILE`` (.png or .svg) also draws it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icsatlas.cli.options import ForceOption, workspace
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


def _shown(
    result: Result,
    fmt: Format,
    chart: Path | None,
    force: bool,
    kind: str,
    *args: Any,
    **kw: Any,
) -> None:
    """Print ``result``; with ``--chart``, draw it with :mod:`icsatlas.trends.charts`'
    ``kind`` (line or bars; matplotlib is imported only then), an existing file replaced
    only with ``--force``."""
    if chart is not None:
        from icsatlas.exports.files import check_target

        check_target(chart, force, "--chart")  # before anything is printed
    render(result, fmt)
    if chart is not None:
        from icsatlas.finance.charts import save
        from icsatlas.trends import charts

        figure: Figure = getattr(charts, kind)(result, *args, **kw)
        written = save(figure, chart, force)
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
    force: ForceOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """CCG spend going to for-profit providers 2013-2020 (Goodair & Reeves, Lancet Public
    Health 2022), by CCG, ICB, region or England, by year or month."""
    trends = workspace().trends
    if with_contracts:
        result = trends.outsourcing_since_2013()
        _shown(
            result,
            fmt,
            chart,
            force,
            "line",
            "period",
            "share",
            "source",
            "Share of spend",
            percent=True,
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
    label = "Spend to for-profit providers"
    _shown(result, fmt, chart, force, "line", x, "for_profit_share", series, label, percent=True)


@app.command()
def population(
    area: Annotated[
        str,
        typer.Argument(help="A council, county, region or England (name or ONS code), or an ICB."),
    ],
    geography: Annotated[
        str, typer.Option("--geography", help="For an ICB: icb26 (36 ICBs) or icb23 (42 ICBs).")
    ] = "icb26",
    icb: Annotated[
        bool, typer.Option("--icb", help="Read AREA as an ICB (else a council first).")
    ] = False,
    chart: ChartOption = None,
    force: ForceOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Population mid-1991 to mid-2024 (ONS mid-year estimates) for a council or an ICB
    (councils' estimates x their shipped shares in the ICB)."""
    result = workspace().trends.population(area, geography, icb)
    _shown(result, fmt, chart, force, "line", "year", "population", None, "Residents")


@app.command("allocations")
def allocations(
    area: Annotated[
        str | None, typer.Argument(help="One ICB (ODS code or name); none: England (or all 36).")
    ] = None,
    geography: Annotated[
        str,
        typer.Option(
            "--geography", help="icb23 (the 42 ICBs) or icb26 (the 36, via the crosswalk)."
        ),
    ] = "icb23",
    chart: ChartOption = None,
    force: ForceOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """ICB core allocations per registered patient and per resident, 2023/24 to 2025/26."""
    result = workspace().trends.allocations_per_head(area, geography)
    _shown(
        result,
        fmt,
        chart,
        force,
        "line",
        "financial_year",
        "per_resident_gbp",
        None,
        "£ per resident",
    )


@app.command("bcf")
def bcf_intermediate_care(
    area: Annotated[
        str | None, typer.Argument(help="One health and wellbeing board (code or name).")
    ] = None,
    chart: ChartOption = None,
    force: ForceOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Better Care Fund intermediate care 2022-23 by health and wellbeing board (bed-based and
    reablement), per head and per resident aged 65+ (--chart: the top 20 per resident 65+)."""
    result = workspace().trends.bcf_intermediate_care(area)
    _shown(
        result,
        fmt,
        chart,
        force,
        "bars",
        "hwb_name",
        "total_per_65_plus_gbp",
        "£ per resident aged 65+",
    )


@app.command("bcf-per-head")
def bcf_per_head(
    year: Annotated[str | None, typer.Option("--year", "-y", help="One financial year.")] = None,
    chart: ChartOption = None,
    force: ForceOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Councils' Better Care Fund contributions per resident by year, from your imports
    (`icsatlas finance bcf import`), over ONS mid-year estimates of each year."""
    result = workspace().trends.bcf_per_head(year)
    _shown(
        result,
        fmt,
        chart,
        force,
        "line",
        "financial_year",
        "pooled_per_head",
        "area_name",
        "£ per resident",
    )
