"""The register's records: organisations, areas, functions, who holds what, and flags.

Every record has a validity interval ``[valid_from, valid_to)``: in force from
``valid_from`` (inclusive; ``None`` = before our records begin) until ``valid_to``
(exclusive; ``None`` = still in force). An ICB abolished on 1 April 2026 has
``valid_to = 2026-04-01``: it is not in force on that day.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, ClassVar

ORG_TYPES: dict[str, str] = {
    "icb": "Integrated care board",
    "nhs-region": "NHS England region",
    "dhsc-region": "DHSC region",
    "nhs-england": "NHS England",
    "dhsc": "Department of Health and Social Care",
    "nhs-trust": "NHS trust",
    "foundation-trust": "NHS foundation trust",
    "provider-collaborative": "Provider collaborative",
    "neighbourhood-provider": "Neighbourhood health provider",
    "multi-neighbourhood-provider": "Multi-neighbourhood provider",
    "iho": "Integrated health organisation",
    "gp-practice": "GP practice",
    "pcn": "Primary care network",
    "local-authority": "Local authority",
    "icp": "Integrated care partnership",
    "independent-sector-provider": "Independent-sector provider",
    "trust-subsidiary": "Trust-owned subsidiary company",
    "ccg": "Clinical commissioning group",
}

AREA_TYPES: dict[str, int] = {
    "country": 0,
    "region": 1,
    "icb": 2,
    "sub-icb": 3,
    "place": 4,
    "neighbourhood": 5,
}

BASES: dict[str, str] = {
    "statute": "conferred by legislation",
    "delegation": "delegated by another body (e.g. NHS England to ICBs)",
    "joint-committee": "exercised through a joint committee",
    "lead-provider-contract": "held by a lead provider under contract",
    "pooled-budget": "pooled budget under a section 75 agreement",
    "blueprint-transfer": "moved under the Model ICB Blueprint",
    "local-arrangement": "local arrangement recorded by a user",
}

CERTAINTIES: dict[str, str] = {
    "verified": "stated in an official or primary source",
    "reported": "reported by a secondary source (press, law firm, think tank)",
    "uncertain": "could not be confirmed; shown as a flag wherever it is used",
}

RELATIONS: dict[str, str] = {
    "partner-of": "named as a partner in an ICB constitution",
    "member-of": "member of (e.g. a practice of a primary care network)",
    "located-in": "located in an area (e.g. a practice in a sub-ICB location)",
    "subsidiary-of": "company owned by (e.g. a trust subsidiary)",
    "overlaps": "shares population with an area or ICB (share given in the record)",
    "serves": "serves an area (e.g. an integrated care partnership its ICB's area)",
    "within": "lies within (e.g. a district council's area within its county's)",
}

CERTAINTY_ORDER = ("verified", "reported", "uncertain")


def worst_certainty(*values: str) -> str:
    """The least certain of several certainties."""
    return max(values, key=CERTAINTY_ORDER.index)


def in_force(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    """Whether ``[valid_from, valid_to)`` contains ``on``."""
    return (valid_from is None or valid_from <= on) and (valid_to is None or on < valid_to)


def overlaps(
    a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None
) -> bool:
    """Whether two half-open intervals share a day."""
    starts_before_b_ends = b_to is None or a_from is None or a_from < b_to
    ends_after_b_starts = a_to is None or b_from is None or b_from < a_to
    return starts_before_b_ends and ends_after_b_starts


@dataclass(frozen=True)
class Record(ABC):
    """A versioned fact in the register; ``key`` names what a new version replaces."""

    kind: ClassVar[str]

    @property
    @abstractmethod
    def key(self) -> str:
        """The identity shared by every version of this fact."""

    def to_row(self) -> dict[str, Any]:
        return {f.name: _encode(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Record:
        values = {}
        for f in fields(cls):
            raw = row.get(f.name)
            values[f.name] = _decode(raw, f.type)
        return cls(**values)


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return "\x1f".join(value)
    return value


def _decode(value: Any, annotation: Any) -> Any:
    text = str(annotation)
    if value is None or (isinstance(value, float) and value != value):
        return () if text.startswith("tuple") else (None if "None" in text else value)
    if text.startswith("tuple"):
        return tuple(v for v in str(value).split("\x1f") if v)
    if text.startswith("date"):
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if text.startswith("bool"):
        return bool(value)
    if text.startswith("float"):
        return float(value)
    return value


@dataclass(frozen=True)
class Organisation(Record):
    """A body that can hold functions: an ICB, a trust, a council, a practice..."""

    kind: ClassVar[str] = "organisation"
    org_id: str
    org_type: str
    name: str
    ods_code: str | None = None
    ons_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successors: tuple[str, ...] = ()
    generic: bool = False
    gaps: tuple[str, ...] = ()
    source: str = ""
    postcode: str | None = None
    other_codes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.org_id

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for c in (self.ods_code, self.ons_code, *self.other_codes) if c)

    def in_force(self, on: date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Area(Record):
    """A geography: England, a region, an ICB, a sub-ICB location, a place, a neighbourhood.

    ``area_id`` is the ONS code where there is one (a boundary change means a new
    code, hence a new area); ``org_id`` is the body that governs it, if any. A sub-ICB
    location also has the name of the place it covers (``place_name``, e.g. 15F is
    Leeds), derived from the councils it overlaps, with the derivation in ``place_basis``.
    """

    kind: ClassVar[str] = "area"
    area_id: str
    area_type: str
    name: str
    ods_code: str | None = None
    org_id: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    other_codes: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    source: str = ""
    place_name: str | None = None
    place_basis: str = ""

    @property
    def key(self) -> str:
        return self.area_id

    def in_force(self, on: date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for c in (self.area_id, self.ods_code, *self.other_codes) if c)


@dataclass(frozen=True)
class AreaLink(Record):
    """``child`` lies within ``parent`` for the interval (sub-ICBs change ICB in mergers)."""

    kind: ClassVar[str] = "area_link"
    child_id: str
    parent_id: str
    valid_from: date | None = None
    valid_to: date | None = None
    source: str = ""

    @property
    def key(self) -> str:
        return f"{self.child_id}>{self.parent_id}@{self.valid_from}"

    def in_force(self, on: date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Function(Record):
    """Something an ICB or its partners do, from the statute or the Blueprint."""

    kind: ClassVar[str] = "function"
    function_id: str
    label: str
    description: str
    category: str
    blueprint: str | None = None
    statutory: str | None = None
    default_holder: str | None = None
    default_basis: str | None = None
    synonyms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.function_id


@dataclass(frozen=True)
class Assignment(Record):
    """``holder_id`` holds ``function_id`` in ``area_id`` over the interval, on ``basis``."""

    kind: ClassVar[str] = "assignment"
    assignment_id: str
    function_id: str
    area_id: str
    holder_id: str
    basis: str
    valid_from: date | None = None
    valid_to: date | None = None
    joint: bool = False
    certainty: str = "verified"
    source: str = ""
    note: str = ""
    reform: str | None = None

    @property
    def key(self) -> str:
        return self.assignment_id

    def in_force(self, on: date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Flag(Record):
    """A caveat on a function from a date (e.g. 'under review for transfer, destination
    unknown'); shown in every output that mentions the function."""

    kind: ClassVar[str] = "flag"
    flag_id: str
    function_id: str
    text: str
    valid_from: date | None = None
    valid_to: date | None = None
    area_ids: tuple[str, ...] = ()
    certainty: str = "uncertain"
    source: str = ""
    reform: str | None = None

    @property
    def key(self) -> str:
        return self.flag_id

    def applies(self, area_id: str, on: date) -> bool:
        return in_force(self.valid_from, self.valid_to, on) and (
            not self.area_ids or area_id in self.area_ids
        )


@dataclass(frozen=True)
class Target(Record):
    """A dated cost target a reform sets (e.g. ICB running costs of 18.76 GBP a head)."""

    kind: ClassVar[str] = "target"
    target_id: str
    measure: str
    value: float
    unit: str
    applies_to: str
    deadline: date | None = None
    certainty: str = "reported"
    source: str = ""
    note: str = ""
    reform: str | None = None

    @property
    def key(self) -> str:
        return self.target_id


@dataclass(frozen=True)
class Relationship(Record):
    """``subject`` stands in ``relation`` to ``object`` (an organisation or area).

    For ``overlaps``, ``share`` is the share of the subject's population within the object
    and ``object_share`` the share of the object's population within the subject."""

    kind: ClassVar[str] = "relationship"
    subject_id: str
    relation: str
    object_id: str
    valid_from: date | None = None
    valid_to: date | None = None
    share: float | None = None
    source: str = ""
    object_share: float | None = None

    @property
    def key(self) -> str:
        return f"{self.subject_id}|{self.relation}|{self.object_id}@{self.valid_from}"

    def in_force(self, on: date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Population(Record):
    """A population figure for an area, exactly as the source gives it."""

    kind: ClassVar[str] = "population"
    area_id: str
    measure: str
    value: float
    as_of: date
    source: str = ""

    @property
    def key(self) -> str:
        return f"{self.area_id}|{self.measure}|{self.as_of}"


@dataclass(frozen=True)
class BoardMember(Record):
    """A member of an ICB (or ICP) board in a role, for an interval."""

    kind: ClassVar[str] = "board_member"
    member_id: str
    board_id: str
    person: str
    role: str
    nominated_by: str = ""
    is_councillor: str = "unknown"  # yes | no | unknown
    valid_from: date | None = None
    valid_to: date | None = None
    source: str = ""

    @property
    def key(self) -> str:
        return self.member_id

    def in_force(self, on: date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


RECORD_TYPES: tuple[type[Record], ...] = (
    Organisation,
    Area,
    AreaLink,
    Function,
    Assignment,
    Flag,
    Target,
    Relationship,
    Population,
    BoardMember,
)


@dataclass
class Changeset:
    """Records to add and records to retract, applied together or not at all."""

    added: list[Record] = field(default_factory=list)
    retracted: list[Record] = field(default_factory=list)

    def add(self, record: Record) -> None:
        self.added.append(record)

    def replace(self, old: Record, new: Record) -> None:
        self.retracted.append(old)
        self.added.append(new)

    def __bool__(self) -> bool:
        return bool(self.added or self.retracted)

    def extend(self, other: Changeset) -> None:
        self.added.extend(other.added)
        self.retracted.extend(other.retracted)
