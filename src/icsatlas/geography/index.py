"""The resolver's indexes of names, codes and postcodes, built once per register (and kept in
the register's snapshot, so a command does not rebuild them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from icsatlas.names import normalise
from icsatlas.register.councils import council_key
from icsatlas.register.register import Register


@dataclass(frozen=True)
class Candidate:
    """Something a name can mean: its kind, its id in the register and its name."""

    kind: str
    key: str  # area_id or org_id
    name: str


class Link(NamedTuple):
    """A relationship the resolver follows, kept as a plain tuple (fast to load)."""

    subject: str
    relation: str
    object: str
    valid_from: date | None
    valid_to: date | None
    share: float | None

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on < self.valid_to
        )


LINKED = ("overlaps", "within", "located-in", "member-of")
PRACTICE_POPULATION = "allocation-population-2025/26"


@dataclass(frozen=True)
class NameIndex:
    """Normalised names -> candidates, display names for suggestions, practice postcodes,
    and the relationships and practice populations the resolver follows."""

    exact: dict[str, list[Candidate]]
    councils: dict[str, list[Candidate]]
    other_organisations: dict[str, list[Candidate]]
    display_names: dict[str, str]
    postcodes: dict[str, list[str]]
    postcode_sectors: dict[str, list[str]]
    postcode_districts: dict[str, list[str]]
    by_subject: dict[str, list[Link]] = field(default_factory=dict)
    by_object: dict[str, list[Link]] = field(default_factory=dict)
    practice_population: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(cls, register: Register) -> NameIndex:
        postcodes = _postcodes(register)
        links = [
            Link(r.subject_id, r.relation, r.object_id, r.valid_from, r.valid_to, r.share)
            for r in register.relationships
            if r.relation in LINKED
        ]
        return cls(
            exact=_exact(register),
            councils=_councils(register),
            other_organisations=_other_organisations(register),
            display_names=_display_names(register),
            postcodes=postcodes,
            postcode_sectors=_grouped(postcodes, lambda p: p[:-2]),
            postcode_districts=_grouped(postcodes, lambda p: p.split(" ")[0]),
            by_subject=_grouped_links(links, lambda link: link.subject),
            by_object=_grouped_links(links, lambda link: link.object),
            practice_population={
                p.area_id: p.value for p in register.populations if p.measure == PRACTICE_POPULATION
            },
        )

    def links(
        self,
        subject: str | None = None,
        relation: str | None = None,
        object_id: str | None = None,
        on: date | None = None,
    ) -> list[Link]:
        """Links matching a subject or an object, a relation and a date."""
        pool = (
            self.by_subject.get(subject, []) if subject else self.by_object.get(object_id or "", [])
        )
        return [
            link
            for link in pool
            if (relation is None or link.relation == relation)
            and (object_id is None or link.object == object_id)
            and (on is None or link.in_force(on))
        ]


def _exact(register: Register) -> dict[str, list[Candidate]]:
    index: dict[str, list[Candidate]] = defaultdict(list)
    for area in register.areas.values():
        for name in (area.name, *area.former_names):
            index[normalise(name)].append(Candidate(area.area_type, area.area_id, area.name))
        if area.place_name:
            index[normalise(area.place_name)].append(
                Candidate("place", area.area_id, area.place_name)
            )
    for org in register.organisations.values():
        kind = {"gp-practice": "practice", "pcn": "pcn"}.get(org.org_type)
        if kind:
            index[normalise(org.name)].append(Candidate(kind, org.org_id, org.name))
    return dict(index)


def _councils(register: Register) -> dict[str, list[Candidate]]:
    index: dict[str, list[Candidate]] = defaultdict(list)
    for org in register.organisations.values():
        if org.org_type == "local-authority":
            index[council_key(org.name)].append(Candidate("council", org.org_id, org.name))
    return dict(index)


def _other_organisations(register: Register) -> dict[str, list[Candidate]]:
    """Bodies that are not areas (trusts, national bodies), so that naming one gets a clear
    answer rather than a guess."""
    index: dict[str, list[Candidate]] = defaultdict(list)
    for org in register.organisations.values():
        if org.org_type not in ("gp-practice", "pcn", "local-authority") and not org.generic:
            index[normalise(org.name)].append(Candidate("organisation", org.org_id, org.name))
    return dict(index)


def _display_names(register: Register) -> dict[str, str]:
    names = {}
    for area in register.areas.values():
        names[area.name.lower()] = area.name
        if area.place_name:
            names[area.place_name.lower()] = area.place_name
    for org in register.organisations.values():
        if org.org_type == "local-authority":
            names[org.name.lower()] = org.name
    return names


def _postcodes(register: Register) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for org in register.organisations.values():
        if org.org_type == "gp-practice" and org.postcode:
            index[tidy_postcode(org.postcode)].append(org.org_id)
    return dict(index)


def _grouped(postcodes: dict[str, list[str]], part) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for postcode, practices in postcodes.items():
        index[part(postcode)].extend(practices)
    return dict(index)


def _grouped_links(links: list[Link], by) -> dict[str, list[Link]]:
    index: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        index[by(link)].append(link)
    return dict(index)


def tidy_postcode(text: str) -> str:
    """'ls118lh' -> 'LS11 8LH'."""
    compact = text.upper().replace(" ", "")
    return f"{compact[:-3]} {compact[-3:]}"
