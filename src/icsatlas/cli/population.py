"""`icsatlas population ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="Population: see docs/reference/cli.md.")
