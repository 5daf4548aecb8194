"""``icsatlas briefing AREA``: an area's report laid out for a meeting (Markdown, printable
HTML or tagged PDF), written atomically to ``--out`` or printed (Markdown and HTML)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from icsatlas.cli.options import AreaArgument, OnOption, workspace


class BriefingFormat(StrEnum):
    pdf = "pdf"
    html = "html"
    md = "md"


def briefing(
    text: AreaArgument,
    on: OnOption = None,
    reform: Annotated[
        str | None,
        typer.Option("--reform", "-r", help="Also show who would hold each function under it."),
    ] = None,
    fmt: Annotated[
        BriefingFormat | None,
        typer.Option(
            "--format", "-f", help="pdf, html or md; default from --out's suffix, else md."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File to write (required for pdf); default: print."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out.")] = False,
) -> None:
    """A 2-4 page briefing of one area: who decides, what is changing (with dates and how
    sure), the money, population and services, questions to ask, and sources."""
    from icsatlas.briefings import briefing as build
    from icsatlas.briefings import render
    from icsatlas.briefings.write import atomic
    from icsatlas.errors import IcsatlasError

    chosen = fmt.value if fmt else _suffix(out)
    if chosen == "pdf" and out is None:
        raise IcsatlasError("a PDF needs --out FILE (it is not printed to the terminal)")
    if out is not None and out.exists() and not force:
        raise IcsatlasError(f"{out} exists: choose another --out, or add --force to replace it")
    content = render(build(workspace(), text, on, reform), chosen)  # type: ignore[arg-type]
    if out is None:
        sys.stdout.write(content.decode())
        return
    atomic(out, content, force=force)
    typer.echo(f"wrote {out}", err=True)


def _suffix(out: Path | None) -> str:
    suffix = out.suffix.lstrip(".").lower() if out else ""
    return (
        {"htm": "html", "markdown": "md"}.get(suffix, suffix)
        if suffix in ("pdf", "html", "htm", "md", "markdown")
        else "md"
    )


def add_commands(app: typer.Typer) -> None:
    app.command()(briefing)
