"""The ``icsatlas`` command line: a thin shell over the domain packages."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from icsatlas.errors import IcsatlasError

USER_ERROR = 2


class _Group(TyperGroup):
    """Shows an :class:`IcsatlasError` as a plain message and exits with code 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except IcsatlasError as error:
            typer.secho(f"error: {error}", err=True, fg="red")
            raise typer.Exit(USER_ERROR) from error


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="England's NHS Integrated Care Systems as software: who holds what, where, "
    "from when and how accountably; population need; money; contracts.",
)


def _register_commands() -> None:
    from icsatlas.cli import contracts, finance, population, register

    register.add_commands(app)
    app.add_typer(population.app, name="population")
    app.add_typer(finance.app, name="finance")
    app.add_typer(contracts.app, name="contracts")


_register_commands()


def main() -> None:
    app()
