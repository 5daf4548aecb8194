"""Vector bar charts as SVG text, drawn from the same rows as the table beside them. The
SVG names its font family (the briefing's shipped font) and carries a title for screen
readers; each bar is labelled with its value, so nothing depends on colour alone."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from icsatlas.briefings import figures
from icsatlas.briefings.document import Grid

WIDTH = 480
LABEL = 170
BAR = 14
GAP = 6
COLOURS = ("#005eb8", "#768692")  # NHS blue, NHS mid grey
FONT = "Source Sans Pro, sans-serif"


@dataclass(frozen=True)
class Bars:
    """Groups of labelled bars (one group per row, one bar per series)."""

    title: str
    series: tuple[str, ...]
    groups: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str
    reference: tuple[str, float] | None = None  # one value for every group, drawn as a line

    @property
    def alt(self) -> str:
        parts = [
            f"{label}: "
            + ", ".join(f"{s} {self.show(v)}" for s, v in zip(self.series, values, strict=True))
            for label, values in self.groups
        ]
        return f"{self.title}. " + "; ".join(parts)

    def show(self, value: float) -> str:
        return figures.pounds(value) if self.unit == "GBP" else figures.cell(value)

    def grid(self, sources: tuple[int, ...]) -> Grid:
        extra = (self.reference[1],) if self.reference else ()
        rows = tuple(
            (label, *(self.show(v) for v in (*values, *extra))) for label, values in self.groups
        )
        names = (*self.series, *((self.reference[0],) if self.reference else ()))
        return Grid(self.title, ("", *names), rows, sources)

    @property
    def svg(self) -> str:
        top = max((v for _, values in self.groups for v in values), default=0) or 1
        scale = (WIDTH - LABEL - 70) / top
        y = 22
        names = (*self.series, *((self.reference[0],) if self.reference else ()))
        shapes = [_legend(names)]
        for label, values in self.groups:
            shapes.append(_text(4, y + BAR, label[:30], anchor="start"))
            for index, value in enumerate(values):
                width = max(value * scale, 1)
                shapes.append(
                    f'<rect x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR}" '
                    f'fill="{COLOURS[index % len(COLOURS)]}"/>'
                )
                shapes.append(
                    _text(LABEL + width + 4, y + BAR - 3, self.show(value), anchor="start")
                )
                y += BAR + 2
            y += GAP
        height = y + 4
        if self.reference:
            x = LABEL + self.reference[1] * scale
            colour = COLOURS[len(self.series) % len(COLOURS)]
            shapes.append(
                f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{y:.1f}" stroke="{colour}" '
                'stroke-width="2" stroke-dasharray="4 3"/>'
            )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" font-size="11">'
            f"<title>{escape(self.alt)}</title>{''.join(shapes)}</svg>"
        )


def _legend(series: tuple[str, ...]) -> str:
    parts = []
    x = 4
    for index, name in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, 13, name, anchor="start"))
        x += 14 + 6 * len(name) + 16
    return "".join(parts)


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="#212b32">{escape(text)}</text>'
    )


def running_costs(records: list[dict[str, Any]]) -> Bars:
    """Each ICB's running costs a head beside the Blueprint's envelope a head (one dashed
    line when the envelope is the same for every ICB, as the Blueprint sets it)."""
    shown = [
        r
        for r in records
        if r["running_costs_per_head"] is not None and r["envelope_per_head"] is not None
    ]
    title = "Running costs a head against the Blueprint envelope"
    envelopes = {r["envelope_per_head"] for r in shown}
    if len(shown) > 1 and len(envelopes) == 1:
        return Bars(
            title,
            ("running costs a head",),
            tuple((r["ods_code"], (r["running_costs_per_head"],)) for r in shown),
            "GBP",
            ("Blueprint envelope a head", envelopes.pop()),
        )
    return Bars(
        title,
        ("running costs a head", "Blueprint envelope a head"),
        tuple(
            (r["ods_code"], (r["running_costs_per_head"], r["envelope_per_head"])) for r in shown
        ),
        "GBP",
    )
