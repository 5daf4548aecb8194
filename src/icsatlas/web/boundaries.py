"""The shipped boundary sets, and which boundary draws each area of the register on a date.

Each set in ``web/maps/*.json`` (made by ``scripts/derive-maps`` from ONS boundary files) is a
topology: every border is one arc of integer points shared by the areas on either side, and
each area is a list of rings of arc references (``~i`` is arc ``i`` walked backwards). SVG
paths are built from the arcs here, so an area that has no boundary of its own (a what-if
merged ICB) can be drawn as the union of the areas it was made of: the arcs between them
cancel and the outline that is left is exactly theirs. Standard library only.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from icsatlas.errors import NotFoundError

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

MERGERS_2026 = date(2026, 4, 1)  # the 42 ICBs became 36 (icb-2023 before, icb-2026 from)
LEVELS = ("region", "icb", "sub-icb", "upper-tier", "lower-tier")
SETS = ("icb-2026", "icb-2023", "sub-icb-2023", "region-2024", "upper-tier-2023", "lower-tier-2024")

# Register ONS code -> the code the boundary file uses for the same area, where they differ.
BOUNDARY_CODES = {
    # Barnsley and Sheffield: the register (LSOA data) codes them E08000038/E08000039; the May
    # 2024 districts and December 2023 counties and unitaries E08000016/E08000019, kept in the
    # register as their other codes (icsatlas.register.council_records.LAD_2024_CODES).
    "E08000038": "E08000016",
    "E08000039": "E08000019",
    # NHS England regions: East of England and North West are E40000007/E40000010 in the
    # register (ONS April 2023 lookup) and E40000013/E40000014 in the January 2024 boundaries.
    "E40000007": "E40000013",
    "E40000010": "E40000014",
    # Surrey Heartlands and Sussex ICBs and sub-ICB locations 92A and 70F: July 2022 codes,
    # recoded on 1 April 2023 when their shared boundary moved (icsatlas.register.geography).
    "E54000052": "E54000063",
    "E54000053": "E54000064",
    "E38000246": "E38000264",
    "E38000248": "E38000265",
}

Ring = tuple[int, ...]


@dataclass(frozen=True)
class AreaShape:
    name: str
    polygons: tuple[tuple[Ring, ...], ...]
    members: frozenset[str]  # sub-ICB locations an ICB was made of (empty otherwise)


class BoundarySet:
    """One shipped boundary set: its provenance, frame (``view_box``) and areas."""

    def __init__(self, key: str, raw: dict) -> None:
        self.key = key
        self.title: str = raw["title"]
        self.level: str = raw["level"]
        self.boundaries: str = raw["boundaries"]
        self.source: str = raw["source"]
        self.via: str = raw["via"]
        self.licence: str = raw["licence"]
        self.attribution: str = raw["attribution"]
        self.view_box: tuple[int, ...] = tuple(raw["view_box"])
        self.areas: dict[str, AreaShape] = {
            code: AreaShape(
                a["name"],
                tuple(tuple(tuple(ring) for ring in polygon) for polygon in a["polygons"]),
                frozenset(a.get("members", ())),
            )
            for code, a in raw["areas"].items()
        }
        self._arcs = [_Arc(flat) for flat in raw["arcs"]]
        self._paths: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<BoundarySet {self.key}: {len(self.areas)} areas>"

    def path(self, code: str) -> str:
        """The SVG path of one area (a boundary code of this set)."""
        if code not in self._paths:
            self._paths[code] = self._rings_path(self.rings(code))
        return self._paths[code]

    def rings(self, code: str) -> list[Ring]:
        return [ring for polygon in self.areas[code].polygons for ring in polygon]

    def union_path(self, codes: Iterable[str]) -> str:
        """The outline of several areas together: the borders between them left out."""
        return self._rings_path(self._stitch(self._outer_refs(codes)))

    def points(self, ring: Ring) -> list[tuple[int, int]]:
        """The ring's points, in map units."""
        found: list[tuple[int, int]] = []
        for ref in ring:
            found.extend(self._arc(ref).points(ref)[1 if found else 0 :])
        return found

    def _arc(self, ref: int) -> _Arc:
        return self._arcs[ref if ref >= 0 else ~ref]

    def _rings_path(self, rings: Iterable[Ring]) -> str:
        parts = []
        for ring in rings:
            x, y = self._arc(ring[0]).first(ring[0])
            steps = " ".join(self._arc(ref).steps(ref) for ref in ring)
            parts.append(f"M{x} {y}l{steps}z".replace(" -", "-"))
        return "".join(parts)

    def _outer_refs(self, codes: Iterable[str]) -> list[int]:
        """Arc references on the outline: an arc walked both ways is an inner border."""
        net: Counter[int] = Counter()
        for code in codes:
            for ring in self.rings(code):
                for ref in ring:
                    net[ref if ref >= 0 else ~ref] += 1 if ref >= 0 else -1
        return [i if n > 0 else ~i for i, n in sorted(net.items()) if n]

    def _stitch(self, refs: list[int]) -> list[Ring]:
        """Chain arc references, each ending where the next starts, into closed rings."""
        starting: dict[tuple[int, int], list[int]] = defaultdict(list)
        for ref in refs:
            starting[self._arc(ref).first(ref)].append(ref)
        rings = []
        for ref in refs:
            here = self._arc(ref).first(ref)
            if ref not in starting[here]:
                continue  # already in a ring
            ring, step = [], ref
            while True:
                starting[here].remove(step)
                ring.append(step)
                here = self._arc(step).last(step)
                if here == self._arc(ring[0]).first(ring[0]) or not starting[here]:
                    break
                step = starting[here][0]
            rings.append(tuple(ring))
        return rings


class _Arc:
    """One arc: its ends and its steps as SVG relative coordinates, each way."""

    __slots__ = ("_back", "_ends", "_flat", "_forward")

    def __init__(self, flat: list[int]) -> None:
        self._flat = flat
        start = (flat[0], flat[1])
        self._ends = (start, (flat[0] + sum(flat[2::2]), flat[1] + sum(flat[3::2])))
        pairs = list(zip(flat[2::2], flat[3::2], strict=True))
        self._forward = " ".join(f"{dx} {dy}" for dx, dy in pairs)
        self._back = " ".join(f"{-dx} {-dy}" for dx, dy in reversed(pairs))

    def first(self, ref: int) -> tuple[int, int]:
        return self._ends[0 if ref >= 0 else 1]

    def last(self, ref: int) -> tuple[int, int]:
        return self._ends[1 if ref >= 0 else 0]

    def steps(self, ref: int) -> str:
        return self._forward if ref >= 0 else self._back

    def points(self, ref: int) -> list[tuple[int, int]]:
        x, y = self._flat[0], self._flat[1]
        found = [(x, y)]
        for dx, dy in zip(self._flat[2::2], self._flat[3::2], strict=True):
            x, y = x + dx, y + dy
            found.append((x, y))
        return found if ref >= 0 else found[::-1]


@cache
def boundary_set(key: str) -> BoundarySet:
    """A shipped boundary set by key (see ``SETS``), read once per process."""
    if key not in SETS:
        raise NotFoundError(f"no boundary set {key!r}: use {', '.join(SETS)}")
    text = (resources.files("icsatlas.web") / "maps" / f"{key}.json").read_text(encoding="utf-8")
    return BoundarySet(key, json.loads(text))


def boundary_set_key(level: str, on: date) -> str:
    """The boundary set that draws ``level`` on ``on``: ICBs from 2026-04-01 with the April
    2026 set, before then with April 2023's; the other levels have one set each."""
    if level not in LEVELS:
        raise NotFoundError(f"no map of {level!r}: use {', '.join(LEVELS)}")
    if level == "icb":
        return "icb-2026" if on >= MERGERS_2026 else "icb-2023"
    return next(key for key in SETS if key.startswith(f"{level}-"))


def boundary_code(code: str) -> str:
    """The boundary files' code for a register ONS code (the same, but for ``BOUNDARY_CODES``)."""
    return BOUNDARY_CODES.get(code, code)


@dataclass(frozen=True)
class Shape:
    """One area as drawn: its register code and name, and its SVG path."""

    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Layer:
    """The areas of one level on one date, as drawn from a boundary set, with notes on any
    area drawn other than by its own boundary or not drawn at all."""

    boundaries: BoundarySet
    on: date | None
    shapes: tuple[Shape, ...]
    notes: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()  # (code, name) of areas with no boundary shipped


def set_layer(key: str) -> Layer:
    """Every area of a boundary set, under the set's own codes and names."""
    found = boundary_set(key)
    shapes = tuple(Shape(code, a.name, found.path(code)) for code, a in found.areas.items())
    return Layer(found, None, shapes)


def layer(
    level: str,
    on: date,
    areas: Mapping[str, str],
    members: Mapping[str, Collection[str]] | None = None,
) -> Layer:
    """The register's ``areas`` (ONS code -> name) of ``level`` on ``on`` as shapes.

    ``members`` gives the sub-ICB locations of each ICB on the date: an ICB whose boundary
    is not shipped, or whose sub-ICB locations differ from those its boundary was drawn for
    (a what-if merger or transfer), is drawn as the union of the areas it is made of.
    """
    found = boundary_set(boundary_set_key(level, on))
    shapes: list[Shape] = []
    notes: list[str] = []
    missing: list[tuple[str, str]] = []
    for code, name in areas.items():
        wanted = {boundary_code(m) for m in (members or {}).get(code, ())}
        path, note = _draw(found, code, name, wanted)
        if note:
            notes.append(note)
        if path:
            shapes.append(Shape(code, name, path))
        else:
            missing.append((code, name))
    return Layer(found, on, tuple(shapes), tuple(notes), tuple(missing))


def geography_layer(geography: Geography, level: str = "icb") -> Layer:
    """The ICBs, sub-ICB locations or regions of a workspace's geography on its date (what-if
    reforms included): ``layer`` fed from ``ws.geography(on)``."""
    tree = geography.sub_icbs
    if level == "sub-icb":
        areas = dict(zip(tree.sub_icb_ons, tree.sub_icb_name, strict=True))
        return layer(level, geography.on, areas)
    if level == "region":
        return layer(level, geography.on, dict(zip(tree.region_ons, tree.region_name, strict=True)))
    if level != "icb":
        raise NotFoundError(f"the NHS geography has no {level!r} areas: use icb, sub-icb, region")
    members = tree.groupby("icb_ons").sub_icb_ons.apply(frozenset).to_dict()
    areas = dict(zip(tree.icb_ons, tree.icb_name, strict=True))
    return layer(level, geography.on, areas, members)


def _draw(found: BoundarySet, code: str, name: str, wanted: set[str]) -> tuple[str, str | None]:
    """The path for one register area, and a note if it is not simply its own boundary."""
    own_code = boundary_code(code)
    own = found.areas.get(own_code)
    if own is not None and (not wanted or not own.members or own.members == wanted):
        note = None
        if own_code != code:
            note = f"{name} ({code}) is drawn with the {found.boundaries} boundary of {own_code}."
        return found.path(own_code), note
    parts = _cover(found, wanted)
    if parts:
        names = ", ".join(found.areas[p].name for p in parts)
        return found.union_path(parts), (
            f"{name} ({code}) is drawn as the union of {names} ({found.boundaries} boundaries)."
        )
    sub_icbs = boundary_set("sub-icb-2023")
    if wanted and wanted <= sub_icbs.areas.keys():
        return sub_icbs.union_path(sorted(wanted)), (
            f"{name} ({code}) is drawn as the union of its {len(wanted)} sub-ICB locations "
            f"({sub_icbs.boundaries} boundaries)."
        )
    return "", f"{name} ({code}): no boundary shipped, so it is not on the map."


def _cover(found: BoundarySet, wanted: set[str]) -> list[str]:
    """Areas of the set whose sub-ICB locations together are exactly ``wanted``."""
    parts = [c for c, a in found.areas.items() if a.members and a.members <= wanted]
    covered = set().union(*(found.areas[p].members for p in parts))
    return parts if parts and covered == wanted else []
