"""Needs-based allocation: ICB fair shares, place splits and the target waterfall.

An area's target is its share of the national core weighted population times a control
total. With NHS England's practice-level weighted populations the ICB shares reproduce
the targets behind the published allocations: each published distance from target
(DFT, 6 decimal places) is recovered to within rounding by

    target_i = share_i x T,   T = sum_i allocation_i / (1 + DFT_i),

``T`` being NHS England's implied target control total (see :func:`check_published`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError, NotFoundError
from icsatlas.finance import sourcing
from icsatlas.finance import weighted_population as wp
from icsatlas.finance import weights as formula
from icsatlas.finance.apportion import whole_pounds
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.results import Result

ALLOCATIONS = "icb_allocations_gbp_2023_24_to_2025_26"
CONTROL_KINDS = ("target", "allocation")


@dataclass(frozen=True)
class ControlTotal:
    """The money a set of targets adds up to, and what it is."""

    amount: float
    label: str


@cache
def _published_42(year: str) -> pd.DataFrame:
    frame = data.read(ALLOCATIONS)
    rows = frame[frame.financial_year == year]
    if rows.empty:
        raise NotFoundError(f"no published ICB allocations for {year}")
    return pd.DataFrame(
        {
            "icb_ods": rows.icb_ods,
            "actual_gbp": rows.core_recurrent_allocation_gbp_k * 1000,
            "published_dft": rows.core_distance_from_target_post_convergence,
        }
    ).set_index("icb_ods")


def published(basis: wp.Basis) -> pd.DataFrame:
    """Actual core recurrent allocations (£) and NHS England's targets, by ICB of ``basis``.

    For the 36 ICBs, legacy allocations and targets move through the crosswalk (split
    legacy ICBs by population share), so only ICBs formed from whole legacy ICBs are exact.
    """
    frame = _published_42(basis.year).copy()
    frame["published_target_gbp"] = frame.actual_gbp / (1 + frame.published_dft)
    if basis.geography == "icb42":
        return frame
    crosswalk = data.read(wp.CROSSWALK)
    share = crosswalk.share_of_legacy_icb_population.to_numpy()
    moved = frame.loc[crosswalk.icb23_ods, ["actual_gbp", "published_target_gbp"]].mul(
        share, axis=0
    )
    moved = moved.groupby(crosswalk.icb26_ods.to_numpy()).sum()
    moved["published_dft"] = moved.actual_gbp / moved.published_target_gbp - 1
    return moved


def control_total(basis: wp.Basis, kind: str | float = "target") -> ControlTotal:
    """NHS England's implied target total, the sum of actual allocations, or a given sum."""
    if not isinstance(kind, str):
        if kind <= 0:
            raise InputError(f"a control total must be positive, got {kind}", field="control_total")
        return ControlTotal(float(kind), f"user control total £{kind:,.0f}")
    frame = _published_42(basis.year)
    if kind == "allocation":
        return ControlTotal(float(frame.actual_gbp.sum()), f"sum of {basis.year} core allocations")
    if kind == "target":
        implied = (frame.actual_gbp / (1 + frame.published_dft)).sum()
        return ControlTotal(float(implied), f"NHS England's implied {basis.year} core target total")
    raise InputError(
        f"unknown control total {kind!r}: use target, allocation or an amount",
        field="control_total",
    )


def targets(
    params: ParameterSet,
    basis: wp.Basis,
    control: str | float = "target",
    level: str = "icb",
    notes: tuple[str, ...] = (),
) -> Result:
    """Fair-share targets for every ICB (or region) and how far actual allocations are from them.

    Two distances, because they answer different questions: ``distance_from_target`` is
    actual / target - 1 with targets sharing out the control total (by default NHS England's
    implied target total, as its published distances from target do);
    ``distance_from_fair_share`` is actual / (share x the total actually allocated) - 1, the
    figure :func:`icsatlas.finance.convergence.paths` starts from.
    """
    if level not in ("icb", "region"):
        raise InputError(
            "targets are for level icb or region; use places for smaller areas", field="level"
        )
    total = control_total(basis, control)
    allocated = control_total(basis, "allocation")
    areas = wp.by_area(basis, "icb")
    frame = _shares(areas, total)
    actual = published(basis)
    frame = frame.join(actual[["actual_gbp", "published_dft"]], on="area_code")
    frame["actual_per_head"] = frame.actual_gbp / frame.population
    frame["distance_from_target"] = frame.actual_gbp / frame.target_gbp - 1
    frame["fair_share_gbp"] = frame.share * allocated.amount
    frame["distance_from_fair_share"] = frame.actual_gbp / frame.fair_share_gbp - 1
    if level == "region":
        frame = _to_regions(frame, basis)
    if basis.geography == "icb36" or level == "region":
        frame = frame.drop(columns="published_dft", errors="ignore")
        notes = (*notes, "Published distances from target exist only for the 42 ICBs.")
    notes = (
        *notes,
        f"Control total: {total.label}, £{total.amount / 1e9:,.3f}bn; targets are whole "
        "pounds that add up to it exactly.",
        *_distance_notes(total, allocated),
    )
    return Result(
        frame.rename(columns={"area_code": "ods_code"}),
        provenance(params, basis, notes),
        f"Core allocation targets {basis.year} ({wp.GEOGRAPHIES[basis.geography]})",
        notes,
    )


def _distance_notes(total: ControlTotal, allocated: ControlTotal) -> tuple[str, ...]:
    gap = allocated.amount / total.amount - 1
    if abs(gap) < 1e-12:
        return (
            "Distance from target = actual / target - 1; the targets share out the money "
            "actually allocated, so it equals the distance from fair share.",
        )
    return (
        "Distance from target = actual / target - 1, with targets sharing out the control "
        f"total; the £{allocated.amount / 1e9:,.3f}bn actually allocated is {gap:+.1%} on it, "
        "so distances from target run higher by about that much.",
        "Distance from fair share = actual / (share x the total actually allocated) - 1: "
        "the figure `allocate converge` starts from.",
    )


def _shares(areas: pd.DataFrame, total: ControlTotal) -> pd.DataFrame:
    frame = areas[["area_code", "area_name", "population", wp.CORE]].copy()
    frame["need_index"] = frame[wp.CORE] / frame.population
    frame["share"] = frame[wp.CORE] / frame[wp.CORE].sum()
    frame["target_gbp"] = whole_pounds(total.amount, frame[wp.CORE].to_numpy())
    frame["target_per_head"] = frame.target_gbp / frame.population
    return frame.rename(columns={wp.CORE: "weighted_population"})


def _to_regions(frame: pd.DataFrame, basis: wp.Basis) -> pd.DataFrame:
    from icsatlas.register import geography

    regions = geography.icbs(basis.day).set_index("icb_ods")[["region_ods", "region_name"]]
    grouped = frame.join(regions, on="area_code").groupby(["region_ods", "region_name"])
    summed = ["population", "weighted_population", "share", "target_gbp", "actual_gbp"]
    sums = grouped[[*summed, "fair_share_gbp"]].sum()
    sums = sums.reset_index().rename(
        columns={"region_ods": "area_code", "region_name": "area_name"}
    )
    sums["need_index"] = sums.weighted_population / sums.population
    sums["target_per_head"] = sums.target_gbp / sums.population
    sums["actual_per_head"] = sums.actual_gbp / sums.population
    sums["distance_from_target"] = sums.actual_gbp / sums.target_gbp - 1
    sums["distance_from_fair_share"] = sums.actual_gbp / sums.fair_share_gbp - 1
    return sums


def check_published(params: ParameterSet, year: str) -> pd.DataFrame:
    """Our distance from target for each of the 42 ICBs next to NHS England's (6 d.p.)."""
    basis = wp.Basis(year, "icb42")
    result = targets(params, basis, "target").frame.set_index("ods_code")
    exact_target = result.share * control_total(basis, "target").amount
    check = pd.DataFrame(
        {
            "area_name": result.area_name,
            "computed_dft": result.actual_gbp / exact_target - 1,
            "published_dft": result.published_dft,
        }
    )
    check["difference"] = check.computed_dft - check.published_dft
    return check.reset_index()


def places(
    params: ParameterSet,
    basis: wp.Basis,
    icb: str,
    by: str = "lad",
    grouping: pd.DataFrame | None = None,
    budget: float | None = None,
    notes: tuple[str, ...] = (),
) -> Result:
    """Split one ICB's budget between places by need, with each share explained.

    ``by`` is lad (the default: places are usually local authority footprints), sub-icb,
    pcn (neighbourhoods) or practice, or pass ``grouping`` (practice_code -> place).
    The budget defaults to the ICB's actual core allocation for the year.
    """
    areas = (
        wp.by_grouping(basis, grouping, icb) if grouping is not None else wp.by_area(basis, by, icb)
    )
    if budget is None:
        budget = float(published(basis).loc[icb, "actual_gbp"])
        budget_label = f"its {basis.year} core allocation"
    else:
        if budget <= 0:
            raise InputError(f"the budget must be positive, got {budget}", field="budget")
        budget_label = "the budget given"
    weights = formula.for_year(params, basis.year)
    frame = _explain_places(areas, weights)
    frame["budget_gbp"] = whole_pounds(budget, areas[wp.CORE].to_numpy())
    frame["budget_per_head"] = frame.budget_gbp / frame.population
    name = areas.icb_name.iloc[0]
    notes = (
        *notes,
        f"{name}'s budget £{budget:,.0f} ({budget_label}) split by each place's share of the "
        "ICB's core weighted population (NHS England practice file, summed over practices).",
        "need_vs_icb is the place's weighted population per head over the ICB's; the "
        "contributions split (need_vs_icb - 1) by component using the estimated formula "
        "weights; 'other' is the unavoidable-cost adjustment and weight rounding.",
    )
    title = f"Place split of {name} by {by if grouping is None else 'user places'}, {basis.year}"
    code = "place" if grouping is not None else ("ons_code" if by == "lad" else "ods_code")
    frame = frame.rename(columns={"area_code": code})
    return Result(frame, provenance(params, basis, notes), title, notes)


def _explain_places(areas: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    totals = areas[wp.MEASURES].sum()
    per_head = areas[wp.MEASURES[1:]].div(areas.population, axis=0)
    icb_per_head = totals[wp.MEASURES[1:]] / totals.population
    modelled_icb = sum(weights[k] * icb_per_head[k] for k in wp.COMPONENTS)
    frame = areas[["area_code", "area_name", "population"]].copy()
    frame["population_share"] = areas.population / totals.population
    frame["need_vs_icb"] = per_head[wp.CORE] / icb_per_head[wp.CORE]
    frame["share"] = areas[wp.CORE] / totals[wp.CORE]
    contributions = pd.DataFrame(
        {
            f"from_{k}": weights[k] * (per_head[k] - icb_per_head[k]) / modelled_icb
            for k in wp.COMPONENTS
        }
    )
    contributions["from_other"] = frame.need_vs_icb - 1 - contributions.sum(axis=1)
    frame = pd.concat([frame, contributions], axis=1)
    frame["explanation"] = [_sentence(row) for row in frame.itertuples(index=False)]
    return frame


def _sentence(row) -> str:
    parts = sorted(
        ((k, getattr(row, f"from_{k}")) for k in (*wp.COMPONENTS, "other")),
        key=lambda item: -abs(item[1]),
    )[:3]
    drivers = ", ".join(f"{_LABELS[k]} {v * 100:+.1f} pts" for k, v in parts)
    direction = "above" if row.need_vs_icb >= 1 else "below"
    return (
        f"{row.population_share:.1%} of patients; need {abs(row.need_vs_icb - 1):.1%} {direction} "
        f"the ICB average ({drivers}) -> {row.share:.1%} of the budget"
    )


_LABELS = {
    "g_a": "general & acute",
    "community": "community",
    "mental_health": "mental health",
    "maternity": "maternity",
    "health_inequalities": "health inequalities",
    "prescribing": "prescribing",
    "other": "unavoidable cost/other",
}


def waterfall(
    params: ParameterSet, basis: wp.Basis, icb: str, control: str | float = "target"
) -> Result:
    """From an equal-per-head share to the ICB's target, one need component at a time,
    then to its actual allocation (NHS England publishes such "waterfalls" as file X)."""
    total = control_total(basis, control)
    areas = wp.by_area(basis, "icb").set_index("area_code")
    if icb not in areas.index:
        raise NotFoundError(f"no ICB {icb} in {wp.GEOGRAPHIES[basis.geography]}")
    row = areas.loc[icb]
    national = areas[wp.MEASURES].sum()
    equal = total.amount * row.population / national.population
    weights = formula.for_year(params, basis.year)
    steps = [("Equal share per head", equal)]
    for k in wp.COMPONENTS:
        index = row[k] / row.population
        steps.append((f"{_LABELS[k].capitalize()} need", equal * weights[k] * (index - 1)))
    target = total.amount * row[wp.CORE] / national[wp.CORE]
    steps.append(("Unavoidable cost and other", target - sum(v for _, v in steps)))
    steps.append(("Target", target))
    actual = float(published(basis).loc[icb, "actual_gbp"])
    steps.append(("Distance from target (convergence)", actual - target))
    steps.append(("Actual allocation", actual))
    frame = pd.DataFrame(steps, columns=["step", "gbp"])
    frame["kind"] = ["start", *["change"] * 7, "total", "change", "total"]
    notes = (
        f"Control total: {total.label}.",
        "Component steps use the estimated formula weights (finance.allocation.core_weights); "
        "'unavoidable cost and other' closes the gap to NHS England's own weighted population.",
    )
    return Result(
        frame,
        provenance(params, basis, notes),
        f"Target waterfall for {row.area_name}, {basis.year}",
        notes,
    )


def provenance(params: ParameterSet, basis: wp.Basis, notes: tuple[str, ...]) -> Provenance:
    """The data and parameters behind an allocation result."""
    sources = {
        "weighted_population": data.source(wp.SOURCE).cite(),
        "allocations": data.source(ALLOCATIONS).cite(),
    }
    if basis.geography == "icb36":
        sources["crosswalk"] = data.source(wp.CROSSWALK).cite()
    return sourcing.provenance(params, data=sources, notes=notes)
