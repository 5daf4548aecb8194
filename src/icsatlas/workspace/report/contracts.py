"""KPI series of the area's bodies whose latest point is special-cause concern (SPC, Making
Data Count), from ``ws.contracts.kpi``; "none recorded" when no series is stored for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icsatlas.errors import NotFoundError
from icsatlas.results import Result, Table
from icsatlas.workspace.contracts import KPI_COLUMNS
from icsatlas.workspace.report import memo

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.workspace import Workspace


def section(ws: Workspace, found: Resolution) -> Result:
    title = f"Contracts in SPC concern: {found.name} on {found.on}"
    stored = memo.kept(ws, ("kpi series",), lambda: _stored_series(ws))
    try:
        if not stored:
            raise NotFoundError("no stored KPI series")
        series = ws.contracts.kpi(area=found.code, on=found.on, concern_only=True, brief=True)
    except NotFoundError as error:
        note = f"none recorded: {error} (store some: icsatlas contracts kpi --load NAME)"
        return Result(Table(KPI_COLUMNS), ws.provenance(), title, (note,))
    notes = series.notes
    if not len(series):
        notes = ("no stored KPI series here is in special-cause concern", *notes)
    return Result(series.table, series.provenance, title, notes)


def _stored_series(ws: Workspace) -> int:
    """How many KPI series the store holds (none: the section needs no SPC at all)."""
    return int(ws.store.scalar("SELECT count(*) FROM kpi_series"))
