"""An area's full report, computed once: ``ws.report("Leeds", on="2026-06-01")``.

Every interface that shows an area (the portal's area page, ``/api/v1/areas/{area}/report``,
``icsatlas report``, a printed briefing) asks this one question and lays out its sections.
Each section is a :class:`~icsatlas.results.Result` built from the Workspace's own questions
(``ws.register``, ``ws.finance``, ``ws.population``, ``ws.contracts``), so every figure keeps
its provenance; a section with nothing recorded says so ("none recorded"), never a false
finding. One small module per section:

=================  ========================================================================
identity           what the area is, what covers it; successor and predecessor notices
functions          who holds each function now, with the Blueprint, under a chosen reform
accountability     each holder's statutory accountability (public meetings, papers, FOI...)
boards             board and council representation of the ICBs covering it
money              allocation, per head, distance from target, running costs, Blueprint cut
population         profile beside England, polarity-aware RAG with significance, red-red
contracts          KPI series whose latest point is special-cause concern
related            parent, children and neighbours; similar areas (method in the notes)
=================  ========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, get_args

from icsatlas.results import Result

if TYPE_CHECKING:
    from icsatlas.workspace import DateLike, Workspace

SectionName = Literal[
    "functions",
    "accountability",
    "boards",
    "money",
    "population",
    "contracts",
    "related",
    "similar",
]
SECTIONS: tuple[SectionName, ...] = get_args(SectionName)


@dataclass(frozen=True)
class Report:
    """An area on a date (with a chosen reform): its identity, notices and sections."""

    name: str
    kind: str
    code: str
    on: date
    reform: str | None
    notices: tuple[str, ...]
    identity: Result
    sections: dict[str, Result]

    def section(self, key: str) -> Result:
        return self.sections[key]

    def to_result(self) -> Result:
        """The report as one Result: the identity table, the notices as its first notes, and
        every section (``{"title", "data", "provenance", "notes", "sections"}`` as JSON)."""
        return Result(
            self.identity.table,
            self.identity.provenance,
            self.identity.title,
            (*self.notices, *self.identity.notes),
            tuple(self.sections[k] for k in SECTIONS),
        )


def report(ws: Workspace, area: str, on: DateLike = None, reform: str | None = None) -> Report:
    """The report of ``area`` (anything the resolver reads) on ``on`` (default today), with
    who would hold each function under ``reform`` (a shipped reform or a file) beside."""
    from icsatlas.workspace import as_date
    from icsatlas.workspace.report import (
        boards,
        contracts,
        functions,
        identity,
        money,
        population,
        related,
        similar,
    )

    day = as_date(on)
    found = ws.resolve(area, day)
    holdings = functions.holdings(ws, found, day, reform)
    sections = {
        "functions": functions.section(ws, found, holdings),
        "accountability": functions.accountability_section(ws, found, holdings),
        "boards": boards.section(ws, found),
        "money": money.section(ws, found),
        "population": population.section(ws, found),
        "contracts": contracts.section(ws, found),
        "related": related.section(ws, found),
        "similar": similar.section(ws, found),
    }
    return Report(
        found.name,
        found.kind,
        found.code,
        day,
        reform,
        identity.notices(ws, found),
        identity.section(ws, found),
        sections,
    )


__all__ = ["SECTIONS", "Report", "report"]
