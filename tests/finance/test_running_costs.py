"""Running costs against the £18.76 a head envelope.

Reference: the England totals of the running cost allowance equal the NHS England
workbooks' Total rows (data/reference/PROVENANCE-upstream.md, "Checks done"): £1,108.76m (2023/24),
£908.76m (2024/25), £873.99m (2025/26, revised v1.4).
"""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas import data
from icsatlas.finance import running_costs
from icsatlas.parameters import ParameterSet

PARAMS = ParameterSet.shipped()


@pytest.mark.parametrize(
    ("year", "total_m"), [("2023/24", 1108.76), ("2024/25", 908.76), ("2025/26", 873.99)]
)
def test_allowance_totals_equal_the_published_workbooks(basis, year, total_m):
    base = running_costs.baseline(basis(year))
    assert base.rca_gbp.sum() / 1e6 == pytest.approx(total_m, abs=0.005)
    assert len(base) == 42


def test_each_of_the_42_allowances_is_the_published_one(b42):
    """In the ICBs NHS England set them for, every allowance is the workbook's own."""
    published = data.read(running_costs.RCA)
    published = published[(published.financial_year == "2025/26") & published.is_latest]
    ours = running_costs.baseline(b42).set_index("ods_code").rca_gbp
    expected = published.set_index("icb_ods").rca_gbp_k * 1000
    assert (ours.sort_index() == expected.sort_index()).all()


def test_36_icb_geography_keeps_the_national_total(b42, b36):
    assert running_costs.baseline(b36).rca_gbp.sum() == pytest.approx(
        running_costs.baseline(b42).rca_gbp.sum()
    )
    assert len(running_costs.baseline(b36)) == 36


def test_the_36_allowances_follow_the_crosswalk(b36):
    """The shipped 42-to-36 crosswalk (shares to 4 d.p.) splits the legacy allowances as the
    register's practices do, to the crosswalk's rounding."""
    crosswalk = data.read("icb_crosswalk_2023_to_2026")
    published = data.read(running_costs.RCA)
    published = published[(published.financial_year == "2025/26") & published.is_latest]
    allowance = published.set_index("icb_ods").rca_gbp_k * 1000
    moved = crosswalk.icb23_ods.map(allowance) * crosswalk.share_of_legacy_icb_population
    expected = moved.groupby(crosswalk.icb26_ods).sum()
    ours = running_costs.baseline(b36).set_index("ods_code").rca_gbp
    assert np.allclose(ours.loc[expected.index], expected, rtol=1e-4)


def test_reduction_takes_each_icb_down_to_the_envelope(b42):
    result = running_costs.running_costs(PARAMS, b42, programme_pay_per_head=22)
    icbs = result.frame[result.frame.ods_code.notna()]
    assert icbs.envelope_gbp.to_numpy() == pytest.approx(18.76 * icbs.population.to_numpy())
    after = icbs.baseline_gbp - icbs.reduction_gbp
    assert (after >= icbs.envelope_gbp - 1e-6).all()
    assert (icbs.reduction_gbp >= 0).all()
    england = result.frame.set_index("icb_name").loc["England (all ICBs)"]
    assert england.reduction_gbp == pytest.approx(icbs.reduction_gbp.sum())
    # the FOI total of ICB staff (Healthcare Leader; finance/workforce/icb_headcount.yaml)
    assert england.headcount_wte == pytest.approx(23_409)
    assert any("assumption" in note for note in result.notes)


def test_no_programme_pay_means_most_icbs_are_already_inside_the_envelope(b42):
    result = running_costs.running_costs(PARAMS, b42, programme_pay_per_head=0)
    icbs = result.frame[result.frame.ods_code.notna()]
    # allowances alone average £13.69 a head (£873.99m / 63.85m people), below £18.76
    assert (icbs.reduction_gbp == 0).sum() >= 40


def test_history_shows_the_cut_in_allowances_per_head(b42):
    wide = running_costs.history(b42.geography).frame
    assert (wide.rca_per_head_2024_25 < wide.rca_per_head_2023_24).all()
