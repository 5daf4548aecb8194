"""`icsatlas population ...`: a thin shell over ``Workspace.population`` (parse, ask, render).

Generate or import a patient-level population, check it, and ask it questions (profile,
aggregate, need, inequalities) in the register's geography on the date asked, what-if reforms
included. Every table printed has passed disclosure control.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icsatlas.cli.options import (
    AreaOption,
    AsOfOption,
    OnOption,
    ParametersOption,
    ReformOption,
    workspace,
)
from icsatlas.cli.render import Format, FormatOption, console, errors, render

app = typer.Typer(
    no_args_is_help=True,
    help="Population health: a synthetic (or imported) patient-level population, its "
    "segments, risk, need and inequalities. See docs/tutorials/population-tour.md.",
)

NameOption = Annotated[
    str | None,
    typer.Option("--name", "-n", help="Which stored population to use (default: england)."),
]
SomeAreaOption = Annotated[
    str | None,
    typer.Option(
        "--area",
        "-a",
        help="Only this area: an ICB, place, council, GP practice or PCN (name or code), or a "
        "postcode.",
    ),
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
LevelOption = Annotated[
    str,
    typer.Option(
        help="country, region, icb, sub-icb (or place), pcn, practice, local-authority "
        "(or council)."
    ),
]


@app.command()
def generate(
    name: NameOption = None,
    fraction: Annotated[
        float | None,
        typer.Option(
            help="Share of England's 63.2 million people to generate (default 0.1; 1 = everyone).",
            show_default=False,
        ),
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option(
            "--area",
            "-a",
            help="Only the sub-ICB locations covering this area (any area `icsatlas where` "
            "reads); repeatable.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same people).")] = 42,
    jobs: Annotated[int | None, typer.Option(help="Worker processes (default: CPUs).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite an existing one.")] = False,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Generate a synthetic population calibrated to published figures (default: a 10% sample
    of England; --fraction 1 for all 63 million people)."""
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    ws = workspace(parameters=parameters)
    columns = (TextColumn("{task.description:<24}"), BarColumn())
    counted = (TextColumn("{task.completed:>12,.0f} people"), TimeElapsedColumn())
    bar = Progress(*columns, *counted, TimeRemainingColumn(), console=errors, transient=True)
    with bar as progress:
        task = progress.add_task("generating", total=None)

        def advance(code: str, rows: int, total: int) -> None:
            progress.update(task, advance=rows, total=total, description=f"generated {code}")

        result = ws.population.generate(
            name,
            fraction=fraction,
            areas=area or (),
            seed=seed,
            jobs=jobs,
            replace=replace,
            progress=advance,
        )
    render(result, fmt)


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
    from rich.progress import Progress

    ws = workspace(parameters=parameters)
    with Progress(console=errors, transient=True) as progress:
        progress.add_task(f"checking {file.name}", total=None)
        result = ws.population.import_extract(
            file, name, extract_date=extract_date, replace=replace
        )
    render(result, fmt)


@app.command()
def validate(
    name: NameOption = None,
    every: Annotated[bool, typer.Option("--all", help="List every check.")] = False,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Check a population against the published figures it was calibrated to (exit code 1
    if a check fails)."""
    summary = fmt is Format.table and not every
    result = workspace(parameters=parameters).population.validate(name, summary=summary)
    render(result, fmt)
    if "fail" in result.table.column("status"):
        raise typer.Exit(1)


@app.command()
def profile(
    area: AreaOption,
    name: NameOption = None,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """An area beside England's published figures: people, segments, conditions, frailty,
    risk and need (numerators and denominators in --format csv/json)."""
    ws = workspace(reform, as_of_change, parameters)
    result = ws.population.profile(
        area,
        name=name,
        on=on,
        engine=engine,
        spark_master=spark_master,
        hierarchy=hierarchy,
        by_section=fmt is Format.table,
    )
    render(result, fmt)


@app.command()
def aggregate(
    level: LevelOption = "icb",
    by: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated breakdowns: segment, age_band, life_stage, sex, imd_decile, "
            "core20, frailty, risk_band, ethnicity."
        ),
    ] = None,
    area: SomeAreaOption = None,
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", "-m", help="Add a measure, e.g. diabetes (repeatable)."),
    ] = None,
    name: NameOption = None,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """People by area and segment, age band, sex, deprivation... with key measures."""
    ws = workspace(reform, as_of_change, parameters)
    result = ws.population.aggregate(
        level,
        by=[d.strip() for d in by.split(",")] if by else (),
        area=area,
        measures=measure or (),
        name=name,
        on=on,
        engine=engine,
        spark_master=spark_master,
        hierarchy=hierarchy,
    )
    render(result, fmt)


@app.command()
def need(
    level: LevelOption = "icb",
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare-with-nhse",
            help="Allocation year (e.g. 2025/26): compare each ICB with NHS England's indices.",
            show_default=False,
        ),
    ] = None,
    name: NameOption = None,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    parameters: ParametersOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Population need index per area (components and overall; comparator = 1)."""
    asked = workspace(reform, as_of_change, parameters).population
    if compare:
        result = asked.compare_with_nhse(
            compare,
            name=name,
            engine=engine,
            spark_master=spark_master,
            compact=fmt is Format.table,
        )
    else:
        result = asked.need(level, name=name, on=on, engine=engine, spark_master=spark_master)
    render(result, fmt)


@app.command()
def inequalities(
    area: SomeAreaOption = None,
    plus5: Annotated[
        bool, typer.Option("--plus5", help="Show the Core20PLUS5 clinical areas instead.")
    ] = False,
    name: NameOption = None,
    on: OnOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Core20 v rest: crude and age-sex standardised gaps per segment and condition."""
    asked = workspace(reform, as_of_change, parameters).population
    question = asked.core20plus5 if plus5 else asked.inequalities
    result = question(
        area, name=name, on=on, engine=engine, spark_master=spark_master, hierarchy=hierarchy
    )
    render(result, fmt)


@app.command("list")
def list_(parameters: ParametersOption = None, fmt: FormatOption = Format.table) -> None:
    """The populations stored in this workspace."""
    render(workspace(parameters=parameters).population.list(), fmt)


@app.command()
def remove(name: Annotated[str, typer.Argument(help="Population to delete.")]) -> None:
    """Delete a stored population (recorded in the audit log)."""
    console.print(workspace().population.remove(name).title)


@app.command("schema")
def schema_(fmt: FormatOption = Format.table) -> None:
    """The columns an imported extract must (or may) have."""
    render(workspace().population.schema(), fmt)


@app.command()
def segments(
    on: OnOption = None,
    hierarchy: HierarchyOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The segments in priority order, with the rule that puts a person in each."""
    render(workspace(parameters=parameters).population.segments(on, hierarchy), fmt)


@app.command()
def model(parameters: ParametersOption = None, fmt: FormatOption = Format.table) -> None:
    """How the synthetic population is drawn: each condition's age, sex and deprivation
    gradient (and how well it fits), and the nationally fitted levels."""
    render(workspace(parameters=parameters).population.model(), fmt)
