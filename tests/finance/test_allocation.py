"""Fair-share targets from NHS England's practice-level weighted populations, in the
register's areas on a date.

Published reference: NHS England's ICB allocations workbooks (2023/24-2024/25 v1.2,
2025/26 v1.4; shipped as icb_allocations_gbp_2023_24_to_2025_26), which give each ICB's
core recurrent allocation, £ per head and distance from target (DFT) post convergence to
6 decimal places. Our shares, times NHS England's implied target total, must reproduce
every published DFT to that precision - with each practice counted where the register
places it at the start of the allocation year.
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
PARAMS = ParameterSet.shipped()
CROSSWALK = "icb_crosswalk_2023_to_2026"


@pytest.mark.parametrize("year", YEARS)
def test_every_published_distance_from_target_is_reproduced(basis, year):
    check = allocation.check_published(PARAMS, basis(year))
    assert len(check) == 42
    # published to 6 d.p. from allocations rounded to £ thousand: agreement within 1e-6
    assert check.difference.abs().max() < 1e-6


@pytest.mark.parametrize("year", YEARS)
def test_the_register_places_every_practice_in_nhs_englands_icb(basis, year):
    """Issue 9, section 1: finance takes its geography from the register. On the first day
    of each allocation year it counts every practice in the ICB NHS England's file gives;
    the few it does not place (closed before the practice map) stay within that ICB."""
    rows = basis(year).practices
    placed = rows[rows.placed_by == "register"]
    assert (placed.icb_ods == placed.icb23_ods).all()
    spread = rows[rows.placed_by != "register"]
    # regression snapshot: the register leaves 6, 6 and 5 practices of the three years unplaced
    assert (spread.icb_ods == spread.icb23_ods).all() and len(spread.practice_code.unique()) <= 6
    assert rows.groupby("practice_code").weight.sum().to_numpy() == pytest.approx(1)


@pytest.mark.parametrize("year", YEARS)
def test_published_allocation_per_head_uses_the_same_population(basis, year):
    published = data.read(allocation.ALLOCATIONS)
    published = published[published.financial_year == year].set_index("icb_ods")
    ours = wp.by_area(basis(year), "icb").set_index("ods_code")
    per_head = (published.core_recurrent_allocation_gbp_k * 1000 / ours.population).round(3)
    assert (
        per_head.sort_index() == published.core_recurrent_gbp_per_head.round(3).sort_index()
    ).all()


@pytest.mark.parametrize("name", ["b42", "b36"], ids=["42 ICBs", "36 ICBs"])
@pytest.mark.parametrize("control", ["target", "allocation", 120e9])
def test_targets_add_up_to_the_control_total_exactly(request, name, control):
    basis = request.getfixturevalue(name)
    result = allocation.targets(PARAMS, basis, control)
    expected = round(allocation.control_total(basis, control).amount)
    assert result.frame.target_gbp.sum() == expected
    assert result.frame.target_gbp.dtype.kind == "i"
    assert result.frame.share.sum() == pytest.approx(1, abs=1e-12)


def test_36_icb_shares_equal_the_sum_of_their_whole_legacy_icbs(b42, b36):
    crosswalk = data.read(CROSSWALK)
    shares42 = allocation.targets(PARAMS, b42).frame.set_index("ods_code").share
    shares36 = allocation.targets(PARAMS, b36).frame.set_index("ods_code").share
    split = set(crosswalk.icb23_ods[crosswalk.share_of_legacy_icb_population < 1])
    whole = crosswalk.groupby("icb26_ods").icb23_ods.apply(set)
    checked = 0
    for icb26, legacy in whole.items():
        if legacy & split:
            continue
        assert shares36[icb26] == pytest.approx(sum(shares42[c] for c in legacy), abs=1e-12)
        checked += 1
    # icb_crosswalk_2023_to_2026: 30 of the 36 are whole legacy ICBs; 6 take part of
    # Hertfordshire and West Essex, Suffolk and North East Essex or Frimley
    assert checked >= 28


def test_36_icb_practices_reproduce_the_crosswalk_populations(b36):
    """The shipped 42-to-36 crosswalk (practices of the August 2026 map by their 2025/26
    allocation ICB, populations to 0.1) is what the register's geography gives."""
    rows = b36.practices
    placed = rows[rows.placed_by == "register"]
    sums = placed.groupby(["icb23_ods", "icb_ods"]).population.sum()
    sums.index.names = ["icb23_ods", "icb26_ods"]
    crosswalk = data.read(CROSSWALK).set_index(["icb23_ods", "icb26_ods"])
    assert np.allclose(
        sums.sort_index(), crosswalk.alloc_population_2025_26.sort_index(), atol=0.06
    )
    shares = wp.legacy_shares(b36).set_index(["icb23_ods", "ods_code"]).share
    # the crosswalk's shares are rounded to 4 d.p.; the register's are exact
    assert np.allclose(
        shares.sort_index(), crosswalk.share_of_legacy_icb_population.sort_index(), atol=5e-5
    )


def test_national_totals_of_every_component_equal_the_population(b36):
    totals = wp.by_area(b36, "icb")[wp.MEASURES].sum()
    assert np.allclose(totals, totals["population"], rtol=1e-9)
    # NHS England's 2025/26 practice populations (6,348 practices) sum to 63,849,324.2
    # (PROVENANCE-upstream.md: allocation base population 63.85 m)
    assert totals["population"] == pytest.approx(63_849_324, abs=1)


def test_region_targets_sum_their_icbs(b42):
    icbs = allocation.targets(PARAMS, b42).frame
    regions = allocation.targets(PARAMS, b42, level="region").frame
    # NHS England's 7 commissioning regions (sicbl_icb_region_2023.csv)
    assert len(regions) == 7
    assert regions.target_gbp.sum() == icbs.target_gbp.sum()
    assert set(regions.ods_code) == {"Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"}


def test_unknown_control_total_is_an_input_error(b42):
    with pytest.raises(InputError, match="unknown control total"):
        allocation.control_total(b42, "budget")


@pytest.fixture(scope="module")
def split(ws):
    """``split(basis, area, by, **options)``: the place split of an area the resolver knows."""

    def run(basis, area, by="lad", **options):
        rows = wp.rows_in(basis, ws.resolve(area, basis.on))
        return allocation.places(PARAMS, basis, rows, area, by, **options)

    return run


class TestPlaces:
    def test_place_budgets_add_up_to_the_icb_allocation_exactly(self, b42, split):
        result = split(b42, "QWO", "sub-icb")
        actual = allocation.published(b42).loc["QWO", "actual_gbp"]
        assert result.frame.budget_gbp.sum() == round(actual)
        assert result.frame.share.sum() == pytest.approx(1, abs=1e-12)
        # West Yorkshire's 5 sub-ICB locations: 02T, 03R, 15F (Leeds), 36J, X2C4Y
        # (sicbl_icb_region_2023.csv)
        assert len(result.frame) == 5 and "Leeds (" in " ".join(result.frame.area_name)

    def test_need_index_is_nhs_englands_place_tool_definition(self, ws, b42, split):
        # AIF_Allocation_Tool: place index = (place weighted pop / place GP pop) divided by
        # the same ratio for the ICB
        frame = split(b42, "QWO", "lad").frame.set_index("ons_code")
        rows = wp.rows_in(b42, ws.resolve("QWO", b42.on))
        areas = wp.by_area(b42, "lad", rows).set_index("ons_code")
        icb = areas[["core", "population"]].sum()
        expected = (areas.core / areas.population) / (icb.core / icb.population)
        assert np.allclose(frame.need_vs_area, expected.loc[frame.index])

    def test_contributions_explain_the_whole_need_difference(self, b42, split):
        frame = split(b42, "QHM", "pcn").frame
        contributions = frame.filter(like="from_").sum(axis=1)
        assert np.allclose(contributions, frame.need_vs_area - 1, atol=1e-12)
        assert frame.explanation.str.contains("of the budget").all()

    def test_given_budget_is_split_exactly(self, b42, split):
        result = split(b42, "QWO", "lad", budget=450e6)
        assert result.frame.budget_gbp.sum() == 450_000_000

    def test_user_places_with_unmapped_practices_still_add_up(self, b42, split):
        rows = b42.practices
        mine = rows[rows.icb_ods == "QWO"].practice_code.head(10)
        grouping = pd.DataFrame({"practice_code": mine, "place": ["North"] * 5 + ["South"] * 5})
        frame = split(b42, "QWO", grouping=grouping).frame
        unmapped = f"{wp.UNMAPPED}: practices not in the grouping file"
        assert set(frame.area_name) == {"North", "South", unmapped}
        actual = allocation.published(b42).loc["QWO", "actual_gbp"]
        assert frame.budget_gbp.sum() == round(actual)

    def test_places_are_below_icb_level(self, b42, split):
        with pytest.raises(InputError, match="places are by lad, sub-icb, pcn, practice"):
            split(b42, "QWO", "region")

    def test_negative_budget_is_an_input_error(self, b42, split):
        with pytest.raises(InputError, match="budget must be positive"):
            split(b42, "QWO", "lad", budget=-1)

    def test_user_places_must_be_practices_of_the_area_listed_once(self, b42, split):
        grouping = pd.DataFrame({"practice_code": ["A81001"], "place": ["Stockton"]})  # QHM
        with pytest.raises(InputError, match=r"not practices of the area in 2025/26 .*: A81001"):
            split(b42, "QWO", grouping=grouping)
        rows = b42.practices
        mine = rows[rows.icb_ods == "QWO"].practice_code.iloc[0]
        twice = pd.DataFrame({"practice_code": [mine, mine], "place": ["a", "b"]})
        with pytest.raises(InputError, match="practices listed twice"):
            split(b42, "QWO", grouping=twice)


def test_waterfall_steps_reach_the_target_and_the_actual_allocation(b42):
    frame = allocation.waterfall(PARAMS, b42, "QHM").frame.set_index("step")
    changes = frame[frame.kind == "change"].gbp
    start = frame.loc["Equal share per head", "gbp"]
    target = frame.loc["Target", "gbp"]
    assert start + changes.iloc[:-1].sum() == pytest.approx(target)
    assert target + changes.iloc[-1] == pytest.approx(frame.loc["Actual allocation", "gbp"])
    assert (
        frame.loc["Actual allocation", "gbp"] == allocation.published(b42).loc["QHM", "actual_gbp"]
    )


def test_waterfall_of_an_icb_not_in_force_is_not_found(b36):
    with pytest.raises(NotFoundError, match="no ICB QNQ in the 36 ICBs"):
        allocation.waterfall(PARAMS, b36, "QNQ")  # Frimley, split on 1 April 2026
