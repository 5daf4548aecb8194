"""The NHS areas a report's figures are for: the ICBs covering what was named."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.register.model import Area
    from icsatlas.workspace import Workspace


def icbs(ws: Workspace, found: Resolution) -> list[Area]:
    """The ICBs in force on the date that cover ``found`` (an ICB is its own; a region or
    England: the ICBs within it), largest share first."""
    register, on = ws.data, found.on
    chosen: dict[str, Area] = {}
    for cover in found.covers:
        area = cover.area
        if area.area_type == "icb":
            chosen.setdefault(area.area_id, area)
        elif area.area_type in ("region", "country"):
            for below in register.descendants(area.area_id, on):
                if below.area_type == "icb":
                    chosen.setdefault(below.area_id, below)
        else:
            above = [a for a in register.ancestors(area.area_id, on) if a.area_type == "icb"]
            if above:
                chosen.setdefault(above[0].area_id, above[0])
    return list(chosen.values())


def code(area: Area) -> str:
    """The code an area's page uses: its ODS code, else its ONS code."""
    return area.ods_code or area.area_id
