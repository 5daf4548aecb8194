"""One resolver: whatever a user types for "where" becomes the same answer everywhere.

A name or code of an NHS area (region, ICB, sub-ICB location, place), a council (upper tier
or district, by name or ONS code), a GP practice or primary care network (ODS code or name),
a postcode or postcode district (as far as practice postcodes allow) resolves to a
:class:`Resolution`: what was named, and the NHS areas in force on the date that cover it,
each with the share of its population there. A former area (Frimley after 1 April 2026)
resolves to the areas that now cover its former population. Ambiguous input lists the
candidates; unknown input suggests the nearest names.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from icsatlas.errors import NotFoundError, Suggestion
from icsatlas.geography.index import Candidate, NameIndex
from icsatlas.names import normalise, short_name
from icsatlas.register.councils import council_key, tier
from icsatlas.register.model import AREA_TYPES, Area, Organisation
from icsatlas.register.register import Register

POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
SECTOR = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d)$")
_KIND_ORDER = (
    "country",
    "region",
    "icb",
    "council",
    "sub-icb",
    "place",
    "pcn",
    "practice",
    "organisation",
)


@dataclass(frozen=True)
class Cover:
    """An NHS area in force that covers (part of) what was named, and the share of the
    named population in it (None where the data give no share)."""

    area: Area
    share: float | None = 1.0

    @property
    def label(self) -> str:
        """'Leeds (15F)', 'Surrey (92A) 18%': the place (or short name), code and share."""
        area = self.area
        label = f"{area.place_name or short_name(area.name)} ({area.ods_code or area.area_id})"
        return label if self.share in (None, 1.0) else f"{label} {self.share:.0%}"


@dataclass(frozen=True)
class Resolution:
    """What a user's text named on a date, and the NHS areas that cover it."""

    query: str
    kind: str  # country | region | icb | sub-icb | council | pcn | practice | postcode
    code: str
    name: str
    on: date
    covers: tuple[Cover, ...]
    approximate: bool = False
    notes: tuple[str, ...] = ()
    organisation: Organisation | None = None
    practices: tuple[str, ...] = field(default=(), repr=False)

    @property
    def area(self) -> Area | None:
        """The one NHS area this is, or lies wholly within; None if it spans several."""
        return self.covers[0].area if len(self.covers) == 1 else None

    @property
    def label(self) -> str:
        """'Leeds (council, E08000035)', 'NHS Frimley ICB (former ICB, E54000034)'."""
        return f"{self.name} ({self.kind}, {self.code})"

    def describe(self) -> str:
        """How the input was read, for a result's notes."""
        if not self.covers:
            return f"{self.query!r} is {self.label}: no NHS area covers it on {self.on}"
        parts = ", ".join(_cover_text(c) for c in self.covers[:6])
        more = f" and {len(self.covers) - 6} more" if len(self.covers) > 6 else ""
        how = "approximately " if self.approximate else ""
        return f"{self.query!r} is {self.label}, {how}covered on {self.on} by {parts}{more}"


def _cover_text(cover: Cover) -> str:
    area = cover.area
    name = area.place_name or short_name(area.name)
    code = area.ods_code or area.area_id
    kind = {"sub-icb": "sub-ICB location", "icb": "ICB"}.get(area.area_type, area.area_type)
    share = "" if cover.share in (None, 1.0) else f" ({cover.share:.0%})"
    return f"{kind} {code} ({name}){share}"


class Resolver:
    """Resolves text on a date against one register (indexes built once, on first use)."""

    def __init__(self, register: Register, index: NameIndex | None = None) -> None:
        self.register = register
        self.index = index or NameIndex.build(register)

    # -- public ----------------------------------------------------------------------------
    def resolve(self, query: str, on: date) -> Resolution:
        text = " ".join(str(query).split())
        if not text:
            raise NotFoundError("no area given: type a name, code, council, practice or postcode")
        found = self._by_code(text, on) or self._by_name(text, on)
        if found is None:
            raise NotFoundError(*self._unknown(text))
        return found

    def councils(self, on: date) -> list[tuple[Organisation, list[Cover]]]:
        """Every council with the NHS areas covering it on ``on``."""
        chosen = [
            o
            for o in self.register.organisations.values()
            if o.org_type == "local-authority" and o.in_force(on)
        ]
        return [(c, self._council_covers(c, on)) for c in sorted(chosen, key=lambda o: o.name)]

    # -- codes -------------------------------------------------------------------------------
    def _by_code(self, text: str, on: date) -> Resolution | None:
        code = text.upper()
        areas = self.register._areas_by_code.get(code, [])
        if areas:
            return self._area(text, areas, on)
        org = self.register._org_by_code.get(code) or self.register.organisations.get(text)
        if org is not None:
            return self._organisation(text, org, on)
        compact = code.replace(" ", "")
        full = POSTCODE.match(compact)
        if full:
            return self._postcode(text, f"{full[1]} {full[2]}", on)
        sector = SECTOR.match(code)
        if sector:
            return self._postcode(text, f"{sector[1]} {sector[2]}XX", on)
        if DISTRICT.match(compact):
            return self._postcode(text, compact, on)
        return None

    def _organisation(self, text: str, org: Organisation, on: date) -> Resolution:
        if org.org_type == "local-authority":
            return self._council(text, org, on)
        if org.org_type in ("gp-practice", "pcn"):
            return self._practice_or_pcn(text, org, on)
        area = self.register.governed_area(org.org_id, on)
        if area is not None:
            return self._area(text, [area], on)
        governed = self.register._areas_by_org.get(org.org_id, [])
        if governed:
            return self._area(text, governed, on)
        raise NotFoundError(
            f"{text!r} is {org.name}, a {org.org_type.replace('-', ' ')}, not an area: "
            "name an ICB, place, council, practice or postcode"
        )

    # -- names -------------------------------------------------------------------------------
    def _by_name(self, text: str, on: date) -> Resolution | None:
        key = normalise(text)
        if not key:  # punctuation or control characters only: no name to look for
            return None
        exact = list(dict.fromkeys(self.index.exact.get(key, []) + self._councils(text, key)))
        if exact:
            return self._choose(text, exact, on, partial=False)
        partial = self._partial(key)
        if partial:
            return self._choose(text, partial, on, partial=True)
        return None

    def _councils(self, text: str, key: str) -> list[Candidate]:
        """Councils named by the words that tell them apart ('Surrey' for Surrey County
        Council); a name made only of the words councils vary in ('City of London',
        'council') must contain the council's whole name ('City of London Corporation')."""
        council = council_key(text)
        if council:
            return self.index.councils.get(council, [])
        return [
            c for c in self.index.councils.get("", []) if f" {normalise(c.name)} " in f" {key} "
        ]

    def _partial(self, key: str) -> list[Candidate]:
        """Candidates whose names contain ``key`` as whole words ('Hull' is not 'Solihull')."""
        if not key:
            return []
        word = re.compile(rf"\b{re.escape(key)}\b")
        pools = (self.index.exact, self.index.councils, self.index.other_organisations)
        found = [c for pool in pools for name, cs in pool.items() if word.search(name) for c in cs]
        return list(dict.fromkeys(found))

    def _choose(
        self, text: str, candidates: list[Candidate], on: date, *, partial: bool
    ) -> Resolution:
        live = [c for c in candidates if self._in_force(c, on)] or candidates
        best_kind = min(live, key=lambda c: _KIND_ORDER.index(c.kind)).kind
        best = [c for c in live if c.kind == best_kind]
        if len(best) > 1 or (partial and len(live) > 1 and best_kind in ("practice", "pcn")):
            names = "; ".join(
                f"{c.name} ({c.kind}, {c.key})" for c in sorted(best, key=_by_name)[:8]
            )
            more = f" and {len(best) - 8} more" if len(best) > 8 else ""
            raise NotFoundError(
                f"{text!r} matches several {best_kind} names: {names}{more}; give a code",
                [Suggestion(c.name, c.kind, c.key) for c in sorted(best, key=_by_name)[:8]],
            )
        chosen = best[0]
        if chosen.kind in ("country", "region", "icb", "sub-icb", "place"):
            return self._area(text, [self.register.areas[chosen.key]], on)
        return self._organisation(text, self.register.organisations[chosen.key], on)

    def _in_force(self, candidate: Candidate, on: date) -> bool:
        record = self.register.areas.get(candidate.key) or self.register.organisations.get(
            candidate.key
        )
        return record is not None and record.in_force(on)

    def _unknown(self, text: str) -> tuple[str, list[Suggestion]]:
        names = list(self.index.display_names)
        close = difflib.get_close_matches(text.lower(), names, n=4, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(self.index.display_names[c]) for c in close)}?)"
        message = (
            f"nothing matches {text!r}: give an ICB, place, council, GP practice code or "
            f"name, or a postcode{hint if close else ''}"
        )
        return message, [s for c in close for s in self._suggested(self.index.display_names[c])]

    def _suggested(self, name: str) -> list[Suggestion]:
        found = self.index.exact.get(normalise(name), []) or self.index.councils.get(
            council_key(name), []
        )
        return [Suggestion(c.name, c.kind, c.key) for c in found[:1]]

    # -- kinds of answer --------------------------------------------------------------------
    def _area(self, text: str, areas: list[Area], on: date) -> Resolution:
        current = [a for a in areas if a.in_force(on)]
        if current:
            level = min(AREA_TYPES[a.area_type] for a in current)
            area = next(a for a in current if AREA_TYPES[a.area_type] == level)
            kind = area.area_type
            notes = []
            if area.place_name:
                notes.append(f"{area.area_id} is {area.place_name}: {area.place_basis}")
            name = area.name if not area.place_name else f"{area.place_name} ({area.name})"
            return Resolution(
                text,
                kind,
                area.ods_code or area.area_id,
                name,
                on,
                (Cover(area),),
                notes=tuple(notes),
            )
        return self._former(text, max(areas, key=lambda a: a.valid_from or date.min), on)

    def _former(self, text: str, area: Area, on: date) -> Resolution:
        """An area not in force on ``on``: the areas that cover its population then."""
        if area.valid_to is None or on < (area.valid_from or date.min):
            raise NotFoundError(
                f"{area.name} ({area.area_id}) starts on {area.valid_from}: it is not in force "
                f"on {on}"
            )
        day_before = area.valid_to - timedelta(days=1)
        practices = self._practices_in(area.area_id, day_before)
        covers = self._covers_of_practices(practices, on)
        successors = self._successor_names(area)
        note = (
            f"{area.name} ended on {area.valid_to}"
            + (f" (successors: {successors})" if successors else "")
            + f"; its {len(practices)} practices of {day_before} are now in the areas shown"
        )
        return Resolution(
            text,
            f"former {area.area_type}",
            area.ods_code or area.area_id,
            area.name,
            on,
            covers,
            notes=(note,),
            practices=tuple(practices),
        )

    def _council(self, text: str, council: Organisation, on: date) -> Resolution:
        covers = self._council_covers(council, on)
        notes = [
            f"{council.name} is a {tier(council.org_id)}"
            + (
                "; shares of its mid-2015 population by LSOA"
                if covers
                else f"; no NHS area overlaps are recorded for {on}"
            )
        ]
        county = [
            self.register.organisations[r.object].name
            for r in self.index.links(council.org_id, "within")
        ]
        if county:
            notes.append(f"{council.name} lies within {county[0]} (upper-tier council)")
        return Resolution(
            text,
            "council",
            council.org_id,
            council.name,
            on,
            tuple(covers),
            notes=tuple(notes),
            organisation=council,
        )

    def _council_covers(self, council: Organisation, on: date) -> list[Cover]:
        overlaps = [
            r
            for r in self.index.links(council.org_id, "overlaps", on=on)
            if self.register.areas[r.object].area_type == "sub-icb"
        ]
        covers = [Cover(self.register.areas[r.object], r.share) for r in overlaps]
        return sorted(covers, key=lambda c: -(c.share or 0))

    def _practice_or_pcn(self, text: str, org: Organisation, on: date) -> Resolution:
        if org.org_type == "gp-practice" and not self.index.links(org.org_id, "located-in", on=on):
            return self._unplaced_practice(text, org, on)
        if org.org_type == "pcn":
            members = [r.subject for r in self.index.links(None, "member-of", org.org_id)]
            practices = [p for p in members if self.register.organisations[p].in_force(on)]
        else:
            practices = [org.org_id]
        covers = self._covers_of_practices(practices, on)
        notes = []
        if org.org_type == "pcn":
            notes.append(f"{org.name} is a primary care network of {len(practices)} practices")
        else:
            pcn = self.index.links(org.org_id, "member-of")
            if pcn:
                notes.append(f"in {self.register.organisations[pcn[0].object].name} (PCN)")
        kind = "practice" if org.org_type == "gp-practice" else "pcn"
        return Resolution(
            text,
            kind,
            org.org_id,
            org.name,
            on,
            covers,
            notes=tuple(notes),
            organisation=org,
            practices=tuple(practices),
        )

    def _unplaced_practice(self, text: str, org: Organisation, on: date) -> Resolution:
        """A practice with no location on ``on`` (closed, or not yet in the lists): where it
        was last placed, said plainly."""
        placed = self.index.links(org.org_id, "located-in")
        if not placed:
            raise NotFoundError(f"{org.name} ({org.org_id}) has no recorded location")
        last = max(placed, key=lambda r: r.valid_from or date.min)
        area = self.register.areas[last.object]
        until = last.valid_to or org.valid_to
        note = (
            f"{org.name} has no location on {on}: "
            + "; ".join(org.gaps or ("not in the practice lists then",))
            + f". It was last placed in {_cover_text(Cover(area))}"
            + (f" until {until}" if until else "")
        )
        covers = (Cover(area),) if area.in_force(on) else ()
        return Resolution(
            text,
            "practice",
            org.org_id,
            org.name,
            on,
            covers,
            notes=(note,),
            organisation=org,
            practices=(org.org_id,),
        )

    def _postcode(self, text: str, postcode: str, on: date) -> Resolution:
        """Practices at the postcode, else in its sector, else in its district."""
        district = postcode.split(" ")[0]
        tries = [
            (postcode, self.index.postcodes, "at"),
            (postcode[:-2], self.index.postcode_sectors, "in postcode sector"),
            (district, self.index.postcode_districts, "in postcode district"),
            (_family(district), self._district_family(district), "in the postcode districts"),
        ]
        found = [
            (
                key,
                where,
                [p for p in index.get(key, []) if self.register.organisations[p].in_force(on)],
            )
            for key, index, where in tries
        ]
        found = [f for f in found if f[2]]
        if not found:
            raise NotFoundError(
                f"no GP practice in the shipped list has a postcode in {district}: icsatlas "
                "places a postcode only through practice postcodes"
            )
        key, where, practices = found[0]
        note = (
            f"approximate: placed by the {len(practices)} GP practice(s) {where} {key} (shares "
            "by their registered patients), not by where people live"
        )
        covers = self._covers_of_practices(practices, on)
        return Resolution(
            text,
            "postcode",
            postcode,
            postcode,
            on,
            covers,
            approximate=True,
            notes=(note,),
            practices=tuple(practices),
        )

    def _district_family(self, district: str) -> dict[str, list[str]]:
        """Central districts split by a letter (SW1A, SW1E, SW1P...) taken together, for a
        district with no practice of its own."""
        family = _family(district)
        practices = [
            p
            for name, found in self.index.postcode_districts.items()
            if _family(name) == family
            for p in found
        ]
        return {family: practices}

    # -- practices and shares --------------------------------------------------------------
    def _practices_in(self, area_id: str, on: date) -> list[str]:
        inside = {area_id, *(a.area_id for a in self.register.descendants(area_id, on))}
        return sorted(
            r.subject
            for target in inside
            for r in self.index.links(None, "located-in", target, on=on)
        )

    def _covers_of_practices(self, practices: Iterable[str], on: date) -> tuple[Cover, ...]:
        weights: dict[str, float] = defaultdict(float)
        for practice in practices:
            located = self.index.links(practice, "located-in", on=on)
            if located:
                weights[located[0].object] += self.index.practice_population.get(practice, 1.0)
        total = sum(weights.values())
        covers = [
            Cover(self.register.areas[area_id], round(weight / total, 4) if total else None)
            for area_id, weight in weights.items()
        ]
        return tuple(sorted(covers, key=lambda c: -(c.share or 0)))

    def _successor_names(self, area: Area) -> str:
        if not area.org_id or area.org_id not in self.register.organisations:
            return ""
        successors = self.register.organisations[area.org_id].successors
        return ", ".join(self.register.organisations[s].name for s in successors)


def _by_name(candidate: Candidate) -> str:
    return candidate.name


def _family(district: str) -> str:
    """'SW1A' -> 'SW1*', 'EC1V' -> 'EC1*'; a district without a final letter stands alone."""
    return (
        f"{district[:-1]}*"
        if district[-1:].isalpha() and district[:-1][-1:].isdigit()
        else district
    )
