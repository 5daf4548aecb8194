"""`icsatlas contracts ...`: a thin shell over ``Workspace.contracts`` (parse, ask, render).

The contract register (OCDS and CSV), KPIs with SPC, Provider Selection Regime decisions and
the outsourcing picture. Imports only typer and the CLI's options and renderer at the top,
so ``icsatlas contracts --help`` starts fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icsatlas.cli.options import (
    ForceOption,
    OnOption,
    ParametersOption,
    ReformOption,
    workspace,
)
from icsatlas.cli.render import Format, FormatOption, console, errors, render

if TYPE_CHECKING:
    from icsatlas.results import Result

app = typer.Typer(
    no_args_is_help=True,
    help="Contracts: OCDS and CSV registers, KPIs with SPC (Making Data Count), Provider "
    "Selection Regime decisions, the outsourcing picture.",
)
psr_app = typer.Typer(no_args_is_help=True, help="Provider Selection Regime decisions.")
app.add_typer(psr_app, name="psr")


class Kind(StrEnum):
    ocds = "ocds"
    register = "register"
    classification = "classification"
    psr = "psr"
    kpi = "kpi"


class Improvement(StrEnum):
    increase = "increase"
    decrease = "decrease"
    neutral = "neutral"


class View(StrEnum):
    shares = "shares"
    routes = "routes"
    subsidiaries = "subsidiaries"
    concerns = "concerns"


SUPPLIER_CLASSES = (
    "nhs-body, trust-subsidiary, independent-sector, voluntary-sector, local-authority, "
    "unclassified"
)
SHIPPED_KPIS = "ae-4h, rtt-18w, cancer-62d, cancer-31d, cancer-fds"

RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules", help="SPC rule set, NAME or NAME@DATE (see `icsatlas contracts rules`)."
    ),
]
AreaFilter = Annotated[
    str | None,
    typer.Option(
        "--area",
        "--icb",
        "-a",
        help="Only in this area: an ICB, place, council, GP practice or PCN (name or code), or "
        "a postcode; default England.",
    ),
]


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="OCDS JSON/JSON Lines, or a CSV.")],
    kind: Annotated[
        Kind | None, typer.Option("--as", help="What the file is (default: detect).")
    ] = None,
    code: Annotated[str | None, typer.Option(help="KPI: series code, e.g. msk-wait/RDU.")] = None,
    name: Annotated[str | None, typer.Option(help="KPI: what the series measures.")] = None,
    unit: Annotated[str, typer.Option(help="KPI: unit.")] = "",
    improvement: Annotated[
        Improvement, typer.Option(help="KPI: which way is better.")
    ] = Improvement.increase,
    target: Annotated[float | None, typer.Option(help="KPI: target.")] = None,
    contract: Annotated[str | None, typer.Option(help="KPI: contract key it monitors.")] = None,
    provider: Annotated[str | None, typer.Option(help="KPI: provider ODS code.")] = None,
    icb: Annotated[
        str | None, typer.Option(help="KPI: the ICB it is for (name, code or any area in it).")
    ] = None,
) -> None:
    """Import a file into the workspace (one transaction: a bad file changes nothing)."""
    with _Progress(f"importing {file.name}") as progress:
        done = workspace().contracts.import_file(
            file,
            kind.value if kind else None,
            code=code,
            name=name,
            unit=unit,
            improvement=improvement.value,
            target=target,
            contract=contract,
            provider=provider,
            icb=icb,
            progress=progress,
        )
    _confirm(done)


@app.command("list")
def list_(
    area: AreaFilter = None,
    supplier_class: Annotated[
        str | None, typer.Option("--supplier-class", help=SUPPLIER_CLASSES)
    ] = None,
    on: OnOption = None,
    reform: ReformOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Contracts with buyer (and the buyer's ICB on the date), supplier and class, value,
    period, route and status."""
    contracts = workspace(reform).contracts
    render(contracts.list(area, supplier_class, on, brief=fmt is Format.table), fmt)


@app.command()
def remove(
    contract_keys: Annotated[
        list[str], typer.Argument(help="Contract keys (see `icsatlas contracts list`).")
    ],
    reason: Annotated[str, typer.Option(help="Why: recorded in the audit log.")],
) -> None:
    """Remove contracts from the register, recorded in the audit log with the reason (all
    or nothing: if one key is unknown, none is removed)."""
    _confirm(workspace().contracts.remove(contract_keys, reason))


@app.command()
def amendments(
    contract_key: Annotated[str, typer.Argument(help="e.g. ocds-h6vhtk-0a1b2c/006001-2024-1")],
    fmt: FormatOption = Format.table,
) -> None:
    """How a contract's value and end date changed over time."""
    render(workspace().contracts.amendments(contract_key), fmt)


@app.command()
def record(
    ocid: Annotated[str, typer.Argument(help="An OCDS ocid.")],
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Write the compiled release (OCDS JSON) to this file."),
    ] = None,
    force: ForceOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """The compiled OCDS release of one contracting process, one field a row; --export
    writes the release itself for OCDS tools."""
    contracts = workspace().contracts
    if export:
        _confirm(contracts.export_record(ocid, export, force))
    else:
        render(contracts.record(ocid), fmt)


@app.command()
def spc(
    file: Annotated[Path, typer.Argument(help="CSV with date,value columns (optionally series).")],
    improvement: Annotated[
        Improvement, typer.Option(help="Which way is better.")
    ] = Improvement.increase,
    target: Annotated[float | None, typer.Option(help="Target, for the assurance icon.")] = None,
    rules: RulesOption = None,
    rebase: Annotated[
        list[str] | None, typer.Option(help="Start new limits on this date; repeatable.")
    ] = None,
    fix_after: Annotated[
        int | None, typer.Option(help="Fix the limits on the first N points.")
    ] = None,
    screen_outliers: Annotated[
        bool | None,
        typer.Option(
            "--screen-outliers/--no-screen-outliers",
            help="Screen large moving ranges out of the limits (default: as the rule set).",
        ),
    ] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Write a chart: .png, .svg or .html.")
    ] = None,
    force: ForceOption = False,
    summary: Annotated[bool, typer.Option("--summary", help="One row per series only.")] = False,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Every point with its limits, rule hits and point type, and a summary per series with
    its variation and assurance icons (NHSRplotthedots semantics)."""
    result = workspace(parameters=parameters).contracts.spc(
        file,
        improvement=improvement.value,
        target=target,
        rules=rules,
        rebase=rebase or (),
        fix_after=fix_after,
        screen_outliers=screen_outliers,
        summary=summary,
        brief=fmt is Format.table,
        chart=chart,
        force=force,
    )
    if chart:
        errors.print(f"chart written to {chart}")
    render(_one_table(result, fmt), fmt)


@app.command("rules")
def rules_(parameters: ParametersOption = None, fmt: FormatOption = Format.table) -> None:
    """The SPC rule sets you can choose with --rules."""
    render(workspace(parameters=parameters).contracts.rules(), fmt)


@app.command("kpi")
def kpi_(
    pattern: Annotated[
        str, typer.Argument(help="Series codes to show (* matches any characters, e.g. 'ae-4h/*').")
    ] = "*",
    area: AreaFilter = None,
    load: Annotated[
        str | None, typer.Option("--load", help=f"Load shipped series first: {SHIPPED_KPIS}.")
    ] = None,
    rules: RulesOption = None,
    concern_only: Annotated[
        bool, typer.Option("--concern", help="Only series whose latest point is a concern.")
    ] = False,
    charts: Annotated[
        Path | None,
        typer.Option(
            "--charts", help="Write an HTML chart per series into this folder (made if missing)."
        ),
    ] = None,
    force: ForceOption = False,
    on: OnOption = None,
    reform: ReformOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Stored KPI series with the ICB each is for and their SPC summary: variation and
    assurance icons."""
    ws = workspace(parameters=parameters)
    if load:  # a write before the query: its line goes to stderr, beside the output
        errors.print(ws.contracts.load_kpi(load).title, highlight=False)
    result = ws.with_reforms(*(reform or ())).contracts.kpi(
        pattern,
        area=area,
        on=on,
        rules=rules,
        concern_only=concern_only,
        brief=fmt is Format.table,
        charts=charts,
        force=force,
    )
    if charts:
        errors.print(f"{len(result):,} charts written to {charts}")
    render(result, fmt)


@app.command("outsourcing")
def outsourcing_(
    area: AreaFilter = None,
    view: Annotated[
        View, typer.Option(help="shares, routes, subsidiaries or concerns.")
    ] = View.shares,
    rules: RulesOption = None,
    on: OnOption = None,
    reform: ReformOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The outsourcing picture by financial year: value by supplier class, direct awards
    against competition, subsidiaries, contracts with KPIs in special-cause concern. Values
    are spread over each contract's period pro rata by days; cancelled contracts are left
    out. With --area, the contracts whose buyer serves that area on the date."""
    contracts = workspace(reform, parameters=parameters).contracts
    render(contracts.outsourcing(view.value, area, on, rules), fmt)


@psr_app.command("standstill")
def psr_standstill(
    published: Annotated[str, typer.Argument(help="Date the intention notice was published.")],
    representations_decided: Annotated[
        str | None,
        typer.Option(help="Date the authority decided to proceed after representations."),
    ] = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """When the standstill ends and the contract may be awarded (England and Wales
    working days)."""
    contracts = workspace(parameters=parameters).contracts
    render(contracts.standstill(published, representations_decided), fmt)


@psr_app.command("log")
def psr_log(
    on: Annotated[
        str | None,
        typer.Option("--on", "--today", help="Check obligations as on this date; default today."),
    ] = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The decision log with standstill dates and publication obligations checked."""
    render(workspace(parameters=parameters).contracts.psr_log(on), fmt)


@psr_app.command("import")
def psr_import(file: Annotated[Path, typer.Argument(help="A PSR decision log (CSV).")]) -> None:
    """Import a decision log (one row per decision; re-importing a reference replaces it)."""
    _confirm(workspace().contracts.import_file(file, Kind.psr.value))


def _confirm(done: Result) -> None:
    """The one line a write prints."""
    console.print(done.title, highlight=False)


def _one_table(result: Result, fmt: Format) -> Result:
    """CSV holds one table: the points (or the summary alone); other formats take all."""
    return result.sections[0] if fmt is Format.csv and result.sections else result


class _Progress:
    """A transient progress line on stderr while a long import runs; the callback it gives
    takes the count of items read."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self):
        from rich.progress import Progress

        self.bar = Progress(console=errors, transient=True)
        self.bar.start()
        self.task = self.bar.add_task(self.label, total=None)
        return lambda n: self.bar.update(self.task, completed=n)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()
