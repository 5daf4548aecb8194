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

import numpy as np
import pandas as pd

from icsatlas import data
from icsatlas.errors import NotFoundError
from icsatlas.finance import sourcing, years
from icsatlas.finance import weighted_population as wp
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.results import Result

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


def baseline(year: str = "2025/26", geography: str = "icb42") -> pd.DataFrame:
    """Per ICB: running cost allowance (£) and allocation population for ``year``.

    The 36-ICB geography takes the 42 legacy allowances through the crosswalk (split
    legacy ICBs by their population shares), and populations from the practice file.
    """
    year = years.normalise(year)
    rca = _rca()
    rca = rca[rca.financial_year == year]
    if rca.empty:
        raise NotFoundError(
            f"no running cost allowances for {year}: shipped {', '.join(rca_years())}"
        )
    allowance = rca.set_index("icb_ods")["rca_gbp_k"] * 1000
    if geography == "icb36":
        crosswalk = data.read(wp.CROSSWALK)
        moved = crosswalk.icb23_ods.map(allowance) * crosswalk.share_of_legacy_icb_population
        allowance = moved.groupby(crosswalk.icb26_ods).sum()
    basis = wp.Basis(year, geography)
    population = wp.by_area(basis, "icb").set_index("area_code")
    frame = population[["area_name", "population"]].join(allowance.rename("rca_gbp"), how="left")
    frame.index.name = "icb_ods"
    return frame.rename(columns={"area_name": "icb_name"}).reset_index()


def running_costs(
    params: ParameterSet,
    year: str = "2025/26",
    geography: str = "icb42",
    programme_pay_per_head: float | None = None,
    on: date | None = None,
) -> Result:
    """Per-ICB baseline, envelope, implied reduction and posts, with national totals.

    ``programme_pay_per_head`` replaces the parameter of that name for this call.
    """
    day = on or years.first_day(year)
    target = float(params.value("finance.running_costs.target_per_head", day))
    programme = (
        programme_pay_per_head
        if programme_pay_per_head is not None
        else float(params.value("finance.running_costs.programme_pay_per_head", day))
    )
    workforce = Workforce.on(params, day)
    pay_share = float(params.value("finance.blueprint.inputs.pay_share", day)["mode"])
    headcount = float(params.value("finance.workforce.icb_headcount", day))
    base = baseline(year, geography).rename(columns={"icb_ods": "ods_code"})
    frame = implied_reduction(base, target, programme)
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
    )
    provenance = sourcing.provenance(
        params,
        data={"rca": data.source(RCA).cite(), "population": data.source(wp.SOURCE).cite()},
        notes=notes,
    )
    return Result(frame, provenance, f"ICB running costs against £{target} a head, {year}", notes)


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
    total = {"ods_code": None, "icb_name": "England (all ICBs)", **sums.to_dict()}
    total["rca_per_head"] = sums.rca_gbp / sums.population
    total["baseline_per_head"] = sums.baseline_gbp / sums.population
    total["target_per_head"] = target
    total["reduction_pct"] = 100 * sums.reduction_gbp / sums.baseline_gbp
    return pd.DataFrame([total])[frame.columns]


def history(geography: str = "icb42") -> Result:
    """Running cost allowance per ICB and per head in every shipped year (data only)."""
    rows = []
    for year in rca_years():
        frame = baseline(year, geography)
        rows.append(
            frame.rename(columns={"icb_ods": "ods_code"}).assign(
                financial_year=year, rca_per_head=frame.rca_gbp / frame.population
            )
        )
    table = pd.concat(rows, ignore_index=True)
    wide = table.pivot_table(
        index=["ods_code", "icb_name"], columns="financial_year", values="rca_per_head"
    )
    wide.columns = [f"rca_per_head_{c.replace('/', '_')}" for c in wide.columns]
    provenance = Provenance(
        data={"rca": data.source(RCA).cite(), "population": data.source(wp.SOURCE).cite()}
    )
    return Result(wide.reset_index(), provenance, "Running cost allowance per head by year")
