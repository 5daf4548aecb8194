"""``icsatlas serve``: the web portal and the open API over this workspace."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from icsatlas import config
from icsatlas.cli.options import workspace


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each answers on its own).")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
) -> None:
    """Serve the portal (/) and the open API (/api/v1) until stopped (Ctrl-C).

    The register is built first if it has not been, and its snapshot read, so every worker
    starts answering at once; the workers only read.
    """
    from granian import Granian
    from granian.constants import Interfaces

    ws = workspace()
    typer.echo(f"icsatlas: register change {ws.latest_change}; {ws.params.fingerprint}")
    ws.resolver  # noqa: B018 - the snapshot and name index, read once before the workers fork
    os.environ[config.HOME_ENV] = str(ws.home)
    os.environ[config.DATABASE_ENV] = ws.url
    ws.close()
    typer.echo(f"icsatlas: serving http://{host}:{port}/ (the API at /api/v1)")
    Granian(
        "icsatlas.web.app:create_app",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        factory=True,
        log_access=access_log,
    ).serve()


def add_commands(app: typer.Typer) -> None:
    app.command()(serve)
