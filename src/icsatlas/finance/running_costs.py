"""ICB running costs against the Model ICB Blueprint envelope of £18.76 a head.

Data: each ICB's running cost allowance (RCA, NHS England allocation workbooks) and its
allocation population. Assumptions (parameters, labelled as such in every output):
programme pay per head (the envelope covers running costs *plus* programme pay, which is
not published per ICB), the national ICB headcount and the cost of a post. The implied
reduction is ``max(0, baseline - 18.76 x population)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from icsatlas import data
from icsatlas.errors import NotFoundError
from icsatlas.finance import sourcing, years
from icsatlas.finance import weighted_population as wp
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.results import Result

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

RCA = "icb_running_cost_allowance_2023_24_to_2025_26"
BANDS = (
    "band_2_4", "band_5", "band_6", "band_7", "band_8a",
    "band_8b", "band_8c", "band_8d", "band_9", "vsm",
)  # fmt: skip


@dataclass(frozen=True)
class Workforce:
    """Pay and shape of the ICB workforce: salaries, band mix, on-costs, service."""

    salaries: dict[str, float]
    mix: dict[str, float]
    oncost: float
    mean_service: dict[str, float]

    @classmethod
    def on(cls, params: ParameterSet, day: date | None = None) -> Workforce:
        def mapping(name: str) -> dict[str, float]:
            value = params.value(f"finance.workforce.{name}", day)
            return {band: float(value[band]) for band in BANDS}

        return cls(
            salaries=mapping("salaries_by_band"),
            mix=mapping("band_mix"),
            oncost=float(params.value("finance.workforce.oncost_rate", day)),
            mean_service=mapping("mean_service_years"),
        )

    @property
    def cost_per_post(self) -> float:
        """Average employer cost of a whole-time post (salary plus on-costs)."""
        average = sum(self.mix[b] * self.salaries[b] for b in BANDS) / sum(self.mix.values())
        return average * (1 + self.oncost)


@cache
def _rca() -> pd.DataFrame:
    frame = data.read(RCA)
    return frame[frame.is_latest.astype(str) == "True"]


def rca_years() -> list[str]:
    return sorted(_rca().financial_year.unique())


def baseline(basis: wp.Basis) -> pd.DataFrame:
    """Per ICB in force on ``basis.on``: running cost allowance (£) for ``basis.year`` and
    allocation population (columns ods_code, ons_code, icb_name, population, rca_gbp).

    NHS England sets allowances for the ICBs of the allocation year; each one's allowance
    moves into the ICBs in force with its practices, by their allocation population
    (:func:`wp.legacy_shares`: for the 36 ICBs of April 2026, the 42-to-36 crosswalk).
    """
    rca = _rca()
    rca = rca[rca.financial_year == basis.year]
    if rca.empty:
        raise NotFoundError(
            f"no running cost allowances for {basis.year}: shipped {', '.join(rca_years())}"
        )
    allowance = rca.set_index("icb_ods")["rca_gbp_k"] * 1000
    shares = wp.legacy_shares(basis)
    moved = (shares.icb23_ods.map(allowance) * shares.share).groupby(shares.ods_code).sum()
    icbs = wp.by_area(basis, "icb").set_index("ods_code")
    frame = icbs[["ons_code", "area_name", "population"]].join(moved.rename("rca_gbp"))
    frame.index.name = "ods_code"
    return frame.rename(columns={"area_name": "icb_name"}).reset_index()


def running_costs(
    params: ParameterSet,
    basis: wp.Basis,
    programme_pay_per_head: float | None = None,
) -> Result:
    """Per-ICB baseline, envelope, implied reduction and posts, with national totals, for
    the allowances of ``basis.year`` in the ICBs in force on ``basis.on``.

    ``programme_pay_per_head`` replaces the parameter of that name for this call; the
    parameters are read on the first day of the year.
    """
    day = years.first_day(basis.year)
    target = float(params.value("finance.running_costs.target_per_head", day))
    programme = (
        programme_pay_per_head
        if programme_pay_per_head is not None
        else float(params.value("finance.running_costs.programme_pay_per_head", day))
    )
    workforce = Workforce.on(params, day)
    pay_share = float(params.value("finance.blueprint.inputs.pay_share", day)["mode"])
    headcount = float(params.value("finance.workforce.icb_headcount", day))
    frame = implied_reduction(baseline(basis), target, programme)
    frame["headcount_wte"] = headcount * frame.baseline_gbp / frame.baseline_gbp.sum()
    frame["posts_removed"] = frame.reduction_gbp * pay_share / workforce.cost_per_post
    frame = pd.concat([frame, _total_row(frame, target)], ignore_index=True)
    notes = (
        "rca_gbp and population are data (NHS England allocation workbooks and practice "
        "weighted-population file); everything from programme_pay_gbp on uses assumptions.",
        f"Programme pay £{programme:.2f} a head is an assumption: the £{target} envelope "
        "covers running costs plus programme pay, which is not published per ICB.",
        f"Headcount {headcount:,.0f} WTE (reported, national) is shared in proportion to "
        f"baseline cost; posts removed = reduction x {pay_share:.0%} pay share / "
        f"£{workforce.cost_per_post:,.0f} per post (assumptions).",
        "The envelope is judged at regional aggregate: an ICB above it may still be on plan.",
        *_moved_note(basis),
    )
    provenance = sourcing.provenance(params, data=sources(basis), notes=notes)
    title = f"ICB running costs against £{target} a head, {basis.year}, ICBs of {basis.on}"
    return Result(frame, provenance, title, notes)


def sources(basis: wp.Basis) -> dict[str, str]:
    """The data behind running costs: allowances, populations and the geography."""
    return {
        "rca": data.source(RCA).cite(),
        "population": data.source(wp.SOURCE).cite(),
        "geography": basis.geography.describe(),
    }


def _moved_note(basis: wp.Basis) -> tuple[str, ...]:
    shares = wp.legacy_shares(basis)
    if (shares.icb23_ods == shares.ods_code).all() and (shares.share == 1.0).all():
        return ()
    return (
        f"Allowances are set for the ICBs of {basis.year}; in the ICBs of {basis.on} each "
        "one's allowance is shared by its practices' allocation populations.",
    )


def implied_reduction(base: pd.DataFrame, target: float, programme_per_head: float) -> pd.DataFrame:
    """Baseline (allowance plus programme pay), envelope and the reduction it implies."""
    frame = base.copy()
    frame["rca_per_head"] = frame.rca_gbp / frame.population
    frame["programme_pay_gbp"] = programme_per_head * frame.population
    frame["baseline_gbp"] = frame.rca_gbp + frame.programme_pay_gbp
    frame["baseline_per_head"] = frame.baseline_gbp / frame.population
    frame["target_per_head"] = target
    frame["envelope_gbp"] = target * frame.population
    frame["reduction_gbp"] = np.maximum(frame.baseline_gbp - frame.envelope_gbp, 0.0)
    frame["reduction_pct"] = 100 * frame.reduction_gbp / frame.baseline_gbp
    return frame


def _total_row(frame: pd.DataFrame, target: float) -> pd.DataFrame:
    sums = frame[
        ["population", "rca_gbp", "programme_pay_gbp", "baseline_gbp", "envelope_gbp",
         "reduction_gbp", "headcount_wte", "posts_removed"]
    ].sum()  # fmt: skip
    total: dict[str, object] = {
        "ods_code": None,
        "ons_code": None,
        "icb_name": "England (all ICBs)",
    }
    total |= sums.to_dict()
    total["rca_per_head"] = sums.rca_gbp / sums.population
    total["baseline_per_head"] = sums.baseline_gbp / sums.population
    total["target_per_head"] = target
    total["reduction_pct"] = 100 * sums.reduction_gbp / sums.baseline_gbp
    return pd.DataFrame([total])[frame.columns]


def history(geography: Geography) -> Result:
    """Running cost allowance per ICB and per head in every shipped year (data), in the
    ICBs in force in ``geography``."""
    rows = []
    for year in rca_years():
        frame = baseline(wp.Basis(year, geography))
        per_head = frame.rca_gbp / frame.population
        rows.append(frame.assign(financial_year=year, rca_per_head=per_head))
    table = pd.concat(rows, ignore_index=True)
    wide = table.pivot_table(
        index=["ods_code", "ons_code", "icb_name"], columns="financial_year", values="rca_per_head"
    )
    wide.columns = [f"rca_per_head_{c.replace('/', '_')}" for c in wide.columns]
    basis = wp.Basis(rca_years()[-1], geography)
    provenance = Provenance(data=sources(basis), notes=_moved_note(basis))
    title = f"Running cost allowance per head by year, ICBs of {geography.on}"
    return Result(wide.reset_index(), provenance, title, provenance.notes)
