"""Accounts commands: ``icsatlas user add/list/disable`` and ``icsatlas token create/list/revoke``.

A thin shell over :mod:`icsatlas.accounts.users`; every change is recorded in the audit log
with the person running the command as its actor.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from icsatlas.cli.render import Format, FormatOption, console, render

if TYPE_CHECKING:
    from icsatlas.results import Result
    from icsatlas.workspace import Workspace

user_app = typer.Typer(no_args_is_help=True, help="Accounts: who may change what.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens: create, list, revoke.")

NameArgument = Annotated[str, typer.Argument(help="The account's name (e.g. an email address).")]
ScopeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scope",
        help="DOMAIN:AREA an editor may change, e.g. board:QWO, contracts:S9B9J, *:QWO; "
        "repeatable.",
    ),
]


def _workspace() -> Workspace:
    from icsatlas.cli.options import workspace

    return workspace()


@user_app.command("add")
def user_add(
    name: NameArgument,
    role: Annotated[str, typer.Option("--role", help="viewer, editor or admin.")] = "editor",
    scope: ScopeOption = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="API tokens only: the account cannot sign in.")
    ] = False,
) -> None:
    """Add an account (the password is asked for, or read from standard input)."""
    from icsatlas.accounts import scopes, users

    chosen = scopes.parse_all(scope or [])
    password = None if no_password else _password(password_stdin)
    ws = _workspace()
    added = users.add(ws.store, name, role, chosen, password)
    console.print(f"account {added.name} added: {added.role} {scopes.dump(added.scopes)}".strip())


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("list")
def user_list(fmt: FormatOption = Format.table) -> None:
    """Every account: role, scopes, whether disabled or locked."""
    render(_users(_workspace()), fmt)


def _users(ws: Workspace) -> Result:
    from icsatlas.accounts import scopes, users
    from icsatlas.results import Result, Table

    rows = (
        {
            "name": u.name,
            "role": u.role,
            "scopes": scopes.dump(u.scopes),
            "disabled": u.disabled,
            "locked_until": u.locked_until,
            "created_at": u.created_at,
        }
        for u in users.listed(ws.store)
    )
    columns = ("name", "role", "scopes", "disabled", "locked_until", "created_at")
    return Result(Table.from_records(rows, columns), ws.provenance(), "Accounts")


@user_app.command("disable")
def user_disable(name: NameArgument) -> None:
    """Disable an account: no more sign-ins, and its tokens and sessions stop working."""
    from icsatlas.accounts import users

    disabled = users.disable(_workspace().store, name)
    console.print(f"account {disabled.name} disabled; its tokens are revoked")


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option("--user", help="The account the token acts for.")],
    scope: ScopeOption = None,
    expires: Annotated[
        float, typer.Option("--expires", help="Days until the token stops working.")
    ] = 30,
) -> None:
    """Create an API token (printed once: keep it like a password)."""
    from icsatlas.accounts import keys, scopes, users

    ws = _workspace()
    text, token = users.create_token(
        ws.store, keys.server_key(ws.home), user, scopes.parse_all(scope or []), expires
    )
    console.print(
        f"token {token.token_id} for {token.user_name}, expires "
        f"{token.expires_at:%Y-%m-%d %H:%M} UTC (shown once; use it as "
        "'Authorization: Bearer TOKEN'):",
        highlight=False,
    )
    typer.echo(text)


@token_app.command("list")
def token_list(
    user: Annotated[str | None, typer.Option("--user", help="One account's tokens.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """API tokens (never their secrets): whose, scopes, expiry, revoked."""
    from icsatlas.accounts import scopes, users
    from icsatlas.results import Result, Table

    ws = _workspace()
    rows = (
        {
            "token": t.token_id,
            "user": t.user_name,
            "scopes": scopes.dump(t.scopes) or "(the account's)",
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "revoked_at": t.revoked_at,
        }
        for t in users.tokens(ws.store, user)
    )
    columns = ("token", "user", "scopes", "created_at", "expires_at", "revoked_at")
    render(Result(Table.from_records(rows, columns), ws.provenance(), "API tokens"), fmt)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (`icsatlas token list`).")],
) -> None:
    """Revoke a token: it stops working at once."""
    from icsatlas.accounts import users

    users.revoke_token(_workspace().store, token_id)
    console.print(f"token {token_id} revoked")
