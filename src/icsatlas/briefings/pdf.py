"""A briefing as tagged PDF (PDF/UA-1) through Typst: the document written as Typst markup
(every text a string literal, so nothing in the data is read as markup), charts as SVG files
beside it, fonts from the ``fonts`` folder shipped with icsatlas (Source Sans Pro, SIL OFL
1.1) and no system font, so the PDF is the same on every machine."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from icsatlas.briefings.document import Chart, Content, Document, Grid, Items, SourceList, Text

FONTS = Path(__file__).parent / "fonts"
TALL = 8  # a chart with more rows than this goes above its table, not beside it
PREAMBLE = """#set document(title: {title}, author: "icsatlas")
#set text(lang: "en", region: "gb", font: "Source Sans Pro", size: 9.5pt)
#set page(paper: "a4", margin: (x: 16mm, top: 14mm, bottom: 20mm),
  footer: context text(size: 7.5pt, fill: rgb("#4c6272"))[#{footer} #h(1fr)
    page #counter(page).display() of #counter(page).final().first()])
#set par(justify: false, leading: 0.55em)
#set table(stroke: (x: none, y: 0.4pt + rgb("#d8dde0")), inset: (x: 3pt, y: 2.5pt))
#show table: set text(size: 8pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 2): it => block(above: 1.1em, below: 0.6em, width: 100%,
  stroke: (bottom: 1.2pt + rgb("#005eb8")), inset: (bottom: 3pt), text(size: 12pt, it.body))
#show figure.caption: set text(size: 8pt)
"""


def render(doc: Document) -> bytes:
    """The PDF of ``doc``."""
    import typst

    with tempfile.TemporaryDirectory(prefix="icsatlas-briefing-") as folder:
        root = Path(folder)
        source = typst_source(doc, root)
        (root / "main.typ").write_text(source, encoding="utf-8")
        return typst.compile(
            str(root / "main.typ"),
            root=str(root),
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
            pdf_standards=["ua-1"],
        )


def typst_source(doc: Document, folder: Path) -> str:
    """The Typst markup of ``doc``; chart SVGs are written into ``folder``."""
    parts = [
        PREAMBLE.format(title=_s(doc.title), footer=_s(doc.footer)),
        f"= #{_s(doc.title)}\n",
        f'#text(fill: rgb("#4c6272"))[#{_s(doc.subtitle)}]\n',
    ]
    charts = 0
    for section in doc.sections:
        parts.append(f"== #{_s(section.heading)}\n")
        for block in section.blocks:
            if isinstance(block, SourceList):
                parts.append(_sources(doc.sources))
            elif isinstance(block, Chart):
                charts += 1
                name = f"chart-{charts}.svg"
                (folder / name).write_text(block.svg, encoding="utf-8")
                parts.append(_chart(block, name))
            else:
                parts.append(_block(block))
    return "\n".join(parts)


def _s(text: str) -> str:
    """A Typst string literal (JSON's escapes are Typst's)."""
    return json.dumps(text, ensure_ascii=False)


def _refs(sources: tuple[int, ...]) -> str:
    return "".join(f"#super[[{n}]]" for n in sources)


def _block(block: Content) -> str:
    if isinstance(block, Text):
        return f"#{_s(block.text)}{_refs(block.sources)}\n"
    if isinstance(block, Items):
        return "".join(f"- #{_s(i.text)}{_refs(i.sources)}\n" for i in block.items)
    if isinstance(block, Grid):
        return _grid(block)
    raise TypeError(type(block))


def _grid(grid: Grid) -> str:
    caption = f'#text(weight: "bold", size: 8.5pt)[#{_s(grid.caption)}{_refs(grid.sources)}]\n'
    if not grid.rows:
        return caption + "\nNone recorded.\n"
    head = ", ".join(_s(c) for c in grid.columns)
    cells = ",\n  ".join(", ".join(_s(c) for c in row) for row in grid.rows)
    return f"{caption}#table(columns: {len(grid.columns)},\n  table.header({head}),\n  {cells})\n"


def _chart(chart: Chart, name: str) -> str:
    if len(chart.grid.rows) > TALL:  # too tall to sit side by side on one page: stacked
        return f"#align(center, image({_s(name)}, height: 11cm, alt: {_s(chart.alt)}))\n" + _grid(
            chart.grid
        )
    return (
        "#grid(columns: (1.3fr, 1fr), gutter: 8pt,\n"
        f"  image({_s(name)}, width: 100%, alt: {_s(chart.alt)}),\n"
        f"  [{_grid(chart.grid)}])\n"
    )


def _sources(entries: tuple[str, ...]) -> str:
    items = "".join(f"+ #{_s(text)}\n" for text in entries)
    return f"#text(size: 7.5pt)[\n{items}]\n"
