"""Targets from need indices of any source, compared with NHS England's.

The reference need source here is NHS England's own practice file, summed to areas: with
the shipped (estimated) weights and NHS England's implied unavoidable-cost index the two
routes must agree closely; without the cost index they differ by the market forces factor.
"""

from __future__ import annotations

import pandas as pd
import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import need
from icsatlas.finance import weighted_population as wp
from icsatlas.parameters import ParameterSet

PARAMS = ParameterSet.shipped()


def test_need_route_matches_nhs_england_when_given_the_same_cost_adjustment(b42):
    indices = need.with_implied_unavoidable_cost(need.from_practice_file(b42), b42.year)
    frame = need.compare(PARAMS, indices, b42).frame
    assert frame.target_gbp.sum() == frame.nhse_target_gbp.sum()
    # weights are rounded to 3 d.p., so agreement is to a few hundredths of a per cent
    assert frame.difference_pct.abs().max() < 0.1


def test_without_unavoidable_costs_the_gap_is_the_market_forces_factor(b42):
    result = need.compare(PARAMS, need.from_practice_file(b42), b42)
    frame = result.frame.set_index("ods_code")
    assert frame.difference_pct.abs().max() < 10
    # London is where unavoidable costs lift NHS England's targets most (the market forces
    # factor, NHS England allocations 2025/26 technical guide; ICS-REFERENCE.md §5): QMJ is
    # North Central London
    assert frame.loc["QMJ", "difference_pct"] < -3
    assert any("No unavoidable cost index given" in note for note in result.notes)
    assert any("correlate" in note for note in result.notes)


def test_ons_codes_and_sub_icb_areas_are_accepted(b42):
    icbs = need.from_practice_file(b42)
    ods = wp.by_area(b42, "icb")  # ODS codes; map them to ONS with the register's areas
    to_ons = b42.geography.icbs.set_index("icb_ods").icb_ons
    by_ons = icbs.assign(ons_code=icbs.ods_code.map(to_ons)).drop(columns="ods_code")
    frame = need.compare(PARAMS, by_ons, b42).frame
    assert set(frame.ods_code) == set(ods.ods_code)
    sub = need.compare(PARAMS, need.from_practice_file(b42, "sub-icb"), b42).frame
    assert len(sub) == 106  # the 106 sub-ICB locations of 2023 (sicbl_icb_region_2023.csv)


def test_bad_need_files_name_row_and_column(b42):
    indices = need.from_practice_file(b42).head(3).astype({"g_a": object})
    indices.loc[1, "population"] = -5
    indices.loc[2, "g_a"] = "high"
    with pytest.raises(InputErrors) as caught:
        need.compare(PARAMS, indices, b42, source="need.csv")
    message = str(caught.value)
    assert "need.csv:3: population: must be a positive number, got -5" in message
    assert "need.csv:4: g_a: must be a number >= 0, got 'high'" in message


def test_missing_columns_and_foreign_codes_are_input_errors(b42):
    with pytest.raises(InputError, match="missing column"):
        need.compare(PARAMS, pd.DataFrame({"ods_code": ["QWO"]}), b42)
    indices = need.from_practice_file(b42).head(2).assign(ods_code=["QWO", "ZZZ"])
    with pytest.raises(InputError, match="not icb ODS codes"):
        need.compare(PARAMS, indices, b42)


def test_an_area_code_column_of_unstated_system_is_refused(b42):
    """Issue 9, section 1/6: code columns say their system (ods_code or ons_code), never an
    area_code that is sometimes one and sometimes the other."""
    indices = need.from_practice_file(b42).rename(columns={"ods_code": "area_code"})
    with pytest.raises(InputError, match=r"ods_code or ons_code.*rename area_code"):
        need.compare(PARAMS, indices, b42)


def test_a_need_file_is_read_as_every_input_file(tmp_path, b42):
    path = tmp_path / "need.csv"
    written = need.from_practice_file(b42)
    written.rename(columns={"ods_code": "ODS Code"}).to_csv(path, index=False)
    frame = need.read_indices(path)
    assert sorted(frame.columns) == sorted(written.columns)
    again = need.compare(PARAMS, frame, b42).frame
    reference = need.compare(PARAMS, need.from_practice_file(b42), b42).frame
    assert again.target_gbp.tolist() == reference.target_gbp.tolist()


def test_a_need_file_with_several_bad_rows_reports_them_all(tmp_path):
    path = tmp_path / "need.csv"
    path.write_text(
        "ods_code,population,g_a,community,mental_health,maternity,prescribing,unavoidable_cost\n"
        'QWO,"2,400,000",1.0,1.0,1.0,1.0,1.0,1.02\n'
        "qwo,0,1.0,NaN,1.0,1.0,1.0,\n"
        "QHM,100,-1,1.0,1.0,1.0,1e400,1\n"
    )
    with pytest.raises(InputErrors) as caught:
        need.read_indices(path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:3: population: must be more than 0, got 0",
        f"{path}:3: community: not a number: 'NaN' (a finite number is needed)",
        f"{path}:3: unavoidable_cost: required in every row when the column is given",
        f"{path}:3: ods_code: area QWO appears more than once (first at row 2)",
        f"{path}:4: g_a: must be 0 or more, got -1",
        f"{path}:4: prescribing: not a number: '1e400' (too large)",
    ]
