"""``icsatlas briefing AREA``: an area's report laid out for a meeting (Markdown, printable
HTML or tagged PDF), written atomically to ``--out`` or printed (Markdown and HTML)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from icsatlas.cli.options import ForceOption, OnOption, workspace


class BriefingFormat(StrEnum):
    pdf = "pdf"
    html = "html"
    md = "md"


def briefing(
    text: Annotated[
        str | None,
        typer.Argument(
            help="An ICB, place, council, GP practice or PCN (name or code), or a postcode."
        ),
    ] = None,
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
    force: ForceOption = False,
    every: Annotated[
        bool, typer.Option("--all", help="Every area of --type, into the folder --out.")
    ] = False,
    kind: Annotated[
        str, typer.Option("--type", help="With --all: icb, or council (upper tier).")
    ] = "icb",
) -> None:
    """A 2-4 page briefing of one area: who decides, what is changing (with dates and how
    sure), the money, population and services, questions to ask, and sources. With --all,
    every ICB's or upper-tier council's, and an index page."""
    from icsatlas.briefings import as_format, render
    from icsatlas.briefings import briefing as build
    from icsatlas.errors import IcsatlasError
    from icsatlas.exports.files import check_target, write_atomic

    if every:
        _all(kind, on, reform, fmt.value if fmt else "pdf", out, force)
        return
    if text is None:
        raise IcsatlasError("name an area, or use --all --type icb|council --out DIR")
    chosen = fmt.value if fmt else _suffix(out)
    if chosen == "pdf" and out is None:
        raise IcsatlasError("a PDF needs --out FILE (it is not printed to the terminal)")
    if out is not None:
        check_target(out, force, "--out")  # before the briefing is built
    content = render(build(workspace(), text, on, reform), as_format(chosen))
    if out is None:
        sys.stdout.write(content.decode())
        return
    write_atomic(out, content, force, "--out")
    typer.echo(f"wrote {out}", err=True)


def _all(
    kind: str, on: str | None, reform: str | None, fmt: str, out: Path | None, force: bool
) -> None:
    """Every area's briefing into the folder ``out`` (made if missing), with a progress bar;
    failures listed. Existing briefings there are refused, before any is built, unless
    ``force``."""
    from rich.progress import Progress

    from icsatlas.briefings import as_format, batch
    from icsatlas.errors import IcsatlasError
    from icsatlas.workspace import as_date

    if out is None:
        raise IcsatlasError("--all needs --out DIR (a folder for the briefings and index.html)")
    ws = workspace()
    day = as_date(on)
    chosen = batch.areas(ws, kind, day)
    batch.check_folder(out, chosen, as_format(fmt), force)
    with Progress(transient=True) as progress:
        task = progress.add_task("briefings", total=len(chosen))

        def step(name: str) -> None:
            progress.update(task, advance=1, description=name[:40])

        outcomes = batch.write_all(
            ws,
            chosen,
            out,
            on=day,
            reform=reform,
            fmt=as_format(fmt),
            force=force,
            step=step,
        )
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        typer.secho(f"failed: {outcome.name} ({outcome.code}): {outcome.error}", err=True, fg="red")
    typer.echo(
        f"wrote {len(outcomes) - len(failed)} of {len(outcomes)} briefings and "
        f"{out / 'index.html'}",
        err=True,
    )
    if failed:
        raise typer.Exit(1)


def _suffix(out: Path | None) -> str:
    suffix = out.suffix.lstrip(".").lower() if out else ""
    return (
        {"htm": "html", "markdown": "md"}.get(suffix, suffix)
        if suffix in ("pdf", "html", "htm", "md", "markdown")
        else "md"
    )


def add_commands(app: typer.Typer) -> None:
    app.command()(briefing)
