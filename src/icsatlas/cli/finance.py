"""`icsatlas finance ...`: allocation, running costs, the reorganisation bill, BCF, the shift.

Thin shells over :mod:`icsatlas.finance`. Every query command takes ``--format
table|json|csv`` and ``--parameters FILE`` (overrides of the shipped parameters); most take
``--export FILE`` (.csv, .parquet or .xlsx, with provenance) and the ones with a picture
take ``--chart FILE`` (.png or .svg).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from icsatlas.cli.render import Format, FormatOption, console, errors, render, table
from icsatlas.errors import InputError
from icsatlas.finance.tables import Column, display, formatted, parse_money, view
from icsatlas.inputs import columns as cells
from icsatlas.inputs.rows import Unique, read_rows
from icsatlas.parameters import ParameterSet
from icsatlas.results import Result

app = typer.Typer(
    no_args_is_help=True,
    help="Finance: needs-based allocation, running costs, the Blueprint's bill, BCF, "
    "the community shift.",
)
allocate_app = typer.Typer(
    no_args_is_help=True, help="Needs-based allocation: targets, places, convergence."
)
bcf_app = typer.Typer(
    no_args_is_help=True, help="The Better Care Fund: imports, per head, county vs other."
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
        "--on", help="Date (YYYY-MM-DD) that picks the year and ICB geography (default: today)."
    ),
]
GeographyOption = Annotated[
    str | None,
    typer.Option("--geography", "-g", help="icb42 (to March 2026) or icb36 (from April 2026)."),
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
ParametersOption = Annotated[
    Path | None,
    typer.Option(
        "--parameters",
        help="YAML of parameter overrides (name: value, or name: {date: value}); "
        "see docs/reference/finance-parameters.md. Default: the shipped values.",
        exists=True,
        dir_okay=False,
    ),
]


def _params(path: Path | None) -> ParameterSet:
    """The shipped parameters, with the overrides in ``path`` if given."""
    shipped = ParameterSet.shipped()
    return shipped if path is None else shipped.override(path)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a date: {text!r} (use YYYY-MM-DD)", field="--on") from None


def _basis(year: str | None, on: str | None, geography: str | None):
    from icsatlas.finance import weighted_population as wp

    return wp.basis_for(year, _day(on), geography)


def _icb(text: str, basis) -> str:
    """An ICB's ODS code from a name, ODS or ONS code, in the basis's geography."""
    from icsatlas.errors import NotFoundError
    from icsatlas.finance import weighted_population as wp
    from icsatlas.register.lookup import find_area

    try:
        area = find_area(text, basis.day)
    except NotFoundError as error:
        other = "icb42" if basis.geography == "icb36" else "icb36"
        try:
            elsewhere = find_area(text, wp.Basis(basis.year, other).day)
        except NotFoundError:
            raise error from None
        raise NotFoundError(
            f"{elsewhere.name} is not an ICB of the {wp.GEOGRAPHIES[basis.geography]}; "
            f"it is one of the {wp.GEOGRAPHIES[other]}: add --geography {other}"
        ) from None
    if area.area_type != "icb":
        raise InputError(f"{text!r} is a {area.area_type} ({area.name}), not an ICB", field="icb")
    return area.ods_code


def show(
    results: Result | Sequence[Result],
    fmt: Format,
    headline: str = "",
    columns: Sequence[Column] | None = None,
) -> None:
    """Print one result or several sections; table view shows money in £m and one source line.

    ``columns`` picks a narrower table view for ``--format table`` (json and csv stay whole).
    """
    items = [results] if isinstance(results, Result) else list(results)
    if columns is not None and fmt is Format.table:
        items = [view(items[0], columns)]
    if fmt is Format.json:
        document = (
            items[0].to_dict()
            if len(items) == 1
            else {"headline": headline, "sections": [r.to_dict() for r in items]}
        )
        sys.stdout.write(json.dumps(document, default=_json_default, indent=2) + "\n")
        return
    if fmt is Format.csv:
        if len(items) > 1:
            errors.print(
                f"[dim]csv shows the first table ({items[0].title}); "
                f"use --export for all {len(items)}[/dim]"
            )
        render(items[0], fmt)
        return
    if len(items) == 1:
        render(items[0] if columns else display(items[0]), fmt)
        return
    if headline:
        console.print(f"[bold]{headline}[/bold]\n")
    for item in items:
        shown = display(item)
        console.print(table(shown))
        for note in shown.notes:
            if note != headline:
                console.print(f"[yellow]![/yellow] {note}")
        console.print()
    provenance = items[0].provenance.to_dict()
    parts = [f"{k}={v}" for k, v in provenance.items() if k not in ("data", "notes")]
    parts += [f"{k}: {v}" for k, v in provenance.get("data", {}).items()]
    console.print(f"[dim]source: {'; '.join(parts)}[/dim]")
    for note in provenance.get("notes", []):
        console.print(f"[dim]{note}[/dim]")


def _json_default(value):
    from icsatlas.cli.render import _json_default as default

    return default(value)


def _exported(results: Result | dict[str, Result], path: Path | None) -> None:
    if path is None:
        return
    from icsatlas.finance import export

    errors.print(f"[dim]{export.write(results, path).describe()}[/dim]")


def _charted(figure_of, path: Path | None) -> None:
    if path is None:
        return
    from icsatlas.finance import charts

    errors.print(f"[dim]wrote {charts.save(figure_of(), path)}[/dim]")


# --- allocation -------------------------------------------------------------------------


@allocate_app.command("targets")
def allocate_targets(
    year: YearOption = None,
    on: OnOption = None,
    geography: GeographyOption = None,
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
    parameters: ParametersOption = None,
) -> None:
    """Fair-share core targets for every ICB from NHS England's weighted populations."""
    from icsatlas.finance import allocation

    basis, notes = _basis(year, on, geography)
    kind = control if control in allocation.CONTROL_KINDS else parse_money(control, "--control")
    result = allocation.targets(_params(parameters), basis, kind, level, notes)
    columns = [
        ("area", "area_name", "name"),
        ("patients", "population", "int"),
        ("need index", "need_index", "x3"),
        ("target £m", "target_gbp", "m"),
        ("actual £m", "actual_gbp", "m"),
        ("actual vs target", "distance_from_target", "spct"),
    ]
    if "published_dft" in result.frame:
        columns.append(("published distance", "published_dft", "spct"))
    columns.append(("actual vs fair share", "distance_from_fair_share", "spct"))
    show(result, fmt, columns=columns)
    _exported(result, export)


@allocate_app.command("check")
def allocate_check(
    year: YearOption = None, fmt: FormatOption = Format.table, parameters: ParametersOption = None
) -> None:
    """Reproduce NHS England's published distances from target for the 42 ICBs."""
    from icsatlas.finance import allocation, sourcing, weighted_population

    params = _params(parameters)
    years = [year] if year else weighted_population.available_years()
    frames = []
    for label in years:
        check = allocation.check_published(params, label)
        frames.append(check.assign(financial_year=weighted_population.years.normalise(label)))
    frame = pd.concat(frames, ignore_index=True)
    worst = frame.difference.abs().max()
    notes = (
        f"Largest difference from the published figure: {worst:.2e}. Published to 6 decimal "
        "places from allocations rounded to £ thousand: within 1e-6 is exact to publication.",
    )
    from icsatlas import data

    provenance = sourcing.provenance(
        params,
        data={
            "weighted_population": data.source(weighted_population.SOURCE).cite(),
            "allocations": data.source(allocation.ALLOCATIONS).cite(),
        },
    )
    columns = [
        ("year", "financial_year", "text"),
        ("ICB", "area_name", "name"),
        ("computed", "computed_dft", "x6"),
        ("published", "published_dft", "x6"),
        ("difference", "difference", "e"),
    ]
    result = Result(frame, provenance, "Distance from target: computed vs published", notes)
    show(result, fmt, columns=columns)
    if worst > 1e-6:
        raise typer.Exit(1)


@allocate_app.command("places")
def allocate_places(
    icb: Annotated[str, typer.Argument(help="ICB name, ODS or ONS code.")],
    by: Annotated[
        str, typer.Option(help="lad (local authority), sub-icb, pcn or practice.")
    ] = "lad",
    places: Annotated[
        Path | None,
        typer.Option("--places", help="CSV mapping practice_code to place (your own places)."),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option(help="Budget to split, e.g. 450m (default: the ICB's core allocation)."),
    ] = None,
    year: YearOption = None,
    on: OnOption = None,
    geography: GeographyOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Split an ICB's budget between places by need, explaining each share."""
    from icsatlas.finance import allocation

    basis, notes = _basis(year, on, geography)
    grouping = _read_places(places) if places else None
    amount = parse_money(budget, "--budget") if budget else None
    params = _params(parameters)
    result = allocation.places(params, basis, _icb(icb, basis), by, grouping, amount, notes)
    columns = [
        ("place", "area_name", "name"),
        ("budget £m", "budget_gbp", "m"),
        ("£ per head", "budget_per_head", "int"),
        ("why", "explanation", "text"),
    ]
    show(result, fmt, columns=columns)
    _exported(result, export)


PLACE_COLUMNS = (
    cells.Column("practice_code", "code", required=True),
    cells.Column("place", required=True),
)


def _read_places(path: Path) -> pd.DataFrame:
    repeat = Unique(("practice_code",), "practice {practice_code} is listed twice")
    records = read_rows(path, PLACE_COLUMNS, others="ignore", unique=[repeat])
    return pd.DataFrame([r.values for r in records], columns=["practice_code", "place"])


@allocate_app.command("waterfall")
def allocate_waterfall(
    icb: Annotated[str, typer.Argument(help="ICB name, ODS or ONS code.")],
    year: YearOption = None,
    on: OnOption = None,
    geography: GeographyOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    chart: ChartOption = None,
    parameters: ParametersOption = None,
) -> None:
    """From an equal share per head to the ICB's target and actual allocation, step by step."""
    from icsatlas.finance import allocation, charts

    basis, _ = _basis(year, on, geography)
    result = allocation.waterfall(_params(parameters), basis, _icb(icb, basis))
    show(result, fmt, columns=[("step", "step", "text"), ("£m", "gbp", "m")])
    _exported(result, export)
    _charted(lambda: charts.waterfall(result), chart)


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
    geography: GeographyOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    chart: ChartOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Convergence of actual allocations towards fair shares under a pace-of-change rule."""
    from icsatlas.finance import charts, convergence

    basis, _ = _basis(year, on, geography)
    params = _params(parameters)
    rule = convergence.PaceOfChange.from_parameters(
        params, basis.year, years_ahead,
        gap_closed=gap_closed, minimum_growth=minimum_growth, growth=growth,
    )  # fmt: skip
    result = convergence.paths(params, basis, years_ahead, rule)
    if fmt is Format.table:
        wide = result.frame.pivot_table(
            index="area_name",
            columns="financial_year",
            values="distance_from_fair_share",
            sort=False,
        )
        wide = wide.reindex(wide.iloc[:, 0].sort_values().index)
        table_frame = wide.map(lambda v: f"{v:+.1%}").reset_index()
        table_frame["area_name"] = formatted(table_frame.area_name, "name")
        table_frame = table_frame.rename(columns={"area_name": "ICB"})
        title = result.title + " (+ above it, - below)"
        show(Result(table_frame, result.provenance, title, result.notes), fmt)
    else:
        show(result, fmt)
    _exported(result, export)
    _charted(lambda: charts.convergence(result), chart)


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
    geography: GeographyOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Targets from your need indices beside NHS England's for the same areas."""
    from icsatlas.finance import need

    basis, _ = _basis(year, on, geography)
    params = _params(parameters)
    if (file is None) == (population is None):
        raise InputError("give a CSV of need indices or --from-population NAME (one of them)")
    if population is not None:
        from icsatlas.population.need import need_indices

        indices = need_indices(population, "icb", basis.day, params=params)
        source = f"population {population!r} (icsatlas population need)"
        result = need.compare(params, need.from_population(indices), basis, source=source)
        result.provenance = indices.provenance.merged(result.provenance)
    else:
        result = need.compare(params, need.read_indices(file), basis, source=str(file))
    columns = [
        ("area", "area_name", "name"),
        ("need index", "need_index", "x3"),
        ("NHSE need index", "nhse_need_index", "x3"),
        ("target £m", "target_gbp", "m"),
        ("NHSE target £m", "nhse_target_gbp", "m"),
        ("difference", "difference_pct", "gbp"),
    ]
    show(result, fmt, columns=columns)
    _exported(result, export)


@allocate_app.command("weights")
def allocate_weights(
    year: YearOption = None, fmt: FormatOption = Format.table, parameters: ParametersOption = None
) -> None:
    """The formula weights shipped as parameters beside the ones re-fitted from the data."""
    from icsatlas.finance import sourcing, weights
    from icsatlas.finance import weighted_population as wp

    params = _params(parameters)
    rows = []
    for label in [year] if year else wp.available_years():
        fitted = weights.implied(label)
        shipped = weights.for_year(params, label)
        for name in wp.COMPONENTS:
            rows.append(
                {
                    "financial_year": fitted.year,
                    "component": name,
                    "shipped": shipped[name],
                    "refitted": fitted.weights[name],
                }
            )
    notes = (
        "Weights are estimates (certainty: estimate): NHS England does not publish them; "
        "see finance.allocation.core_weights.",
    )
    from icsatlas import data

    sources = {"weighted_population": data.source(wp.SOURCE).cite()}
    provenance = sourcing.provenance(params, data=sources, notes=notes)
    show(
        Result(pd.DataFrame(rows), provenance, "Core formula weights: shipped vs re-fitted", notes),
        fmt,
    )


# --- running costs and redundancy ---------------------------------------------------------


@app.command("running-costs")
def running_costs_command(
    year: Annotated[
        str, typer.Option("--year", "-y", help="Running cost allowance year.")
    ] = "2025/26",
    geography: Annotated[str, typer.Option("--geography", "-g", help="icb42 or icb36.")] = "icb42",
    programme_pay_per_head: Annotated[
        float | None, typer.Option(help="Assumed programme pay per head (default: parameter).")
    ] = None,
    history: Annotated[
        bool, typer.Option(help="Show the allowance per head in every shipped year instead.")
    ] = False,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Each ICB's running costs against the £18.76 a head envelope, and the cut it implies."""
    from icsatlas.finance import running_costs

    if history:
        result = running_costs.history(geography)
        show(result, fmt)
    else:
        params = _params(parameters)
        result = running_costs.running_costs(params, year, geography, programme_pay_per_head)
        columns = [
            ("ICB", "icb_name", "name"),
            ("RCA £/head", "rca_per_head", "gbp"),
            ("baseline £/head", "baseline_per_head", "gbp"),
            ("reduction £m", "reduction_gbp", "m"),
            ("reduction %", "reduction_pct", "gbp"),
            ("staff WTE", "headcount_wte", "int"),
            ("posts removed", "posts_removed", "int"),
        ]
        show(result, fmt, columns=columns)
    _exported(result, export)


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
    from icsatlas.finance import exit_pay

    person = exit_pay.Employee(salary, service, reckonable, fte, weekly_pay)
    retirement = None
    if age is not None and capitalisation_cost is not None:
        retirement = exit_pay.Retirement(age, capitalisation_cost, membership)
    result = exit_pay.explain(_params(parameters), person, retirement, reemployed_after, senior)
    show(result, fmt)


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
    geography: GeographyOption = None,
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
    parameters: ParametersOption = None,
) -> None:
    """Does the Blueprint's saving beat its redundancy bill, and when? A seeded Monte Carlo."""
    from icsatlas.finance import bill, blueprint, charts, scenario

    chosen = [flag for flag, on in (("--national", national), ("--icb", icb), ("--icbs", icbs))
              if on]  # fmt: skip
    if len(chosen) > 1:
        raise InputError(f"choose one view, not {' and '.join(chosen)}", field="view")
    if icbs and (chart or tornado):
        raise InputError(
            "--icbs has no chart: use --chart or --tornado with the national view or --icb",
            field="--chart" if chart else "--tornado",
        )
    params = _params(parameters)
    plan = scenario.load(scenario_file, params) if scenario_file else scenario.default(params)
    plan = plan.with_options(seed=seed, draws=draws, years=years_count, geography=geography)
    code = _bill_icb(icb, plan) if icb is not None else None
    with console.status(f"Simulating {plan.draws:,} draws over every ICB ...", spinner="dots"):
        run = blueprint.run(plan)
        report = bill.report(run)
    headline = report.headline
    if code is not None:
        tables = bill.icb_tables(report, run, code)
        shown = list(tables.values())
        if fmt is Format.table:
            shown = [view(shown[0], _ONE_ICB), bill.readable_ranking(shown[1])]
        headline = ""
    elif icbs:
        tables = {"icbs": report.icbs}
        shown = [report.icbs]
    else:
        tables = report.tables()
        shown = bill.readable(report) if fmt is Format.table else report.sections()[:5]
    show(shown, fmt, headline)
    _exported(tables, export)
    first = next(iter(tables.values()))
    _charted(lambda: charts.payback_curve(first), chart)
    _charted(lambda: charts.tornado(tables["sensitivity"]), tornado)


_ONE_ICB = [
    ("year", "financial_year", "text"),
    ("savings £m", "savings_gbp", "m"),
    ("redundancy £m", "redundancy_gbp", "m"),
    ("net £m", "net_gbp", "m"),
    ("cumulative £m", "cumulative_net_gbp", "m"),
    ("cumulative p10 £m", "cumulative_p10_gbp", "m"),
    ("cumulative p90 £m", "cumulative_p90_gbp", "m"),
]


def _bill_icb(text: str, plan) -> str:
    """The ODS code of the ICB named ``text`` in the run's geography."""
    from icsatlas.finance import weighted_population as wp

    shipped = wp.available_years()
    year = plan.first_year if plan.first_year in shipped else shipped[-1]
    return _icb(text, wp.Basis(year, plan.geography))


# --- Better Care Fund -----------------------------------------------------------------------


def _store():
    from icsatlas import store

    return store.connect()


@bcf_app.command("minimums")
def bcf_minimums(
    year: Annotated[str, typer.Option("--year", "-y")] = "2025/26",
    fmt: FormatOption = Format.table,
    parameters: ParametersOption = None,
) -> None:
    """The national mandatory minimum by funding stream, in total and per resident (data)."""
    from icsatlas.finance import bcf

    columns = [
        ("stream", "description", "text"),
        ("£m", "amount_gbp", "m"),
        ("£ per head", "per_head_gbp", "gbp"),
    ]
    show(bcf.national_minimums(_params(parameters), year), fmt, columns=columns)


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
    from icsatlas.finance import bcf

    with _store() as store:
        import_id = bcf.import_contributions(store, file, description, kind)
    console.print(f"imported {file} as BCF import {import_id} ({kind})")


@bcf_app.command("show")
def bcf_show(
    year: YearOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Pooled contributions per area and year, per head, with the change on the year before."""
    from icsatlas.finance import bcf

    with _store() as store:
        result = bcf.contributions(store, _params(parameters), year)
    columns = [
        ("area", "area_name", "text"),
        ("year", "financial_year", "text"),
        ("pooled £m", "pooled_gbp", "m"),
        ("£ per head", "pooled_per_head", "gbp"),
        ("change £/head", "change_per_head", "gbp"),
        ("council", "council_type", "text"),
        ("kind", "kind", "text"),
    ]
    show(result, fmt, columns=columns)
    _exported(result, export)


@bcf_app.command("counties")
def bcf_counties(
    year: YearOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    parameters: ParametersOption = None,
) -> None:
    """County councils vs other councils: pooled per head, from imported figures."""
    from icsatlas.finance import bcf

    with _store() as store:
        result = bcf.county_split(store, _params(parameters), year)
    columns = [
        ("year", "financial_year", "text"),
        ("councils", "council_type", "text"),
        ("areas", "areas", "int"),
        ("pooled £m", "pooled_gbp", "m"),
        ("residents", "population", "int"),
        ("£ per head", "pooled_per_head", "gbp"),
    ]
    show(result, fmt, columns=columns)
    _exported(result, export)


@bcf_app.command("scenario")
def bcf_scenario(
    from_year: Annotated[
        str | None,
        typer.Option("--from-year", help="The earlier year (default: the first year quoted)."),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option("--year", "-y", help="The later year (default: the last year quoted)."),
    ] = None,
    from_per_head: Annotated[
        float | None,
        typer.Option(
            help="County councils' pooled £ per resident in the earlier year "
            "(default: the figure quoted for it, finance.bcf.county_pooled_per_head)."
        ),
    ] = None,
    per_head: Annotated[
        float | None,
        typer.Option(
            help="County councils' pooled £ per resident in the later year "
            "(default: the figure quoted for it)."
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    parameters: ParametersOption = None,
) -> None:
    """What county councils' pooled BCF per resident at two dates means in pounds (a scenario)."""
    from icsatlas.finance import bcf

    columns = [
        ("year", "financial_year", "text"),
        ("councils", "councils", "text"),
        ("areas", "areas", "int"),
        ("residents", "population", "int"),
        ("£ per resident (scenario)", "per_head_gbp", "gbp"),
        ("implied pooled £m", "implied_pooled_gbp", "m"),
    ]
    result = bcf.county_pooling_scenario(
        _params(parameters), from_year, year, from_per_head, per_head
    )
    show(result, fmt, columns=columns)


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
    geography: GeographyOption = None,
    fmt: FormatOption = Format.table,
    export: ExportOption = None,
    parameters: ParametersOption = None,
) -> None:
    """Shares of ICB money by setting, and a shift from acute to community with its need effects."""
    from icsatlas.finance import shift

    if streams:
        result = shift.streams()
    else:
        basis, _ = _basis(year, on, geography)
        spending = shift.read_spend(spend, basis) if spend else None
        result = shift.scenario(_params(parameters), basis, points, years_count, mode, spending)
        if icb is not None:
            code = _icb(icb, basis)
            rows = result.frame[result.frame.ods_code == code].reset_index(drop=True)
            result = Result(rows, result.provenance, result.title, result.notes)
    if streams:
        columns = [
            ("year", "financial_year", "text"),
            ("ICB", "icb_name", "name"),
            ("core £m", "core_services_gbp", "m"),
            ("primary care share", "primary_care_share", "pct"),
        ]
    else:
        columns = [
            ("year", "financial_year", "text"),
            ("ICB", "area_name", "name"),
            ("acute", "acute_share", "pct"),
            ("community", "community_share", "pct"),
            ("community £m", "community_gbp", "m"),
            ("community vs need", "community_vs_need", "x3"),
        ]
    show(result, fmt, columns=columns)
    _exported(result, export)
