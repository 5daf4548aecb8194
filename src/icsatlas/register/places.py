"""Places: each sub-ICB location named by the place it covers (15F is Leeds), derived from
the councils it overlaps, with the derivation written on the record.

The rule, applied to the latest overlaps of each sub-ICB location (mid-2015 populations):

1. upper-tier councils with at least 90% of their population in the location: if together
   they make up at least 90% of it, the place is named after them ("Leeds", "Kent and
   Medway");
2. otherwise the place lies within a county, and is named after its lower-tier councils,
   largest first, until they make up at least 80% of it; a council with less than 90% of its
   population in the location is marked "(part)", and the county follows in brackets
   ("Burnley, Hyndburn, Pendle, Ribble Valley and Rossendale (Lancashire)").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from icsatlas.register.councils import is_upper_tier
from icsatlas.register.model import Changeset, Relationship
from icsatlas.register.register import Register

WHOLE = 0.9  # share of a council's population in the location for it to count as whole
UPPER_COVER = 0.9  # share of the location that whole upper-tier councils must make up
LOWER_COVER = 0.8  # share of the location that the named lower-tier councils make up


def name_places(register: Register) -> Changeset:
    """Name every sub-ICB location that has council overlaps and no place name yet."""
    changes = Changeset()
    by_area = _latest_overlaps(register)
    for area in register.areas.values():
        overlaps = by_area.get(area.area_id)
        if area.area_type != "sub-icb" or not overlaps or area.place_name:
            continue
        name, basis = place_of(register, overlaps)
        changes.replace(area, replace(area, place_name=name, place_basis=basis))
    return changes


def _latest_overlaps(register: Register) -> dict[str, list[Relationship]]:
    found: dict[str, list[Relationship]] = defaultdict(list)
    for relation in register.relationships:
        if relation.relation == "overlaps" and relation.object_share is not None:
            found[relation.object_id].append(relation)
    latest = {}
    for area_id, relations in found.items():
        start = max(r.valid_from for r in relations if r.valid_from)
        latest[area_id] = [r for r in relations if r.valid_from == start]
    return latest


def place_of(register: Register, overlaps: list[Relationship]) -> tuple[str, str]:
    """The place name and how it was derived, from one location's council overlaps."""
    ranked = sorted(overlaps, key=lambda r: -(r.object_share or 0))
    upper = [r for r in ranked if is_upper_tier(r.subject_id) and (r.share or 0) >= WHOLE]
    if _cover(upper) >= UPPER_COVER:
        return _joined(register, upper, marks=False), _basis(register, upper)
    lower = [r for r in ranked if not r.subject_id.startswith("E10")]
    chosen = []
    for relation in lower:
        chosen.append(relation)
        if _cover(chosen) >= LOWER_COVER:
            break
    counties = {c.object_id for r in chosen for c in register.relations(r.subject_id, "within")}
    name = _joined(register, chosen, marks=True)
    if len(counties) == 1:
        name += f" ({register.organisations[counties.pop()].name})"
    return name, _basis(register, chosen)


def _cover(relations: list[Relationship]) -> float:
    return sum(r.object_share or 0 for r in relations)


def _joined(register: Register, relations: list[Relationship], *, marks: bool) -> str:
    names = [
        register.organisations[r.subject_id].name
        + (" (part)" if marks and (r.share or 0) < WHOLE else "")
        for r in relations
    ]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _basis(register: Register, relations: list[Relationship]) -> str:
    parts = ", ".join(
        f"{register.organisations[r.subject_id].name} ({r.object_share:.1%} of the location; "
        f"{r.share:.1%} of the council)"
        for r in relations
    )
    return (
        f"named after the councils making up {_cover(relations):.1%} of its mid-2015 population "
        f"(LSOA lookup): {parts}"
    )
