"""``icsatlas serve``: the web portal and the open API over this workspace.

In production the server is granian (one process per ``--workers``); ``--reload`` runs
uvicorn instead, one process restarted whenever a file of the icsatlas package changes,
for working on the portal (uvicorn comes with ``pip install 'icsatlas[dev]'``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from icsatlas import config
from icsatlas.cli.options import workspace

APP = "icsatlas.web.app:create_app"
PACKAGE = Path(__file__).resolve().parents[1]  # src/icsatlas: what --reload watches


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each answers on its own).")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
    reload: Annotated[
        bool,
        typer.Option(
            help="Development: restart when the icsatlas source changes (uvicorn, one process)."
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            envvar=config.FORWARDED_ENV,
            help="Behind a reverse proxy: the proxies' addresses or networks, comma-separated "
            "(or *), whose X-Forwarded-For and X-Forwarded-Proto are believed, so rate limits "
            "count each visitor and the sign-in cookie is Secure under https.",
        ),
    ] = None,
) -> None:
    """Serve the portal (/) and the open API (/api/v1) until stopped (Ctrl-C).

    The register is built first if it has not been, and its snapshot read, so every worker
    starts answering at once; the workers only read.
    """
    if reload and workers > 1:
        raise typer.BadParameter(
            "--reload runs one process: leave out --workers", param_hint="'--reload'"
        )
    if reload:
        _require_uvicorn()
    _require_proxies(forwarded_allow_ips)
    ws = workspace()
    typer.echo(f"icsatlas: register change {ws.latest_change}; {ws.params.fingerprint}")
    ws.resolver  # noqa: B018 - the snapshot and name index, read once before the workers fork
    os.environ[config.HOME_ENV] = str(ws.home)
    os.environ[config.DATABASE_ENV] = ws.url
    if forwarded_allow_ips:
        os.environ[config.FORWARDED_ENV] = forwarded_allow_ips  # read by each worker's application
    ws.close()
    typer.echo(f"icsatlas: serving http://{host}:{port}/ (the API at /api/v1)")
    if reload:
        _develop(host, port, access_log)
    else:
        _produce(host, port, workers, access_log)


def _produce(host: str, port: int, workers: int, access_log: bool) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        APP,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        factory=True,
        log_access=access_log,
    ).serve()


def _develop(host: str, port: int, access_log: bool) -> None:
    import uvicorn

    typer.echo(f"icsatlas: restarting on changes to {PACKAGE} (uvicorn, for development)")
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        reload=True,
        reload_dirs=[str(PACKAGE)],
        access_log=access_log,
        proxy_headers=False,  # the proxies believed are --forwarded-allow-ips's (web/proxies.py)
    )


def _require_proxies(text: str | None) -> None:
    """``--forwarded-allow-ips`` read as each worker will read it, refused now if it cannot."""
    from icsatlas.errors import IcsatlasError
    from icsatlas.web import proxies

    try:
        proxies.parse(text)
    except IcsatlasError as error:
        raise typer.BadParameter(str(error), param_hint="'--forwarded-allow-ips'") from None


def _require_uvicorn() -> None:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        raise typer.BadParameter(
            "--reload needs uvicorn: pip install 'icsatlas[dev]'", param_hint="'--reload'"
        ) from None


def add_commands(app: typer.Typer) -> None:
    app.command()(serve)
