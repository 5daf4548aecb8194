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
    """Actual core recurrent allocations (£) and NHS England's targets, by ICB in force on
    ``basis.on`` (index ``ods_code``).

    NHS England allocates to the ICBs of the allocation year; each one's allocation and
    target move into the ICBs in force with its practices (:func:`wp.legacy_shares`), so an
    ICB formed of whole legacy ICBs is exact, one formed from part of one is an estimate.
    ``published_dft`` is NHS England's own figure where an ICB is exactly one of its ICBs,
    else blank.
    """
    frame = _published_42(basis.year).copy()
    frame["published_target_gbp"] = frame.actual_gbp / (1 + frame.published_dft)
    shares = wp.legacy_shares(basis)
    moved = shares.join(frame, on="icb23_ods")
    money = ["actual_gbp", "published_target_gbp"]
    moved[money] = moved[money].mul(moved.share, axis=0)
    sums = moved.groupby("ods_code")[money].sum()
    own = shares.groupby("ods_code").filter(lambda g: len(g) == 1 and g.share.iloc[0] == 1.0)
    same = own[own.ods_code == own.icb23_ods].set_index("ods_code").icb23_ods
    sums["published_dft"] = frame.published_dft.reindex(same).set_axis(same.index)
    return sums


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
    """Fair-share targets for every ICB (or region) in force on ``basis.on`` and how far
    actual allocations are from them.

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
    frame = _shares(wp.by_area(basis, "icb"), total)
    actual = published(basis)
    frame = frame.join(actual[["actual_gbp", "published_dft"]], on="ods_code")
    frame["actual_per_head"] = frame.actual_gbp / frame.population
    frame["distance_from_target"] = frame.actual_gbp / frame.target_gbp - 1
    frame["fair_share_gbp"] = frame.share * allocated.amount
    frame["distance_from_fair_share"] = frame.actual_gbp / frame.fair_share_gbp - 1
    if level == "region":
        frame = _to_regions(frame, basis)
        notes = (*notes, "NHS England publishes distances from target for ICBs, not regions.")
    elif frame.published_dft.isna().any():
        notes = (*notes, _PUBLISHED_ONLY_FOR_NHSE_ICBS)
    notes = (
        *notes,
        *basis.notes(),
        f"Control total: {total.label}, £{total.amount / 1e9:,.3f}bn; targets are whole "
        "pounds that add up to it exactly.",
        *_distance_notes(total, allocated),
    )
    return Result(
        frame,
        provenance(params, basis, notes),
        f"Core allocation targets {basis.year}, {len(frame)} {level}s on {basis.on}",
        notes,
    )


_PUBLISHED_ONLY_FOR_NHSE_ICBS = (
    "Published distances from target are NHS England's for the ICBs it allocated to; an ICB "
    "formed or changed since has none (its actual allocation is its predecessors', moved "
    "with their practices)."
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
    frame = areas[[*wp.AREA_COLUMNS, "population", wp.CORE]].copy()
    frame["need_index"] = frame[wp.CORE] / frame.population
    frame["share"] = frame[wp.CORE] / frame[wp.CORE].sum()
    frame["target_gbp"] = whole_pounds(total.amount, frame[wp.CORE].to_numpy())
    frame["target_per_head"] = frame.target_gbp / frame.population
    return frame.rename(columns={wp.CORE: "weighted_population"})


def _to_regions(frame: pd.DataFrame, basis: wp.Basis) -> pd.DataFrame:
    regions = basis.geography.icbs.set_index("icb_ods")[["region_ons", "region_ods", "region_name"]]
    keys = ["region_ons", "region_ods", "region_name"]
    grouped = frame.join(regions, on="ods_code").groupby(keys)
    summed = ["population", "weighted_population", "share", "target_gbp", "actual_gbp"]
    sums = grouped[[*summed, "fair_share_gbp"]].sum().reset_index()
    sums = sums.rename(columns=dict(zip(keys, wp.AREA_COLUMNS, strict=True)))
    sums["need_index"] = sums.weighted_population / sums.population
    sums["target_per_head"] = sums.target_gbp / sums.population
    sums["actual_per_head"] = sums.actual_gbp / sums.population
    sums["distance_from_target"] = sums.actual_gbp / sums.target_gbp - 1
    sums["distance_from_fair_share"] = sums.actual_gbp / sums.fair_share_gbp - 1
    return sums


def check_published(params: ParameterSet, basis: wp.Basis) -> pd.DataFrame:
    """Our distance from target for each ICB NHS England allocated to in ``basis.year``
    next to its published figure (6 d.p.); ``basis`` is the register's geography at the
    start of that year, so the check also shows the register places every practice where
    NHS England counted it."""
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


PLACE_LEVELS = ("lad", "sub-icb", "pcn", "practice")


def places(
    params: ParameterSet,
    basis: wp.Basis,
    rows: pd.DataFrame,
    area: str,
    by: str = "lad",
    grouping: pd.DataFrame | None = None,
    budget: float | None = None,
    notes: tuple[str, ...] = (),
) -> Result:
    """Split an area's budget between its places by need, with each share explained.

    ``rows`` are the area's placed practices (:func:`wp.rows_in`) and ``area`` its name.
    ``by`` is lad (the default: places are usually local authority footprints), sub-icb,
    pcn (neighbourhoods) or practice, or pass ``grouping`` (practice_code -> place). The
    budget defaults to the area's part of its ICBs' actual core allocations for the year
    (each ICB's shared by core weighted population: for a whole ICB, its allocation).
    """
    if by not in PLACE_LEVELS and grouping is None:
        raise InputError(f"places are by {', '.join(PLACE_LEVELS)}, not {by!r}", field="by")
    if grouping is not None:
        areas = wp.by_grouping(basis, grouping, rows)
    else:
        areas = wp.by_area(basis, by, rows)
    if budget is None:
        money = _allocated(basis, areas)
        budget = float(money.sum())
        budget_label = f"its part of its ICBs' {basis.year} core allocations"
    else:
        if budget <= 0:
            raise InputError(f"the budget must be positive, got {budget}", field="budget")
        money = areas[wp.CORE]
        budget_label = "the budget given"
    weights = formula.for_year(params, basis.year)
    frame = _explain_places(areas, weights, area)
    frame["budget_gbp"] = whole_pounds(budget, money.to_numpy())
    frame["budget_per_head"] = frame.budget_gbp / frame.population
    notes = (
        *notes,
        *basis.notes(),
        f"{area}'s budget £{budget:,.0f} ({budget_label}) split by each place's share of "
        "its core weighted population (NHS England practice file, summed over practices).",
        f"need_vs_area is the place's weighted population per head over {area}'s; the "
        "contributions split (need_vs_area - 1) by component using the estimated formula "
        "weights; 'other' is the unavoidable-cost adjustment and weight rounding.",
    )
    how = by if grouping is None else "user places"
    title = f"Place split of {area} by {how}, {basis.year}, on {basis.on}"
    return Result(frame, provenance(params, basis, notes), title, notes)


def _allocated(basis: wp.Basis, areas: pd.DataFrame) -> pd.Series:
    """Each place's part of its ICB's actual allocation, by core weighted population."""
    icbs = wp.by_area(basis, "icb").set_index("ods_code")[wp.CORE]
    per_core = published(basis).actual_gbp / icbs
    return areas[wp.CORE] * areas.icb_ods.map(per_core)


def _explain_places(areas: pd.DataFrame, weights: dict[str, float], area: str) -> pd.DataFrame:
    totals = areas[wp.MEASURES].sum()
    per_head = areas[wp.MEASURES[1:]].div(areas.population, axis=0)
    area_per_head = totals[wp.MEASURES[1:]] / totals.population
    modelled = sum(weights[k] * area_per_head[k] for k in wp.COMPONENTS)
    frame = areas[[*wp.AREA_COLUMNS, *wp.ICB_COLUMNS, "population"]].copy()
    frame["population_share"] = areas.population / totals.population
    frame["need_vs_area"] = per_head[wp.CORE] / area_per_head[wp.CORE]
    frame["share"] = areas[wp.CORE] / totals[wp.CORE]
    contributions = pd.DataFrame(
        {
            f"from_{k}": weights[k] * (per_head[k] - area_per_head[k]) / modelled
            for k in wp.COMPONENTS
        }
    )
    contributions["from_other"] = frame.need_vs_area - 1 - contributions.sum(axis=1)
    frame = pd.concat([frame, contributions], axis=1)
    frame["explanation"] = [_sentence(row, area) for row in frame.itertuples(index=False)]
    return frame


def _sentence(row, area: str) -> str:
    parts = sorted(
        ((k, getattr(row, f"from_{k}")) for k in (*wp.COMPONENTS, "other")),
        key=lambda item: -abs(item[1]),
    )[:3]
    drivers = ", ".join(f"{_LABELS[k]} {v * 100:+.1f} pts" for k, v in parts)
    direction = "above" if row.need_vs_area >= 1 else "below"
    return (
        f"{row.population_share:.1%} of patients; need {abs(row.need_vs_area - 1):.1%} "
        f"{direction} the {area} average ({drivers}) -> {row.share:.1%} of the budget"
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
    areas = wp.by_area(basis, "icb").set_index("ods_code")
    if icb not in areas.index:
        raise NotFoundError(f"no ICB {icb} in the {basis.geography.describe()}")
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
        *basis.notes(),
        f"Control total: {total.label}.",
        "Component steps use the estimated formula weights (finance.allocation.core_weights); "
        "'unavoidable cost and other' closes the gap to NHS England's own weighted population.",
    )
    return Result(
        frame,
        provenance(params, basis, notes),
        f"Target waterfall for {row.area_name}, {basis.year}, on {basis.on}",
        notes,
    )


def provenance(params: ParameterSet, basis: wp.Basis, notes: tuple[str, ...]) -> Provenance:
    """The data and parameters behind an allocation result."""
    sources = {
        "weighted_population": data.source(wp.SOURCE).cite(),
        "allocations": data.source(ALLOCATIONS).cite(),
        "geography": basis.geography.describe(),
    }
    return sourcing.provenance(params, data=sources, notes=notes)
