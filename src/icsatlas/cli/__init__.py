"""The ``icsatlas`` command line: a thin shell over the Workspace.

The register's commands are defined here at the top level; the population, finance and
contracts groups are imported only when one of their commands runs (``icsatlas --help`` lists
them from the short help kept below), so every command starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from icsatlas.errors import IcsatlasError, InputErrors

USER_ERROR = 2
LAZY_GROUPS = {
    "population": (
        "icsatlas.cli.population",
        "Population health: a synthetic (or imported) patient-level population, its segments, "
        "risk, need and inequalities, disclosure-controlled.",
    ),
    "finance": (
        "icsatlas.cli.finance",
        "Finance: needs-based allocation, running costs, the Blueprint's bill, BCF, the "
        "community shift.",
    ),
    "contracts": (
        "icsatlas.cli.contracts",
        "Contracts: OCDS and CSV registers, KPIs with SPC (Making Data Count), Provider "
        "Selection Regime decisions, the outsourcing picture.",
    ),
    "export": (
        "icsatlas.cli.export",
        "Downloads: the whole register on a date as CSV (with CSVW metadata), XLSX, JSON or "
        "Parquet, with its provenance.",
    ),
    "trends": (
        "icsatlas.cli.trends",
        "Trends from real data: outsourcing 2013-2020, money per head over time, Better Care "
        "Fund intermediate care, population over time.",
    ),
    "data": (
        "icsatlas.cli.data",
        "The shipped datasets: source, date, licence, rows, checksum; `data check` verifies them.",
    ),
    "user": ("icsatlas.cli.accounts:user_app", "Accounts: who may change what."),
    "token": ("icsatlas.cli.accounts:token_app", "API tokens: create (shown once), list, revoke."),
    "notify": (
        "icsatlas.cli.notify",
        "Email subscriptions: send pending changes to subscribers, list subscriptions.",
    ),
}


class _Group(TyperGroup):
    """The root group: shows an :class:`IcsatlasError` as a plain message (exit code 2) and
    imports a command group only when it is used."""

    _listing = False

    def invoke(self, ctx: Any) -> Any:
        from icsatlas.cli.options import close_opened
        from icsatlas.cli.render import fit_width

        fit_width()
        try:
            return super().invoke(ctx)
        except IcsatlasError as error:
            lines = str(error).splitlines() or [type(error).__name__]
            if isinstance(error, InputErrors):
                lines = [f"{len(error.errors)} problems:", *(f"  {line}" for line in lines)]
            typer.secho(f"error: {lines[0]}", err=True, fg="red")
            for line in lines[1:]:
                typer.secho(line, err=True, fg="red")
            raise typer.Exit(USER_ERROR) from error
        finally:
            close_opened()

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY_GROUPS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY_GROUPS and cmd_name not in self.commands:
            module, help_text = LAZY_GROUPS[cmd_name]
            if self._listing:
                return TyperGroup(name=cmd_name, help=help_text)
            path, _, attribute = module.partition(":")
            typer_app = getattr(importlib.import_module(path), attribute or "app")
            group = typer.main.get_group(typer_app)
            group.name, group.help = cmd_name, help_text
            self.commands[cmd_name] = group
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="England's NHS Integrated Care Systems as software: who holds what, where, "
    "from when and how accountably; population need; money; contracts.",
)


def _register_commands() -> None:
    from icsatlas.cli import briefing, motion, register, report, schema, serve

    register.add_commands(app)
    report.add_commands(app)
    briefing.add_commands(app)
    motion.add_commands(app)
    schema.add_commands(app)
    serve.add_commands(app)


_register_commands()


def main() -> None:
    app()
