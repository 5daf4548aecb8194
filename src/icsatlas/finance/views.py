"""Readable views of finance answers, for a terminal or a briefing.

Each function takes the full :class:`~icsatlas.results.Result` of the finance question of
the same name (``ws.finance.targets`` -> :func:`targets`) and returns the few columns a
person reads, with names shortened, money in £ million and shares as percentages. JSON,
CSV and exports keep the full result.
"""

from __future__ import annotations

from icsatlas.finance import bill
from icsatlas.finance.tables import display, formatted, view
from icsatlas.results import Result


def targets(result: Result) -> Result:
    columns = [
        ("area", "area_name", "name"),
        ("patients", "population", "int"),
        ("need index", "need_index", "x3"),
        ("target £m", "target_gbp", "m"),
        ("actual £m", "actual_gbp", "m"),
        ("actual vs target", "distance_from_target", "spct"),
    ]
    if "published_dft" in result.frame and result.frame.published_dft.notna().any():
        columns.append(("published distance", "published_dft", "spct"))
    columns.append(("actual vs fair share", "distance_from_fair_share", "spct"))
    return view(result, columns)


def check(result: Result) -> Result:
    return view(
        result,
        [
            ("year", "financial_year", "text"),
            ("ICB", "area_name", "name"),
            ("computed", "computed_dft", "x6"),
            ("published", "published_dft", "x6"),
            ("difference", "difference", "e"),
        ],
    )


def places(result: Result) -> Result:
    columns = [("place", "area_name", "name")]
    if result.frame.icb_ods.nunique() > 1:
        columns.append(("ICB", "icb_name", "name"))
    columns += [
        ("budget £m", "budget_gbp", "m"),
        ("£ per head", "budget_per_head", "int"),
        ("why", "explanation", "text"),
    ]
    return view(result, columns)


def waterfall(result: Result) -> Result:
    return view(result, [("step", "step", "text"), ("£m", "gbp", "m")])


def converge(result: Result) -> Result:
    """One row per ICB, one column per year: its distance from fair share."""
    wide = result.frame.pivot_table(
        index="area_name", columns="financial_year", values="distance_from_fair_share", sort=False
    )
    wide = wide.reindex(wide.iloc[:, 0].sort_values().index)
    frame = wide.map(lambda v: f"{v:+.1%}").reset_index()
    frame["area_name"] = formatted(frame.area_name, "name")
    frame = frame.rename(columns={"area_name": "ICB"})
    title = result.title + " (+ above it, - below)"
    return Result(frame, result.provenance, title, result.notes)


def need(result: Result) -> Result:
    return view(
        result,
        [
            ("area", "area_name", "name"),
            ("need index", "need_index", "x3"),
            ("NHSE need index", "nhse_need_index", "x3"),
            ("target £m", "target_gbp", "m"),
            ("NHSE target £m", "nhse_target_gbp", "m"),
            ("difference %", "difference_pct", "gbp"),
        ],
    )


def running_costs(result: Result) -> Result:
    return view(
        result,
        [
            ("ICB", "icb_name", "name"),
            ("RCA £/head", "rca_per_head", "gbp"),
            ("baseline £/head", "baseline_per_head", "gbp"),
            ("reduction £m", "reduction_gbp", "m"),
            ("reduction %", "reduction_pct", "gbp"),
            ("staff WTE", "headcount_wte", "int"),
            ("posts removed", "posts_removed", "int"),
        ],
    )


def blueprint_bill(result: Result) -> Result:
    """The national view's five short tables, one ICB's years and ranking, or every ICB."""
    if len(result.sections) >= 4:
        return bill.readable(result)
    if result.sections:
        years = view(
            result,
            [
                ("year", "financial_year", "text"),
                ("savings £m", "savings_gbp", "m"),
                ("redundancy £m", "redundancy_gbp", "m"),
                ("net £m", "net_gbp", "m"),
                ("cumulative £m", "cumulative_net_gbp", "m"),
                ("cumulative p10 £m", "cumulative_p10_gbp", "m"),
                ("cumulative p90 £m", "cumulative_p90_gbp", "m"),
            ],
        )
        ranking = bill.readable_ranking(result.sections[0])
        return Result(years.frame, years.provenance, years.title, years.notes, [ranking])
    return display(result)


def bcf_minimums(result: Result) -> Result:
    return view(
        result,
        [
            ("stream", "description", "text"),
            ("£m", "amount_gbp", "m"),
            ("£ per head", "per_head_gbp", "gbp"),
        ],
    )


def bcf_contributions(result: Result) -> Result:
    return view(
        result,
        [
            ("area", "area_name", "text"),
            ("year", "financial_year", "text"),
            ("pooled £m", "pooled_gbp", "m"),
            ("£ per head", "pooled_per_head", "gbp"),
            ("change £/head", "change_per_head", "gbp"),
            ("council", "council_type", "text"),
            ("kind", "kind", "text"),
        ],
    )


def bcf_counties(result: Result) -> Result:
    return view(
        result,
        [
            ("year", "financial_year", "text"),
            ("councils", "council_type", "text"),
            ("areas", "areas", "int"),
            ("pooled £m", "pooled_gbp", "m"),
            ("residents", "population", "int"),
            ("£ per head", "pooled_per_head", "gbp"),
        ],
    )


def bcf_scenario(result: Result) -> Result:
    return view(
        result,
        [
            ("year", "financial_year", "text"),
            ("councils", "councils", "text"),
            ("areas", "areas", "int"),
            ("residents", "population", "int"),
            ("£ per resident (scenario)", "per_head_gbp", "gbp"),
            ("implied pooled £m", "implied_pooled_gbp", "m"),
        ],
    )


def shift(result: Result) -> Result:
    return view(
        result,
        [
            ("year", "financial_year", "text"),
            ("ICB", "area_name", "name"),
            ("acute", "acute_share", "pct"),
            ("community", "community_share", "pct"),
            ("community £m", "community_gbp", "m"),
            ("community vs need", "community_vs_need", "x3"),
        ],
    )


def streams(result: Result) -> Result:
    return view(
        result,
        [
            ("year", "financial_year", "text"),
            ("ICB", "icb_name", "name"),
            ("core £m", "core_services_gbp", "m"),
            ("primary care share", "primary_care_share", "pct"),
        ],
    )


# Answers read as they are, money in £ million.
weights = running_cost_history = redundancy = display
