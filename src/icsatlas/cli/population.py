"""`icsatlas population ...`: generate or import a patient-level population, check it, and
ask it questions (profile, aggregate, need, inequalities). Every table printed has passed
disclosure control."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from icsatlas.cli.render import Format, FormatOption, console, errors, render
from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, pipeline, schema
from icsatlas.population.summary import Options
from icsatlas.results import Result

app = typer.Typer(
    no_args_is_help=True,
    help="Population health: a synthetic (or imported) patient-level population, its "
    "segments, risk, need and inequalities. See docs/tutorials/population-tour.md.",
)

NameOption = Annotated[str, typer.Option("--name", "-n", help="Which stored population to use.")]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="Date (YYYY-MM-DD) whose areas to use; default today."),
]
EngineOption = Annotated[
    str, typer.Option("--engine", help="duckdb (default, in-process) or spark.")
]
MasterOption = Annotated[
    str | None,
    typer.Option("--spark-master", help="Spark master URL (default local[2]).", show_default=False),
]
HierarchyOption = Annotated[
    str | None,
    typer.Option(
        "--hierarchy",
        help="Segment priority order, comma-separated (default: the SNEE order; overrides "
        "parameter population.segmentation.hierarchy).",
        show_default=False,
    ),
]
ParametersOption = Annotated[
    Path | None,
    typer.Option(
        "--parameters",
        help="YAML file of parameter overrides (name: value), e.g. "
        "population.disclosure.suppress_at_or_below: 10.",
        show_default=False,
        exists=True,
        dir_okay=False,
    ),
]
DEFAULT_FRACTION = 0.1


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a date (YYYY-MM-DD): {text!r}", field="on") from None


def _options(on: str | None, engine: str, master: str | None) -> Options:
    return Options(on=_date(on), engine=engine, spark_master=master)


def _params(file: Path | None, hierarchy: str | None = None) -> ParameterSet:
    """The shipped parameters, with a --parameters file and --hierarchy on top."""
    params = ParameterSet.shipped()
    if file is not None:
        params = params.override(file)
    if hierarchy:
        order = [s.strip() for s in hierarchy.split(",")]
        params = params.override({"population.segmentation.hierarchy": order})
    return params


@app.command()
def generate(
    name: NameOption = dataset.DEFAULT_NAME,
    fraction: Annotated[
        float,
        typer.Option(help="Share of England's 63.2 million people to generate (1 = everyone)."),
    ] = DEFAULT_FRACTION,
    area: Annotated[
        list[str] | None,
        typer.Option("--area", "-a", help="Only these regions, ICBs or sub-ICB locations."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same people).")] = 42,
    jobs: Annotated[int | None, typer.Option(help="Worker processes (default: CPUs).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite an existing one.")] = False,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Generate a synthetic population calibrated to published figures (default: a 10% sample
    of England; --fraction 1 for all 63 million people)."""
    from icsatlas.population import generate as generator
    from icsatlas.store import connect

    dataset.check_free(name, replace=replace)  # before any work
    params = _params(parameters)
    plan = generator.plan(area or (), fraction, seed)
    expected = generator.expected_rows(plan)
    store = connect()
    with _progress() as progress:
        task = progress.add_task("generating", total=sum(expected.values()))

        def advance(code: str, rows: int) -> None:
            progress.update(task, advance=rows, description=f"generated {code}")

        done = generator.run(
            plan, name, params=params, replace=replace, jobs=jobs, progress=advance, store=store
        )
    store.close()
    from icsatlas.population.catalogue import describe

    render(describe(done.dataset, params=params), fmt)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        TextColumn("{task.completed:>12,.0f} people"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=errors,
    )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV (with header) or Parquet file.")],
    name: Annotated[str, typer.Option("--name", "-n", help="Name to store it under.")],
    extract_date: Annotated[
        str, typer.Option("--extract-date", help="Date the extract describes (YYYY-MM-DD).")
    ],
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite an existing one.")] = False,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Import an ICB's own de-identified extract (schema: `icsatlas population schema`);
    every row is checked and a file with any error is rejected whole."""
    from icsatlas.population.importer import import_population
    from icsatlas.store import connect

    when = _date(extract_date)
    assert when is not None
    store = connect()
    try:
        with Progress(console=errors, transient=True) as progress:
            progress.add_task(f"checking {file.name}", total=None)
            population = import_population(
                file, name, extract_date=when, replace=replace, store=store
            )
    finally:
        store.close()
    from icsatlas.population.catalogue import describe

    render(describe(population, params=_params(parameters)), fmt)


@app.command()
def validate(
    name: NameOption = dataset.DEFAULT_NAME,
    every: Annotated[bool, typer.Option("--all", help="List every check.")] = False,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Check a population against the published figures it was calibrated to (exit code 1
    if a check fails)."""
    from icsatlas.population.validate import validate as run

    checked = run(dataset.open_dataset(name), params=_params(parameters))
    result = checked.result
    if fmt is Format.table and not every:
        result = _validation_summary(result)
    render(result, fmt)
    if checked.failed:
        raise typer.Exit(1)


def _validation_summary(result: Result) -> Result:
    """One row per kind of check (with the worst case), then every failing check."""
    frame = result.frame.assign(
        kind=result.frame.check.str.replace(
            r"^.* prevalence %$", "prevalence of each QOF register %", regex=True
        ),
        used=(
            pd.to_numeric(result.frame.difference).abs()
            / result.frame.tolerance.where(result.frame.tolerance > 0)
        ),
    )
    summary = frame.groupby("kind", sort=False).agg(
        checks=("status", "size"),
        passed=("status", lambda s: int((s == "pass").sum())),
        worst_share_of_tolerance=("used", "max"),
    )
    failing = result.frame[result.frame.status == "fail"]
    notes = [*result.notes, "Every check: --all (or --format csv/json)."]
    notes += [
        f"FAIL {r.check} {r.area}: expected {r.expected}, found {r.found}"
        for r in failing.itertuples()
    ]
    return Result(summary.reset_index(), result.provenance, title=result.title, notes=tuple(notes))


@app.command()
def profile(
    area: Annotated[str, typer.Option("--area", "-a", help="Name, ODS or ONS code of an area.")],
    name: NameOption = dataset.DEFAULT_NAME,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """An area beside England's published figures: people, segments, conditions, frailty,
    risk and need (numerators and denominators in --format csv/json)."""
    from icsatlas.population.profile import profile as build

    result = build(
        dataset.open_dataset(name),
        area,
        params=_params(parameters, hierarchy),
        options=_options(on, engine, spark_master),
    )
    if fmt is not Format.table:
        render(result, fmt)
        return
    console.print(f"[bold]{result.title}[/bold]")
    shown = ["measure", "area", "comparator", "unit", "compared_with"]
    for section, rows in result.frame.groupby("section", sort=False):
        render(Result(rows[shown].reset_index(drop=True), title=str(section)), fmt)
    for note in result.notes:
        console.print(f"[yellow]![/yellow] {note}")
    render_provenance(result)


def render_provenance(result: Result) -> None:
    provenance = result.provenance.to_dict()
    for key in ("engine", "elapsed_s", "seed", "parameters"):
        if key in provenance:
            console.print(f"[dim]{key}: {provenance[key]}[/dim]")
    for source, cited in provenance.get("data", {}).items():
        console.print(f"[dim]source {source}: {cited}[/dim]")
    for note in provenance.get("notes", ()):
        console.print(f"[dim]assumption: {note}[/dim]")


@app.command()
def aggregate(
    level: Annotated[
        str, typer.Option(help="country, region, icb, sub-icb, pcn, practice, local-authority")
    ] = "icb",
    by: Annotated[
        str | None,
        typer.Option(help=f"Comma-separated breakdowns: {', '.join(pipeline.DIMENSIONS)}."),
    ] = None,
    area: Annotated[str | None, typer.Option("--area", "-a", help="Only this area.")] = None,
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", "-m", help="Add a measure, e.g. diabetes (repeatable)."),
    ] = None,
    name: NameOption = dataset.DEFAULT_NAME,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """People by area and segment, age band, sex, deprivation... with key measures."""
    from icsatlas.population.aggregate import DEFAULT_MEASURES
    from icsatlas.population.aggregate import aggregate as run

    dims = [d.strip() for d in by.split(",")] if by else []
    result = run(
        dataset.open_dataset(name),
        params=_params(parameters, hierarchy),
        level=level,
        by=dims,
        area=area,
        measures=(*DEFAULT_MEASURES, *(measure or ())),
        options=_options(on, engine, spark_master),
    )
    render(result, fmt)


@app.command()
def need(
    level: Annotated[str, typer.Option(help="icb, sub-icb, region, pcn, practice...")] = "icb",
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare-with-nhse",
            help="Allocation year (e.g. 2025/26): compare each ICB with NHS England's indices.",
            show_default=False,
        ),
    ] = None,
    name: NameOption = dataset.DEFAULT_NAME,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Population need index per area (components and overall; comparator = 1)."""
    from icsatlas.population import need as need_module

    population = dataset.open_dataset(name)
    params = _params(parameters)
    if compare:
        result = need_module.compare_with_official(
            population, compare, params=params, engine=engine, spark_master=spark_master
        )
        if fmt is Format.table:
            result = _compact_comparison(result)
    else:
        result = need_module.need_indices(
            population, level, _date(on), params=params, engine=engine, spark_master=spark_master
        )
    render(result, fmt)


def _compact_comparison(result: Result) -> Result:
    """The overall indices side by side (components are in --format csv/json)."""
    frame = result.frame
    compact = pd.DataFrame(
        {
            "ICB": frame.area_name,
            "population index": frame.need_index,
            "NHS England index": frame.need_index_nhse,
            "difference": frame.difference,
            "rank (ours)": frame.need_index.rank(ascending=False).astype("Int64"),
            "rank (NHSE)": frame.need_index_nhse.rank(ascending=False).astype("Int64"),
        }
    )
    notes = (*result.notes, "Components side by side: --format csv or json.")
    return Result(compact, result.provenance, title=result.title, notes=notes)


@app.command()
def inequalities(
    area: Annotated[str | None, typer.Option("--area", "-a", help="Only this area.")] = None,
    plus5: Annotated[
        bool, typer.Option("--plus5", help="Show the Core20PLUS5 clinical areas instead.")
    ] = False,
    name: NameOption = dataset.DEFAULT_NAME,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Core20 v rest: crude and age-sex standardised gaps per segment and condition."""
    from icsatlas.population.inequalities import core20plus5
    from icsatlas.population.inequalities import inequalities as core20_gaps

    function = core20plus5 if plus5 else core20_gaps
    params = _params(parameters, hierarchy)
    options = _options(on, engine, spark_master)
    render(function(dataset.open_dataset(name), area, params=params, options=options), fmt)


@app.command("list")
def list_(parameters: ParametersOption = None, fmt: FormatOption = Format.table) -> None:
    """The populations stored in this workspace."""
    from icsatlas.population.catalogue import catalogue

    render(catalogue(params=_params(parameters)), fmt)


@app.command()
def remove(name: Annotated[str, typer.Argument(help="Population to delete.")]) -> None:
    """Delete a stored population (recorded in the audit log)."""
    from icsatlas.population import registry
    from icsatlas.store import connect

    dataset.open_dataset(name)
    store = connect()
    try:
        registry.forget(store, name, reason=f"removed population {name!r}")
        dataset.remove(name)
    finally:
        store.close()
    console.print(f"removed population {name!r}")


@app.command("schema")
def schema_(fmt: FormatOption = Format.table) -> None:
    """The columns an imported extract must (or may) have."""
    frame = pd.DataFrame(
        [
            {
                "column": c.name,
                "type": str(c.type),
                "required": "yes" if c.required else "no",
                "may be empty": "yes" if c.nullable else "no",
                "description": c.description,
            }
            for c in schema.COLUMNS
        ]
    )
    render(Result(frame, title="Population schema (one row per registered person)"), fmt)


@app.command()
def segments(
    on: OnOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The segments in priority order, with the rule that puts a person in each."""
    resolved = pipeline.Settings.load(_date(on) or date.today(), _params(parameters, hierarchy))
    known = pipeline.segments(resolved.frailty_thresholds[1])
    frame = pd.DataFrame(
        [
            {
                "priority": i + 1,
                "segment": s,
                "Bridges to Health": known[s].bridges_to_health,
                "SNEE": known[s].snee,
                "rule": known[s].rule,
            }
            for i, s in enumerate(resolved.hierarchy)
        ]
    )
    render(Result(frame, title="Segment hierarchy (first matching rule wins)"), fmt)


@app.command()
def model(parameters: ParametersOption = None, fmt: FormatOption = Format.table) -> None:
    """How the synthetic population is drawn: each condition's age, sex and deprivation
    gradient (and how well it fits), and the nationally fitted levels."""
    from icsatlas.population import gradients
    from icsatlas.population import model as model_module

    built = model_module.build_model(_params(parameters))
    pairs = model_module.co_occurrence(built.loading)
    notes = (
        f"Latent health factor loading (co-occurrence, fitted to CALIBER pairs): {built.loading}; "
        f"modelled / CALIBER pair prevalence median {pairs.ratio.median():.2f} "
        f"(range {pairs.ratio.min():.2f}-{pairs.ratio.max():.2f}).",
        f"Other frailty deficits: level {built.frailty_level:.3f}, latent loading "
        f"{built.frailty_loading}, age slope {built.frailty_slope} per decade.",
        f"Unplanned admissions: level {built.admissions_level:.3f} (2024/25 national total).",
    )
    render(Result(gradients.fits(), title="Condition gradients (logit scale)", notes=notes), fmt)
