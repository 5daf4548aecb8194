"""Register commands: build, tour, areas, who, diff, gaps, impact, and friends."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress

from icsatlas.atlas import Atlas
from icsatlas.cli.render import Format, FormatOption, console, render
from icsatlas.register import build as build_module
from icsatlas.register import persist
from icsatlas.store import connect

OnOption = Annotated[
    str | None, typer.Option("--on", help="Date (YYYY-MM-DD) to ask about; default today.")
]
ReformOption = Annotated[
    list[str] | None,
    typer.Option("--reform", "-r", help="Apply a reform on top first (what-if); repeatable."),
]
AsOfOption = Annotated[
    int | None,
    typer.Option("--as-of-change", help="Use the register as recorded after this change."),
]


def open_atlas(reforms: list[str] | None = None, as_of_change: int | None = None) -> Atlas:
    """The workspace register (built from shipped data on first use), plus what-ifs."""
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("building the register from shipped data", total=None)

        def note(step: str) -> None:
            progress.update(task, description=f"building the register: {step}")

        atlas = Atlas.open(as_of_change=as_of_change, on_build=note)
    return atlas.with_reforms(reforms or [])


def build(
    fmt: FormatOption = Format.table,
) -> None:
    """Build the register from the shipped data (done automatically on first use)."""
    store = connect()
    if persist.is_built(store):
        console.print(f"the register is already built in {store.url}")
        return
    steps = build_module.steps()
    with Progress(console=console) as progress:
        task = progress.add_task("building", total=len(steps) + 1)
        for step, _ in build_module.run(store):
            progress.update(task, advance=1, description=step.name)
        progress.update(task, advance=1)
    atlas = Atlas.open()
    render(atlas.areas("icb", "2026-04-01"), fmt)


def areas(
    area_type: Annotated[
        str | None,
        typer.Option("--type", "-t", help="icb, sub-icb, region, country, place, neighbourhood"),
    ] = "icb",
    on: OnOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The areas of a type in force on a date (e.g. the 42 ICBs of 2022, the 36 of 2026)."""
    render(open_atlas(reform, as_of_change).areas(area_type, on), fmt)


def who(
    function: Annotated[str, typer.Argument(help='A function: "primary care", "GP IT", "EPRR"...')],
    area: Annotated[str, typer.Option("--area", "-a", help="Area name, ODS or ONS code.")],
    on: OnOption = None,
    history: Annotated[bool, typer.Option("--history", help="The timeline of holders.")] = False,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Who holds a function in an area on a date, on what basis, since when, how accountably."""
    render(open_atlas(reform, as_of_change).who(function, area, on, history), fmt)


def diff(
    start: Annotated[str, typer.Option("--from", help="Earlier date.")],
    end: Annotated[str, typer.Option("--to", help="Later date.")],
    area: Annotated[str | None, typer.Option("--area", "-a")] = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What moved, merged, appeared or disappeared between two dates."""
    render(open_atlas(reform, as_of_change).diff(start, end, area), fmt)


def gaps(
    on: OnOption = None,
    area: Annotated[str | None, typer.Option("--area", "-a")] = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Functions with no holder, several undeclared holders, or an uncertain holder."""
    render(open_atlas(reform, as_of_change).gaps(on, area), fmt)


def impact(
    reform_name: Annotated[
        str, typer.Argument(metavar="REFORM", help="Shipped name or YAML file.")
    ],
    reform: ReformOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What a reform does: functions moved, accountability lost, gaps, uncertain moves."""
    _, result = open_atlas(reform).impact(reform_name)
    render(result, fmt)


def functions(
    query: Annotated[str | None, typer.Argument(help="Look one up by name or synonym.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The function catalogue: statutory duties and the Blueprint's function list."""
    render(open_atlas().functions(query), fmt)


def organisations(
    query: Annotated[str | None, typer.Argument(help="Name or code.")] = None,
    org_type: Annotated[str | None, typer.Option("--type", "-t")] = None,
    on: OnOption = None,
    reform: ReformOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Organisations by name or code, or all those of a type in force on a date."""
    render(open_atlas(reform).organisations(query, org_type, on), fmt)


def accountability(fmt: FormatOption = Format.table) -> None:
    """How accountable each type of body is, criterion by criterion, with the score."""
    render(open_atlas().accountability(), fmt)


def tour() -> None:
    """A short tour: ICBs before and after the mergers, and who holds what before and
    after the Model ICB Blueprint."""
    from icsatlas.cli.tour import run

    run(open_atlas())


def add_commands(app: typer.Typer) -> None:
    """Attach the register's top-level commands to the main app."""
    for command in (
        tour,
        build,
        areas,
        who,
        diff,
        gaps,
        impact,
        functions,
        organisations,
        accountability,
    ):
        app.command()(command)
