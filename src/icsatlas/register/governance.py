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

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from icsatlas.errors import InputError, InputErrors, NotFoundError
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
COLUMNS = (
    "board_ods",
    "board_name",
    "person",
    "role",
    "nominated_by",
    "is_councillor",
    "valid_from",
    "valid_to",
    "source",
)
COUNCILLOR = {
    "true": "yes",
    "yes": "yes",
    "false": "no",
    "no": "no",
    "unknown": "unknown",
    "": "unknown",
}


def read_members(path: str | Path, register: Register) -> list[BoardMember]:
    """Board members from a CSV in the documented template; every row is checked and all
    errors are reported together, each with file, row and field."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"missing columns: {', '.join(missing)}", file=path, row=1)
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read file: {error}", file=path) from None
    members, errors = [], []
    for number, row in enumerate(rows, start=2):
        try:
            members.append(_member(row, number, path, register))
        except InputError as error:
            errors.append(error)
    if errors:
        raise InputErrors(errors)
    if not members:
        raise InputError("no board members in the file", file=path)
    return members


def _member(row: dict[str, str], number: int, path: Path, register: Register) -> BoardMember:
    def fail(field: str, message: str) -> InputError:
        return InputError(message, file=path, row=number, field=field)

    board = _board(row["board_ods"].strip(), register)
    if board is None:
        raise fail("board_ods", f"no ICB or ICP with code {row['board_ods']!r}")
    role = row["role"].strip()
    if role not in ROLES:
        raise fail("role", f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if not row["person"].strip():
        raise fail("person", "empty: give the name, or the role title as the source writes it")
    councillor = COUNCILLOR.get(row["is_councillor"].strip().lower())
    if councillor is None:
        raise fail("is_councillor", "must be true, false or unknown")
    start, end = (
        _date(row["valid_from"], "valid_from", fail),
        _date(row["valid_to"], "valid_to", fail),
    )
    if start and end and end <= start:
        raise fail("valid_to", f"{end} is not after valid_from {start}")
    if (start and not board.in_force(start)) or (end and board.valid_to and end > board.valid_to):
        raise fail(
            "valid_from", f"outside the board's lifetime ({board.valid_from} to {board.valid_to})"
        )
    if not row["source"].strip():
        raise fail("source", "every member needs a source")
    return BoardMember(
        member_id=f"{board.org_id}:{role}:{row['person'].strip()}:{start}",
        board_id=board.org_id,
        person=row["person"].strip(),
        role=role,
        nominated_by=row["nominated_by"].strip(),
        is_councillor=councillor,
        valid_from=start,
        valid_to=end,
        source=row["source"].strip(),
    )


def _board(code: str, register: Register):
    found = register.organisations.get(code) or register.organisations.get(f"icp:{code}")
    if found is None:
        try:
            found = register.organisation(code)
        except NotFoundError:
            return None
    return found if found.org_type in ("icb", "icp") else None


def _date(text: str, field: str, fail) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(field, f"not a date (YYYY-MM-DD): {text!r}") from None


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
        for m in register.records[BoardMember.kind].values()
        if m.in_force(on)  # type: ignore[attr-defined]
        and board_id in (None, m.board_id)  # type: ignore[attr-defined]
        and register.organisations[m.board_id].in_force(on)  # type: ignore[attr-defined]
    ]  # type: ignore[misc]


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
