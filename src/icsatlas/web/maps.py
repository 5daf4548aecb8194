"""Maps as accessible inline SVG, drawn on the server from the shipped boundary sets.

::

    from icsatlas.web import maps
    layer = maps.geography_layer(ws.geography("2026-06-01"))     # the 36 ICBs on the date
    svg = maps.render(layer, values={"E54000008": 12.5, ...}, highlight=["E54000054"],
                      title="Over-65s, per cent", link="/icb/{code}?on=2026-06-01")
    layer.notes   # areas drawn as a union of others, or not drawn at all: show them too

The SVG names itself (``<title>``, ``<desc>``) and every area (a ``<title>`` child, and an
``aria-label`` on its link); areas are shaded by value in five bands of a sequential palette
(numbers) or by category (text), with a legend, and work without JavaScript. It is
``role="img"`` unless its areas are links: links inside an image would be hidden from screen
readers, so a linked map is a ``role="group"`` of links. Every map goes beside a table with
the same figures. Standard library only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape

from icsatlas.web.boundaries import (
    BOUNDARY_CODES,
    LEVELS,
    SETS,
    BoundarySet,
    Layer,
    Shape,
    boundary_code,
    boundary_set,
    boundary_set_key,
    geography_layer,
    layer,
    set_layer,
)

__all__ = [
    "BOUNDARY_CODES",
    "LEVELS",
    "SETS",
    "BoundarySet",
    "Layer",
    "Shape",
    "boundary_code",
    "boundary_set",
    "boundary_set_key",
    "geography_layer",
    "layer",
    "render",
    "set_layer",
]

# ColorBrewer "Blues", 5 classes (sequential, colour-blind safe), light to dark.
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
# Okabe & Ito's colour-blind safe palette, for categories.
CATEGORICAL = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7")
NO_DATA = "#d8dde0"  # NHS grey 4
BASE = "#e8edee"  # NHS grey 5: areas when nothing is shaded
HIGHLIGHT = "#005eb8"  # NHS blue, the fill of a highlighted area on an unshaded map
OUTLINE = "#212b32"  # NHS black, the outline of a highlighted area
FONT = "Arial, sans-serif"

Value = float | int | str | None
Link = str | Callable[[str], str] | None


def render(
    drawn: Layer | str,
    *,
    highlight: Iterable[str] = (),
    values: Mapping[str, Value] | None = None,
    title: str | None = None,
    link: Link = None,
    label: Callable[[Value], str] | None = None,
    id_prefix: str = "map",
) -> str:
    """An inline SVG map of a layer (or of every area of a boundary set, by key).

    ``values`` (area code -> number or category) shades the areas, with a legend; ``label``
    formats a value for titles and the legend. ``highlight`` outlines areas (and fills them
    on an unshaded map). ``link`` makes each area a link: a template with ``{code}`` or a
    function of the code.
    """
    drawn = set_layer(drawn) if isinstance(drawn, str) else drawn
    found = drawn.boundaries
    title = title or f"{found.title} in England ({found.boundaries} boundaries)"
    shade = _shading(values, label or _label)
    marked = set(highlight)
    x, y, w, h = found.view_box
    h += 3 * (w // 64)  # room for the attribution
    role = "group" if link else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" '
        f'class="icsatlas-map" role="{role}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="{FONT}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(_description(drawn, shade, marked))}</desc>',
        '<g stroke="#fff" stroke-width="0.75" stroke-linejoin="round" fill-rule="evenodd">',
        *(_area(shape, shade, marked, link) for shape in drawn.shapes),
        "</g>",
        _outlines(drawn, marked),
        _legend(found, shade),
        _attribution(found),
        "</svg>",
    ]
    return "".join(p for p in parts if p)


@dataclass(frozen=True)
class _Shading:
    """Each area's fill and value as text, and the legend's entries (fill, text)."""

    fills: dict[str, str]
    legend: list[tuple[str, str]]
    texts: dict[str, str]


def _shading(values: Mapping[str, Value] | None, label: Callable[[Value], str]) -> _Shading:
    if not values:
        return _Shading({}, [], {})
    known = {c: v for c, v in values.items() if v is not None}
    if not known:
        fills, legend = {}, []
    elif any(isinstance(v, str) for v in known.values()):
        fills, legend = _categories(known)
    else:
        fills, legend = _bands(known, label)
    if len(known) < len(values):
        legend.append((NO_DATA, "No data"))
    texts = {c: label(v) if v is not None else "no data" for c, v in values.items()}
    return _Shading(fills, legend, texts)


def _bands(values: Mapping[str, Value], label: Callable[[Value], str]):
    """Five bands of (about) equal numbers of areas; the legend gives each band's range."""
    ordered = sorted(values, key=lambda c: (values[c], c))
    classes = min(len(SEQUENTIAL), len({values[c] for c in ordered}))
    cuts = [i * len(ordered) // classes for i in range(classes + 1)]
    bands = _without_split_ties([ordered[a:b] for a, b in itertools.pairwise(cuts)], values)
    fills: dict[str, str] = {}
    legend = []
    palette = SEQUENTIAL if len(bands) == len(SEQUENTIAL) else _spread(len(bands))
    for colour, band in zip(palette, bands, strict=True):
        fills.update(dict.fromkeys(band, colour))
        low, high = values[band[0]], values[band[-1]]
        text = label(low) if low == high else f"{label(low)} to {label(high)}"
        legend.append((colour, text))
    return fills, legend


def _without_split_ties(bands: list[list[str]], values: Mapping[str, Value]) -> list[list[str]]:
    """Bands adjusted so that equal values share a band."""
    merged: list[list[str]] = []
    for band in bands:
        if merged and values[merged[-1][-1]] == values[band[0]]:
            tie = values[band[0]]
            merged[-1] += [c for c in band if values[c] == tie]
            band = [c for c in band if values[c] != tie]
        if band:
            merged.append(band)
    return merged


def _spread(n: int) -> tuple[str, ...]:
    """``n`` colours of the sequential palette, as far apart as it allows."""
    if n == 1:
        return (SEQUENTIAL[2],)
    return tuple(SEQUENTIAL[round(i * (len(SEQUENTIAL) - 1) / (n - 1))] for i in range(n))


def _categories(values: Mapping[str, Value]):
    names = sorted({str(v) for v in values.values()})
    if len(names) > len(CATEGORICAL):
        raise ValueError(
            f"a map shows at most {len(CATEGORICAL)} categories, not {len(names)}: group them"
        )
    colour = dict(zip(names, CATEGORICAL, strict=False))
    fills = {c: colour[str(v)] for c, v in values.items()}
    return fills, [(colour[n], n) for n in names]


def _label(value: Value) -> str:
    """Numbers to three significant figures with thousands separators; text as it is."""
    if value is None or isinstance(value, str):
        return "no data" if value is None else value
    rounded = float(f"{value:.3g}")
    return f"{int(rounded):,}" if rounded.is_integer() else f"{rounded:,}"


def _area(shape: Shape, shade: _Shading, marked: set[str], link: Link) -> str:
    fill = shade.fills.get(shape.code)
    if fill is None:
        fill = NO_DATA if shade.legend else (HIGHLIGHT if shape.code in marked else BASE)
    name = shape.name + (f": {shade.texts[shape.code]}" if shape.code in shade.texts else "")
    path = (
        f'<path d="{shape.path}" fill="{fill}" vector-effect="non-scaling-stroke">'
        f"<title>{escape(name)}</title></path>"
    )
    if not link:
        return path
    href = link(shape.code) if callable(link) else link.format(code=shape.code)
    return f'<a href="{escape(href)}" aria-label="{escape(name)}">{path}</a>'


def _outlines(drawn: Layer, marked: set[str]) -> str:
    """Highlighted areas outlined on top (so neighbours do not hide their borders)."""
    paths = [s.path for s in drawn.shapes if s.code in marked]
    if not paths:
        return ""
    return (
        f'<g fill="none" stroke="{OUTLINE}" stroke-width="2.5" stroke-linejoin="round" '
        'aria-hidden="true">'
        + "".join(f'<path d="{p}" vector-effect="non-scaling-stroke"/>' for p in paths)
        + "</g>"
    )


def _legend(found: BoundarySet, shade: _Shading) -> str:
    """Swatches and labels in the top left of the frame (the sea west of Cumbria)."""
    if not shade.legend:
        return ""
    x, y, w, _ = found.view_box
    left, room = x, round(w * 0.35)
    longest = max(len(text) for _, text in shade.legend)
    size = min(w // 40, round(room / (1.4 + 0.55 * longest)))
    rows = []
    for i, (colour, text) in enumerate(shade.legend):
        top = y + size + i * round(size * 1.5)
        rows.append(
            f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="{colour}" '
            f'stroke="{OUTLINE}" stroke-width="0.5" vector-effect="non-scaling-stroke"/>'
            f'<text x="{left + round(size * 1.4)}" y="{top + round(size * 0.85)}" '
            f'font-size="{size}">{escape(text)}</text>'
        )
    return f'<g class="legend" aria-hidden="true">{"".join(rows)}</g>'


def _attribution(found: BoundarySet) -> str:
    """The licence's attribution, in two lines under the map."""
    x, y, w, h = found.view_box
    size = w // 64
    lines = found.attribution.replace(". ", ".\n", 1).split("\n")
    return (
        f'<text x="{x}" y="{y + h + size}" font-size="{size}" fill="#4c6272" aria-hidden="true">'
        + "".join(
            f'<tspan x="{x}" dy="{0 if i == 0 else round(size * 1.2)}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        + "</text>"
    )


def _description(drawn: Layer, shade: _Shading, marked: set[str]) -> str:
    found = drawn.boundaries
    text = [f"Map of {len(drawn.shapes)} {found.title.lower()} in England"]
    if drawn.on:
        text[0] += f" on {drawn.on.isoformat()}"
    text[0] += f", drawn with ONS {found.boundaries} boundaries."
    if shade.legend:
        text.append("Shading: " + "; ".join(t for _, t in shade.legend) + ".")
    names = [s.name for s in drawn.shapes if s.code in marked]
    if names:
        text.append(f"Highlighted: {', '.join(names)}.")
    text += list(drawn.notes)
    text.append("The table beside the map gives the same information.")
    text.append(found.attribution)
    return " ".join(text)
