"""The NHS geography on one date, read from the register, as tables the analytics join on.

Population and finance aggregate practices (and the people registered with them) to
sub-ICB locations, ICBs and regions. They take those links from here, so the geography they
use is the register's on the date asked, including any reform applied on top: a user's 2027
merger changes which ICB each practice's patients and money count towards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from icsatlas.geography.index import NameIndex
from icsatlas.register.model import Area
from icsatlas.register.register import Register

if TYPE_CHECKING:
    import pandas as pd

PRACTICE_COLUMNS = (
    "practice_code",
    "practice_name",
    "postcode",
    "pcn_code",
    "pcn_name",
    "sub_icb_ons",
    "sub_icb_ods",
    "sub_icb_name",
    "place_name",
    "icb_ons",
    "icb_ods",
    "icb_name",
    "region_ons",
    "region_ods",
    "region_name",
)
TREE_COLUMNS = PRACTICE_COLUMNS[5:]
ICB_COLUMNS = ("icb_ons", "icb_ods", "icb_name", "region_ons", "region_ods", "region_name")


@dataclass(frozen=True)
class Geography:
    """Practices, sub-ICB locations, ICBs and regions in force on ``on`` in ``register``."""

    register: Register
    index: NameIndex
    on: date
    reforms: tuple[str, ...] = ()

    @cached_property
    def sub_icbs(self) -> pd.DataFrame:
        """One row per sub-ICB location in force, with its place, ICB and region."""
        import pandas as pd

        rows = [self._tree_row(area) for area in self.register.areas_on(self.on, "sub-icb")]
        frame = pd.DataFrame(rows, columns=list(TREE_COLUMNS))
        return frame.sort_values(["region_ods", "icb_ods", "sub_icb_ods"], ignore_index=True)

    @cached_property
    def icbs(self) -> pd.DataFrame:
        """One row per ICB in force, with its region."""
        return self.sub_icbs[list(ICB_COLUMNS)].drop_duplicates(ignore_index=True)

    @cached_property
    def practices(self) -> pd.DataFrame:
        """One row per GP practice located in a sub-ICB location on the date."""
        import pandas as pd

        tree = self.sub_icbs.set_index("sub_icb_ons")
        rows = []
        for practice, area_id in self._located().items():
            if area_id not in tree.index:
                continue
            org = self.register.organisations[practice]
            pcn = self.index.links(practice, "member-of")
            pcn_org = self.register.organisations.get(pcn[0].object) if pcn else None
            rows.append(
                (
                    practice,
                    org.name,
                    org.postcode,
                    pcn_org.org_id if pcn_org else None,
                    pcn_org.name if pcn_org else None,
                    area_id,
                )
            )
        located = pd.DataFrame(rows, columns=[*PRACTICE_COLUMNS[:5], "sub_icb_ons"])
        frame = located.merge(tree.reset_index(), on="sub_icb_ons", how="left")
        return frame[list(PRACTICE_COLUMNS)].sort_values("practice_code", ignore_index=True)

    def describe(self) -> str:
        """'36 ICBs, 106 sub-ICB locations on 2026-06-01 (register; reforms: ...)'."""
        what_if = f" with {', '.join(self.reforms)}" if self.reforms else ""
        return (
            f"{len(self.icbs)} ICBs, {len(self.sub_icbs)} sub-ICB locations on {self.on} "
            f"(the register's geography{what_if})"
        )

    def _located(self) -> dict[str, str]:
        found = {}
        for links in self.index.by_subject("located-in").values():
            for link in links:
                if link.in_force(self.on):
                    found[link.subject] = link.object
        return found

    def _tree_row(self, area: Area) -> tuple:
        icb = self._above(area, "icb")
        region = self._above(area, "region")
        return (
            area.area_id,
            area.ods_code,
            area.name,
            area.place_name,
            *(_codes(icb)),
            *(_codes(region)),
        )

    def _above(self, area: Area, kind: str) -> Area | None:
        return next(
            (a for a in self.register.ancestors(area.area_id, self.on) if a.area_type == kind),
            None,
        )


def _codes(area: Area | None) -> tuple[str | None, str | None, str | None]:
    if area is None:
        return (None, None, None)
    return (area.area_id, area.ods_code, area.name)
