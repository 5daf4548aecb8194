"""Register commands: a thin shell over ``Workspace.register`` (parse, ask, render)."""

from __future__ import annotations

from typing import Annotated

import typer

from icsatlas.cli.options import (
    AreaArgument,
    AsOfOption,
    OnOption,
    ParametersOption,
    ReformOption,
    ReformSetOption,
    workspace,
)
from icsatlas.cli.render import Format, FormatOption, console, render

ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept in the audit log.")]
KindOption = Annotated[
    str,
    typer.Option(
        "--type",
        "-t",
        help="country, region, icb, sub-icb, place, neighbourhood, council, pcn or practice.",
    ),
]
WithinOption = Annotated[
    str | None, typer.Option("--within", "-w", help="Only those within an area (any name/code).")
]


def build(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rebuild from the shipped data (audited).")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Build the register from the shipped data (done automatically on first use)."""
    from icsatlas.register import build as build_module
    from icsatlas.register import persist

    ws = workspace()
    store = ws.store
    if persist.is_built(store) and not rebuild:
        console.print(f"the register is already built in {ws.provenance().describe()}")
        return
    replacing = persist.load(store) if persist.is_built(store) else None
    for _ in build_module.run(store, replacing=replacing):
        pass
    ws.recorded()
    render(ws.register.areas("icb", "2026-04-01"), fmt)


def areas(
    kind: KindOption = "icb",
    within: WithinOption = None,
    on: OnOption = None,
    reform: ReformOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Areas of a kind in force on a date: the 42 ICBs of 2022, the 36 of 2026, places,
    councils, GP practices, PCNs."""
    render(workspace(reform, as_of_change).register.areas(kind, on, within), fmt)


def where(
    text: Annotated[str, typer.Argument(help="Any name or code, or a postcode.")],
    on: OnOption = None,
    reform: ReformOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """How icsatlas reads a name or code: which area, council, practice or postcode it is,
    and which NHS areas cover it (with shares)."""
    render(workspace(reform).register.where(text, on), fmt)


def area(
    text: AreaArgument,
    on: OnOption = None,
    reform: Annotated[
        str | None,
        typer.Option("--reform", "-r", help="Also show who would hold each function after it."),
    ] = None,
    reform_set: ReformSetOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Everything for one area: every function and who holds it on a date (and after a
    reform), with how accountable each holder is."""
    ws = workspace(None, as_of_change, reform_set=reform_set)
    render(ws.register.overview(text, on, reform), fmt)


def who(
    function: Annotated[
        str,
        typer.Argument(
            help='A function: "primary care", "GP IT", "EPRR"...; or, without --area, a body '
            '("NHS England").'
        ),
    ],
    area_text: Annotated[
        str | None,
        typer.Option(
            "--area",
            "-a",
            help="An ICB, place, council, GP practice or PCN (name or code), or a postcode.",
        ),
    ] = None,
    on: OnOption = None,
    history: Annotated[bool, typer.Option("--history", help="The timeline of holders.")] = False,
    reform: ReformOption = None,
    reform_set: ReformSetOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Who holds a function in an area on a date, on what basis, since when, how accountably,
    and with what legal status; or (no --area) what a body holds and, if a reform abolishes
    it, where each of its functions goes."""
    ws = workspace(reform, as_of_change, reform_set=reform_set)
    render(ws.register.who(function, area_text, on, history), fmt)


def diff(
    start: Annotated[str, typer.Option("--from", help="Earlier date.")],
    end: Annotated[str, typer.Option("--to", help="Later date.")],
    area_text: Annotated[str | None, typer.Option("--area", "-a")] = None,
    reform: ReformOption = None,
    reform_set: ReformSetOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What moved, merged, appeared or disappeared between two dates (and where the reforms
    applied contradict each other)."""
    ws = workspace(reform, as_of_change, reform_set=reform_set)
    render(ws.register.diff(start, end, area_text), fmt)


def gaps(
    on: OnOption = None,
    area_text: Annotated[str | None, typer.Option("--area", "-a")] = None,
    reform: ReformOption = None,
    reform_set: ReformSetOption = None,
    as_of_change: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Functions with no holder, several undeclared holders, an uncertain holder, or
    contradicting reforms."""
    ws = workspace(reform, as_of_change, reform_set=reform_set)
    render(ws.register.gaps(on, area_text), fmt)


def impact(
    reform_names: Annotated[
        list[str],
        typer.Argument(metavar="REFORM...", help="Shipped names or YAML files (several: a stack)."),
    ],
    reform: ReformOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What a reform (or a stack, applied in date order) does: functions moved,
    accountability lost, gaps, uncertain moves, conflicts, and its legal status."""
    _, result = workspace(reform).register.impact(*reform_names)
    render(result, fmt)


def functions(
    query: Annotated[str | None, typer.Argument(help="Look one up by name or synonym.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The function catalogue: statutory duties and the Blueprint's function list."""
    render(workspace().register.functions(query), fmt)


def organisations(
    query: Annotated[str | None, typer.Argument(help="Name or code.")] = None,
    org_type: Annotated[str | None, typer.Option("--type", "-t")] = None,
    on: OnOption = None,
    reform: ReformOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Organisations by name or code, or all those of a type in force on a date."""
    render(workspace(reform).register.organisations(query, org_type, on), fmt)


def bodies(
    area: Annotated[str | None, typer.Argument(help="An ICB or place (name or code).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="trust, council or hwb.")] = None,
    mismatches: Annotated[
        bool, typer.Option("--mismatches", help="Trusts in only one of the two trust sources.")
    ] = False,
    on: OnOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The named NHS trusts, councils and health and wellbeing boards of an area."""
    questions = workspace().register
    if mismatches or area is None:
        render(questions.trust_sources(), fmt)
    else:
        render(questions.bodies(area, kind, on), fmt)


def accountability(fmt: FormatOption = Format.table) -> None:
    """How accountable each type of body is, criterion by criterion, with the score."""
    render(workspace().register.accountability(), fmt)


def parameters(
    prefix: Annotated[
        str, typer.Argument(help="Only those under a dotted prefix, e.g. finance.redundancy.")
    ] = "",
    on: OnOption = None,
    parameters_file: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Every assumption icsatlas computes with: value on a date, unit, certainty, source, and
    your overrides (--parameters FILE)."""
    render(workspace(parameters=parameters_file).parameters(prefix, on), fmt)


def sources(
    key: Annotated[str | None, typer.Argument(help="One source by its key.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Where every shipped data file comes from: publisher, date, licence, repository."""
    render(workspace().sources(key), fmt)


def tour() -> None:
    """A short tour: ICBs before and after the mergers, and who holds what before and
    after the Model ICB Blueprint."""
    from icsatlas.cli.tour import run

    run(workspace())


log_app = typer.Typer(
    invoke_without_command=True,
    help="The audit log: every change to the register, who made it, when, why, on what source.",
)


@log_app.callback()
def log(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="Show the last N changes.")] = 20,
    fmt: FormatOption = Format.table,
) -> None:
    """The audit log: every change to the register, who made it, when, why, on what source."""
    if ctx.invoked_subcommand is None:
        render(workspace().register.log(limit), fmt)


@log_app.command("verify")
def log_verify(
    expect: Annotated[
        str | None,
        typer.Option(help="A head noted earlier (from a previous verify): it must still be there."),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Check the audit log's hash chain: no change edited, deleted or reordered since it was
    recorded. Exits 1 if it is broken."""
    checked = workspace().register.verify_log(expect)
    render(checked, fmt)
    if len(checked.table.rows):
        raise typer.Exit(1)


reform_app = typer.Typer(no_args_is_help=True, help="Reforms: list, show, check, apply.")
board_app = typer.Typer(
    no_args_is_help=True, help="ICB and ICP boards: import, show, check, composition."
)


@reform_app.command("list")
def reform_list(fmt: FormatOption = Format.table) -> None:
    """The reforms shipped with icsatlas."""
    render(workspace().register.reforms(), fmt)


@reform_app.command("show")
def reform_show(
    name: Annotated[str, typer.Argument(help="Shipped reform name or YAML file.")],
    fmt: FormatOption = Format.table,
) -> None:
    """One reform: its legal status, every operation with its source, and what it does to
    bodies the register holds no functions for (where their functions go, or a gap)."""
    render(workspace().register.reform(name), fmt)


@reform_app.command("check")
def reform_check(
    paths: Annotated[
        list[str], typer.Argument(help="Reform YAML files or shipped names (several: a stack).")
    ],
) -> None:
    """Check a reform file (or a stack: applied together in date order), and that it
    applies cleanly to the register (nothing is saved); a stack's conflicts are listed."""
    checked = workspace().register.check_stack(*paths)
    for line in checked:
        console.print(line)


@reform_app.command("apply")
def reform_apply(
    path: Annotated[str, typer.Argument(help="Reform YAML file or shipped name.")],
    reason: ReasonOption,
) -> None:
    """Apply a reform to the workspace's register and record it in the audit log."""
    saved = workspace().register.apply_reform(path, reason)
    console.print(
        f"change {saved.change.change_id}: {saved.added} records added, "
        f"{saved.retracted} superseded"
    )


@board_app.command("import")
def board_import(
    path: Annotated[str, typer.Argument(help="CSV in the board template (docs/reference).")],
    reason: ReasonOption,
) -> None:
    """Import board members from CSV (one row per member, or the composition form with a
    count per role); a bad row rejects the whole file."""
    saved = workspace().register.import_board(path, reason)
    console.print(f"change {saved.change.change_id}: {saved.added} board members imported")
    for line in (saved.change.detail or {}).get("skipped", []):
        console.print(f"skipped {line}")


@board_app.command("show")
def board_show(
    icb: Annotated[str, typer.Argument(help="ICB (or ICP) code or name.")],
    on: OnOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """One board's members on a date, checked against the statutory minimum."""
    render(workspace().register.board(icb, on), fmt)


@board_app.command("check")
def board_check(on: OnOption = None, fmt: FormatOption = Format.table) -> None:
    """Every recorded board: minimum board met?, councillors and their share."""
    render(workspace().register.boards(on), fmt)


@board_app.command("composition")
def board_composition(
    area: Annotated[
        str | None, typer.Argument(help="An ICB, or a place or council within one.")
    ] = None,
    on: OnOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Board composition by role (one ICB) or by board (every ICB): voting members by sector,
    local-authority share, councillors, the private-healthcare exclusion; "none recorded"
    where no source was found."""
    render(workspace().register.board_composition(area, on), fmt)


def changes(
    since: Annotated[str, typer.Option("--since", help="The first day to list (YYYY-MM-DD).")],
    area_text: Annotated[
        str | None, typer.Option("--area", "-a", help="Only changes touching this area.")
    ] = None,
    function: Annotated[
        str | None, typer.Option("--function", help="Only changes touching this function.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What changed in the register since a date, newest first: new holders, mergers,
    reforms applied, board imports and data builds, from the audit log."""
    render(workspace().register.changes(since, area_text, function), fmt)


def add_commands(app: typer.Typer) -> None:
    """Attach the register's top-level commands to the main app."""
    for command in (tour, build, where, area, areas, who, diff, gaps, impact, changes):
        app.command()(command)
    for command in (functions, organisations, bodies, accountability, parameters, sources):
        app.command()(command)
    app.add_typer(log_app, name="log")
    app.add_typer(reform_app, name="reform")
    app.add_typer(board_app, name="board")
