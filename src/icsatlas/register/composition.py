"""ICB board composition by role, from the shipped compilation of public pages
(``icb_board_composition``): voting members by sector, the local-authority share, councillors
against the County Councils Network's national count, and whether the source states the
private-healthcare exclusion (NHS Act 2006 Sch 1B para 4).

A figure is computed only from what the sources state: a board whose source gives only part of
the membership (``scope`` partial), or a minimum rather than a number (``count_basis`` "at
least"), has no share; a board with no rows is "none recorded".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from icsatlas import data
from icsatlas.errors import InputError
from icsatlas.register.model import BoardMember

if TYPE_CHECKING:
    from icsatlas.register.register import Register

KEY = "icb_board_composition"
NONE_RECORDED = "none recorded"
SECTORS = {
    "chair": "independent (chair, non-executives)",
    "non-executive": "independent (chair, non-executives)",
    "chief-executive": "ICB executives",
    "executive-finance": "ICB executives",
    "executive-medical": "ICB executives",
    "executive-nursing": "ICB executives",
    "executive-other": "ICB executives",
    "executive": "ICB executives",
    "partner-trusts": "NHS trusts",
    "partner-primary-care": "primary medical services",
    "partner-local-authority": "local authorities",
    "partner-other": "other partners",
    "place-member": "places",
    "participant-healthwatch": "Healthwatch",
    "participant-vcse": "voluntary, community and social enterprise",
    "participant-other": "other participants and observers",
    "observer": "other participants and observers",
}
LOCAL_AUTHORITY = "local authorities"
# County Councils Network / IMPOWER, "The Evolving Role of County Authorities in ICSs", as
# reported by the Integrated Care Journal: "just nine of 777 Integrated Care Board (ICB) members
# are elected councillors"
NATIONAL_COUNCILLORS = (9, 777)
NATIONAL_SOURCE = (
    "https://integratedcarejournal.com/local-authorities-call-for-icbs-to-increase-council-"
    "representation-and-outline-success-measures/"
)


@dataclass(frozen=True)
class Role:
    """One row of the compilation: a role on one ICB's board, as one source gives it."""

    icb_ods: str
    icb_name: str
    role: str
    count: int | None
    count_basis: str
    voting: str
    voting_basis: str
    names: tuple[str, ...]
    councillors: tuple[str, ...]
    scope: str
    private_sector_exclusion: str
    source_url: str
    source_date: str
    date_read: str
    note: str

    @property
    def sector(self) -> str:
        return SECTORS[self.role]

    @property
    def exact(self) -> bool:
        return self.count is not None and self.count_basis == "exact"


@cache
def roles() -> tuple[Role, ...]:
    """Every row of the shipped compilation."""
    return read_roles(data.path(KEY))


def is_composition(path: str | Path) -> bool:
    """Whether a CSV is in the composition form (a ``count`` per role) rather than one row
    per board member."""
    from icsatlas.inputs.text import read_text

    text = read_text(path)  # any encoding the importers read; a clear error for the rest
    header = text.split("\n", 1)[0].strip().split(",")
    return {"icb_ods", "role", "count", "count_basis"} <= set(header)


def read_roles(path: str | Path) -> tuple[Role, ...]:
    """The rows of a composition CSV; an unknown role or a count that is not a whole number
    is refused with its file and row."""
    import pandas as pd

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    for number, row in enumerate(raw.itertuples(), start=2):
        if row.role not in SECTORS:
            raise InputError(f"unknown role {row.role!r}", file=path, row=number, field="role")
        if row.count and not row.count.isdigit():
            raise InputError(f"not a whole number: {row.count!r}", file=path, row=number)
    return tuple(
        Role(
            icb_ods=row.icb_ods,
            icb_name=row.icb_name,
            role=row.role,
            count=int(row.count) if row.count else None,
            count_basis=row.count_basis,
            voting=row.voting,
            voting_basis=row.voting_basis,
            names=_split(row.names),
            councillors=_split(row.is_councillor),
            scope=row.scope,
            private_sector_exclusion=row.private_sector_exclusion,
            source_url=row.source_url,
            source_date=row.source_date,
            date_read=row.date_read,
            note=row.note,
        )
        for row in raw.itertuples()
    )


MEMBER_ROLES = {"executive": "executive-other", "place-member": "other"}


def members(found: Iterable[Role], register: Register) -> tuple[list[BoardMember], list[str]]:
    """Board members for ``board import``: one per seat of every board whose sources give the
    whole board with exact counts; the other boards are skipped, each with the reason (their
    rows would read as a board missing its statutory members)."""
    by_board: dict[str, list[Role]] = {}
    for role in found:
        by_board.setdefault(role.icb_ods, []).append(role)
    made: list[BoardMember] = []
    skipped = []
    for code, rows in by_board.items():
        board = Composition(code, rows[0].icb_name, tuple(rows))
        if not board.complete:
            skipped.append(f"{rows[0].icb_name} ({code}): the sources do not give every seat")
            continue
        made += _seats(register.organisation(code).org_id, board)
    return made, skipped


def _seats(board_id: str, board: Composition) -> list[BoardMember]:
    seats = []
    for role in (r for r in board.roles if r.voting == "yes"):
        count = role.count or 0
        for index in range(count):
            named = index < len(role.names)
            person = role.names[index] if named else f"{role.role} ({index + 1} of {count})"
            councillor = role.councillors[index] if index < len(role.councillors) else ""
            seats.append(
                BoardMember(
                    member_id=f"{board_id}:{role.role}:{person}:composition",
                    board_id=board_id,
                    person=person,
                    role=MEMBER_ROLES.get(role.role, role.role),
                    is_councillor=councillor if councillor in ("yes", "no") else "unknown",
                    source=role.source_url,
                )
            )
    return seats


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";")) if text else ()


@dataclass(frozen=True)
class Composition:
    """One ICB board as recorded: its roles and what can be computed from them."""

    icb_ods: str
    icb_name: str
    roles: tuple[Role, ...]

    @property
    def recorded(self) -> bool:
        return bool(self.roles)

    @property
    def complete(self) -> bool:
        """Whether every voting seat has an exact count from a source giving the whole board."""
        voting = [r for r in self.roles if r.voting == "yes"]
        return bool(voting) and all(r.scope == "full" and r.exact for r in voting)

    def voting_by_sector(self) -> dict[str, int | None]:
        """Voting members per sector (None where a source gives no exact count)."""
        found: dict[str, int | None] = {}
        for role in (r for r in self.roles if r.voting == "yes"):
            before = found.get(role.sector, 0)
            found[role.sector] = (
                None if before is None or not role.exact else before + (role.count or 0)
            )
        return found

    @property
    def voting_members(self) -> int | None:
        if not self.complete:
            return None
        return sum(r.count or 0 for r in self.roles if r.voting == "yes")

    @property
    def local_authority_share(self) -> float | None:
        total = self.voting_members
        if not total:
            return None
        return (self.voting_by_sector().get(LOCAL_AUTHORITY) or 0) / total

    @property
    def councillors_named(self) -> int:
        """Members the sources name as councillors (``Cllr``, or stated)."""
        return sum(r.councillors.count("yes") for r in self.roles)

    @property
    def private_sector_exclusion(self) -> str:
        """'stated' if any source for this board states the exclusion, else 'not stated'."""
        stated = any(r.private_sector_exclusion == "stated" for r in self.roles)
        return "stated" if stated else "not stated"

    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.source_url for r in self.roles))


def composition(icb_ods: str, icb_name: str) -> Composition:
    """The recorded composition of one board (no roles: none recorded)."""
    return Composition(icb_ods, icb_name, tuple(r for r in roles() if r.icb_ods == icb_ods))


def compositions(boards: Iterable[tuple[str, str]]) -> list[Composition]:
    """The compositions of the (ODS code, name) boards given, in that order."""
    return [composition(code, name) for code, name in boards]


def comparison(found: list[Composition]) -> tuple[str, ...]:
    """The councillor comparison with the national count, and what the data allow."""
    named = sum(c.councillors_named for c in found)
    complete = [c for c in found if c.complete]
    shares = [c for c in complete if c.local_authority_share is not None]
    national = NATIONAL_COUNCILLORS
    lines = [
        f"nationally: {national[0]} of {national[1]} ICB members were elected councillors "
        f"({national[0] / national[1]:.1%}; County Councils Network, {NATIONAL_SOURCE})",
        f"recorded here: {named} member(s) named as councillors by the sources; "
        + (
            f"{len(complete)} board(s) with every voting seat counted"
            if complete
            else "no board has every voting seat counted, so no councillor share is computed"
        ),
    ]
    lines += [
        f"{c.icb_name}: local-authority partner members are {c.local_authority_share:.1%} of "
        f"{c.voting_members} voting members"
        for c in shares
    ]
    return tuple(lines)
