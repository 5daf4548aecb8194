"""Every HTML page route of the portal, and the address of a page that shows it.

The page routes are read from the application itself (:func:`page_routes`), so a route added
later is not forgotten: ``test_every_page_route_has_an_address`` fails until it has an entry
in ``ADDRESSES`` (or, if it answers something other than a page, in ``NOT_PAGES``), matched
whatever its parameters are called. The entries may name routes an application does not have
(yet): only the ones it has are tested.
"""

from __future__ import annotations

import re

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, Mount

from icsatlas.web.app import create_app

API_DOCS = "/api/v1/docs"  # the one page under /api/
# Route path -> the address of one representative page (the areas are the examples:
# QWO is NHS West Yorkshire ICB, 15F its Leeds place, E10000030 Surrey County Council, B86001
# a Leeds practice, U00070 West Merton PCN, Y63 the North East and Yorkshire region).
ADDRESSES: dict[str, str] = {
    "/": "/",
    "/search": "/search?q=Surey",  # no exact match: the page of nearest names
    "/icb/{code}": "/icb/QWO",
    "/sub-icb/{code}": "/sub-icb/15F",
    "/council/{code}": "/council/E10000030",
    "/practice/{code}": "/practice/B86001",
    "/pcn/{code}": "/pcn/U00070",
    "/postcode/{code}": "/postcode/LS1",
    "/region/{code}": "/region/Y63",
    "/england": "/england",
    "/who": "/who?function=continuing-healthcare&area=Leeds",
    "/reforms": "/reforms",
    "/reforms/{name}": "/reforms/blueprint-2025",
    "/reforms/compare": "/reforms/compare?a=establishment-2022&b=blueprint-2025",
    "/functions": "/functions",
    "/functions/{function_id}": "/functions/continuing-healthcare",
    "/sources": "/sources",
    "/licence": "/licence",
    "/api/v1/docs": "/api/v1/docs",
    "/login": "/login",
    # signed out, these two send the browser to the sign-in page (checked as that page)
    "/logout": "/logout",
    "/icb/{code}/board-members": "/icb/QWO/board-members",
    # the printable briefing as HTML (the PDF is checked in tests/briefings)
    "/briefing/{kind}/{file}": "/briefing/icb/QWO.html",
    "/briefing/england.{fmt}": "/briefing/england.html",
    # email subscriptions: the form for one area; a link that is not (or no longer) valid
    "/subscribe": "/subscribe?area=QWO",
    "/subscribe/confirm/{token}": "/subscribe/confirm/no-such-link",
    "/unsubscribe/{token}": "/unsubscribe/0123456789abcdef.no-such-signature",
}
# Other states of pages: the error page, for an unknown address and for a bad date; a former
# area's page with its successor notice (issue 10's Frimley example); forms not yet filled in,
# and half filled in (an error message).
OTHER_PAGES = [
    "/no/such/page",
    "/icb/QWO?on=31/02/2026",
    "/icb/QNQ?on=2026-06-01",
    "/who",
    "/who?function=&area=Leeds",
    "/reforms/compare",
    "/subscribe",
]
# GET routes outside /api/v1 that answer something other than an HTML page, and why.
NOT_PAGES: dict[str, str] = {
    "/static": "the stylesheet, icons and favicon",
    "/feeds/changes.atom": "Atom feeds (XML), not pages",
    "/feeds/area/{code}.atom": "Atom feeds (XML), not pages",
    "/feeds/function/{function_id}.atom": "Atom feeds (XML), not pages",
}


def page_routes(routes: list[BaseRoute]) -> set[str]:
    """The paths of the application's GET routes that answer a page: everything outside the
    API except the static files, and the API's own documentation page."""
    paths = set()
    for route in iter_route_contexts(routes):
        got = isinstance(route.original_route, Mount) or "GET" in (route.methods or ())
        if got and route.path and (not route.path.startswith("/api/") or route.path == API_DOCS):
            paths.add(route.path)
    return paths


def without_address(routes: list[BaseRoute]) -> set[str]:
    """The page routes with no entry in ``ADDRESSES`` or ``NOT_PAGES``."""
    known = {shape(route) for route in [*ADDRESSES, *NOT_PAGES]}
    return {route for route in page_routes(routes) if shape(route) not in known}


def addresses(routes: list[BaseRoute]) -> list[str]:
    """The representative address of each page route the application has, and the others."""
    present = {shape(route) for route in page_routes(routes)}
    return [address for route, address in ADDRESSES.items() if shape(route) in present] + (
        OTHER_PAGES
    )


def shape(route: str) -> str:
    """A route's path without its parameters' names (``/icb/{code}`` -> ``/icb/{}``)."""
    return re.sub(r"\{[^}]*\}", "{}", route)


def application_routes() -> list[BaseRoute]:
    """The routes of the application ``icsatlas serve`` runs (read without opening a
    workspace: the application opens it when it starts serving)."""
    return create_app().app.routes
