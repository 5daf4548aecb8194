"""The web application: the portal's pages and the open API over one read-only workspace.

``create_app()`` is what ``icsatlas serve`` runs (one per worker process)::

    from icsatlas.web.app import create_app
    app = create_app("duckdb:////srv/icsatlas/icsatlas.duckdb")

The workspace must have been built (``icsatlas build``, which ``icsatlas serve`` runs
first): a web worker never writes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from icsatlas import __version__, config
from icsatlas.web import api, limits, pages, problems, proxies, state
from icsatlas.web.middleware import Guard

STATIC = Path(__file__).parent / "static"
DESCRIPTION = (
    "Who holds each NHS commissioning function where, from when, and how accountable they "
    "are; population need, money and contracts, for England's Integrated Care Systems. "
    "Every answer carries its provenance (data sources and dates, reform, parameters) and "
    "the release it was computed from. Independent; not an NHS service."
)


def create_app(url: str | None = None, home: str | Path | None = None) -> Guard:
    """The ASGI application over the workspace at ``url`` (default as for ``icsatlas``)."""
    state.configure(url, home)
    limits.configure(
        state.settings.url or config.database_url(state.settings.home),
        state.settings.home or config.home(),
    )
    app = FastAPI(
        title="icsatlas",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # FastAPI's interactive docs load scripts from a CDN
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=4)
    app.include_router(api.router)
    app.include_router(api.writes)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.openapi = partial(api.openapi, app)  # type: ignore[method-assign]
    for error, handler in problems.HANDLERS.items():
        app.add_exception_handler(error, handler)
    return Guard(app, proxies.configured())


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    state.workspace()  # opened (and its snapshot read) before the first request
    yield
    state.close()
    limits.close()
