"""Tables of figures in the design system's markup, written in Python: a page of the area
report holds several hundred cells, and a Jinja macro per cell cost about 0.2 ms each (an ICB
page took over 100 ms to render; the ``data_table`` macro now calls :func:`data_table`).

Cells may be strings, numbers (right-aligned, thousands separated), booleans (Yes/No), None
(empty) or the design system's cell dictionaries (``text`` or ``html``, ``format``); a column
whose cells are all numbers or empty has its header right-aligned too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Number
from typing import Any

from markupsafe import Markup, escape

Cell = Mapping[str, Any]


def data_table(
    caption: str,
    head: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    downloads: Sequence[Mapping[str, str]] = (),
    id: str | None = None,
    first_cell_is_header: bool = True,
    downloads_label: str = "Download this table",
) -> Markup:
    """The table and, if any, a row of download links under it. The table scrolls in its own
    box, a named region in the tab order, so a keyboard user can scroll a wide one."""
    cells = [[as_cell(value) for value in row] for row in rows]
    attributes = f' id="{escape(id)}"' if id else ""
    parts = [
        f'<div class="app-table-scroll" role="region" aria-label="{escape(caption)}" '
        'tabindex="0">\n',
        f'<table class="nhsuk-table"{attributes}>\n',
        f'<caption class="nhsuk-table__caption nhsuk-table__caption--m">{escape(caption)}'
        "</caption>\n",
        '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">',
        *(_header(header, column, cells) for column, header in enumerate(head)),
        '</tr></thead>\n<tbody class="nhsuk-table__body">',
        *(_row(row, first_cell_is_header) for row in cells),
        "\n</tbody>\n</table>\n</div>\n",
        download_links(caption, downloads, downloads_label),
    ]
    return Markup("".join(parts))  # noqa: S704 - every cell and link escaped above


def as_cell(value: Any) -> Cell:
    """A value as a design-system cell dictionary."""
    if isinstance(value, Mapping):
        return value
    if value is None:
        return {"text": ""}
    if isinstance(value, bool):
        return {"text": "Yes" if value else "No"}
    if isinstance(value, Number):
        return {"text": f"{value:,}", "format": "numeric"}
    return {"text": str(value)}


def _header(header: Any, column: int, cells: list[list[Cell]]) -> str:
    if isinstance(header, Mapping):
        return _cell(header, "th", "col", header.get("format") == "numeric")
    numeric = bool(cells) and all(
        column < len(row) and (row[column].get("format") == "numeric" or _empty(row[column]))
        for row in cells
    )
    return _cell({"text": header}, "th", "col", numeric)


def _row(row: list[Cell], first_cell_is_header: bool) -> str:
    cells = (
        _cell(cell, "th", "row", cell.get("format") == "numeric")
        if index == 0 and first_cell_is_header
        else _cell(cell, "td", None, cell.get("format") == "numeric")
        for index, cell in enumerate(row)
    )
    return '\n<tr class="nhsuk-table__row">' + "".join(cells) + "</tr>"


def _cell(cell: Cell, tag: str, scope: str | None, numeric: bool) -> str:
    kind = "header" if tag == "th" else "cell"
    modifier = f" nhsuk-table__{kind}--numeric" if numeric else ""
    scoped = f' scope="{scope}"' if scope else ""
    content = escape(cell["html"]) if "html" in cell else escape(_text(cell))
    return f'<{tag} class="nhsuk-table__{kind}{modifier}"{scoped}>{content}</{tag}>'


def _empty(cell: Cell) -> bool:
    """Nothing to show: no markup and no text."""
    return "html" not in cell and _text(cell) == ""


def _text(cell: Cell) -> Any:
    text = cell.get("text", "")
    return "" if text is None else text


def download_links(
    caption: str, downloads: Sequence[Mapping[str, str]], label: str = "Download this table"
) -> Markup:
    """The row of download links under a table, each naming the table for screen readers."""
    if not downloads:
        return Markup("")
    links = "".join(
        f'  <a class="nhsuk-link" href="{escape(link["href"])}" download>{escape(link["text"])}'
        f'<span class="nhsuk-u-visually-hidden"> of {escape(caption)}</span></a>\n'
        for link in downloads
    )
    return Markup(f'<p class="app-downloads">\n  <span>{escape(label)}:</span>\n{links}</p>\n')  # noqa: S704 - every cell and link escaped above
