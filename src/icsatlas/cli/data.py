"""`icsatlas data`: the shipped datasets (source, date, licence, rows, checksum, staleness),
and `icsatlas data check`, which verifies every file against its release record."""

from __future__ import annotations

import typer

from icsatlas.cli.options import OnOption, workspace
from icsatlas.cli.render import Format, FormatOption, render

app = typer.Typer(
    invoke_without_command=True,
    help="The shipped datasets: source, date, licence, rows, checksum; `check` verifies them.",
)


@app.callback()
def listing(ctx: typer.Context, on: OnOption = None, fmt: FormatOption = Format.table) -> None:
    """List every shipped dataset (stale = newest figure over 18 months before --on)."""
    if ctx.invoked_subcommand is not None:
        return
    render(workspace().releases(on), fmt)


@app.command()
def check(fmt: FormatOption = Format.table) -> None:
    """Verify every shipped file's row count and SHA-256 against its release (exit 1 if any
    differs)."""
    result = workspace().releases(check=True)
    render(result, fmt)
    if "FAILED" in result.table.column("status"):
        raise typer.Exit(1)
