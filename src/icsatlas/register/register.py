"""The register in memory: every record, indexed for questions about a date.

A :class:`Register` is immutable. :meth:`Register.with_changes` checks a
:class:`~icsatlas.register.model.Changeset` against the invariants and returns a new
register; the store persists the same changeset, so memory and database never drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypeVar, cast

from icsatlas.errors import IcsatlasError, NotFoundError
from icsatlas.names import normalise
from icsatlas.register import catalogue
from icsatlas.register.model import (
    RECORD_TYPES,
    Area,
    AreaLink,
    Assignment,
    BoardMember,
    Changeset,
    Flag,
    Function,
    Organisation,
    Population,
    Record,
    Relationship,
    Target,
    overlaps,
)

R = TypeVar("R", bound=Record)


class InvariantError(IcsatlasError):
    """A change would break the register's rules (overlap, lifetime, dangling reference)."""


@dataclass(frozen=True)
class Register:
    """Organisations, areas, functions and who holds what, over time."""

    records: Mapping[str, dict[str, Record]] = field(
        default_factory=lambda: {t.kind: {} for t in RECORD_TYPES}
    )
    reforms: tuple[str, ...] = ()

    # -- construction ---------------------------------------------------------------
    @classmethod
    def empty(cls, with_catalogue: bool = True) -> Register:
        register = cls()
        if with_catalogue:
            changes = Changeset(added=list(catalogue.shipped_functions()))
            register = register.with_changes(changes)
        return register

    def with_changes(self, changes: Changeset, reform: str | None = None) -> Register:
        """A new register with ``changes`` applied, after checking every invariant."""
        records = {kind: dict(by_key) for kind, by_key in self.records.items()}
        for old in changes.retracted:
            current = records[old.kind].get(old.key)
            if current != old:
                raise InvariantError(f"cannot retract {old.kind} {old.key}: it has changed")
            del records[old.kind][old.key]
        for new in changes.added:
            if new.key in records[new.kind]:
                raise InvariantError(f"{new.kind} {new.key} already exists")
            records[new.kind][new.key] = new
        reforms = (*self.reforms, reform) if reform else self.reforms
        register = Register(records=records, reforms=reforms)
        register.check(changes.added)
        return register

    # -- plain access ----------------------------------------------------------------
    def all(self, kind: type[Record]) -> Iterator[Record]:
        return iter(self.records[kind.kind].values())

    def _kind(self, kind: type[R]) -> dict[str, R]:
        """The records of one kind (each kind's table holds only records of that class)."""
        return cast(dict[str, R], self.records[kind.kind])

    @property
    def organisations(self) -> dict[str, Organisation]:
        return self._kind(Organisation)

    @property
    def areas(self) -> dict[str, Area]:
        return self._kind(Area)

    @property
    def functions(self) -> dict[str, Function]:
        return self._kind(Function)

    @property
    def assignments(self) -> dict[str, Assignment]:
        return self._kind(Assignment)

    @property
    def flags(self) -> list[Flag]:
        return list(self._kind(Flag).values())

    @property
    def targets(self) -> list[Target]:
        return list(self._kind(Target).values())

    @property
    def relationships(self) -> list[Relationship]:
        return list(self._kind(Relationship).values())

    @property
    def populations(self) -> list[Population]:
        return list(self._kind(Population).values())

    @property
    def board_members(self) -> list[BoardMember]:
        return list(self._kind(BoardMember).values())

    @property
    def area_links(self) -> list[AreaLink]:
        return list(self._kind(AreaLink).values())

    def organisation(self, code: str) -> Organisation:
        """An organisation by id or ODS/ONS code (the latest if a code was reused)."""
        found = self.organisations.get(code) or self._org_by_code.get(code.upper())
        if found is None:
            raise NotFoundError(f"no organisation with id or code {code!r}")
        return found

    def area(self, area_id: str) -> Area:
        try:
            return self.areas[area_id]
        except KeyError:
            raise NotFoundError(f"no area {area_id!r}") from None

    def function(self, query: str) -> Function:
        """A function by id, label or synonym ("GP IT", "EPRR", "workforce planning")."""
        return self.functions.get(query) or catalogue.find_function(query, self.functions.values())

    # -- questions about a date ----------------------------------------------------
    def organisations_on(self, on: date, org_type: str | None = None) -> list[Organisation]:
        return sorted(
            (
                o
                for o in self.organisations.values()
                if o.in_force(on) and (org_type is None or o.org_type == org_type)
            ),
            key=lambda o: o.name,
        )

    def areas_on(self, on: date, area_type: str | None = None) -> list[Area]:
        return sorted(
            (
                a
                for a in self.areas.values()
                if a.in_force(on) and (area_type is None or a.area_type == area_type)
            ),
            key=lambda a: a.name,
        )

    def parent(self, area_id: str, on: date) -> Area | None:
        for link in self._links_by_child.get(area_id, ()):
            if link.in_force(on):
                return self.areas[link.parent_id]
        return None

    def parent_links(self, area_id: str, on: date) -> list[AreaLink]:
        """The links from an area to its parent in force on ``on``."""
        return [link for link in self._links_by_child.get(area_id, ()) if link.in_force(on)]

    def ancestors(self, area_id: str, on: date) -> list[Area]:
        """The area's parents up to England, nearest first."""
        found = []
        current = self.parent(area_id, on)
        while current is not None:
            found.append(current)
            current = self.parent(current.area_id, on)
        return found

    def children(self, area_id: str, on: date) -> list[Area]:
        return sorted(
            (
                self.areas[link.child_id]
                for link in self._links_by_parent.get(area_id, ())
                if link.in_force(on)
            ),
            key=lambda a: a.name,
        )

    def descendants(self, area_id: str, on: date) -> list[Area]:
        found = []
        for child in self.children(area_id, on):
            found.append(child)
            found.extend(self.descendants(child.area_id, on))
        return found

    def governed_area(self, org_id: str, on: date) -> Area | None:
        """The area an ICB (or region) governs on ``on``."""
        for area in self._areas_by_org.get(org_id, ()):
            if area.in_force(on):
                return area
        return None

    def assignments_at(self, function_id: str, area_id: str, on: date) -> list[Assignment]:
        """Assignments of a function held exactly at an area on a date."""
        return [
            a for a in self._assignments_by_slot.get((function_id, area_id), ()) if a.in_force(on)
        ]

    def assignments_in_area(self, area_id: str, on: date) -> list[Assignment]:
        """Every assignment held exactly at an area on a date."""
        return [a for a in self._assignments_by_area.get(area_id, ()) if a.in_force(on)]

    def assignments_history(self, function_id: str, area_id: str) -> list[Assignment]:
        history = self._assignments_by_slot.get((function_id, area_id), ())
        return sorted(history, key=lambda a: (a.valid_from or date.min, a.assignment_id))

    def holdings_of(self, org_id: str, on: date) -> list[Assignment]:
        return [a for a in self._assignments_by_holder.get(org_id, ()) if a.in_force(on)]

    def flags_for(self, function_id: str, area_id: str, on: date) -> list[Flag]:
        return [f for f in self._flags_by_function.get(function_id, ()) if f.applies(area_id, on)]

    def relations(
        self,
        subject_id: str | None = None,
        relation: str | None = None,
        object_id: str | None = None,
        on: date | None = None,
    ) -> list[Relationship]:
        """Relationships matching the given subject, relation, object and date."""
        pool: Iterable[Relationship]
        if subject_id is not None:
            pool = self._relations_by_subject.get(subject_id, ())
        elif object_id is not None:
            pool = self._relations_by_object.get(object_id, ())
        else:
            pool = self.relationships
        return [
            r
            for r in pool
            if (relation is None or r.relation == relation)
            and (object_id is None or r.object_id == object_id)
            and (subject_id is None or r.subject_id == subject_id)
            and (on is None or r.in_force(on))
        ]

    def population(self, area_id: str, measure: str | None = None) -> list[Population]:
        return [
            p for p in self._population_by_area.get(area_id, ()) if measure in (None, p.measure)
        ]

    def find_areas(self, query: str) -> list[Area]:
        """Every area, at any date, that ``query`` names by code or by name."""
        code = query.strip().upper()
        by_code = self._areas_by_code.get(code, [])
        if by_code:
            return by_code
        key = normalise(query)
        exact = [
            a
            for a in self.areas.values()
            if key in {normalise(n) for n in (a.name, *a.former_names)}
        ]
        return exact or [a for a in self.areas.values() if key and key in normalise(a.name)]

    def find_organisations(self, query: str) -> list[Organisation]:
        """Every organisation, at any date, that ``query`` names by code or name."""
        found = self._orgs_by_code.get(query.strip().upper(), [])
        if found or query in self.organisations:
            return found or [self.organisations[query]]
        key = normalise(query)
        exact = list(self._orgs_by_name.get(key, ()))
        return exact or [o for name, o in self._org_names if key and key in name]

    # -- invariants -----------------------------------------------------------------
    def check(self, added: Iterable[Record]) -> None:
        """Raise :class:`InvariantError` if new records break the register's rules."""
        for record in added:
            if isinstance(record, Assignment):
                self._check_assignment(record)
            elif isinstance(record, AreaLink):
                self._require(record.child_id, self.areas, "area")
                self._require(record.parent_id, self.areas, "area")
            elif isinstance(record, Relationship):
                for key in (record.subject_id, record.object_id):
                    if key not in self.organisations and key not in self.areas:
                        raise InvariantError(f"relationship names unknown record {key!r}")
            elif isinstance(record, Area) and record.org_id:
                self._require(record.org_id, self.organisations, "organisation")

    def _require(self, key: str, pool: dict, what: str) -> None:
        if key not in pool:
            raise InvariantError(f"unknown {what} {key!r}")

    def _check_assignment(self, new: Assignment) -> None:
        self._require(new.function_id, self.functions, "function")
        self._require(new.area_id, self.areas, "area")
        self._require(new.holder_id, self.organisations, "holder")
        if (
            new.valid_to is not None
            and new.valid_from is not None
            and new.valid_to <= new.valid_from
        ):
            raise InvariantError(f"assignment {new.assignment_id} ends before it starts")
        holder, area = self.organisations[new.holder_id], self.areas[new.area_id]
        for what, lifetime in (("holder " + holder.name, holder), ("area " + area.name, area)):
            if not _within(new, lifetime.valid_from, lifetime.valid_to):
                raise InvariantError(
                    f"{self.functions[new.function_id].label} in {area.name} from "
                    f"{new.valid_from} to {new.valid_to or 'open'} lies outside the lifetime "
                    f"of {what} ({lifetime.valid_from or 'open'} to {lifetime.valid_to or 'open'})"
                )
        for other in self._assignments_by_slot.get((new.function_id, new.area_id), ()):
            if other.assignment_id == new.assignment_id:
                continue
            clash = overlaps(new.valid_from, new.valid_to, other.valid_from, other.valid_to)
            if clash and not (new.joint and other.joint):
                raise InvariantError(
                    f"{self.functions[new.function_id].label} in {area.name} would have two "
                    f"holders at once ({self.organisations[other.holder_id].name} from "
                    f"{other.valid_from} and {holder.name} from {new.valid_from}) without "
                    "being declared joint"
                )

    # -- indexes (built on first use) ----------------------------------------------
    @cached_property
    def _assignments_by_slot(self) -> dict[tuple[str, str], list[Assignment]]:
        index: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
        for a in self.assignments.values():
            index[(a.function_id, a.area_id)].append(a)
        return index

    @cached_property
    def _assignments_by_area(self) -> dict[str, list[Assignment]]:
        index: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.assignments.values():
            index[a.area_id].append(a)
        return index

    @cached_property
    def _assignments_by_holder(self) -> dict[str, list[Assignment]]:
        index: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.assignments.values():
            index[a.holder_id].append(a)
        return index

    @cached_property
    def _links_by_child(self) -> dict[str, list[AreaLink]]:
        index: dict[str, list[AreaLink]] = defaultdict(list)
        for link in self.area_links:
            index[link.child_id].append(link)
        return index

    @cached_property
    def _links_by_parent(self) -> dict[str, list[AreaLink]]:
        index: dict[str, list[AreaLink]] = defaultdict(list)
        for link in self.area_links:
            index[link.parent_id].append(link)
        return index

    @cached_property
    def _areas_by_org(self) -> dict[str, list[Area]]:
        index: dict[str, list[Area]] = defaultdict(list)
        for area in self.areas.values():
            if area.org_id:
                index[area.org_id].append(area)
        return index

    @cached_property
    def _areas_by_code(self) -> dict[str, list[Area]]:
        index: dict[str, list[Area]] = defaultdict(list)
        for area in self.areas.values():
            for code in area.codes:
                index[code.upper()].append(area)
        return index

    @cached_property
    def _org_by_code(self) -> dict[str, Organisation]:
        index: dict[str, Organisation] = {}
        ordered = sorted(self.organisations.values(), key=lambda o: o.valid_from or date.min)
        for org in ordered:
            for code in (org.ods_code, org.ons_code):
                if code:
                    index[code.upper()] = org
        return index

    @cached_property
    def _orgs_by_code(self) -> dict[str, list[Organisation]]:
        index: dict[str, list[Organisation]] = defaultdict(list)
        for org in self.organisations.values():
            for code in dict.fromkeys(c for c in (org.ods_code, org.ons_code) if c):
                index[code].append(org)
        return index

    @cached_property
    def _org_names(self) -> list[tuple[str, Organisation]]:
        """Every organisation with its name normalised once (a large contracts import looks
        up thousands of names: normalising 9,000 names per lookup took 0.16 s each)."""
        return [(normalise(o.name), o) for o in self.organisations.values()]

    @cached_property
    def _orgs_by_name(self) -> dict[str, list[Organisation]]:
        index: dict[str, list[Organisation]] = defaultdict(list)
        for name, org in self._org_names:
            index[name].append(org)
        return index

    @cached_property
    def _flags_by_function(self) -> dict[str, list[Flag]]:
        index: dict[str, list[Flag]] = defaultdict(list)
        for flag in self.flags:
            index[flag.function_id].append(flag)
        return index

    @cached_property
    def _relations_by_subject(self) -> dict[str, list[Relationship]]:
        index: dict[str, list[Relationship]] = defaultdict(list)
        for r in self.relationships:
            index[r.subject_id].append(r)
        return index

    @cached_property
    def _relations_by_object(self) -> dict[str, list[Relationship]]:
        index: dict[str, list[Relationship]] = defaultdict(list)
        for r in self.relationships:
            index[r.object_id].append(r)
        return index

    @cached_property
    def _population_by_area(self) -> dict[str, list[Population]]:
        index: dict[str, list[Population]] = defaultdict(list)
        for p in self.populations:
            index[p.area_id].append(p)
        return index


def _within(assignment: Assignment, start: date | None, end: date | None) -> bool:
    starts_ok = start is None or (
        assignment.valid_from is not None and assignment.valid_from >= start
    )
    ends_ok = end is None or (assignment.valid_to is not None and assignment.valid_to <= end)
    return starts_ok and ends_ok
