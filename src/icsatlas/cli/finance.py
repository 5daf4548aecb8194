"""`icsatlas finance ...`: allocation, running costs, the reorganisation bill, BCF, the shift.

Thin shells over ``Workspace.finance`` (:mod:`icsatlas.workspace.finance`): parse, ask,
render. Every query command takes ``--format table|json|csv`` (the table is a readable view;
JSON and CSV carry every column) and ``--parameters FILE``; the ones whose answer depends on
the NHS geography take ``--on DATE`` (the areas in force that day, from the register) and
``--reform`` (a what-if on top); most take ``--export FILE`` (.csv, .parquet or .xlsx, with
provenance) and the ones with a picture ``--chart FILE`` (.png or .svg).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icsatlas.cli.options import (
    AsOfOption,
    ForceOption,
    ParametersOption,
    ReformOption,
    workspace,
)
from icsatlas.cli.render import Format, FormatOption, console, errors, escape, render

if TYPE_CHECKING:
    from icsatlas.results import Result
    from icsatlas.workspace import Workspace

app = typer.Typer(
    no_args_is_help=True,
    help="Finance: needs-based allocation, running costs, the Blueprint's bill, BCF, "
    "the community shift.",
)
allocate_app = typer.Typer(
    no_args_is_help=True, help="Needs-based allocation: targets, places, convergence."
)
bcf_app = typer.Typer(
    no_args_is_help=True, help="The Better Care Fund: imports, per head, county councils."
)
app.add_typer(allocate_app, name="allocate")
app.add_typer(bcf_app, name="bcf")

YearOption = Annotated[
    str | None,
    typer.Option(
        "--year",
        "-y",
        help="Allocation year, e.g. 2025/26 (default: the year of --on, or the latest shipped).",
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="Date (YYYY-MM-DD) whose NHS areas are used, from the register (default: the "
        "first day of --year if given, else today); without --year it also picks the year.",
    ),
]
ExportOption = Annotated[
    Path | None,
    typer.Option(
        "--export",
        "-o",
        help="Also write the tables to FILE (.csv, .parquet or .xlsx) with provenance.",
    ),
]
ChartOption = Annotated[
    Path | None, typer.Option("--chart", help="Also draw the chart to FILE (.png or .svg).")
]
AreaArgument = Annotated[
    str,
    typer.Argument(
        help="An ICB, place, council, GP practice or PCN (name or code), a postcode, or a "
        "former ICB (its practices, in the areas now holding them)."
    ),
]
IcbArgument = Annotated[str, typer.Argument(help="An ICB in force: name, ODS or ONS code.")]


def _shown(
    ws: Workspace,
    result: Result,
    fmt: Format,
    view: str,
    force: bool = False,
    **files: Path | None,
) -> None:
    """Write any files asked for (an existing one only with ``--force``), print the result
    (a readable view for the terminal) and one line saying what was written."""
    written = ws.finance.write(result, **files, force=force) if any(files.values()) else ""
    if fmt is Format.table:
        from icsatlas.finance import views

        result = getattr(views, view)(result)
    render(result, fmt)
    if written:
        errors.print(f"[dim]{escape(written)}[/dim]")


# --- allocation -------------------------------------------------------------------------


@allocate_app.command("targets")
def allocate_targets(
    year: YearOption = None,
    on: OnOption = None,
    level: Annotated[str, typer.Option(help="icb or region.")] = "icb",
    control: Annotated[
        str,
        typer.Option(
            help="target (NHS England's implied target total), allocation (sum of actual "
            "allocations) or an amount, e.g. 120bn."
        ),
    ] = "target",
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Fair-share core targets for every ICB in force, from NHS England's weighted populations."""
    ws = workspace(reform, as_of_change, parameters)
    result = ws.finance.targets(year, on, level, control)
    _shown(ws, result, fmt, "targets", export=export, force=force)


@allocate_app.command("check")
def allocate_check(
    year: YearOption = None, fmt: FormatOption = Format.table, parameters: ParametersOption = None
) -> None:
    """Reproduce NHS England's published distances from target (exit code 1 if not)."""
    ws = workspace(None, None, parameters)
    result = ws.finance.check(year)
    _shown(ws, result, fmt, "check")
    if max(abs(d) for d in result.table.column("difference")) > 1e-6:
        raise typer.Exit(1)


@allocate_app.command("places")
def allocate_places(
    area: AreaArgument,
    by: Annotated[
        str, typer.Option(help="lad (council district), sub-icb (place), pcn or practice.")
    ] = "lad",
    places: Annotated[
        Path | None,
        typer.Option("--places", help="CSV mapping practice_code to place (your own places)."),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option(help="Budget to split, e.g. 450m (default: the area's core allocation)."),
    ] = None,
    year: YearOption = None,
    on: OnOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Split an area's budget between its places by need, explaining each share."""
    ws = workspace(reform, as_of_change, parameters)
    result = ws.finance.places(area, by, places, budget, year, on)
    _shown(ws, result, fmt, "places", export=export, force=force)


@allocate_app.command("waterfall")
def allocate_waterfall(
    icb: IcbArgument,
    year: YearOption = None,
    on: OnOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    chart: ChartOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """From an equal share per head to the ICB's target and actual allocation, step by step."""
    ws = workspace(reform, as_of_change, parameters)
    result = ws.finance.waterfall(icb, year, on)
    _shown(ws, result, fmt, "waterfall", export=export, chart=chart, force=force)


@allocate_app.command("converge")
def allocate_converge(
    years_ahead: Annotated[int, typer.Option("--years", help="Years to project.")] = 5,
    gap_closed: Annotated[
        float | None, typer.Option(help="Share of each gap closed a year (default: parameter).")
    ] = None,
    minimum_growth: Annotated[
        float | None, typer.Option(help="Minimum cash growth for every ICB (default: parameter).")
    ] = None,
    growth: Annotated[
        float | None, typer.Option(help="Total growth a year (default: parameter).")
    ] = None,
    year: YearOption = None,
    on: OnOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    chart: ChartOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Convergence of actual allocations towards fair shares under a pace-of-change rule."""
    ws = workspace(reform, as_of_change, parameters)
    result = ws.finance.converge(years_ahead, gap_closed, minimum_growth, growth, year, on)
    _shown(ws, result, fmt, "converge", export=export, chart=chart, force=force)


@allocate_app.command("need")
def allocate_need(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="CSV of need indices: ods_code or ons_code, population, g_a, community, "
            "mental_health, maternity, prescribing[, health_inequalities, unavoidable_cost]."
        ),
    ] = None,
    population: Annotated[
        str | None,
        typer.Option(
            "--from-population",
            help="Use the need indices of a generated or imported population (its name, "
            "e.g. 'default') instead of a CSV.",
        ),
    ] = None,
    year: YearOption = None,
    on: OnOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Targets from your need indices beside NHS England's for the same areas."""
    ws = workspace(reform, as_of_change, parameters)
    result = ws.finance.need(file, population, year, on)
    _shown(ws, result, fmt, "need", export=export, force=force)


@allocate_app.command("weights")
def allocate_weights(
    year: YearOption = None, fmt: FormatOption = Format.table, parameters: ParametersOption = None
) -> None:
    """The formula weights shipped as parameters beside the ones re-fitted from the data."""
    ws = workspace(None, None, parameters)
    _shown(ws, ws.finance.weights(year), fmt, "weights")


# --- running costs and redundancy ---------------------------------------------------------


@app.command("running-costs")
def running_costs_command(
    year: Annotated[
        str, typer.Option("--year", "-y", help="Running cost allowance year.")
    ] = "2025/26",
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Date (YYYY-MM-DD) whose ICBs are used, from the register (default: the "
            "first day of --year; with --history, of the latest year).",
        ),
    ] = None,
    programme_pay_per_head: Annotated[
        float | None, typer.Option(help="Assumed programme pay per head (default: parameter).")
    ] = None,
    history: Annotated[
        bool, typer.Option(help="Show the allowance per head in every shipped year instead.")
    ] = False,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Each ICB's running costs against the £18.76 a head envelope, and the cut it implies."""
    ws = workspace(reform, as_of_change, parameters)
    if history:
        _shown(
            ws,
            ws.finance.running_cost_history(on),
            fmt,
            "running_cost_history",
            export=export,
            force=force,
        )
        return
    result = ws.finance.running_costs(year, on, programme_pay_per_head)
    _shown(ws, result, fmt, "running_costs", export=export, force=force)


@app.command("redundancy")
def redundancy_command(
    salary: Annotated[
        float, typer.Option(help="Whole-time equivalent annual salary at termination (£).")
    ],
    service: Annotated[float, typer.Option(help="Years of continuous NHS service.")],
    reckonable: Annotated[
        float | None, typer.Option(help="Years of reckonable service (default: continuous).")
    ] = None,
    fte: Annotated[float, typer.Option(help="Whole-time equivalent fraction, e.g. 0.6.")] = 1.0,
    weekly_pay: Annotated[
        float | None,
        typer.Option(help="Employment Rights Act week's pay for the hours worked (£)."),
    ] = None,
    age: Annotated[
        float | None,
        typer.Option(help="Age at termination, for retirement on grounds of redundancy."),
    ] = None,
    capitalisation_cost: Annotated[
        float | None,
        typer.Option(help="Cost of buying out the early-retirement reduction (£, from NHSBSA)."),
    ] = None,
    membership: Annotated[
        float, typer.Option(help="Years of NHS Pension Scheme qualifying membership.")
    ] = 0.0,
    reemployed_after: Annotated[
        float | None,
        typer.Option(
            help="Months after leaving a voluntary leaver is re-employed in the NHS (clawback)."
        ),
    ] = None,
    senior: Annotated[
        bool,
        typer.Option(
            "--senior", help="A very senior manager: the 12-month clawback window applies."
        ),
    ] = False,
    fmt: FormatOption = Format.table,
    parameters: ParametersOption = None,
) -> None:
    """One person's Section 16 redundancy payment, with every step explained."""
    ws = workspace(None, None, parameters)
    result = ws.finance.redundancy(
        salary, service, reckonable, fte, weekly_pay, age, capitalisation_cost, membership,
        reemployed_after, senior,
    )  # fmt: skip
    _shown(ws, result, fmt, "redundancy")


# --- the Blueprint's bill -------------------------------------------------------------------


@app.command("blueprint-bill")
def blueprint_bill(
    national: Annotated[
        bool,
        typer.Option(
            "--national",
            help="National roll-up: net savings by year, payback, claims, sensitivity, "
            "inputs (the default view).",
        ),
    ] = False,
    icb: Annotated[
        str | None,
        typer.Option(
            help="One ICB's central case by year and its sensitivity ranking instead; "
            "--export, --chart and --tornado are then the ICB's."
        ),
    ] = None,
    icbs: Annotated[
        bool, typer.Option("--icbs", help="Every ICB's central case and range instead.")
    ] = False,
    scenario_file: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario YAML overriding inputs (see docs/how-to/finance-scenarios.md).",
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (default: scenario's, else 20250401).")
    ] = None,
    draws: Annotated[
        int | None, typer.Option(help="Monte Carlo draws besides run 0 (default 10,000).")
    ] = None,
    years_count: Annotated[
        int | None, typer.Option("--years", help="Years counted from 2025/26 (default 5).")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Date (YYYY-MM-DD) whose ICBs the bill runs over, from the register "
            "(default: the scenario's geography_on, else the first day of its first year).",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            "-o",
            help="Also write the view's tables to FILE: .xlsx (a sheet each), .csv or "
            ".parquet (FILE-<table> each), with provenance.",
        ),
    ] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Payback curve to FILE (.png or .svg).")
    ] = None,
    tornado: Annotated[
        Path | None,
        typer.Option("--tornado", help="Tornado of sensitivities to FILE (.png or .svg)."),
    ] = None,
    force: ForceOption = False,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Does the Blueprint's saving beat its redundancy bill, and when? A seeded Monte Carlo."""
    from icsatlas.errors import InputError

    chosen = [flag for flag, on in (("--national", national), ("--icb", icb), ("--icbs", icbs))
              if on]  # fmt: skip
    if len(chosen) > 1:
        raise InputError(f"choose one view, not {' and '.join(chosen)}", field="view")
    if icbs and (chart or tornado):
        raise InputError(
            "--icbs has no chart: use --chart or --tornado with the national view or --icb",
            field="--chart" if chart else "--tornado",
        )
    ws = workspace(reform, as_of_change, parameters)
    result = ws.finance.blueprint_bill(
        "icbs" if icbs else "national", icb, scenario_file, seed, draws, years_count, on
    )
    _shown(
        ws, result, fmt, "blueprint_bill", export=export, chart=chart, tornado=tornado, force=force
    )


# --- Better Care Fund -----------------------------------------------------------------------


@bcf_app.command("minimums")
def bcf_minimums(
    year: Annotated[str, typer.Option("--year", "-y")] = "2025/26",
    fmt: FormatOption = Format.table,
    parameters: ParametersOption = None,
) -> None:
    """The national mandatory minimum by funding stream, in total and per resident (data)."""
    ws = workspace(None, None, parameters)
    _shown(ws, ws.finance.bcf_minimums(year), fmt, "bcf_minimums")


@bcf_app.command("import")
def bcf_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: area_code, financial_year, funding_stream, amount_gbp[, population]."
        ),
    ],
    description: Annotated[
        str,
        typer.Option(
            "--description", "-d", help="Where the figures come from (shown with every figure)."
        ),
    ],
    kind: Annotated[
        str, typer.Option(help="data (from a published source) or scenario (your own inputs).")
    ] = "data",
) -> None:
    """Load BCF contributions into the workspace store (all rows or none), with an audit entry."""
    import_id = workspace().finance.bcf_import(file, description, kind)
    console.print(f"imported {file} as BCF import {import_id} ({kind})")


@bcf_app.command("show")
def bcf_show(
    year: YearOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    parameters: ParametersOption = None,
) -> None:
    """Pooled contributions per area and year, per head, with the change on the year before."""
    ws = workspace(None, None, parameters)
    _shown(
        ws, ws.finance.bcf_contributions(year), fmt, "bcf_contributions", export=export, force=force
    )


@bcf_app.command("counties")
def bcf_counties(
    year: YearOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    parameters: ParametersOption = None,
) -> None:
    """County councils vs other councils: pooled per head, from imported figures."""
    ws = workspace(None, None, parameters)
    _shown(ws, ws.finance.bcf_counties(year), fmt, "bcf_counties", export=export, force=force)


@bcf_app.command("scenario")
def bcf_scenario(
    from_year: Annotated[
        str | None,
        typer.Option("--from-year", help="The earlier year (required)."),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option("--year", "-y", help="The later year (required)."),
    ] = None,
    from_per_head: Annotated[
        float | None,
        typer.Option(
            help="County councils' pooled £ per resident in the earlier year (required: no "
            "sourced figure is shipped)."
        ),
    ] = None,
    per_head: Annotated[
        float | None,
        typer.Option(help="County councils' pooled £ per resident in the later year (required)."),
    ] = None,
    fmt: FormatOption = Format.table,
    parameters: ParametersOption = None,
) -> None:
    """What county councils' pooled BCF per resident at two dates means in pounds (a scenario)."""
    ws = workspace(None, None, parameters)
    result = ws.finance.bcf_scenario(from_year, year, from_per_head, per_head)
    _shown(ws, result, fmt, "bcf_scenario")


# --- the shift from acute to community --------------------------------------------------------


@app.command("shift")
def shift_command(
    points: Annotated[
        float,
        typer.Option(help="Percentage points of budget moved from acute to community by the end."),
    ] = 2.0,
    years_count: Annotated[
        int, typer.Option("--years", help="Years over which the shift is phased in.")
    ] = 5,
    mode: Annotated[
        str,
        typer.Option(help="uniform (same points everywhere) or need (shared by community need)."),
    ] = "uniform",
    spend: Annotated[
        Path | None,
        typer.Option(help="CSV of spend by setting: icb, financial_year, setting, spend_gbp."),
    ] = None,
    icb: Annotated[str | None, typer.Option(help="Show one ICB only.")] = None,
    streams: Annotated[
        bool, typer.Option("--streams", help="Show allocations by stream over time (data) instead.")
    ] = False,
    year: YearOption = None,
    on: OnOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    force: ForceOption = False,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Shares of ICB money by setting, and a shift from acute to community with its need effects."""
    ws = workspace(reform, as_of_change, parameters)
    if streams:
        _shown(ws, ws.finance.streams(), fmt, "streams", export=export, force=force)
        return
    result = ws.finance.shift(points, years_count, mode, spend, icb, year, on)
    _shown(ws, result, fmt, "shift", export=export, force=force)
