"""The whole register on a date, as one table: every ICB and sub-ICB location, every
function, who holds it there (and at which level), on what basis, and how accountable
the holder is (its score and each of the eight criteria).

This is the bulk download (``/api/v1/register``, ``icsatlas export register``). A function
nobody holds for an area is a row too, with no holder: a gap is a finding, not a missing row.
"""

from __future__ import annotations

from typing import Any

from icsatlas.register import accountability
from icsatlas.register.model import Area
from icsatlas.register.queries import Holding
from icsatlas.results import Result, Table
from icsatlas.workspace import DateLike, Workspace, as_date

AREA_TYPES = ("icb", "sub-icb")
COLUMNS = (
    "area_type",
    "area_ons_code",
    "area_ods_code",
    "area",
    "function_id",
    "function",
    "category",
    "holder",
    "holder_type",
    "held_at",
    "basis",
    "since",
    "until",
    "joint",
    "certainty",
    "source",
    "accountability_score",
    *accountability.CRITERIA,
)


def register_on(ws: Workspace, on: DateLike = None) -> Result:
    """Every area x function x holder in force on ``on`` in ``ws`` (with its reforms)."""
    day = as_date(on)
    functions = sorted(ws.data.functions.values(), key=lambda f: (f.category, f.label))
    areas = [a for kind in AREA_TYPES for a in ws.data.areas_on(day, kind)]
    rows, gaps = [], 0
    profiles = {t: _profile(p) for t, p in accountability.profiles().items()}
    for area in areas:
        for function in functions:
            held = ws.register.overview_holdings(function.function_id, area, day)
            base = {
                "area_type": area.area_type,
                "area_ons_code": area.area_id,
                "area_ods_code": area.ods_code,
                "area": area.place_name or area.name,
                "function_id": function.function_id,
                "function": function.label,
                "category": function.category,
            }
            rows += [base | _holding(h, profiles) for h in held] or [base]
            gaps += not held
    notes = [
        f"{len(areas)} areas ({', '.join(AREA_TYPES)}) x {len(functions)} functions; "
        f"{gaps} area-function pairs have no holder (rows with an empty holder)",
        "accountability_score: mean over the 8 criteria of yes=1, partial=0.5, no=0, x 100",
    ]
    title = f"The register on {day}: who holds every function in every area"
    return Result(Table.from_records(rows, COLUMNS), ws.provenance(), title, notes)


def _profile(profile: accountability.Profile) -> dict[str, Any]:
    """A holder type's accountability columns: its score and its answer to each criterion."""
    answers = {c: profile.answer(c).value for c in accountability.CRITERIA}
    return {"accountability_score": profile.score, **answers}


def _holding(holding: Holding, profiles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    assignment = holding.assignment
    return {
        "holder": holding.holder.name,
        "holder_type": holding.holder.org_type,
        "held_at": _name(holding.held_at),
        "basis": assignment.basis,
        "since": assignment.valid_from,
        "until": assignment.valid_to,
        "joint": assignment.joint,
        "certainty": assignment.certainty,
        "source": assignment.source,
        **profiles.get(holding.holder.org_type, {}),
    }


def _name(area: Area) -> str:
    return area.place_name or area.name
