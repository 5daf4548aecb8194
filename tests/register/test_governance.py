"""Board members: CSV import checked row by row, the statutory minimum board, councillors.

The minimum: NHS Act 2006 Sch 1B para 3 (chair, chief executive, at least three ordinary
members) and partner members from trusts, primary care and councils; NHS England policy adds
finance, medical and nursing directors and at least two non-executives (ICS-REFERENCE.md §4).
"""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.register import governance
from icsatlas.register.model import Changeset

HEADER = "board_ods,board_name,person,role,nominated_by,is_councillor,valid_from,valid_to,source\n"
FULL_BOARD = [
    ("Chair A", "chair", "", "false"),
    ("CEO B", "chief-executive", "", "false"),
    ("C", "executive-finance", "", "false"),
    ("D", "executive-medical", "", "false"),
    ("E", "executive-nursing", "", "false"),
    ("F", "partner-trusts", "NHS trusts and foundation trusts", "false"),
    ("G", "partner-primary-care", "primary medical services providers", "false"),
    ("Cllr H", "partner-local-authority", "local authorities", "true"),
    ("I", "non-executive", "", "false"),
    ("J", "non-executive", "", "unknown"),
]


def csv_file(tmp_path, rows, board="QYG"):
    lines = [
        f"{board},Board,{p},{r},{n},{c},2024-04-01,,https://example.org/constitution\n"
        for p, r, n, c in rows
    ]
    path = tmp_path / "board.csv"
    path.write_text(HEADER + "".join(lines))
    return path


def with_members(register, path):
    return register.with_changes(Changeset(added=governance.read_members(path, register)))


def test_a_full_board_meets_the_minimum(register, tmp_path):
    after = with_members(register, csv_file(tmp_path, FULL_BOARD))
    check = governance.check(after, "QYG", date(2025, 1, 1))
    assert check.statutory_ok and not check.missing_policy
    assert (check.members, check.councillors) == (10, 1)
    assert check.councillor_share == pytest.approx(0.1)


def test_a_board_without_a_local_authority_partner_fails_the_statute(register, tmp_path):
    rows = [r for r in FULL_BOARD if r[1] not in ("partner-local-authority", "non-executive")]
    after = with_members(register, csv_file(tmp_path, rows))
    check = governance.check(after, "QYG", date(2025, 1, 1))
    assert not check.statutory_ok
    assert any("local authorities" in m for m in check.missing_statutory)
    assert "at least 2 non-executive members (has 0)" in check.missing_policy


def test_bad_rows_are_all_reported_with_row_and_field(register, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "QYG,B,Chair A,chair,,false,2024-04-01,,src\n"
        + "QZZ,B,X,chair,,false,2024-04-01,,src\n"
        + "QYG,B,Y,boss,,false,2024-04-01,,src\n"
        + "QYG,B,Z,non-executive,,maybe,2024-04-01,,src\n"
        + "QYG,B,W,non-executive,,false,2024-13-01,,src\n"
        + "QNQ,B,V,chair,,false,2026-05-01,,src\n"
    )
    with pytest.raises(InputErrors) as error:
        governance.read_members(path, register)
    text = str(error.value)
    assert f"{path}:3: board_ods: no ICB or ICP with code 'QZZ'" in text
    assert f"{path}:4: role: unknown role 'boss'" in text
    assert f"{path}:5: is_councillor: must be true, false or unknown" in text
    assert f"{path}:6: valid_from: not a date (YYYY-MM-DD): '2024-13-01'" in text
    assert f"{path}:7: valid_from: outside the board's lifetime" in text


def test_missing_columns_are_an_error(register, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("board_ods,person,role\nQYG,A,chair\n")
    with pytest.raises(InputError, match="missing columns: board_name"):
        governance.read_members(path, register)


def test_the_shipped_template_has_the_documented_columns():
    from importlib import resources

    template = resources.files("icsatlas.data") / "templates" / "board_members.csv"
    assert template.read_text().strip().split(",") == list(governance.COLUMNS)
