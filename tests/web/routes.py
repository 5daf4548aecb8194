"""The application's routes as the web tests walk them."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.routing import APIRoute


def routes(router: APIRouter) -> Iterator[APIRoute]:
    """Every route of ``router`` and of the routers included in it."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)  # FastAPI >= 0.160 keeps them
        if included is not None:
            yield from routes(included)


def parameters(route: APIRoute) -> list[tuple[str, str, bool]]:
    """``(where, name, required)`` of each of the route's parameters, its dependencies' too."""
    found, pending = [], [route.dependant]
    while pending:
        dependant = pending.pop()
        found += [("path", p.alias, True) for p in dependant.path_params]
        found += [("query", p.alias, p.field_info.is_required()) for p in dependant.query_params]
        pending += dependant.dependencies
    return found
