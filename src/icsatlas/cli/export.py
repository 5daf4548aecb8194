"""`icsatlas export register`: the whole register on a date, as one file to share.

Every area (ICBs and sub-ICB locations) x every function x its holder, with the holder's
accountability, in CSV (with its CSVW metadata beside it), XLSX, JSON or Parquet. The file
is written whole or not at all (a temporary file renamed into place).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icsatlas.cli.options import ForceOption, OnOption, ReformOption, workspace
from icsatlas.cli.render import console

app = typer.Typer(no_args_is_help=True)

OutOption = Annotated[
    Path, typer.Option("--out", "-o", help="The file to write (its folder must exist).")
]
ExportFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="csv, xlsx, json or parquet; default: from the --out file's extension.",
    ),
]


@app.command()
def register(
    out: OutOption,
    on: OnOption = None,
    reform: ReformOption = None,
    fmt: ExportFormat = None,
    force: ForceOption = False,
) -> None:
    """Every area x function x holder (with its accountability) on a date, in one file."""
    from icsatlas import exports
    from icsatlas.exports.register import register_on

    chosen = _format(fmt, out)
    result = register_on(workspace(reform), on)
    for path in exports.write(result, chosen, out, force=force):
        console.print(f"wrote {path}", highlight=False)
    console.print(f"{len(result):,} rows: {result.title}", highlight=False)


def _format(fmt: str | None, out: Path) -> str:
    """The format asked for, or the one the file's extension names."""
    from icsatlas import exports
    from icsatlas.errors import InputError

    given = fmt or out.suffix.removeprefix(".").lower()
    if given not in exports.FORMATS:
        known = ", ".join(exports.FORMATS)
        raise InputError(f"{given or out.name!r} is not one of {known}", field="--format")
    return given
