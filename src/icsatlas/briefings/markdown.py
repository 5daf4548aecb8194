"""A briefing as Markdown: sections, pipe tables, footnote references ``[^n]``."""

from __future__ import annotations

from icsatlas.briefings.document import Chart, Content, Document, Grid, Items, SourceList, Text


def render(doc: Document) -> str:
    lines = [f"# {doc.title}", "", f"*{doc.subtitle}*", ""]
    for section in doc.sections:
        lines += [f"## {section.heading}", ""]
        for block in section.blocks:
            if isinstance(block, SourceList):
                lines += [f"[^{n}]: {text}" for n, text in enumerate(doc.sources, 1)]
            else:
                lines += [*_block(block), ""]
    lines += ["", "---", "", doc.footer, ""]
    return "\n".join(lines)


def _refs(sources: tuple[int, ...]) -> str:
    return "".join(f"[^{n}]" for n in sources)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _block(block: Content) -> list[str]:
    if isinstance(block, Text):
        return [f"{block.text}{_refs(block.sources)}"]
    if isinstance(block, Items):
        return [f"- {item.text}{_refs(item.sources)}" for item in block.items]
    if isinstance(block, Chart):
        return _grid(block.grid)
    return _grid(block)


def _grid(grid: Grid) -> list[str]:
    lines = [f"**{grid.caption}**{_refs(grid.sources)}", ""]
    if not grid.rows:
        return [*lines, "None recorded."]
    lines.append("| " + " | ".join(_escape(c) for c in grid.columns) + " |")
    lines.append("|" + "---|" * len(grid.columns))
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in grid.rows]
    return lines
