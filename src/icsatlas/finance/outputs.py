"""Writing a finance answer to files: its tables (CSV, Parquet, Excel) and its charts.

A result is written whole: its main table and every section. Tables are named by their
title's label, the words before the first colon (``"Payback: share of draws ..."`` ->
``payback``), which become file and sheet names. A result's chart is the one its table
holds: a target waterfall, convergence paths or a payback curve; a tornado is drawn from
the table of sensitivities among its sections.
"""

from __future__ import annotations

import re
from pathlib import Path

from icsatlas.errors import InputError
from icsatlas.results import Result

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def write(
    result: Result,
    export: str | Path | None = None,
    chart: str | Path | None = None,
    tornado: str | Path | None = None,
    force: bool = False,
) -> str:
    """Write what was asked for; one line saying what went where ('' if nothing). Every
    file name and what it needs is checked, and every file made, before anything is
    written; an existing file is refused unless ``force``."""
    from icsatlas.exports.files import Output, write_outputs
    from icsatlas.finance import charts
    from icsatlas.finance import export as exporting

    _check_suffix(export, exporting.FORMATS, "--export")
    _check_suffix(chart, charts.SUFFIXES, "--chart")
    _check_suffix(tornado, charts.SUFFIXES, "--tornado")
    if chart is not None:
        drawn = _chart_of(result)
    if tornado is not None:
        ranking = _table_with(result, "swing_gbp", "sensitivity ranking", "--tornado")
    files: list[Output] = []
    said = []
    if export is not None:
        tables, written = exporting.outputs(named(result), export)
        files += tables
        said.append(written.describe())
    if chart is not None:
        files.append(Output(Path(chart), charts.rendered(drawn(), chart), "--chart"))
        said.append(f"wrote {chart}")
    if tornado is not None:
        drawing = charts.rendered(charts.tornado(ranking), tornado)
        files.append(Output(Path(tornado), drawing, "--tornado"))
        said.append(f"wrote {tornado}")
    write_outputs(files, force)
    return "; ".join(said)


def _check_suffix(path: str | Path | None, allowed: tuple[str, ...], option: str) -> None:
    if path is not None and Path(path).suffix.lower() not in allowed:
        raise InputError(
            f"cannot write {Path(path).name}: use a file ending {', '.join(allowed)}",
            file=str(path),
            field=option,
        )


def named(result: Result) -> Result | dict[str, Result]:
    """One table as it is, or every table by its label."""
    if not result.sections:
        return result
    tables: dict[str, Result] = {}
    for table in (result, *result.sections):
        name = label(table.title) or "table"
        unique, count = name, 2
        while unique in tables:
            unique, count = f"{name}-{count}", count + 1
        tables[unique] = table
    return tables


def label(title: str) -> str:
    """'Payback: share of draws ...' -> 'payback'; 'By year: ...' -> 'by-year'."""
    head = title.split(":", 1)[0] if ":" in title else " ".join(title.split()[:3])
    return _NOT_NAME.sub("-", head.lower()).strip("-")[:30].strip("-")


def _chart_of(result: Result):
    from icsatlas.finance import charts

    columns = set(result.columns)
    if {"step", "gbp", "kind"} <= columns:
        return lambda: charts.waterfall(result)
    if {"allocation_gbp", "distance_from_fair_share"} <= columns:
        return lambda: charts.convergence(result)
    if {"cumulative_net_gbp", "cumulative_p10_gbp", "redundancy_gbp"} <= columns:
        return lambda: charts.payback_curve(result)
    raise InputError(
        f"no chart for {result.title!r}: charts are drawn for target waterfalls, "
        "convergence paths and the Blueprint bill",
        field="--chart",
    )


def _table_with(result: Result, column: str, what: str, option: str) -> Result:
    for table in (result, *result.sections):
        if column in table.columns:
            return table
    raise InputError(f"{result.title!r} has no {what} to draw", field=option)
