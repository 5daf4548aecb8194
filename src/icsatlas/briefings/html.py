"""A briefing as one self-contained, printable HTML page: no external assets, a print
stylesheet (A4, page footer with the release), each chart inline SVG with its table."""

from __future__ import annotations

from html import escape

from icsatlas.briefings.document import Chart, Content, Document, Grid, Items, SourceList, Text

STYLE = """
body{font-family:"Source Sans Pro",Arial,sans-serif;color:#212b32;max-width:46rem;margin:1rem auto;
padding:0 1rem;line-height:1.4}
h1{font-size:1.8rem;margin-bottom:0}
h2{font-size:1.3rem;border-bottom:2px solid #005eb8;margin-top:1.6rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.85rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border-bottom:1px solid #d8dde0;padding:.2rem .4rem;text-align:left;vertical-align:top}
.chart{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-start}.chart svg{max-width:100%}
.chart table{width:auto}sup a{text-decoration:none}footer{font-size:.8rem;color:#4c6272;
border-top:1px solid #d8dde0;margin-top:2rem;padding-top:.5rem}
.sources li{font-size:.8rem;word-break:break-word}
@media print{body{max-width:none;margin:0;font-size:10pt}a{color:inherit}
h2{break-after:avoid}table,figure,.chart{break-inside:avoid}
footer{position:fixed;bottom:0;left:0;right:0;border:0;margin:0}
@page{size:A4;margin:16mm 14mm 20mm}}
"""


def render(doc: Document) -> str:
    body = [f"<h1>{escape(doc.title)}</h1>", f"<p>{escape(doc.subtitle)}</p>"]
    for section in doc.sections:
        body.append(f"<section><h2>{escape(section.heading)}</h2>")
        body += [
            _sources(doc.sources) if isinstance(b, SourceList) else _block(b)
            for b in section.blocks
        ]
        body.append("</section>")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(doc.lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(doc.title)}</title><style>{STYLE}</style></head><body><main>"
        + "".join(body)
        + f"</main><footer>{escape(doc.footer)}</footer></body></html>\n"
    )


def _refs(sources: tuple[int, ...]) -> str:
    return "".join(f'<sup><a href="#source-{n}">[{n}]</a></sup>' for n in sources)


def _block(block: Content) -> str:
    if isinstance(block, Text):
        return f"<p>{escape(block.text)}{_refs(block.sources)}</p>"
    if isinstance(block, Items):
        items = "".join(f"<li>{escape(i.text)}{_refs(i.sources)}</li>" for i in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Chart):
        return f'<div class="chart"><figure>{block.svg}</figure>{_grid(block.grid)}</div>'
    return _grid(block)


def _grid(grid: Grid) -> str:
    caption = f"<caption>{escape(grid.caption)}{_refs(grid.sources)}</caption>"
    if not grid.rows:
        return f"<table>{caption}<tbody><tr><td>None recorded.</td></tr></tbody></table>"
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in grid.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in grid.rows
    )
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sources(entries: tuple[str, ...]) -> str:
    items = "".join(f'<li id="source-{n}">{escape(text)}</li>' for n, text in enumerate(entries, 1))
    return f'<ol class="sources">{items}</ol>'
