"""Email subscriptions: ``icsatlas notify send`` delivers pending changes to confirmed
subscribers (after command-line writes, or from cron); ``icsatlas notify list`` shows every
subscription (with addresses: for the site's administrators, never published)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from icsatlas.cli.render import Format, FormatOption, console, render

if TYPE_CHECKING:
    from icsatlas.results import Result
    from icsatlas.workspace import Workspace

app = typer.Typer(no_args_is_help=True, help="Email subscriptions: deliver, list.")


def _workspace() -> Workspace:
    from icsatlas.cli.options import workspace

    return workspace()


@app.command("send")
def send() -> None:
    """Email every confirmed subscriber the changes to their area or function not yet sent
    (exit code 1 if the SMTP server could not take them all: run it again later)."""
    from icsatlas.notify import send_pending

    delivery = send_pending(_workspace())
    plural = "" if delivery.sent == 1 else "s"
    console.print(f"{delivery.sent} message{plural} sent", highlight=False)
    if delivery.failure:
        console.print(
            f"{delivery.failure}; {delivery.pending} subscriptions left pending for the next run",
            highlight=False,
        )
        raise typer.Exit(1)
    if delivery.pending:
        console.print(
            f"{delivery.pending} subscriptions not delivered: the area or function they "
            "follow is no longer in the register (see the log; `icsatlas notify list`)",
            highlight=False,
        )


@app.command("list")
def listing(fmt: FormatOption = Format.table) -> None:
    """Every subscription: address, topic, confirmed or pending, the last change sent."""
    render(_subscriptions(_workspace()), fmt)


def _subscriptions(ws: Workspace) -> Result:
    from icsatlas.notify import subscriptions
    from icsatlas.results import Result, Table

    rows = (
        {
            "subscription": s.subscription_id,
            "address": s.address,
            "follows": s.topic.kind,
            "code": s.topic.code,
            "name": s.topic.name,
            "state": s.state,
            "created_at": s.created_at,
            "confirmed_at": s.confirmed_at,
            "last_change": s.last_change_id,
        }
        for s in subscriptions.listed(ws.store)
    )
    columns = (
        "subscription",
        "address",
        "follows",
        "code",
        "name",
        "state",
        "created_at",
        "confirmed_at",
        "last_change",
    )
    return Result(Table.from_records(rows, columns), ws.provenance(), "Email subscriptions")
