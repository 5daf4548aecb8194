"""Board members: CSV import checked row by row, the statutory minimum board, councillors.

The minimum: NHS Act 2006 Sch 1B para 3 (chair, chief executive, at least three ordinary
members) and partner members from trusts, primary care and councils; NHS England policy adds
finance, medical and nursing directors and at least two non-executives (ICS-REFERENCE.md §4).
"""

from __future__ import annotations

import uuid
from datetime import date

import psycopg
import pytest

import icsatlas
from icsatlas.errors import InputErrors
from icsatlas.register import governance
from icsatlas.register.model import Changeset
from icsatlas.store import audit

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
    assert (check.members, check.councillors, check.unknown) == (10, 1, 1)
    assert check.councillor_share == pytest.approx(1 / 9)  # of those whose status is known


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
    assert f"{path}:6: valid_from: not a date: '2024-13-01' (there is no month 13" in text
    assert f"{path}:7: valid_from: outside the board's lifetime" in text


def test_every_problem_of_a_row_is_reported_not_only_the_first(register, tmp_path):
    """Issue 9 section 3: the board reader stopped at the first error of each row."""
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "QZZ,B,,boss,,maybe,01/04/2024,31/03/2024,\n")
    with pytest.raises(InputErrors) as error:
        governance.read_members(path, register)
    assert [str(e) for e in error.value.errors] == [
        f"{path}:2: role: unknown role 'boss'; use {', '.join(governance.ROLES)}",
        f"{path}:2: is_councillor: must be true, false or unknown",
        f"{path}:2: board_ods: no ICB or ICP with code 'QZZ'",
        f"{path}:2: person: empty: give the name, or the role title as the source writes it",
        f"{path}:2: valid_to: 2024-03-31 is not after valid_from 2024-04-01",
        f"{path}:2: source: every member needs a source",
    ]


def test_roles_and_councillor_status_are_read_in_any_case(register, tmp_path):
    """Issue 9 section 3: role values were case-sensitive ("Chair" was refused)."""
    path = tmp_path / "board.csv"
    path.write_text(
        HEADER
        + "qyg,B,Chair A,Chair,,FALSE,01/04/2024,,src\n"
        + "QYG,B,CEO B,Chief Executive,,True,1 April 2024,,src\n"
    )
    members = governance.read_members(path, register)
    assert [(m.role, m.is_councillor) for m in members] == [
        ("chair", "no"),
        ("chief-executive", "yes"),
    ]
    assert {m.valid_from for m in members} == {date(2024, 4, 1)}


def test_a_member_listed_twice_or_already_recorded_is_named_by_row(register, tmp_path):
    """Issue 12 (fuzzing): a repeated row, or a member the register already holds, was an
    'already exists' error naming neither the file nor the row."""
    path = csv_file(tmp_path, [FULL_BOARD[0], FULL_BOARD[1], FULL_BOARD[0]])
    with pytest.raises(InputErrors) as caught:
        governance.read_members(path, register)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:4: valid_from: Chair A is listed twice as chair of this board from the same "
        "date (first at row 2)"
    ]
    after = with_members(register, csv_file(tmp_path, FULL_BOARD[:1]))
    with pytest.raises(InputErrors) as caught:
        governance.read_members(csv_file(tmp_path, FULL_BOARD[:2]), after)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:2: person: already in the register in this role from this date"
    ]


def test_missing_columns_are_an_error(register, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("board_ods,person,role\nQYG,A,chair\n")
    with pytest.raises(InputErrors, match="missing columns: board_name, nominated_by"):
        governance.read_members(path, register)


def test_the_shipped_template_has_the_documented_columns():
    from importlib import resources

    template = resources.files("icsatlas.data") / "templates" / "board_members.csv"
    assert template.read_text().strip().split(",") == list(governance.COLUMNS)


def test_the_shipped_real_example_meets_the_minimum_until_the_icb_is_abolished(register):
    # Hertfordshire and West Essex ICB constitution, section 2 (data/examples/*.md).
    from importlib import resources

    path = resources.files("icsatlas.data") / "examples" / "board_hertfordshire_west_essex.csv"
    after = with_members(register, path)
    check = governance.check(after, "QM7", date(2025, 6, 1))
    assert check.statutory_ok and not check.missing_policy
    assert check.councillor_share is None  # nobody's status is known: not reported as 0%
    assert governance.members_on(after, date(2026, 4, 1), "QM7") == []


def test_a_board_with_no_members_recorded_is_not_a_breach(register):
    """Issue 9 §5: `board show QT6` with no board recorded reported a breach of statute."""
    check = governance.check(register, "QT6", date(2025, 1, 1))
    assert check.status == "none recorded"
    assert (check.missing_statutory, check.missing_policy) == ((), ())
    assert "no board members are recorded" in check.notes()[0]


def test_board_check_lists_unrecorded_icbs_as_none_recorded_not_as_breaches(register, tmp_path):
    """Issue 9 §5: board check counts only recorded boards against the statute."""
    rows = [r for r in FULL_BOARD if r[1] != "partner-local-authority"]
    after = with_members(register, csv_file(tmp_path, rows))
    found = governance.checks(after, date(2025, 1, 1))
    statuses = [c.status for c in found]
    # 42 ICBs in force on 1 Jan 2025 (ONS April 2023 lookup); one has members, a breach
    assert len(found) == 42
    assert statuses.count("not met") == 1 and statuses.count("none recorded") == 41
    assert governance.summary(found)[0].startswith("statutory minimum met: 0; not met: 1;")


@pytest.fixture
def workspace(engine, tmp_path, request):
    """A built workspace on each engine (a PostgreSQL schema of its own)."""
    if engine == "duckdb":
        yield icsatlas.open(f"duckdb:///{tmp_path / 'atlas.duckdb'}", home=tmp_path)
        return
    url, schema = request.getfixturevalue("postgres_url"), f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    ws = icsatlas.open(f"{url}{separator}options=-csearch_path%3D{schema}", home=tmp_path)
    yield ws
    ws.close()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


def test_a_board_file_with_several_bad_rows_reports_them_all_and_saves_nothing(workspace, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "QYG,B,Chair A,chair,,false,2024-04-01,,src\n"
        + "QYG,B,Y,boss,,false,2024-04-01,,src\n"
        + "QYG,B,Z,non-executive,,maybe,yesterday,,src\n"
    )
    assert workspace.data.organisations  # built: the build's own changes are logged
    changes = len(audit.changes(workspace.store))
    with pytest.raises(InputErrors) as error:
        workspace.register.import_board(str(path), "board from the constitution")
    assert [(e.row, e.field) for e in error.value.errors] == [
        (3, "role"),
        (4, "is_councillor"),
        (4, "valid_from"),
    ]
    assert workspace.store.scalar("SELECT count(*) FROM register_board_member") == 0
    assert len(audit.changes(workspace.store)) == changes
