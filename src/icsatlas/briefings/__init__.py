"""Printed briefings: an area's report (``ws.report``) laid out for a meeting, as Markdown,
printable HTML or tagged PDF. Nothing is computed here but the questions to ask: the figures
are the report's, so a briefing and the portal's page of the same area agree.

=============  ==============================================================
build          the report as a :class:`~document.Document`, one function a section
questions      questions to ask, each with the fact and source it comes from
changes        when and how surely each function moves (the reform's own file)
charts         vector bar charts (SVG) with the table of the same figures
sources        a section's provenance as a footnote (source, date, licence)
markdown/html  the layouts; pdf: Typst, tagged PDF/UA-1, shipped fonts
write          atomic writes that refuse to overwrite without ``force``
=============  ==============================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from icsatlas.errors import IcsatlasError

if TYPE_CHECKING:
    from icsatlas.briefings.document import Document
    from icsatlas.workspace import DateLike, Workspace

Format = Literal["pdf", "html", "md"]
FORMATS: tuple[Format, ...] = ("pdf", "html", "md")


def as_format(text: str) -> Format:
    """``text`` as a briefing format, or a user error naming the choices."""
    for known in FORMATS:
        if text == known:
            return known
    raise IcsatlasError(f"a briefing is one of {', '.join(FORMATS)}, not {text!r}")


def briefing(
    ws: Workspace,
    area: str,
    on: DateLike = None,
    reform: str | None = None,
    release: str | None = None,
) -> Document:
    """The briefing of ``area`` on ``on`` (under ``reform``), from ``ws.report``; ``release``
    names the data in every footer (default: this workspace's, as the portal names it)."""
    from icsatlas.briefings import build
    from icsatlas.briefings.release import release as current

    report = ws.report(area, on, reform)
    return build.document(ws, report, release or current(ws))


def render(doc: Document, fmt: Format) -> bytes:
    """``doc`` as PDF, HTML or Markdown bytes."""
    if fmt == "pdf":
        from icsatlas.briefings import pdf

        return pdf.render(doc)
    if fmt == "html":
        from icsatlas.briefings import html

        return html.render(doc).encode()
    from icsatlas.briefings import markdown

    return markdown.render(doc).encode()


__all__ = ["FORMATS", "Format", "as_format", "briefing", "render"]
