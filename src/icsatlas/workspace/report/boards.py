"""Board and council representation of the ICBs covering the area, as recorded: a board
with no members recorded says "none recorded" (never a breach it cannot know about), and a
board with members recorded lists them (who, in what role, nominated by whom, from when,
on whose authority), so a change to a board shows on the page of every area it covers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icsatlas.results import Result, Table
from icsatlas.workspace.report import memo
from icsatlas.workspace.report.where import icbs

if TYPE_CHECKING:
    from datetime import date

    from icsatlas.geography import Resolution
    from icsatlas.workspace import Workspace

MEMBER_COLUMNS = ("person", "role", "nominated_by", "councillor", "from", "source")


def section(ws: Workspace, found: Resolution) -> Result:
    """``ws.register.boards`` for the boards of the ICBs covering ``found``, with each board's
    own notes, and (as sections) the members of each board that has any recorded
    (``ws.register.board``)."""
    boards = memo.kept(ws, ("boards", found.on), lambda: ws.register.boards(found.on))
    covering = icbs(ws, found)
    names = {icb.name for icb in covering}
    table = Table(boards.columns, tuple(r for r in boards.table.rows if r[0] in names))
    each = [(icb.name, _board(ws, icb.area_id, found.on)) for icb in covering]
    notes = [
        f"{name}: {note}" if len(covering) > 1 else note
        for name, board in each
        for note in board.notes
    ]
    if not any(r["members"] for r in table.records()):
        notes.insert(0, "none recorded: no board members are recorded for these boards")
    title = f"Board and council representation: the ICBs covering {found.name} on {found.on}"
    members = tuple(_members(name, found.on, board) for name, board in each if board.table.rows)
    return Result(table, boards.provenance, title, list(dict.fromkeys(notes)), members)


def _members(name: str, on: date, board: Result) -> Result:
    """One board's members on the date, as recorded, without the notes (in the section's)."""
    table = Table.from_records(board.table.records(), MEMBER_COLUMNS)
    return Result(table, board.provenance, f"Members of {name} recorded on {on}")


def _board(ws: Workspace, area_id: str, on: date) -> Result:
    """``ws.register.board(area_id, on)``, kept per workspace with the date's others."""
    known: dict[str, Result] = memo.kept(ws, ("board", on), dict)
    if area_id not in known:
        known[area_id] = ws.register.board(area_id, on)
    return known[area_id]
