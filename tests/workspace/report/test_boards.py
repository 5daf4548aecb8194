"""Board and council representation as recorded: an imported board's members, and "none
recorded" elsewhere."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

import icsatlas
from icsatlas.workspace import Workspace

BEFORE_MERGERS = "2025-06-01"


@pytest.fixture(scope="module")
def with_board(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    home = tmp_path_factory.mktemp("report-board")
    ws = icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)
    path = resources.files("icsatlas.data") / "examples" / "board_hertfordshire_west_essex.csv"
    ws.register.import_board(str(path), "board from the constitution")
    return ws


def test_a_recorded_board_is_the_boards_answer(with_board):
    """board_hertfordshire_west_essex.csv: the 10 minimum seats of the HWE ICB (QM7) board,
    from its constitution (data/examples/board_hertfordshire_west_essex.md)."""
    section = with_board.report("QM7", BEFORE_MERGERS).sections["boards"]
    (row,) = section.table.records()
    expected = next(
        r
        for r in with_board.register.boards(BEFORE_MERGERS).table.records()
        if r["board"] == "NHS Hertfordshire and West Essex Integrated Care Board"
    )
    assert row == expected
    assert row["members"] == 10
    assert not any(n.startswith("none recorded") for n in section.notes)


def test_a_recorded_boards_members_are_listed_as_recorded(with_board):
    """The section's further table names the people the example file records, in its roles."""
    path = resources.files("icsatlas.data") / "examples" / "board_hertfordshire_west_essex.csv"
    with path.open(encoding="utf-8") as f:
        expected = sorted(r["person"] for r in csv.DictReader(f))
    (members,) = with_board.report("QM7", BEFORE_MERGERS).sections["boards"].sections
    assert members.columns[:3] == ("person", "role", "nominated_by")
    assert sorted(members.table.column("person")) == expected
    assert members.title.startswith("Members of NHS Hertfordshire and West Essex")


def test_a_board_with_no_members_is_none_recorded_not_a_breach(with_board):
    section = with_board.report("QWO", BEFORE_MERGERS).sections["boards"]
    assert section.table.column("statutory_minimum") == ["none recorded"]
    assert section.notes[0].startswith("none recorded")
    assert section.sections == ()  # no list of members where none is recorded
