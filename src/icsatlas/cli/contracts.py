"""`icsatlas contracts ...`: the contract register (OCDS and CSV), KPIs with SPC, Provider
Selection Regime decisions and the outsourcing picture. Thin shells over
:mod:`icsatlas.contracts`."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.progress import Progress

from icsatlas.cli.render import Format, FormatOption, console, errors, render
from icsatlas.contracts import kpi, outsourcing, parties, psr, register_csv, removal
from icsatlas.contracts.ocds import load
from icsatlas.contracts.spc import analyse, chart, names, rule_set
from icsatlas.errors import InputError, NotFoundError
from icsatlas.inputs.columns import key
from icsatlas.inputs.dates import parse_date
from icsatlas.inputs.rows import read_header
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.register import persist
from icsatlas.register.register import Register
from icsatlas.results import Result
from icsatlas.store import Store, connect

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


RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules", help="SPC rule set, NAME or NAME@DATE (see `icsatlas contracts rules`)."
    ),
]
ParametersOption = Annotated[
    Path | None,
    typer.Option(
        "--parameters",
        help="YAML file of parameter values to use instead of the shipped ones.",
        exists=True,
        dir_okay=False,
    ),
]


def _params(path: Path | None) -> ParameterSet:
    """The shipped parameters, with the values of ``--parameters FILE`` on top."""
    shipped = ParameterSet.shipped()
    return shipped.override(path) if path else shipped


def _register(store: Store) -> Register:
    """The workspace register if built, else the one built from shipped data."""
    with Progress(console=errors, transient=True) as progress:
        progress.add_task("loading the register to link buyers and suppliers", total=None)
        return persist.load(store) if persist.is_built(store) else parties.baseline_register()


def _detect(path: Path) -> Kind:
    if path.suffix.lower() in (".json", ".jsonl", ".jsonlines", ".ndjson"):
        return Kind.ocds
    columns = {key(name) for name in read_header(path)}
    for kind, needed in (
        (Kind.register, {"contract id"}),
        (Kind.psr, {"reference", "process"}),
        (Kind.classification, {"identifier", "party class"}),
        (Kind.kpi, {"date", "value"}),
    ):
        if needed <= columns:
            return kind
    raise InputError("cannot tell what this CSV holds; use --as", file=path, row=1)


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
    icb: Annotated[str | None, typer.Option(help="KPI: ICB ODS code.")] = None,
) -> None:
    """Import a file into the workspace (one transaction: a bad file changes nothing)."""
    store = connect()
    kind = kind or _detect(file)
    if kind is Kind.ocds:
        with Progress(console=errors, transient=True) as progress:
            task = progress.add_task(f"importing {file.name}", total=None)
            done = load.import_file(
                store,
                file,
                register=_register(store),
                progress=lambda n: progress.update(task, completed=n),
            )
        console.print(
            f"{done.releases:,} releases read ({done.new_releases:,} new) from "
            f"{done.format}; {done.records:,} records compiled; "
            f"{done.contracts:,} contracts (change {done.change_id})"
        )
    elif kind is Kind.register:
        count = register_csv.import_register(store, file, register=_register(store))
        console.print(f"{count:,} contracts imported from {file}")
    elif kind is Kind.classification:
        count = parties.import_classification(store, file)
        parties.reclassify(store, _register(store))
        console.print(f"{count:,} suppliers classified; contracts reclassified")
    elif kind is Kind.psr:
        console.print(f"{psr.import_decisions(store, file):,} decisions imported from {file}")
    else:
        if not code or not name:
            raise InputError("a KPI import needs --code and --name", file=file)
        meta = kpi.SeriesMeta(code, name, unit, improvement.value, target, contract, provider, icb)
        console.print(f"{kpi.import_csv(store, file, meta):,} KPI series imported from {file}")


@app.command("list")
def list_(
    icb: Annotated[str | None, typer.Option(help="Only this ICB's contracts (ODS code).")] = None,
    supplier_class: Annotated[
        str | None, typer.Option("--supplier-class", help=", ".join(parties.CLASSES))
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Contracts in the register with buyer, supplier and class, value, period, route and
    status."""
    store = connect()
    frame = outsourcing.contracts(store, icb)
    if supplier_class:
        frame = frame[frame.supplier_class == supplier_class]
    render(Result(frame[LIST_COLUMNS], Provenance(engine=store.dialect), "Contracts"), fmt)


LIST_COLUMNS = [
    "contract_key",
    "title",
    "buyer_name",
    "supplier_name",
    "supplier_class",
    "value_amount",
    "start_date",
    "end_date",
    "procurement_route",
    "status",
]


@app.command()
def remove(
    contract_keys: Annotated[
        list[str], typer.Argument(help="Contract keys (see `icsatlas contracts list`).")
    ],
    reason: Annotated[str, typer.Option(help="Why: recorded in the audit log.")],
) -> None:
    """Remove contracts from the register, recorded in the audit log with the reason (all
    or nothing: if one key is unknown, none is removed)."""
    done = removal.remove(connect(), contract_keys, reason)
    noun = "contract" if len(done.keys) == 1 else "contracts"
    console.print(f"{len(done.keys):,} {noun} removed (change {done.change_id})")
    if done.kpi_series:
        console.print(f"KPI series that name them are kept: {done.kpi_series:,}")


@app.command()
def amendments(
    contract_key: Annotated[str, typer.Argument(help="e.g. ocds-h6vhtk-0a1b2c/006001-2024-1")],
    fmt: FormatOption = Format.table,
) -> None:
    """How a contract's value and end date changed over time."""
    frame = connect().fetch_df(
        "SELECT amendment_id, amendment_date, description, value_amount, end_date"
        " FROM contract_amendment WHERE contract_key = ? ORDER BY amendment_date",
        (contract_key,),
    )
    if frame.empty:
        raise NotFoundError(f"no contract {contract_key!r} (see `icsatlas contracts list`)")
    for column in ("amendment_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    render(Result(frame, title=f"Amendments of {contract_key}"), fmt)


@app.command()
def record(ocid: Annotated[str, typer.Argument(help="An OCDS ocid.")]) -> None:
    """Export the compiled OCDS release of one contracting process (JSON)."""
    compiled = connect().scalar("SELECT compiled FROM ocds_record WHERE ocid = ?", (ocid,))
    if compiled is None:
        raise NotFoundError(f"no compiled record for {ocid!r}")
    sys.stdout.write(json.dumps(json.loads(compiled), indent=2) + "\n")


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
    chart_path: Annotated[
        Path | None, typer.Option("--chart", help="Write a chart: .png, .svg or .html.")
    ] = None,
    summary: Annotated[bool, typer.Option("--summary", help="One row per series instead.")] = False,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Every point with its limits, rule hits and point type (NHSRplotthedots semantics)."""
    params = _params(parameters)
    frame = kpi.read_csv(file)
    if frame["series"].isna().all():
        frame = frame.drop(columns="series")
    dates = [parse_date(d, field="--rebase") for d in rebase or []]
    result = analyse(
        frame,
        rule_set(params, rules),
        improvement=improvement.value,
        target=target,
        rebase=dates,
        fix_after=fix_after,
        screen_outliers=screen_outliers,
    )
    if chart_path:
        chart.save(result, chart_path, title=file.stem)
        errors.print(f"chart written to {chart_path}")
    table = result.summary if summary else result.points
    if "series" not in frame:
        table = table.drop(columns=["series"])
    if fmt is Format.table and not summary:
        table = _compact(table)
    provenance = Provenance(data={"series": str(file)}, parameters=params.fingerprint)
    render(Result(table, provenance, f"SPC: {file.name}", result.notes), fmt)


RULE_COLUMNS = ["outside_limits", "trend", "two_of_three", "shift"]


def _compact(points: pd.DataFrame) -> pd.DataFrame:
    """The columns that fit a terminal: rule hits joined, point type shortened."""
    hits = points[RULE_COLUMNS].apply(lambda r: ", ".join(c for c in RULE_COLUMNS if r[c]), axis=1)
    kind = points.point_type.astype(str).str.replace("special_cause_", "", regex=False)
    keep = [c for c in ("series", "date", "value", "mean", "lpl", "upl") if c in points]
    return points[keep].assign(
        rules_hit=hits, special_cause=points.special_cause_type.astype(str), point_type=kind
    )


@app.command("rules")
def rules_(parameters: ParametersOption = None, fmt: FormatOption = Format.table) -> None:
    """The SPC rule sets you can choose with --rules."""
    params = _params(parameters)
    rows = []
    for name in names(params):
        chosen = rule_set(params, name)
        rows.append(
            {
                "name": name,
                "version": chosen.version,
                "trend": chosen.trend_points,
                "shift": chosen.shift_points,
                "2-of-3 counts beyond limits": chosen.two_of_three_counts_beyond_limits,
                "screens outliers": chosen.screen_outliers,
                "certainty": chosen.certainty,
                "label": chosen.label,
            }
        )
    provenance = Provenance(parameters=params.fingerprint)
    render(Result(pd.DataFrame(rows), provenance, "SPC rule sets"), fmt)


@app.command("kpi")
def kpi_(
    pattern: Annotated[
        str, typer.Argument(help="Series codes to show (SQL LIKE, e.g. 'ae-4h/%').")
    ] = "%",
    load_shipped: Annotated[
        str | None,
        typer.Option("--load", help=f"Load shipped series first: {', '.join(kpi.SHIPPED)}."),
    ] = None,
    rules: RulesOption = None,
    concern_only: Annotated[
        bool, typer.Option("--concern", help="Only series whose latest point is a concern.")
    ] = False,
    chart_dir: Annotated[
        Path | None, typer.Option("--charts", help="Write an HTML chart per series here.")
    ] = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Stored KPI series with their SPC summary: variation and assurance icons."""
    store = connect()
    if load_shipped:
        count = kpi.load_shipped(store, load_shipped)
        errors.print(f"loaded {count:,} shipped series ({load_shipped})")
    result, provenance = kpi.spc(store, pattern, rules, params=_params(parameters))
    summary = result.summary
    if concern_only:
        summary = summary[summary.latest_point_type == "special_cause_concern"]
    if chart_dir:
        chart_dir.mkdir(parents=True, exist_ok=True)
        for code in summary.series:
            chart.save(result, chart_dir / (code.replace("/", "_") + ".html"), series=code)
        errors.print(f"{len(summary):,} charts written to {chart_dir}")
    if fmt is Format.table:
        summary = summary[KPI_COLUMNS]
    render(Result(summary.reset_index(drop=True), provenance, "KPI series", result.notes), fmt)


KPI_COLUMNS = [
    "series",
    "name",
    "n",
    "to",
    "latest_value",
    "mean",
    "lpl",
    "upl",
    "target",
    "variation",
    "assurance",
    "trial_limits",
]


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
    day = parse_date(published, field="published")
    decided = (
        parse_date(representations_decided, field="--representations-decided")
        if representations_decided
        else None
    )
    params = _params(parameters)
    period = psr.standstill(day, decided, params=params)
    frame = pd.DataFrame(
        [
            {
                "intention notice published": period.published,
                "standstill ends (midnight)": period.ends,
                "representations decided": period.representations_decided,
                "further standstill ends": period.extended_ends,
                "may award from": period.award_from,
            }
        ]
    )
    render(Result(frame, Provenance(parameters=params.fingerprint), "PSR standstill"), fmt)


@psr_app.command("log")
def psr_log(
    today: Annotated[str | None, typer.Option(help="Check obligations as on this date.")] = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The decision log with standstill dates and publication obligations checked."""
    params = _params(parameters)
    on = parse_date(today, field="--today") if today else date.today()
    frame = psr.decisions(connect(), on, params=params)
    if frame.empty:
        raise NotFoundError("no PSR decisions recorded: `icsatlas contracts import LOG.csv`")
    provenance = Provenance(parameters=params.fingerprint)
    render(Result(frame, provenance, f"PSR decisions on {on}"), fmt)


@app.command("outsourcing")
def outsourcing_(
    icb: Annotated[str | None, typer.Option(help="One ICB (ODS code); default: England.")] = None,
    view: Annotated[
        View, typer.Option(help="shares, routes, subsidiaries or concerns.")
    ] = View.shares,
    rules: RulesOption = None,
    parameters: ParametersOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The outsourcing picture by financial year: value by supplier class, direct awards
    against competition, subsidiaries, contracts with KPIs in special-cause concern. Values
    are spread over each contract's period pro rata by days; cancelled contracts are left
    out."""
    result = outsourcing.picture(connect(), view.value, icb, rules, params=_params(parameters))
    render(result, fmt)
