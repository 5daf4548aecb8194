"""Reading a run: tables consistent with the engine, claims, sensitivity and sources."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas.finance import bill, blueprint, scenario
from icsatlas.parameters import ParameterSet

PARAMS = ParameterSet.shipped()


@pytest.fixture(scope="module")
def g42(b42):
    return b42.geography


@pytest.fixture(scope="module")
def run(g42):
    return blueprint.run(scenario.default(PARAMS).with_options(draws=2_000), g42)


@pytest.fixture(scope="module")
def report(run):
    return bill.report(run)


def test_national_table_is_the_central_case_with_draw_ranges(run, report):
    frame = report.national.frame
    assert list(frame.financial_year) == ["2025/26", "2026/27", "2027/28", "2028/29", "2029/30"]
    assert np.allclose(frame.net_gbp, run.outcome.net_by_year[0])
    assert np.allclose(frame.cumulative_net_gbp, np.cumsum(run.outcome.net_by_year[0]))
    assert (frame.net_p10_gbp <= frame.net_p50_gbp).all() and (
        frame.net_p50_gbp <= frame.net_p90_gbp
    ).all()
    assert frame.redundancy_gbp.sum() == pytest.approx(run.outcome.redundancy_cost[0].sum())
    # no savings in year one: the first exits fall in Q4 2025/26 (finance/blueprint/
    # exit_window.yaml: VR schemes ran Dec 2025 - Jan 2026) and savings start the quarter after
    assert frame.savings_gbp.iloc[0] == 0


def test_payback_table_is_cumulative_and_complete(report):
    shares = report.payback.frame.share_of_draws_paid_back_by_then.to_numpy()
    assert (np.diff(shares[:-1]) >= 0).all()
    assert shares[-2] + shares[-1] == pytest.approx(1)


def test_claims_compare_with_the_reported_figures(report):
    claims = report.claims.frame.set_index("test")
    assert len(claims) == 5
    # ~£750m a year (Julian Kelly to the PAC, healthcareleadernews.com); "up to £1bn" of ICB
    # redundancies (NHS Confed, Aug 2025): finance/blueprint/claims/*.yaml
    assert (claims.claim.iloc[:2] == 750e6).all()
    assert claims.claim.iloc[2] == 1e9
    assert (
        (claims.share_of_draws_at_or_above_claim >= 0)
        & (claims.share_of_draws_at_or_above_claim <= 1)
    ).all()


def test_sensitivity_ranks_every_input_by_swing(report):
    table = report.sensitivity.frame
    assert set(table.input) == set(scenario.INPUTS)
    assert (np.diff(table.swing_gbp) <= 1e-6).all()
    assert table["rank"].tolist() == list(range(1, len(table) + 1))


def test_every_input_has_a_source_and_certainty(report):
    inputs = report.inputs.frame
    assert set(scenario.INPUTS) <= set(inputs.input)
    assert inputs.source.str.len().gt(10).all()
    assert set(inputs.certainty) <= {"verified", "reported", "derived", "estimate", "assumption"}


def test_provenance_carries_seed_parameters_data_and_scenario(run, report):
    provenance = report.national.provenance
    assert provenance.seed == run.plan.seed
    assert provenance.parameters.startswith("parameters@")
    assert provenance.parameters == PARAMS.fingerprint
    assert set(provenance.data) == {"running_cost_allowance", "population", "geography"}
    assert provenance.data["geography"].startswith("42 ICBs, ")
    assert any("Shipped assumptions" in note for note in provenance.notes)


def test_per_icb_table_sums_to_the_national_central_case(run, report):
    icbs = report.icbs.frame
    assert len(icbs) == 42
    assert icbs.cumulative_net_gbp.sum() == pytest.approx(report.national.frame.net_gbp.sum())
    assert (icbs.cumulative_p10_gbp <= icbs.cumulative_p90_gbp).all()


def test_readable_tables_keep_the_figures(report):
    shown = bill.readable(bill.national_view(report))
    assert len(shown.sections) == 4
    national = shown.frame
    assert national["net £m"].tolist() == (report.national.frame.net_gbp / 1e6).round(1).tolist()
    assert "Central case" in report.headline and "turns positive" in report.headline


def test_one_icb_by_year_adds_up_to_its_row(run, report):
    frame = bill.icb_tables(report, run, "QWO")["by-year"].frame
    row = report.icbs.frame.set_index("ods_code").loc["QWO"]
    assert frame.cumulative_net_gbp.iloc[-1] == pytest.approx(row.cumulative_net_gbp)
    assert frame.cumulative_p10_gbp.iloc[-1] == pytest.approx(row.cumulative_p10_gbp)
    assert (frame.cumulative_p10_gbp <= frame.cumulative_p90_gbp).all()


def test_views_name_their_tables_for_exports(run, report):
    """A view's tables are named by their titles' labels (file and sheet names)."""
    from icsatlas.finance import outputs

    names = list(outputs.named(bill.national_view(report)))
    assert names == ["national", "payback", "claims", "sensitivity", "inputs", "icbs"]
    assert list(outputs.named(bill.icb_view(report, run, "QWO"))) == ["by-year", "sensitivity"]


def test_one_icbs_sensitivity_ranks_inputs_by_its_own_outcome(run, report):
    ranking = bill.icb_tables(report, run, "QWO")["sensitivity"].frame
    row = report.icbs.frame.set_index("ods_code").loc["QWO"]
    assert ranking.central_outcome_gbp.iloc[0] == pytest.approx(row.cumulative_net_gbp)
    assert set(ranking.input) == set(scenario.INPUTS)
    assert ranking.swing_gbp.max() < report.sensitivity.frame.swing_gbp.max()


def test_an_override_changes_the_bill_and_its_fingerprint(run, g42):
    """Issue 9, section 3: `--parameters FILE` reaches the Monte Carlo and its provenance."""
    mine = PARAMS.override({"finance.redundancy.earnings_cap": 60_000})
    other = blueprint.run(scenario.default(mine).with_options(draws=10), g42)
    assert other.outcome.redundancy_cost[0].sum() < run.outcome.redundancy_cost[0].sum()
    provenance = bill.report(other).national.provenance
    assert provenance.parameters == mine.fingerprint != PARAMS.fingerprint
    assert any("earnings_cap overridden" in note for note in provenance.notes)


def test_headline_figures_of_the_shipped_central_case(g42):
    """Gate (issue 9, section 7): the Blueprint bill's headline figures, seed 20250401 and
    10,000 draws. A change to any rule, input or datum that moves them fails here: update the
    figures only with the change that explains them (and the docs that quote them)."""
    run = blueprint.run(scenario.default(PARAMS), g42)
    outcome = run.outcome
    assert (run.plan.seed, run.plan.draws) == (20250401, 10_000)
    # regression snapshot (after issue 9: the senior 12-month clawback window applied): the
    # 2025/26 bill's central case and draw range, and the headline sentence below
    assert outcome.redundancy_cost[0].sum() == pytest.approx(449_588_720, rel=1e-6)
    assert outcome.net_annual[0].sum() == pytest.approx(826_860_524, rel=1e-6)
    assert outcome.gross_annual[0] == pytest.approx(972_777_087, rel=1e-6)
    assert outcome.posts[0] == pytest.approx(9_406.69, rel=1e-6)
    assert run.cumulative_net[0] == pytest.approx(2_341_065_550, rel=1e-6)
    low, high = np.percentile(run.cumulative_net[1:], (10, 90))
    assert (low, high) == pytest.approx((1_636_174_090, 2_970_725_590), rel=1e-6)
    assert bill.report(run).headline == (
        "Central case (linear exits): £450m of redundancy payments buy £827m a year of net "
        "savings once complete; cumulative net saving turns positive in 2027/28. Over 5 "
        "years: £2.34bn net (80% of draws £1.64bn to £2.97bn)."
    )
