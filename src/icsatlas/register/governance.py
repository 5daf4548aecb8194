"""ICB (and ICP) boards: importing members from CSV, checking the minimum board, and
counting councillors.

The statutory minimum (NHS Act 2006 Sch 1B para 3): a chair, a chief executive and at
least three "ordinary members"; the ICB's constitution must provide for partner members
nominated by NHS trusts and foundation trusts, by providers of primary medical services,
and by local authorities. NHS England's policy adds executive directors of finance,
medicine and nursing and at least two independent non-executive members (a board of about
ten). Sources in ICS-REFERENCE.md §4.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from icsatlas.errors import InputError, NotFoundError
from icsatlas.inputs.columns import Column
from icsatlas.inputs.rows import Check, Record, read_rows
from icsatlas.register.model import BoardMember
from icsatlas.register.register import Register

ROLES = {
    "chair": "Chair",
    "chief-executive": "Chief executive",
    "executive-finance": "Executive director of finance",
    "executive-medical": "Executive medical director",
    "executive-nursing": "Executive director of nursing",
    "executive-other": "Other executive member",
    "partner-trusts": "Partner member nominated by NHS trusts and foundation trusts",
    "partner-primary-care": "Partner member nominated by primary medical services providers",
    "partner-local-authority": "Partner member nominated by local authorities",
    "partner-other": "Other partner member",
    "non-executive": "Independent non-executive member",
    "other": "Other member",
}
ORDINARY = {r for r in ROLES if r not in ("chair", "chief-executive")}
STATUTE = "https://legislation.gov.uk/ukpga/2006/41/schedule/1B/part/1/data.xht"
POLICY = "https://hertsandwestessex.icb.nhs.uk/us/constitution/2"
COUNCILLOR = {"true": "yes", "yes": "yes", "false": "no", "no": "no", "unknown": "unknown"}


def _councillor(text: str) -> str:
    if text.lower() not in COUNCILLOR:
        raise InputError("must be true, false or unknown")
    return COUNCILLOR[text.lower()]


MEMBER_COLUMNS = (
    Column("board_ods", "code", required=True),
    Column("board_name", present=True),
    Column("person", present=True),
    Column("role", "enum", required=True, choices=tuple(ROLES)),
    Column("nominated_by", present=True, default=""),
    Column("is_councillor", present=True, parse=_councillor, default="unknown"),
    Column("valid_from", "date", present=True),
    Column("valid_to", "date", present=True),
    Column("source", present=True),
)
COLUMNS = tuple(c.name for c in MEMBER_COLUMNS)


def read_members(path: str | Path, register: Register) -> list[BoardMember]:
    """Board members from a CSV in the documented template; every row is checked and all
    errors are reported together, each with file, row and field (roles in any case)."""
    records = read_rows(path, MEMBER_COLUMNS, others="ignore", check=_checker(register))
    if not records:
        raise InputError("no board members in the file", file=path)
    return [_member(record) for record in records]


def _checker(register: Register) -> Check:
    def check(record: Record) -> Iterator[tuple[str, str]]:
        code = record["board_ods"]
        board = record.values["board"] = _board(code, register) if code else None
        if code and board is None:
            yield "board_ods", f"no ICB or ICP with code {code!r}"
        if not record["person"]:
            yield "person", "empty: give the name, or the role title as the source writes it"
        start, end = record["valid_from"], record["valid_to"]
        if start and end and end <= start:
            yield "valid_to", f"{end} is not after valid_from {start}"
        if board is not None and _outside(board, start, end):
            lifetime = f"({board.valid_from} to {board.valid_to})"
            yield "valid_from", f"outside the board's lifetime {lifetime}"
        if not record["source"]:
            yield "source", "every member needs a source"

    return check


def _outside(board, start: date | None, end: date | None) -> bool:
    return bool(
        (start and not board.in_force(start)) or (end and board.valid_to and end > board.valid_to)
    )


def _member(record: Record) -> BoardMember:
    board = record["board"]
    return BoardMember(
        member_id=f"{board.org_id}:{record['role']}:{record['person']}:{record['valid_from']}",
        board_id=board.org_id,
        person=record["person"],
        role=record["role"],
        nominated_by=record["nominated_by"],
        is_councillor=record["is_councillor"],
        valid_from=record["valid_from"],
        valid_to=record["valid_to"],
        source=record["source"],
    )


def _board(code: str, register: Register):
    found = register.organisations.get(code) or register.organisations.get(f"icp:{code}")
    if found is None:
        try:
            found = register.organisation(code)
        except NotFoundError:
            return None
    return found if found.org_type in ("icb", "icp") else None


@dataclass(frozen=True)
class BoardCheck:
    """A board against the statutory minimum and NHS England's policy."""

    board_id: str
    board_name: str
    members: int
    councillors: int
    unknown: int
    statutory_ok: bool
    missing_statutory: tuple[str, ...]
    missing_policy: tuple[str, ...]

    @property
    def councillor_share(self) -> float | None:
        """Councillors among members whose status is known (None if none is known)."""
        known = self.members - self.unknown
        return self.councillors / known if known else None


def members_on(register: Register, on: date, board_id: str | None = None) -> list[BoardMember]:
    """Members in post on ``on`` (a member with no dates counts as in post)."""
    return [
        m
        for m in register.records[BoardMember.kind].values()
        if m.in_force(on)  # type: ignore[attr-defined]
        and board_id in (None, m.board_id)  # type: ignore[attr-defined]
        and register.organisations[m.board_id].in_force(on)  # type: ignore[attr-defined]
    ]  # type: ignore[misc]


def check(register: Register, board_id: str, on: date) -> BoardCheck:
    members = members_on(register, on, board_id)
    roles = [m.role for m in members]
    statutory = []
    for role in ("chair", "chief-executive"):
        if role not in roles:
            statutory.append(ROLES[role])
    ordinary = sum(1 for r in roles if r in ORDINARY)
    if ordinary < 3:
        statutory.append(f"at least 3 ordinary members (has {ordinary})")
    for role in ("partner-trusts", "partner-primary-care", "partner-local-authority"):
        if role not in roles:
            statutory.append(ROLES[role])
    policy = [
        ROLES[r]
        for r in ("executive-finance", "executive-medical", "executive-nursing")
        if r not in roles
    ]
    if roles.count("non-executive") < 2:
        policy.append(f"at least 2 non-executive members (has {roles.count('non-executive')})")
    board = register.organisations[board_id]
    return BoardCheck(
        board_id=board_id,
        board_name=board.name,
        members=len(members),
        councillors=sum(1 for m in members if m.is_councillor == "yes"),
        unknown=sum(1 for m in members if m.is_councillor == "unknown"),
        statutory_ok=not statutory,
        missing_statutory=tuple(statutory),
        missing_policy=tuple(policy),
    )


def checks(register: Register, on: date) -> list[BoardCheck]:
    """Every board with members recorded on ``on``."""
    boards = sorted({m.board_id for m in members_on(register, on)})
    return [check(register, b, on) for b in boards]
