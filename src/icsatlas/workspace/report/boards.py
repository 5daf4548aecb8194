"""Board and council representation of the ICBs covering the area, as recorded: a board
with no members recorded says "none recorded" (never a breach it cannot know about)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icsatlas.results import Result, Table
from icsatlas.workspace.report import memo
from icsatlas.workspace.report.where import icbs

if TYPE_CHECKING:
    from datetime import date

    from icsatlas.geography import Resolution
    from icsatlas.workspace import Workspace


def section(ws: Workspace, found: Resolution) -> Result:
    """``ws.register.boards`` for the boards of the ICBs covering ``found``, with each board's
    own notes (``ws.register.board``)."""
    boards = memo.kept(ws, ("boards", found.on), lambda: ws.register.boards(found.on))
    covering = icbs(ws, found)
    names = {icb.name for icb in covering}
    table = Table(boards.columns, tuple(r for r in boards.table.rows if r[0] in names))
    notes = [
        f"{icb.name}: {note}" if len(covering) > 1 else note
        for icb in covering
        for note in _board_notes(ws, icb.area_id, found.on)
    ]
    if not any(r["members"] for r in table.records()):
        notes.insert(0, "none recorded: no board members are recorded for these boards")
    title = f"Board and council representation: the ICBs covering {found.name} on {found.on}"
    return Result(table, boards.provenance, title, list(dict.fromkeys(notes)))


def _board_notes(ws: Workspace, area_id: str, on: date) -> tuple[str, ...]:
    """``ws.register.board(area_id, on).notes``, kept per workspace with the date's others."""
    known: dict[str, tuple[str, ...]] = memo.kept(ws, ("board notes", on), dict)
    if area_id not in known:
        known[area_id] = tuple(ws.register.board(area_id, on).notes)
    return known[area_id]
