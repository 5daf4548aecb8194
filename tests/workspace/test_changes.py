"""``ws.register.changes``: register writes made here appear, newest first, with their time,
author and records, and only where they touched the area or function asked about."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from importlib import resources

import pytest

import icsatlas
from icsatlas.errors import NotFoundError
from icsatlas.workspace import Workspace

BOARD = resources.files("icsatlas.data") / "examples" / "board_hertfordshire_west_essex.csv"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, datetime]:
    """A fresh workspace, then two writes: a board import, then the Blueprint applied."""
    home = tmp_path_factory.mktemp("changes")
    ws = icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)
    assert ws.latest_change  # builds the register first
    started = datetime.now(UTC).replace(tzinfo=None)  # the log records UTC
    ws.register.import_board(str(BOARD), "board from the constitution", actor="board-clerk")
    ws.register.apply_reform("blueprint-2025", "what if", actor="policy-analyst")
    return ws, started


def test_writes_appear_newest_first_with_time_author_and_records(written):
    ws, started = written
    rows = ws.register.changes(started.date()).table.records()
    reform, board = rows[0], rows[1]
    assert (reform["actor"], reform["kind"]) == ("policy-analyst", "reform")
    assert reform["reason"].startswith("what if (apply reform blueprint-2025")
    assert (board["actor"], board["kind"]) == ("board-clerk", "import")
    # board_hertfordshire_west_essex.csv holds the 10 minimum seats of the HWE board
    assert board["records"] == "10 board_member added"
    assert reform["change"] > board["change"]
    assert reform["recorded_at"] >= board["recorded_at"] >= started
    assert [r["change"] for r in rows] == sorted((r["change"] for r in rows), reverse=True)


def test_the_build_is_listed_too_and_nothing_after_today(written):
    ws, started = written
    kinds = {r["kind"] for r in ws.register.changes(started.date()).table.records()}
    assert kinds == {"import", "reform"}  # the build's imports and reforms, and ours
    tomorrow = date.today() + timedelta(days=1)
    assert ws.register.changes(tomorrow).table.records() == []


def test_an_area_sees_only_the_changes_that_touched_it(written):
    ws, started = written
    board = {"board-clerk"}
    here = ws.register.changes(started.date(), area="QM7").table.records()
    assert board <= {r["actor"] for r in here}
    elsewhere = ws.register.changes(started.date(), area="Cornwall").table.records()
    assert elsewhere and not board & {r["actor"] for r in elsewhere}


def test_a_function_sees_only_the_changes_that_touched_it(written):
    ws, started = written
    rows = ws.register.changes(started.date(), function="GP IT").table.records()
    actors = {r["actor"] for r in rows}
    assert "policy-analyst" in actors  # the Blueprint flags GP IT (its flags in reforms/)
    assert "board-clerk" not in actors  # a board names no function
    assert "General practice IT" in ws.register.changes(started.date(), function="GP IT").title


def test_an_unknown_function_or_area_is_not_found(written):
    ws, started = written
    with pytest.raises(NotFoundError):
        ws.register.changes(started.date(), function="no such function at all")
    with pytest.raises(NotFoundError):
        ws.register.changes(started.date(), area="ZZZ99")
