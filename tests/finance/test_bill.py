"""Reading a run: tables consistent with the engine, claims, sensitivity and sources."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas.finance import bill, blueprint, scenario


@pytest.fixture(scope="module")
def run():
    return blueprint.run(scenario.default().with_options(draws=2_000))


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
    # savings in year one are unlikely: exits start in the last quarter of 2025/26
    assert frame.savings_gbp.iloc[0] == 0


def test_payback_table_is_cumulative_and_complete(report):
    shares = report.payback.frame.share_of_draws_paid_back_by_then.to_numpy()
    assert (np.diff(shares[:-1]) >= 0).all()
    assert shares[-2] + shares[-1] == pytest.approx(1)


def test_claims_compare_with_the_reported_figures(report):
    claims = report.claims.frame.set_index("test")
    assert len(claims) == 5
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
    assert set(provenance.data) == {"running_cost_allowance", "population"}
    assert any("Shipped assumptions" in note for note in provenance.notes)


def test_per_icb_table_sums_to_the_national_central_case(run, report):
    icbs = report.icbs.frame
    assert len(icbs) == 42
    assert icbs.cumulative_net_gbp.sum() == pytest.approx(report.national.frame.net_gbp.sum())
    assert (icbs.cumulative_p10_gbp <= icbs.cumulative_p90_gbp).all()


def test_readable_tables_keep_the_figures(report):
    tables = bill.readable(report)
    assert len(tables) == 5
    national = tables[0].frame
    assert national["net £m"].tolist() == (report.national.frame.net_gbp / 1e6).round(1).tolist()
    assert "Central case" in report.headline and "turns positive" in report.headline


def test_one_icb_by_year_adds_up_to_its_row(run, report):
    frame = bill.icb_by_year(report, run, "QWO").frame
    row = report.icbs.frame.set_index("icb_ods").loc["QWO"]
    assert frame.cumulative_net_gbp.iloc[-1] == pytest.approx(row.cumulative_net_gbp)
    assert frame.cumulative_p10_gbp.iloc[-1] == pytest.approx(row.cumulative_p10_gbp)
    assert (frame.cumulative_p10_gbp <= frame.cumulative_p90_gbp).all()
