"""The portal's pages, server-rendered in the NHS.UK design system over the one workspace.

Each module is a family of pages with its own router; every page's address carries its date
and reform (``?on=2027-04-01&reform=blueprint-2025``) and every figure on it is a Workspace
answer, shown with its table, its notes and where it came from.
"""

from __future__ import annotations

from fastapi import APIRouter

from icsatlas.web.pages import (
    about,
    areas,
    briefing,
    feeds,
    functions,
    home,
    login,
    reforms,
    subscriptions,
    who,
)

router = APIRouter(include_in_schema=False)
for _family in (
    home,
    areas,
    who,
    reforms,
    functions,
    about,
    login,
    briefing,
    feeds,
    subscriptions,
):
    router.include_router(_family.router)
