"""Settings' shares of ICB money and the acute-to-community shift."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import shift
from icsatlas.parameters import ParameterSet

PARAMS = ParameterSet.shipped()


def test_formula_shares_cover_every_setting_and_sum_to_one(b42):
    shares = shift.formula_shares(PARAMS, b42)
    assert np.allclose(shares[list(shift.SETTINGS)].sum(axis=1), 1)
    # the 2025/26 weights fitted to NHS England's practice file: general and acute 0.623,
    # community 0.040 (finance/allocation/core_weights.yaml)
    assert (shares.acute > 0.6).all() and (shares.community < 0.1).all()


def test_streams_are_the_published_allocations():
    frame = shift.streams().frame
    totals = frame.groupby("financial_year").core_services_gbp.sum() / 1e9
    # NHS England workbooks' Total rows (data/reference/PROVENANCE-upstream.md, "Checks
    # done"): core recurrent £101.26bn / £103.82bn / £116.74bn
    assert totals.round(2).tolist() == [101.26, 103.82, 116.74]


@pytest.mark.parametrize("mode", ["uniform", "need"])
def test_the_shift_moves_exactly_the_points_asked(mode, b42):
    result = shift.scenario(PARAMS, b42, 2.0, 4, mode)
    frame = result.frame
    start, end = (frame[frame.financial_year == y] for y in ("2025/26", "2029/30"))
    moved = end.community_gbp.sum() - start.community_gbp.sum()
    budget = (start.acute_gbp / start.acute_share).sum()
    assert moved == pytest.approx(0.02 * budget)
    assert np.allclose(end.acute_gbp + end.community_gbp, start.acute_gbp + start.community_gbp)


def test_sharing_by_need_keeps_community_funding_closer_to_need(b42):
    def spread(mode):
        frame = shift.scenario(PARAMS, b42, 3.0, 3, mode).frame
        end = frame[frame.financial_year == "2028/29"].community_vs_need
        return end.std() / end.mean()

    assert spread("need") < spread("uniform")


def test_impossible_shifts_are_input_errors(b42):
    with pytest.raises(InputError, match="between 0 and 100"):
        shift.scenario(PARAMS, b42, 120, 3)
    with pytest.raises(InputError, match="more than 100% of acute spend"):
        shift.scenario(PARAMS, b42, 90, 3)
    with pytest.raises(InputError, match="mode must be"):
        shift.scenario(PARAMS, b42, 1, 3, "fast")


def test_spend_files_are_checked_and_used(tmp_path, b42):
    good = tmp_path / "spend.csv"
    good.write_text(
        "icb,financial_year,setting,spend_gbp\n"
        "QWO,2024/25,acute,3000000000\nQWO,2024/25,community,400000000\n"
        "QWO,2024/25,mental_health,500000000\nQWO,2024/25,primary_care_prescribing,600000000\n"
    )
    spend = shift.read_spend(good, b42)
    frame = shift.scenario(PARAMS, b42, 1.0, 2, spend=spend).frame
    first = frame[frame.financial_year == "2025/26"].set_index("ods_code")
    assert list(first.index) == ["QWO"]
    assert first.loc["QWO", "community_share"] == pytest.approx(0.4 / 4.5)
    bad = tmp_path / "bad.csv"
    bad.write_text("icb,financial_year,setting,spend_gbp\nQWO,2024/25,hospital,-1\n")
    with pytest.raises(InputErrors, match=r"bad.csv:2: setting: unknown setting 'hospital'"):
        shift.read_spend(bad, b42)


def test_a_spend_file_with_several_bad_rows_reports_them_all(tmp_path, b42):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "icb,financial_year,setting,spend_gbp\n"
        'qwo,2024/25,Mental Health,"£500,000,000"\n'
        "QZZ,2024/25,acute,1e400\n"
        "QWO,24/25,community,-1\n"
    )
    with pytest.raises(InputErrors) as caught:
        shift.read_spend(bad, b42)
    assert [str(e) for e in caught.value.errors] == [
        f"{bad}:3: spend_gbp: not an amount of money: '1e400' (too large)",
        f"{bad}:3: icb: not an ICB code on 2025-04-01: 'QZZ'",
        f"{bad}:4: financial_year: not a financial year: '24/25' (write it like 2025/26)",
        f"{bad}:4: spend_gbp: must be 0 or more, got -1",
    ]


def test_a_spend_file_with_a_header_only_names_the_file(tmp_path, b42):
    """Issue 12 (fuzzing): 'the spend file covers none of the ICBs' named no file."""
    empty = tmp_path / "empty.csv"
    empty.write_text("icb,financial_year,setting,spend_gbp\n")
    with pytest.raises(InputError, match=r"empty\.csv:2: no spend rows: the file has a header"):
        shift.read_spend(empty, b42)


def test_too_little_acute_spend_in_the_file_names_the_file(tmp_path, b42):
    """Issue 12 (fuzzing): a spend file without acute spend was refused naming only --points."""
    path = tmp_path / "spend.csv"
    path.write_text("icb,financial_year,setting,spend_gbp\nQWO,2024/25,community,400000000\n")
    spend = shift.read_spend(path, b42)
    with pytest.raises(InputError, match=rf"^{path}: points: moving 1 points would take more"):
        shift.scenario(PARAMS, b42, 1.0, 2, spend=spend)
