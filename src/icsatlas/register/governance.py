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
from icsatlas.inputs.rows import Check, Record, Unique, read_rows
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
REPEATED = Unique(
    ("board_ods", "role", "person", "valid_from"),
    "{person} is listed twice as {role} of this board from the same date",
)


def read_members(path: str | Path, register: Register) -> list[BoardMember]:
    """Board members from a CSV in the documented template; every row is checked and all
    errors are reported together, each with file, row and field (roles in any case)."""
    records = read_rows(
        path, MEMBER_COLUMNS, others="ignore", check=_checker(register), unique=[REPEATED]
    )
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
        if board is not None and _member_id(board, record) in register.records["board_member"]:
            yield "person", "already in the register in this role from this date"

    return check


def _outside(board, start: date | None, end: date | None) -> bool:
    return bool(
        (start and not board.in_force(start)) or (end and board.valid_to and end > board.valid_to)
    )


def _member(record: Record) -> BoardMember:
    board = record["board"]
    return BoardMember(
        member_id=_member_id(board, record),
        board_id=board.org_id,
        person=record["person"],
        role=record["role"],
        nominated_by=record["nominated_by"],
        is_councillor=record["is_councillor"],
        valid_from=record["valid_from"],
        valid_to=record["valid_to"],
        source=record["source"],
    )


def _member_id(board, record: Record) -> str:
    return f"{board.org_id}:{record['role']}:{record['person']}:{record['valid_from']}"


def _board(code: str, register: Register):
    found = register.organisations.get(code) or register.organisations.get(f"icp:{code}")
    if found is None:
        try:
            found = register.organisation(code)
        except NotFoundError:
            return None
    return found if found.org_type in ("icb", "icp") else None


NONE_RECORDED = "none recorded"


@dataclass(frozen=True)
class BoardCheck:
    """A board against the statutory minimum and NHS England's policy. A board with no
    members recorded is not checked: its status is "none recorded", never a breach."""

    board_id: str
    board_name: str
    members: int
    councillors: int
    unknown: int
    missing_statutory: tuple[str, ...]
    missing_policy: tuple[str, ...]

    @property
    def recorded(self) -> bool:
        return self.members > 0

    @property
    def status(self) -> str:
        """'met', 'not met' (the statutory minimum) or 'none recorded'."""
        if not self.recorded:
            return NONE_RECORDED
        return "not met" if self.missing_statutory else "met"

    @property
    def statutory_ok(self) -> bool:
        return self.status == "met"

    @property
    def councillor_share(self) -> float | None:
        """Councillors among members whose status is known (None if none is known)."""
        known = self.members - self.unknown
        return self.councillors / known if known else None

    def notes(self) -> tuple[str, ...]:
        """What ``board show`` says under the members."""
        if not self.recorded:
            return (
                "no board members are recorded for this body on this date, so the statutory "
                "minimum cannot be checked (import them: icsatlas board import)",
            )
        lines = [f"statutory minimum (NHS Act 2006 Sch 1B): {self.status}"]
        lines += [f"missing (statute): {m}" for m in self.missing_statutory]
        lines += [f"missing (NHS England policy): {m}" for m in self.missing_policy]
        return tuple(lines)


def members_on(register: Register, on: date, board_id: str | None = None) -> list[BoardMember]:
    """Members in post on ``on`` (a member with no dates counts as in post)."""
    return [
        m
        for m in register.board_members
        if m.in_force(on)
        and board_id in (None, m.board_id)
        and register.organisations[m.board_id].in_force(on)
    ]


def check(register: Register, board_id: str, on: date) -> BoardCheck:
    """One board on ``on``; with no members recorded, nothing is reported missing."""
    members = members_on(register, on, board_id)
    roles = [m.role for m in members]
    return BoardCheck(
        board_id=board_id,
        board_name=register.organisations[board_id].name,
        members=len(members),
        councillors=sum(1 for m in members if m.is_councillor == "yes"),
        unknown=sum(1 for m in members if m.is_councillor == "unknown"),
        missing_statutory=_missing_statutory(roles) if members else (),
        missing_policy=_missing_policy(roles) if members else (),
    )


def _missing_statutory(roles: list[str]) -> tuple[str, ...]:
    missing = [ROLES[r] for r in ("chair", "chief-executive") if r not in roles]
    ordinary = sum(1 for r in roles if r in ORDINARY)
    if ordinary < 3:
        missing.append(f"at least 3 ordinary members (has {ordinary})")
    partners = ("partner-trusts", "partner-primary-care", "partner-local-authority")
    missing += [ROLES[r] for r in partners if r not in roles]
    return tuple(missing)


def _missing_policy(roles: list[str]) -> tuple[str, ...]:
    executives = ("executive-finance", "executive-medical", "executive-nursing")
    missing = [ROLES[r] for r in executives if r not in roles]
    if roles.count("non-executive") < 2:
        missing.append(f"at least 2 non-executive members (has {roles.count('non-executive')})")
    return tuple(missing)


def checks(register: Register, on: date) -> list[BoardCheck]:
    """Every ICB in force on ``on`` and every other board with members recorded then;
    ICBs without members come back as "none recorded"."""
    boards = {o.org_id for o in register.organisations_on(on, "icb")}
    boards |= {m.board_id for m in members_on(register, on)}
    found = [check(register, b, on) for b in boards]
    return sorted(found, key=lambda c: (not c.recorded, c.board_name))


def summary(found: list[BoardCheck]) -> tuple[str, ...]:
    """Counts by status, and councillors across the boards recorded (never counting a
    board with no members as a breach)."""
    by_status = {s: sum(1 for c in found if c.status == s) for s in ("met", "not met")}
    recorded = [c for c in found if c.recorded]
    members = sum(c.members for c in recorded)
    unknown = sum(c.unknown for c in recorded)
    councillors = sum(c.councillors for c in recorded)
    share = (
        f"{councillors} of the {members - unknown} members whose status is known are "
        f"councillors ({unknown} unknown)"
        if members
        else "no members recorded"
    )
    return (
        f"statutory minimum met: {by_status['met']}; not met: {by_status['not met']}; "
        f"no board members recorded: {len(found) - len(recorded)} (not checked)",
        f"across the boards recorded: {share}",
        "statutory minimum: chair, chief executive, at least 3 ordinary members incl. "
        "partner members from trusts, primary care and councils (NHS Act 2006 Sch 1B)",
        "NHS England policy adds finance, medical and nursing directors and 2+ non-executives",
    )
