"""`icsatlas data`: the shipped datasets (source, date, licence, rows, checksum, staleness),
and `icsatlas data check`, which verifies every file against its release record."""

from __future__ import annotations

import typer

from icsatlas.cli.options import OnOption
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
    from icsatlas.data import releases
    from icsatlas.workspace import as_date

    render(releases.listing(as_date(on)), fmt)


@app.command()
def check(fmt: FormatOption = Format.table) -> None:
    """Verify every shipped file's row count and SHA-256 against its release (exit 1 if any
    differs)."""
    from icsatlas.data import releases

    result = releases.check_result()
    render(result, fmt)
    if "FAILED" in result.table.column("status"):
        raise typer.Exit(1)
