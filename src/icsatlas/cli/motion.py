"""``icsatlas motion AREA --template T``: a model motion, scrutiny request or letter filled
with the area's figures, each footnoted with its source."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from icsatlas.cli.options import ForceOption, OnOption, workspace


def motion(
    text: Annotated[
        str | None,
        typer.Argument(
            help="An ICB, place, council, GP practice or PCN (name or code), or a postcode."
        ),
    ] = None,
    template: Annotated[
        str,
        typer.Option(
            "--template",
            "-t",
            help="council, scrutiny or letter (shipped), or a template file of your own.",
        ),
    ] = "council",
    on: OnOption = None,
    reform: Annotated[
        str | None, typer.Option("--reform", "-r", help="Apply this reform to the report.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write; default: print.")
    ] = None,
    force: ForceOption = False,
    show_template: Annotated[
        bool,
        typer.Option("--show-template", help="Print the template itself, to copy and edit."),
    ] = False,
) -> None:
    """Fill a motion template (notes / believes / resolves) with the area's figures; a
    template of your own is checked first and every unknown field reported."""
    from icsatlas.briefings import motions
    from icsatlas.briefings.release import release
    from icsatlas.errors import IcsatlasError
    from icsatlas.exports.files import check_target, write_atomic

    path = motions.locate(template)
    if show_template:
        sys.stdout.write(path.read_text(encoding="utf-8"))
        return
    if text is None:
        raise IcsatlasError("name an area (or add --show-template to print the template)")
    if out is not None:
        check_target(out, force, "--out")  # before the motion is filled
    ws = workspace()
    filled = motions.fill(path, ws.report(text, on, reform), release(ws))
    if out is None:
        sys.stdout.write(filled)
        return
    write_atomic(out, filled.encode(), force, "--out")
    typer.echo(f"wrote {out}", err=True)


def add_commands(app: typer.Typer) -> None:
    app.command()(motion)
