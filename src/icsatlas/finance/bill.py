"""Reading a reorganisation-bill run: national and per-ICB tables, payback, claims, sensitivity.

Every table carries the same provenance: the shipped data, the parameter fingerprint, the
scenario (file and fingerprint), the seed and the run time, so a figure can be reproduced
with ``icsatlas finance blueprint-bill --seed S --draws N [--scenario FILE]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icsatlas.errors import NotFoundError
from icsatlas.finance import blueprint, sensitivity, sourcing
from icsatlas.finance.blueprint import Bill, Outcome
from icsatlas.finance.scenario import INPUTS, PHASINGS
from icsatlas.provenance import Provenance
from icsatlas.results import Result

QUANTILES = (10, 50, 90)


@dataclass(frozen=True)
class Report:
    """The tables a run produces, in the order they are shown."""

    national: Result
    payback: Result
    claims: Result
    sensitivity: Result
    inputs: Result
    icbs: Result
    headline: str

    def sections(self) -> list[Result]:
        return list(self.tables().values())

    def tables(self) -> dict[str, Result]:
        """Every table by a short name (the names exports use for files and sheets)."""
        return {
            "national": self.national,
            "payback": self.payback,
            "claims": self.claims,
            "sensitivity": self.sensitivity,
            "inputs": self.inputs,
            "icbs": self.icbs,
        }


def report(bill: Bill) -> Report:
    """All tables for a run (the sensitivity analysis re-runs the model one input at a time)."""
    provenance = _provenance(bill)
    payback_table, central_year = _payback(bill)
    headline = _headline(bill, central_year)
    notes = (headline,)
    return Report(
        national=Result(
            _national(bill), provenance, "National: net savings by year (£, all ICBs)", notes
        ),
        payback=Result(
            payback_table,
            provenance,
            "Payback: share of draws whose cumulative net saving has turned positive",
        ),
        claims=Result(
            _claims(bill),
            provenance,
            "Claims: ~£750m a year of savings against £1bn+ of redundancy costs, tested",
        ),
        sensitivity=Result(
            _sensitivity(bill, _national_total),
            provenance,
            "Sensitivity: ranking of inputs (outcome: cumulative national net saving over the "
            "horizon)",
        ),
        inputs=Result(inputs_table(bill), provenance, "Inputs: distributions, certainty, sources"),
        icbs=Result(
            _icbs(bill), provenance, "ICBs: central case and range of cumulative net saving"
        ),
        headline=headline,
    )


def _provenance(bill: Bill) -> Provenance:
    plan = bill.plan
    notes = (
        f"Scenario: {plan.name} ({plan.fingerprint}); {plan.draws:,} draws plus run 0 "
        f"(central case); {plan.years} years from {plan.first_year}; the "
        f"{bill.geography.describe()}.",
        "Cash at 2025/26 pay rates, undiscounted; savings are against the 2025/26 baseline.",
    )
    return sourcing.provenance(
        plan.params,
        data=blueprint.sources(bill.geography),
        notes=notes,
        seed=plan.seed,
        engine=f"numpy {np.__version__}",
        elapsed_s=round(bill.elapsed_s, 3),
    )


def _national(bill: Bill) -> pd.DataFrame:
    outcome = bill.outcome
    net = outcome.net_by_year
    cumulative = np.cumsum(net, axis=1)
    drawn = slice(1, None)
    frame = pd.DataFrame(
        {
            "financial_year": bill.model.year_labels,
            "savings_gbp": outcome.savings_by_year[0],
            "redundancy_gbp": outcome.costs_by_year[0],
            "net_gbp": net[0],
            "cumulative_net_gbp": cumulative[0],
        }
    )
    for q, values in zip(QUANTILES, np.percentile(net[drawn], QUANTILES, axis=0), strict=True):
        frame[f"net_p{q}_gbp"] = values
    low, high = np.percentile(cumulative[drawn], (10, 90), axis=0)
    frame["cumulative_p10_gbp"], frame["cumulative_p90_gbp"] = low, high
    frame["share_paid_back"] = (cumulative[drawn] >= 0).mean(axis=0)
    return frame


def _payback(bill: Bill) -> tuple[pd.DataFrame, str]:
    labels = bill.model.year_labels
    index = blueprint.payback_index(bill.outcome.net_by_year)
    drawn = index[1:]
    rows = [
        {
            "financial_year": label,
            "share_of_draws_paid_back_by_then": float(((drawn >= 0) & (drawn <= i)).mean()),
        }
        for i, label in enumerate(labels)
    ]
    never = float((drawn < 0).mean())
    rows.append(
        {"financial_year": f"not by {labels[-1]}", "share_of_draws_paid_back_by_then": never}
    )
    central = labels[index[0]] if index[0] >= 0 else f"after {labels[-1]}"
    return pd.DataFrame(rows), central


def _claims(bill: Bill) -> pd.DataFrame:
    outcome, params = bill.outcome, bill.plan.params
    saving_claim = float(params.value("finance.blueprint.claims.annual_saving"))
    icb_cost_claim = float(params.value("finance.blueprint.claims.icb_redundancy_cost"))
    national_claim = params.value("finance.blueprint.claims.national_redundancy_cost")
    annual = outcome.net_annual.sum(axis=1)
    cost = outcome.redundancy_cost.sum(axis=1)
    rows = [
        _claim_row(
            "Full-year net saving (after re-hiring) vs ~£750m a year (Kelly, PAC)",
            saving_claim,
            annual,
        ),
        _claim_row(
            "Full-year gross saving (before re-hiring) vs ~£750m a year",
            saving_claim,
            outcome.gross_annual,
        ),
        _claim_row(
            "ICB redundancy bill vs 'up to £1bn' (NHS Confederation, ICBs only)",
            icb_cost_claim,
            cost,
        ),
        _claim_row(
            "ICB redundancy bill vs DHSC's £1bn low estimate (covers DHSC, NHSE, ICBs and CSUs)",
            float(national_claim["low"]),
            cost,
        ),
        _claim_row("Posts removed vs ~12,500 (Kelly, PAC)", 12_500, outcome.posts),
    ]
    return pd.DataFrame(rows)


def _claim_row(test: str, claim: float, values: np.ndarray) -> dict:
    drawn = values[1:]
    low, high = np.percentile(drawn, (10, 90))
    return {
        "test": test,
        "claim": claim,
        "central": float(values[0]),
        "p10": float(low),
        "p90": float(high),
        "share_of_draws_at_or_above_claim": float((drawn >= claim).mean()),
    }


def _national_total(model: blueprint.Model, outcome: Outcome) -> np.ndarray:
    return outcome.net_by_year.sum(axis=1)


def _sensitivity(bill: Bill, total) -> pd.DataFrame:
    """Ranking of the inputs by their effect on ``total(model, outcome)`` (one per draw)."""

    def outcome_of(batch: dict[str, np.ndarray]) -> np.ndarray:
        return total(bill.model, blueprint.simulate(bill.model, batch))

    observed = total(bill.model, bill.outcome)
    table = sensitivity.ranking(bill.plan, bill.inputs, observed, outcome_of)
    table = table.rename(
        columns={
            "swing": "swing_gbp",
            "low_outcome": "low_outcome_gbp",
            "high_outcome": "high_outcome_gbp",
            "central_outcome": "central_outcome_gbp",
        }
    )
    columns = ["rank", "input", "label", "swing_gbp", "low_outcome_gbp", "high_outcome_gbp"]
    return table[[*columns, "central_outcome_gbp", "rank_correlation", "distribution"]]


def inputs_table(bill: Bill) -> pd.DataFrame:
    """Each input: its distribution, central value, certainty and source."""
    rows = []
    for name, spec in bill.plan.inputs.items():
        central = spec.distribution.central
        rows.append(
            {
                "input": name,
                "label": spec.label,
                "unit": spec.unit,
                "distribution": spec.distribution.describe(),
                "central": central,
                "certainty": spec.certainty,
                "source": spec.source,
            }
        )
    rows += _fixed_inputs(bill.plan.params)
    return pd.DataFrame(rows)


def _fixed_inputs(params) -> list[dict]:
    fixed = [
        "finance.running_costs.target_per_head",
        "finance.workforce.salaries_by_band",
        "finance.workforce.band_mix",
        "finance.workforce.mean_service_years",
        "finance.workforce.oncost_rate",
        "finance.redundancy.earnings_floor",
        "finance.redundancy.earnings_cap",
        "finance.redundancy.maximum_months",
        "finance.redundancy.vr_clawback_months",
        "finance.redundancy.vr_clawback_senior_threshold",
        "finance.redundancy.vr_clawback_senior_bands",
        "finance.redundancy.vr_clawback_rule",
        "finance.redundancy.mars_terms",
        "finance.blueprint.exit_window",
    ]
    rows = []
    for name in fixed:
        parameter = params.get(name)
        reference = parameter.references[0]
        rows.append(
            {
                "input": name,
                "label": parameter.label,
                "unit": parameter.unit,
                "distribution": "fixed (parameter)",
                "central": str(parameter.at()),
                "certainty": "assumption" if parameter.overridden_by else parameter.certainty,
                "source": f"parameters file {parameter.overridden_by}"
                if parameter.overridden_by
                else f"{reference.title} {reference.href}".strip(),
            }
        )
    return rows


def _icbs(bill: Bill) -> pd.DataFrame:
    model, outcome = bill.model, bill.outcome
    savings = model.savings_factor[outcome.shape]
    costs = model.cost_factor[outcome.shape]
    central = (
        outcome.net_annual[0][:, None] * savings[0] - outcome.redundancy_cost[0][:, None] * costs[0]
    )
    payback = blueprint.payback_index(central)
    cumulative = _icb_cumulative(model, outcome)
    low, middle, high = np.percentile(cumulative[1:], QUANTILES, axis=0)
    labels = np.array([*model.year_labels, f"after {model.year_labels[-1]}"])
    return pd.DataFrame(
        {
            "ods_code": model.icb_codes,
            "icb_name": model.icb_names,
            "net_annual_saving_gbp": outcome.net_annual[0],
            "redundancy_gbp": outcome.redundancy_cost[0],
            "payback_year": labels[payback],
            "cumulative_net_gbp": cumulative[0],
            "cumulative_p10_gbp": low,
            "cumulative_p50_gbp": middle,
            "cumulative_p90_gbp": high,
        }
    )


def icb_tables(report: Report, bill: Bill, code: str) -> dict[str, Result]:
    """One ICB's central case by year (with the 10th-90th percentile of its cumulative net)
    and the ranking of the inputs by their effect on its cumulative net saving."""
    codes = list(bill.model.icb_codes)
    if code not in codes:
        raise NotFoundError(f"no ICB {code} in this run's {bill.geography.describe()}")
    i = codes.index(code)
    model, outcome = bill.model, bill.outcome
    savings = outcome.net_annual[:, i][:, None] * model.savings_factor[outcome.shape]
    costs = outcome.redundancy_cost[:, i][:, None] * model.cost_factor[outcome.shape]
    cumulative = np.cumsum(savings - costs, axis=1)
    low, high = np.percentile(cumulative[1:], (10, 90), axis=0)
    frame = pd.DataFrame(
        {
            "financial_year": model.year_labels,
            "savings_gbp": savings[0],
            "redundancy_gbp": costs[0],
            "net_gbp": savings[0] - costs[0],
            "cumulative_net_gbp": cumulative[0],
            "cumulative_p10_gbp": low,
            "cumulative_p90_gbp": high,
        }
    )
    name = model.icb_names[i]
    row = report.icbs.frame.iloc[i]
    provenance = report.icbs.provenance
    notes = (f"Central case pays back in {row.payback_year}.",)

    def icb_total(model: blueprint.Model, outcome: Outcome) -> np.ndarray:
        return _icb_cumulative(model, outcome)[:, i]

    return {
        "by-year": Result(
            frame, provenance, f"By year: {name}, central case with 80% of draws", notes
        ),
        "sensitivity": Result(
            _sensitivity(bill, icb_total),
            provenance,
            f"Sensitivity: ranking of inputs for {name} (outcome: its cumulative net saving "
            "over the horizon)",
        ),
    }


def _icb_cumulative(model: blueprint.Model, outcome: Outcome) -> np.ndarray:
    """Cumulative net saving over the horizon per draw and ICB, (D, I)."""
    savings = model.savings_factor[outcome.shape].sum(axis=1)[:, None]
    costs = model.cost_factor[outcome.shape].sum(axis=1)[:, None]
    return outcome.net_annual * savings - outcome.redundancy_cost * costs


def _headline(bill: Bill, central_year: str) -> str:
    outcome = bill.outcome
    annual = outcome.net_annual[0].sum()
    cost = outcome.redundancy_cost[0].sum()
    total = bill.cumulative_net
    low, high = np.percentile(total[1:], (10, 90))
    shape = PHASINGS[outcome.shape[0]]
    return (
        f"Central case ({shape} exits): £{cost / 1e6:,.0f}m of redundancy payments buy "
        f"£{annual / 1e6:,.0f}m a year of net savings once complete; cumulative net saving "
        f"turns positive in {central_year}. Over {bill.plan.years} years: "
        f"£{total[0] / 1e9:,.2f}bn net (80% of draws £{low / 1e9:,.2f}bn to £{high / 1e9:,.2f}bn)."
    )


__all__ = ["INPUTS", "Report", "report"]


def readable(result: Result) -> Result:
    """A bill's national view (:func:`national_view`) as short tables for a terminal or a
    briefing: money in £m, 80% ranges as text, shares as percentages; the per-ICB table is
    left to the full result."""
    national = result
    payback, claims_table, ranking_table, inputs_table_ = result.sections[:4]
    frame = national.frame
    claims = claims_table.frame
    tables = [
        pd.DataFrame(
            {
                "year": frame.financial_year,
                "savings £m": _m(frame.savings_gbp),
                "redundancy £m": _m(frame.redundancy_gbp),
                "net £m": _m(frame.net_gbp),
                "cumulative £m": _m(frame.cumulative_net_gbp),
                "net, 80% of draws": _range(frame.net_p10_gbp, frame.net_p90_gbp),
                "paid back": _pct(frame.share_paid_back),
            }
        ),
        payback.frame.assign(
            share_of_draws_paid_back_by_then=_pct(payback.frame.share_of_draws_paid_back_by_then)
        ).rename(
            columns={
                "financial_year": "by the end of",
                "share_of_draws_paid_back_by_then": "draws paid back",
            }
        ),
        pd.DataFrame(
            {
                "test": claims.test,
                "claim": [_amount(v, t) for v, t in zip(claims.claim, claims.test, strict=True)],
                "central": [
                    _amount(v, t) for v, t in zip(claims.central, claims.test, strict=True)
                ],
                "80% of draws": [
                    f"{_amount(a, t)} to {_amount(b, t)}"
                    for a, b, t in zip(claims.p10, claims.p90, claims.test, strict=True)
                ],
                "draws at or above claim": _pct(claims.share_of_draws_at_or_above_claim),
            }
        ),
        _short_ranking(ranking_table.frame),
        inputs_table_.frame[["input", "distribution", "certainty", "source"]],
    ]
    shown = [payback, claims_table, ranking_table, inputs_table_]
    sections = [
        Result(t, s.provenance, s.title, s.notes) for t, s in zip(tables[1:], shown, strict=True)
    ]
    return Result(tables[0], national.provenance, national.title, national.notes, sections)


def national_view(report: Report) -> Result:
    """The national roll-up with payback, claims, sensitivity, inputs and ICBs as sections."""
    first, *rest = report.sections()
    return Result(first.frame, first.provenance, first.title, first.notes, rest)


def icb_view(report: Report, bill: Bill, code: str) -> Result:
    """One ICB's central case by year, with its sensitivity ranking as a section."""
    by_year, ranking = icb_tables(report, bill, code).values()
    return Result(by_year.frame, by_year.provenance, by_year.title, by_year.notes, [ranking])


def readable_ranking(result: Result) -> Result:
    """A sensitivity ranking as a short table (money in £m)."""
    return Result(_short_ranking(result.frame), result.provenance, result.title, result.notes)


def _short_ranking(ranking: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": ranking["rank"],
            "input": ranking.input,
            "swing £m": _m(ranking.swing_gbp),
            "outcome low to high £m": _range(ranking.low_outcome_gbp, ranking.high_outcome_gbp),
            "rank correlation": ranking.rank_correlation.round(2) + 0.0,  # no "-0"
        }
    )


def _m(values: pd.Series) -> pd.Series:
    return (values / 1e6).round(1)


def _range(low: pd.Series, high: pd.Series) -> list[str]:
    return [f"{a / 1e6:,.0f} to {b / 1e6:,.0f}" for a, b in zip(low, high, strict=True)]


def _pct(values: pd.Series) -> list[str]:
    return [f"{v:.0%}" for v in values]


def _amount(value: float, test: str) -> str:
    return f"{value:,.0f}" if test.startswith("Posts") else f"£{value / 1e6:,.0f}m"
