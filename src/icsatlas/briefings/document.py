"""A briefing as a layout-neutral document: sections of paragraphs, lists, tables and
charts, every figure pointing at a numbered source. Markdown, HTML and PDF each lay out the
same :class:`Document`, so the three formats cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Cell = Any


@dataclass(frozen=True)
class Text:
    """A sentence or two, with the numbers of the sources its figures come from."""

    text: str
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Items:
    """A bulleted list, each item with its sources."""

    items: tuple[Text, ...]


@dataclass(frozen=True)
class Grid:
    """A table: a caption, headed columns and rows of display text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A vector chart (SVG text) with the table of the same figures beside it."""

    svg: str
    alt: str
    grid: Grid


@dataclass(frozen=True)
class SourceList:
    """Where the document's numbered sources are listed."""


Content = Text | Items | Grid | Chart
Block = Content | SourceList


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass
class Sources:
    """Numbered footnotes, each said once: source, date, licence."""

    entries: list[str] = field(default_factory=list)

    def cite(self, text: str) -> int:
        """The footnote number of ``text`` (added the first time it is cited)."""
        if text not in self.entries:
            self.entries.append(text)
        return self.entries.index(text) + 1


@dataclass(frozen=True)
class Document:
    """The whole briefing: title, language, the footer every page carries, the sections and
    their numbered sources."""

    title: str
    subtitle: str
    footer: str
    sections: tuple[Section, ...]
    sources: tuple[str, ...]
    lang: str = "en-GB"
