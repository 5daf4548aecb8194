"""The resolver's indexes of names, codes and postcodes, built once per register (and kept in
the register's snapshot, so a command does not rebuild them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

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


PARTS = (
    "exact",
    "councils",
    "other_organisations",
    "display_names",
    "postcodes",
    "postcode_sectors",
    "postcode_districts",
    *(f"{side}:{relation}" for relation in LINKED for side in ("subject", "object")),
    "practice_population",
)


class NameIndex:
    """Normalised names -> candidates, display names for suggestions, practice postcodes,
    and the relationships and practice populations the resolver follows.

    Built from a register once; its parts are kept separately in the register's snapshot
    and each is loaded only when a question needs it (a code needs no name index)."""

    def __init__(self, parts: Mapping[str, Any]) -> None:
        self._parts = parts

    @classmethod
    def parts_of(cls, register: Register) -> dict[str, Any]:
        """Every part of the index of ``register``, by name."""
        postcodes = _postcodes(register)
        links: dict[str, list[Link]] = {relation: [] for relation in LINKED}
        for r in register.relationships:
            if r.relation in links:
                link = Link(
                    r.subject_id, r.relation, r.object_id, r.valid_from, r.valid_to, r.share
                )
                links[r.relation].append(link)
        by_relation = {}
        for relation, found in links.items():
            joined = _joined_intervals(found)
            by_relation[f"subject:{relation}"] = _grouped_links(joined, lambda link: link.subject)
            by_relation[f"object:{relation}"] = _grouped_links(joined, lambda link: link.object)
        return by_relation | {
            "exact": _exact(register),
            "councils": _councils(register),
            "other_organisations": _other_organisations(register),
            "display_names": _display_names(register),
            "postcodes": postcodes,
            "postcode_sectors": _grouped(postcodes, lambda p: p[:-2]),
            "postcode_districts": _grouped(postcodes, lambda p: p.split(" ")[0]),
            "practice_population": {
                p.area_id: p.value for p in register.populations if p.measure == PRACTICE_POPULATION
            },
        }

    @classmethod
    def build(cls, register: Register) -> NameIndex:
        return cls(cls.parts_of(register))

    @property
    def exact(self) -> dict[str, list[Candidate]]:
        return self._parts["exact"]

    @property
    def councils(self) -> dict[str, list[Candidate]]:
        return self._parts["councils"]

    @property
    def other_organisations(self) -> dict[str, list[Candidate]]:
        return self._parts["other_organisations"]

    @property
    def display_names(self) -> dict[str, str]:
        return self._parts["display_names"]

    @property
    def postcodes(self) -> dict[str, list[str]]:
        return self._parts["postcodes"]

    @property
    def postcode_sectors(self) -> dict[str, list[str]]:
        return self._parts["postcode_sectors"]

    @property
    def postcode_districts(self) -> dict[str, list[str]]:
        return self._parts["postcode_districts"]

    def by_subject(self, relation: str) -> dict[str, list[Link]]:
        """Links of one relation, by subject."""
        return self._parts[f"subject:{relation}"]

    @property
    def practice_population(self) -> dict[str, float]:
        return self._parts["practice_population"]

    def links(
        self,
        subject: str | None,
        relation: str,
        object_id: str | None = None,
        on: date | None = None,
    ) -> list[Link]:
        """Links of one relation matching a subject or an object, and a date."""
        if subject:
            pool = self._parts[f"subject:{relation}"].get(subject, [])
        else:
            pool = self._parts[f"object:{relation}"].get(object_id or "", [])
        return [
            link
            for link in pool
            if (object_id is None or link.object == object_id) and (on is None or link.in_force(on))
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


def _joined_intervals(links: list[Link]) -> list[Link]:
    """Consecutive links with the same subject, object and share as one (a practice in the
    same sub-ICB location in 2022, 2023 and 2026 is one link from 2022)."""
    ordered = sorted(
        links, key=lambda k: (k.subject, k.object, k.share or 0, k.valid_from or date.min)
    )
    joined: list[Link] = []
    for link in ordered:
        last = joined[-1] if joined else None
        if (
            last is not None
            and (last.subject, last.object, last.share) == (link.subject, link.object, link.share)
            and last.valid_to is not None
            and last.valid_to == link.valid_from
        ):
            joined[-1] = last._replace(valid_to=link.valid_to)
        else:
            joined.append(link)
    return joined


def _grouped_links(links: list[Link], by) -> dict[str, list[Link]]:
    index: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        index[by(link)].append(link)
    return dict(index)


def tidy_postcode(text: str) -> str:
    """'ls118lh' -> 'LS11 8LH'."""
    compact = text.upper().replace(" ", "")
    return f"{compact[:-3]} {compact[-3:]}"
