"""The money of the ICBs covering the area: allocation and per head, distance from target,
running-cost allowance and the Blueprint's cut to £18.76 a head (allocations are made to
ICBs; for any other kind of area these are its ICBs' figures, said so in the title)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from icsatlas.errors import IcsatlasError
from icsatlas.results import Result, Table
from icsatlas.workspace.report import memo
from icsatlas.workspace.report.where import icbs

if TYPE_CHECKING:
    from datetime import date

    from icsatlas.geography import Resolution
    from icsatlas.workspace import Workspace

COLUMNS = (
    "icb",
    "ods_code",
    "allocation_gbp",
    "allocation_per_head",
    "target_per_head",
    "distance_from_target",
    "running_cost_allowance_gbp",
    "running_cost_allowance_per_head",
    "running_costs_per_head",
    "envelope_per_head",
    "blueprint_cut_gbp",
    "blueprint_cut_pct",
)
FROM_TARGETS = {
    "area_name": "icb",
    "ods_code": "ods_code",
    "actual_gbp": "allocation_gbp",
    "actual_per_head": "allocation_per_head",
    "target_per_head": "target_per_head",
    "distance_from_target": "distance_from_target",
}
FROM_RUNNING_COSTS = {
    "rca_gbp": "running_cost_allowance_gbp",
    "rca_per_head": "running_cost_allowance_per_head",
    "baseline_per_head": "running_costs_per_head",
    "target_per_head": "envelope_per_head",
    "reduction_gbp": "blueprint_cut_gbp",
    "reduction_pct": "blueprint_cut_pct",
}


def section(ws: Workspace, found: Resolution) -> Result:
    """``ws.finance.targets`` and ``ws.finance.running_costs`` on the date, for its ICBs."""
    chosen = {icb.ods_code for icb in icbs(ws, found)}
    whose = "" if found.kind == "icb" else "the ICBs covering "
    title = f"Money of {whose}{found.name} on {found.on}"
    try:
        targets, costs = memo.kept(ws, ("money", found.on), lambda: _money(ws, found.on))
    except IcsatlasError as error:
        note = f"none: the finance module has no allocation for this date ({error})"
        return Result(Table(COLUMNS), ws.provenance(), title, (note,))
    by_icb = {r["ods_code"]: r for r in costs.table.records()}
    rows = []
    for record in targets.table.records():
        if record["ods_code"] in chosen:
            row = _renamed(record, FROM_TARGETS)
            row |= _renamed(by_icb.get(record["ods_code"], {}), FROM_RUNNING_COSTS)
            rows.append(row)
    notes = (
        "allocation_gbp: the ICB's core allocation; distance_from_target = allocation / "
        "fair-share target - 1",
        "running_costs_per_head: running-cost allowance plus programme pay a head; "
        "blueprint_cut: the reduction to the Blueprint's envelope a head",
        *targets.notes,
        *costs.notes,
    )
    provenance = targets.provenance.merged(costs.provenance)
    return Result(Table.from_records(rows, COLUMNS), provenance, title, notes)


def _money(ws: Workspace, on: date) -> tuple[Result, Result]:
    """Every ICB's allocation and running costs on ``on``."""
    return ws.finance.targets(on=on), ws.finance.running_costs(on=on)


def _renamed(record: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {new: record.get(old) for old, new in names.items()}
