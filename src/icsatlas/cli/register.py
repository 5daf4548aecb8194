"""Register commands: build, tour, areas, who, diff, gaps, impact, and friends."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer
from rich.progress import Progress

from icsatlas.workspace.register import Atlas
from icsatlas.cli.render import Format, FormatOption, console, errors, render
from icsatlas.register import build as build_module
from icsatlas.register import operations as operations_module
from icsatlas.register import persist
from icsatlas.register import reforms as reforms_module
from icsatlas.results import Result
from icsatlas.store import connect
from icsatlas.store.audit import changes

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
    with Progress(console=errors, transient=True) as progress:
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
    with Progress(console=errors) as progress:
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


ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept in the audit log.")]

reform_app = typer.Typer(no_args_is_help=True, help="Reforms: list, check, apply.")
board_app = typer.Typer(no_args_is_help=True, help="ICB and ICP boards: import, show, check.")


@reform_app.command("list")
def reform_list(fmt: FormatOption = Format.table) -> None:
    """The reforms shipped with icsatlas."""
    rows = []
    for name in reforms_module.shipped():
        reform = reforms_module.load(name)
        rows.append(
            {
                "name": name,
                "title": reform.title,
                "operations": len(reform.operations),
                "uncertain": len(reform.uncertain),
                "source": reform.source,
            }
        )
    render(Result(pd.DataFrame(rows), title="Shipped reforms"), fmt)


@reform_app.command("check")
def reform_check(
    path: Annotated[str, typer.Argument(help="Reform YAML file or shipped name.")],
) -> None:
    """Check a reform file, and that it applies cleanly to the register (nothing is saved)."""
    atlas = open_atlas()
    reform = reforms_module.load(path, set(atlas.register.functions))
    operations_module.apply(atlas.register, reform)
    console.print(f"{path}: {len(reform.operations)} operations, applies cleanly")


@reform_app.command("apply")
def reform_apply(
    path: Annotated[str, typer.Argument(help="Reform YAML file or shipped name.")],
    reason: ReasonOption,
) -> None:
    """Apply a reform to the workspace's register and record it in the audit log."""
    saved = open_atlas().apply_reform(path, reason)
    console.print(
        f"change {saved.change.change_id}: {saved.added} records added, "
        f"{saved.retracted} superseded"
    )


@board_app.command("import")
def board_import(
    path: Annotated[str, typer.Argument(help="CSV in the board template (docs/reference).")],
    reason: ReasonOption,
) -> None:
    """Import board members from CSV; a bad row rejects the whole file."""
    saved = open_atlas().import_board(path, reason)
    console.print(f"change {saved.change.change_id}: {saved.added} board members imported")


@board_app.command("show")
def board_show(
    icb: Annotated[str, typer.Argument(help="ICB (or ICP) code or name.")],
    on: OnOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """One board's members on a date, checked against the statutory minimum."""
    render(open_atlas().board(icb, on), fmt)


@board_app.command("check")
def board_check(on: OnOption = None, fmt: FormatOption = Format.table) -> None:
    """Every recorded board: minimum board met?, councillors and their share."""
    render(open_atlas().boards(on), fmt)


def log(
    limit: Annotated[int, typer.Option(help="Show the last N changes.")] = 20,
    fmt: FormatOption = Format.table,
) -> None:
    """The audit log: every change to the register, who made it, when, why, on what source."""
    entries = changes(connect())[-limit:]
    frame = pd.DataFrame(
        {
            "change": [c.change_id for c in entries],
            "recorded_at": [c.recorded_at for c in entries],
            "actor": [c.actor for c in entries],
            "kind": [c.kind for c in entries],
            "reason": [c.reason for c in entries],
            "source": [c.source for c in entries],
        }
    )
    render(Result(frame, title="Audit log (use --as-of-change N to see the register then)"), fmt)


def add_commands(app: typer.Typer) -> None:
    """Attach the register's top-level commands to the main app."""
    commands = (
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
        log,
    )
    for command in commands:
        app.command()(command)
    app.add_typer(reform_app, name="reform")
    app.add_typer(board_app, name="board")
