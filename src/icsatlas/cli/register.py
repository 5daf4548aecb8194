"""Register commands: areas, who, diff, gaps, impact, build, tour."""

from __future__ import annotations

import typer


def add_commands(app: typer.Typer) -> None:
    """Attach the register's top-level commands to the main app."""
