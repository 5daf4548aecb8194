"""Fair-share targets from NHS England's practice-level weighted populations.

Published reference: NHS England's ICB allocations workbooks (2023/24-2024/25 v1.2,
2025/26 v1.4; shipped as icb_allocations_gbp_2023_24_to_2025_26), which give each ICB's
core recurrent allocation, £ per head and distance from target (DFT) post convergence to
6 decimal places. Our shares, times NHS England's implied target total, must reproduce
every published DFT to that precision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from icsatlas import data
from icsatlas.errors import InputError, NotFoundError
from icsatlas.finance import allocation
from icsatlas.finance import weighted_population as wp
from icsatlas.parameters import ParameterSet

YEARS = ["2023/24", "2024/25", "2025/26"]
B42 = wp.Basis("2025/26", "icb42")
B36 = wp.Basis("2025/26", "icb36")
PARAMS = ParameterSet.shipped()


@pytest.mark.parametrize("year", YEARS)
def test_every_published_distance_from_target_is_reproduced(year):
    check = allocation.check_published(PARAMS, year)
    assert len(check) == 42
    # published to 6 d.p. from allocations rounded to £ thousand: agreement within 1e-6
    assert check.difference.abs().max() < 1e-6


@pytest.mark.parametrize("year", YEARS)
def test_published_allocation_per_head_uses_the_same_population(year):
    published = data.read(allocation.ALLOCATIONS)
    published = published[published.financial_year == year].set_index("icb_ods")
    ours = wp.by_area(wp.Basis(year, "icb42"), "icb").set_index("area_code")
    per_head = (published.core_recurrent_allocation_gbp_k * 1000 / ours.population).round(3)
    assert (
        per_head.sort_index() == published.core_recurrent_gbp_per_head.round(3).sort_index()
    ).all()


@pytest.mark.parametrize("basis", [B42, B36], ids=["42 ICBs", "36 ICBs"])
@pytest.mark.parametrize("control", ["target", "allocation", 120e9])
def test_targets_add_up_to_the_control_total_exactly(basis, control):
    result = allocation.targets(PARAMS, basis, control)
    expected = round(allocation.control_total(basis, control).amount)
    assert result.frame.target_gbp.sum() == expected
    assert result.frame.target_gbp.dtype.kind == "i"
    assert result.frame.share.sum() == pytest.approx(1, abs=1e-12)


def test_36_icb_shares_equal_the_sum_of_their_whole_legacy_icbs():
    crosswalk = data.read(wp.CROSSWALK)
    shares42 = allocation.targets(PARAMS, B42).frame.set_index("ods_code").share
    shares36 = allocation.targets(PARAMS, B36).frame.set_index("ods_code").share
    split = set(crosswalk.icb23_ods[crosswalk.share_of_legacy_icb_population < 1])
    whole = crosswalk.groupby("icb26_ods").icb23_ods.apply(set)
    checked = 0
    for icb26, legacy in whole.items():
        if legacy & split:
            continue
        assert shares36[icb26] == pytest.approx(sum(shares42[c] for c in legacy), abs=1e-12)
        checked += 1
    assert checked >= 28


def test_36_icb_practices_reproduce_the_crosswalk_populations():
    rows = wp.practices(B36)
    direct = rows[rows.weight == 1.0]
    legacy = wp.practices(B42).set_index("practice_code").icb_ods
    direct = direct.assign(icb23_ods=direct.practice_code.map(legacy))
    crosswalk = data.read(wp.CROSSWALK).set_index(["icb23_ods", "icb26_ods"])
    mapped = set(geography_practices())
    in_map = direct[direct.practice_code.isin(mapped)]
    sums = in_map.groupby(["icb23_ods", "icb_ods"]).population.sum()
    sums.index.names = ["icb23_ods", "icb26_ods"]
    assert np.allclose(
        sums.sort_index(), crosswalk.alloc_population_2025_26.sort_index(), atol=0.06
    )


def geography_practices() -> list[str]:
    from icsatlas.register import geography

    return geography.practice_lookup(geography.MERGERS_2026).practice_code.tolist()


def test_national_totals_of_every_component_equal_the_population():
    totals = wp.by_area(B36, "icb")[wp.MEASURES].sum()
    assert np.allclose(totals, totals["population"], rtol=1e-9)
    assert totals["population"] == pytest.approx(63_849_324, abs=1)


def test_region_targets_sum_their_icbs():
    icbs = allocation.targets(PARAMS, B42).frame
    regions = allocation.targets(PARAMS, B42, level="region").frame
    assert len(regions) == 7
    assert regions.target_gbp.sum() == icbs.target_gbp.sum()


def test_unknown_control_total_is_an_input_error():
    with pytest.raises(InputError, match="unknown control total"):
        allocation.control_total(B42, "budget")


class TestPlaces:
    def test_place_budgets_add_up_to_the_icb_allocation_exactly(self):
        result = allocation.places(PARAMS, B42, "QWO", "sub-icb")
        actual = allocation.published(B42).loc["QWO", "actual_gbp"]
        assert result.frame.budget_gbp.sum() == round(actual)
        assert result.frame.share.sum() == pytest.approx(1, abs=1e-12)

    def test_need_index_is_nhs_englands_place_tool_definition(self):
        # AIF_Allocation_Tool: place index = (place weighted pop / place GP pop) divided by
        # the same ratio for the ICB
        frame = allocation.places(PARAMS, B42, "QWO", "lad").frame.set_index("ons_code")
        areas = wp.by_area(B42, "lad", "QWO").set_index("area_code")
        icb = areas[["core", "population"]].sum()
        expected = (areas.core / areas.population) / (icb.core / icb.population)
        assert np.allclose(frame.need_vs_icb, expected.loc[frame.index])

    def test_contributions_explain_the_whole_need_difference(self):
        frame = allocation.places(PARAMS, B42, "QHM", "pcn").frame
        contributions = frame.filter(like="from_").sum(axis=1)
        assert np.allclose(contributions, frame.need_vs_icb - 1, atol=1e-12)
        assert frame.explanation.str.contains("of the budget").all()

    def test_given_budget_is_split_exactly(self):
        result = allocation.places(PARAMS, B42, "QWO", "lad", budget=450e6)
        assert result.frame.budget_gbp.sum() == 450_000_000

    def test_user_places_with_unmapped_practices_still_add_up(self):
        practices = wp.practices(B42)
        mine = practices[practices.icb_ods == "QWO"].practice_code.head(10)
        grouping = pd.DataFrame({"practice_code": mine, "place": ["North"] * 5 + ["South"] * 5})
        frame = allocation.places(PARAMS, B42, "QWO", grouping=grouping).frame
        assert set(frame.place) == {"North", "South", wp.UNMAPPED}
        assert frame.budget_gbp.sum() == round(allocation.published(B42).loc["QWO", "actual_gbp"])

    def test_unknown_icb_is_not_found(self):
        with pytest.raises(NotFoundError):
            allocation.places(PARAMS, B42, "QXX", "sub-icb")

    def test_negative_budget_is_an_input_error(self):
        with pytest.raises(InputError, match="budget must be positive"):
            allocation.places(PARAMS, B42, "QWO", "lad", budget=-1)


def test_waterfall_steps_reach_the_target_and_the_actual_allocation():
    frame = allocation.waterfall(PARAMS, B42, "QHM").frame.set_index("step")
    changes = frame[frame.kind == "change"].gbp
    start = frame.loc["Equal share per head", "gbp"]
    target = frame.loc["Target", "gbp"]
    assert start + changes.iloc[:-1].sum() == pytest.approx(target)
    assert target + changes.iloc[-1] == pytest.approx(frame.loc["Actual allocation", "gbp"])
    assert (
        frame.loc["Actual allocation", "gbp"] == allocation.published(B42).loc["QHM", "actual_gbp"]
    )


def test_basis_follows_the_date_and_says_what_it_assumed():
    from datetime import date

    basis, notes = wp.basis_for(on=date(2024, 6, 1))
    assert basis == wp.Basis("2024/25", "icb42") and notes == ()
    basis, notes = wp.basis_for(on=date(2026, 11, 23))
    assert basis == wp.Basis("2025/26", "icb36")
    assert any("latest shipped year" in note for note in notes)
    with pytest.raises(NotFoundError, match="shipped years"):
        wp.basis_for("2019/20")


def test_user_places_must_be_practices_of_the_icb_listed_once():
    grouping = pd.DataFrame({"practice_code": ["A81001"], "place": ["Stockton"]})  # a QHM practice
    with pytest.raises(InputError, match="not practices of ICB QWO in this year: A81001"):
        allocation.places(PARAMS, B42, "QWO", grouping=grouping)
    practices = wp.practices(B42)
    mine = practices[practices.icb_ods == "QWO"].practice_code.iloc[0]
    twice = pd.DataFrame({"practice_code": [mine, mine], "place": ["a", "b"]})
    with pytest.raises(InputError, match="practices listed twice"):
        allocation.places(PARAMS, B42, "QWO", grouping=twice)
