"""Trends from real data, asked of a Workspace: ``ws.trends.outsourcing(...)``.

    >>> ws.trends.outsourcing()                             # England, by calendar year
    >>> ws.trends.outsourcing(by="icb26", area="QWO")       # one 2026 ICB's mapped CCGs
    >>> ws.trends.outsourcing_since_2013()                  # beside the contracts register
    >>> ws.trends.population("Leeds")                       # ONS mid-year estimates
    >>> ws.trends.allocations_per_head()                    # ICB allocations per head
    >>> ws.trends.bcf_intermediate_care()                   # BCF 2022-23, per head and 65+

Every answer cites the dataset releases it used and flags any that is stale (its newest
figure more than 18 months before today).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from icsatlas.results import Result

if TYPE_CHECKING:
    from icsatlas.workspace import Workspace


class TrendsQuestions:
    """Outsourcing 2013-2020, population over time, money per head, BCF intermediate care."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def outsourcing(
        self, by: str = "england", period: str = "year", area: str | None = None
    ) -> Result:
        """CCG spend going to for-profit providers, 2013-2020, by ``by`` (england, region,
        icb23, icb26, ccg) and ``period`` (year, or month for England)."""
        from icsatlas.trends import outsourcing as o
        from icsatlas.trends import sourced

        frame = o.table(by, period, area)
        keys = [o.MONTHLY] if period == "month" else [o.ANNUAL]
        if by in ("icb23", "icb26"):
            keys.append(o.SUB_ICB_2023 if by == "icb23" else o.SUB_ICB_2026)
        where = f" ({area})" if area else ""
        title = f"CCG spend to for-profit providers by {by} and {period}{where}, 2013-2020"
        notes = (o.CITATION, o.COVERAGE, *o.mapping_notes(by))
        return sourced(frame, keys, title, notes)

    def outsourcing_since_2013(self) -> Result:
        """One picture from 2013 to today: the CCG series (England, calendar years 2013-2020)
        above the contracts register's share of value to independent-sector providers (NHS
        financial years, contracts imported into this workspace's store)."""
        import pandas as pd

        ccg = self.outsourcing()
        rows = [
            {
                "period": str(r.year),
                "source": "CCG payments over £25k (Goodair & Reeves)",
                "measure": "for-profit suppliers",
                "total_gbp": r.total_spend_gbp,
                "outsourced_gbp": r.for_profit_spend_gbp,
                "share": r.for_profit_share,
            }
            for r in ccg.frame.itertuples()
        ]
        notes = [*ccg.notes]
        provenance = ccg.provenance
        contracts = self._contract_shares()
        if contracts is None:
            notes.append(
                "No contracts are in this workspace's register, so the picture stops in 2020: "
                "import OCDS releases or a contracts CSV (`icsatlas contracts import`) to add "
                "the years since."
            )
        else:
            rows += contracts[0]
            notes += contracts[1].notes
            provenance = provenance.merged(contracts[1].provenance)
        notes.append(
            "The two series measure different things - CCG payments by calendar year against "
            "contract values spread over NHS financial years; read the level of each, and the "
            "change within each, not a join between them."
        )
        frame = pd.DataFrame(
            rows, columns=["period", "source", "measure", "total_gbp", "outsourced_gbp", "share"]
        )
        return Result(frame, provenance, "Outsourcing from 2013 to today, two sources", notes)

    def _contract_shares(self) -> tuple[list[dict], Result] | None:
        from icsatlas.errors import IcsatlasError

        try:
            shares = self.ws.contracts.outsourcing("shares")
        except IcsatlasError:
            return None
        frame = shares.frame
        if frame.empty:
            return None
        rows = []
        for year, part in frame.groupby("financial_year"):
            total = float(part.value.sum())
            private = float(part.loc[part.supplier_class == "independent-sector", "value"].sum())
            rows.append(
                {
                    "period": str(year),
                    "source": "contracts register (OCDS / CSV imports)",
                    "measure": "independent-sector providers",
                    "total_gbp": total,
                    "outsourced_gbp": private,
                    "share": private / total if total else None,
                }
            )
        return rows, shares

    def population(self, area: str, geography: str = "icb26", icb: bool = False) -> Result:
        """ONS mid-year estimates 1991-2024 for a council, county, region or England, or for
        an ICB (``geography`` icb26: the 36 ICBs; icb23: the 42) by council shares. A name is
        read as a council first (``icb=True``: as an ICB)."""
        from icsatlas.errors import NotFoundError
        from icsatlas.trends import population as p
        from icsatlas.trends import sourced

        try:
            if icb:
                raise NotFoundError("an ICB was asked for")
            found = p.council(area)
        except NotFoundError:
            try:
                ods, name = p.icb(area, geography)
            except NotFoundError:
                kinds = "ICB" if icb else "council, county, region, country or ICB"
                raise NotFoundError(
                    f"no {kinds} named {area!r} (ONS estimates, {geography})"
                ) from None
            frame = p.icb_series(ods, geography)
            title = f"Population of {name} ({p.GEOGRAPHIES[geography]}), mid-1991 to mid-2024"
            notes = (
                p.method(geography),
                "Mid-2012 to mid-2020 are the Census-2021-rebased estimates.",
            )
            return sourced(frame, [p.MYE, p.SHARES], title, notes)
        frame = p.council_series(str(found.area_code))
        title = f"Population of {found.area_name} ({found.area_type}), mid-1991 to mid-2024"
        notes = (
            "ONS mid-year estimates, persons, all ages; aged 65+ = published % x population.",
            "Mid-2012 to mid-2020 are the Census-2021-rebased estimates; 2023 council boundaries.",
        )
        return sourced(frame, [p.MYE], title, notes)

    def allocations_per_head(self, area: str | None = None, geography: str = "icb23") -> Result:
        """ICB core allocations per registered patient and per resident, 2023/24-2025/26 (the
        42 ICBs; ``geography="icb26"``: carried to the 36 ICBs through the crosswalk), or
        England's when no ``area`` is given for the 42."""
        from icsatlas.errors import InputError
        from icsatlas.trends import money, sourced

        if geography not in ("icb23", "icb26"):
            raise InputError(
                f"geography must be icb23 or icb26, got {geography!r}", field="geography"
            )
        if geography == "icb26":
            frame = money.allocations_per_head_2026(area)
            title = "Allocation per head on the 36 ICBs of April 2026, 2023/24 to 2025/26"
            notes = (*money.NOTES, money.CROSSWALK_NOTE)
            return sourced(frame, (*money.KEYS, money.CROSSWALK), title, notes)
        if area:
            frame = money.allocations_per_head(area)
            title = f"Allocation per head, {frame.icb_name.iloc[0]}, 2023/24 to 2025/26"
        else:
            frame = money.england_per_head()
            title = "ICB allocations per head, England, 2023/24 to 2025/26"
        return sourced(frame, money.KEYS, title, money.NOTES)

    def bcf_intermediate_care(self, area: str | None = None) -> Result:
        """Better Care Fund intermediate care 2022-23 by health and wellbeing board, per head
        and per resident aged 65+."""
        from icsatlas.errors import NotFoundError
        from icsatlas.trends import bcf, sourced

        frame = bcf.intermediate_care(area)
        if frame.empty:
            raise NotFoundError(f"no health and wellbeing board matching {area!r}")
        notes = (*bcf.NOTES, bcf.england(bcf.intermediate_care()))
        title = "Better Care Fund intermediate care 2022-23 by health and wellbeing board"
        return sourced(frame, bcf.KEYS, title, notes)

    def bcf_per_head(self, year: str | None = None) -> Result:
        """Councils' Better Care Fund contributions per resident by year, as imported
        (``icsatlas finance bcf import``), over ONS mid-year estimates of the year."""
        from icsatlas.finance import bcf
        from icsatlas.trends import population as p

        result = bcf.contributions(self.ws.store, self.ws.params, year)
        return result.with_notes(*(n for n in _stale(p.MYE)))


def _stale(key: str) -> tuple[str, ...]:
    from icsatlas.data import releases

    return releases.notes([key])
