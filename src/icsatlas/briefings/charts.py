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
        rows = tuple((label, *(self.show(v) for v in values)) for label, values in self.groups)
        return Grid(self.title, ("", *self.series), rows, sources)

    @property
    def svg(self) -> str:
        top = max((v for _, values in self.groups for v in values), default=0) or 1
        scale = (WIDTH - LABEL - 70) / top
        y = 22
        shapes = [_legend(self.series)]
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
    """Each ICB's running costs a head beside the Blueprint's envelope a head."""
    return Bars(
        "Running costs a head against the Blueprint envelope",
        ("running costs a head", "Blueprint envelope a head"),
        tuple(
            (r["ods_code"], (r["running_costs_per_head"], r["envelope_per_head"]))
            for r in records
            if r["running_costs_per_head"] is not None and r["envelope_per_head"] is not None
        ),
        "GBP",
    )
