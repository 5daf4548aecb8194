"""Board and council representation of the ICBs covering the area, as recorded: a board
with no members recorded says "none recorded" (never a breach it cannot know about)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icsatlas.results import Result, Table
from icsatlas.workspace.report.where import icbs

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.workspace import Workspace


def section(ws: Workspace, found: Resolution) -> Result:
    """``ws.register.boards`` for the boards of the ICBs covering ``found``."""
    boards = ws.register.boards(found.on)
    names = {icb.name for icb in icbs(ws, found)}
    rows = tuple(r for r in boards.table.rows if r[0] in names)
    table = Table(boards.columns, rows)
    recorded = [r for r in table.records() if r["members"]]
    notes = [*boards.notes[2:]]
    if not recorded:
        notes.insert(0, "none recorded: no board members are recorded for these boards")
    title = f"Board and council representation: the ICBs covering {found.name} on {found.on}"
    return Result(table, boards.provenance, title, notes)
