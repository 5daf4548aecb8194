"""Scenario files and headcount-by-band CSVs: everything checked, errors located."""

from __future__ import annotations

from pathlib import Path

import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import scenario
from icsatlas.parameters import ParameterSet

PARAMS = ParameterSet.shipped()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_defaults_come_from_sourced_parameters():
    plan = scenario.default(PARAMS)
    assert set(plan.inputs) == set(scenario.INPUTS)
    assert plan.first_year == "2025/26" and plan.years == 5
    for spec in plan.inputs.values():
        assert spec.label and spec.source and spec.certainty


def test_a_scenario_overrides_inputs_and_run_options(tmp_path):
    path = write(
        tmp_path,
        "slow.yaml",
        "name: Slow exits\nseed: 7\ndraws: 500\ninputs:\n"
        "  rehire_share: {distribution: triangular, low: 0.2, mode: 0.3, high: 0.5}\n"
        "  phasing: {distribution: choice, options: {back-loaded: 1.0}}\n",
    )
    plan = scenario.load(path, PARAMS)
    assert (plan.name, plan.seed, plan.draws) == ("Slow exits", 7, 500)
    assert plan.inputs["rehire_share"].from_scenario
    assert plan.inputs["rehire_share"].certainty == "assumption"
    assert plan.inputs["phasing"].distribution.central == "back-loaded"
    assert plan.fingerprint != "shipped defaults"


def test_negative_headcount_is_located(tmp_path):
    path = write(
        tmp_path, "bad.yaml", "inputs:\n  headcount:\n    distribution: fixed\n    value: -100\n"
    )
    with pytest.raises(
        InputError,
        match=r"bad.yaml:4: inputs.headcount.value: a headcount must be 0 or more, got -100$",
    ):
        scenario.load(path, PARAMS)


def test_unknown_inputs_and_keys_are_located(tmp_path):
    with pytest.raises(InputError, match=r"x.yaml:2: inputs.rehire: unknown input 'rehire'"):
        scenario.load(write(tmp_path, "x.yaml", "inputs:\n  rehire: 0.2\n"), PARAMS)
    with pytest.raises(InputError, match=r"y.yaml:1: seeds: unknown field 'seeds' \(did you mean"):
        scenario.load(write(tmp_path, "y.yaml", "seeds: 3\n"), PARAMS)
    with pytest.raises(InputError, match=r"z.yaml:1: draws: must be 1 or more"):
        scenario.load(write(tmp_path, "z.yaml", "draws: 0\n"), PARAMS)


def test_headcount_csv_rows_are_checked_and_reported_together(tmp_path):
    csv = write(
        tmp_path,
        "staff.csv",
        "icb,band,wte,mean_service_years\nQWO,8a,40,12\nQWO,band 7,-3,\nQZZ,5,10,\n"
        "QWO,12,5,\nQWO,8A,1,\n",
    )
    with pytest.raises(InputErrors) as caught:
        scenario.read_headcount(csv)
    message = str(caught.value)
    assert "staff.csv:3: wte: must be 0 or more, got -3" in message
    assert "staff.csv:4: icb: not an ICB code of the icb42 geography: 'QZZ'" in message
    assert "staff.csv:5: band: unknown band '12'" in message
    assert "staff.csv:6: band: this ICB and band appear twice" in message


def test_headcount_csv_is_referenced_from_the_scenario(tmp_path):
    write(tmp_path, "staff.csv", "icb,band,wte\nE54000054,7,120\nQWO,8a,80\n")
    plan = scenario.load(write(tmp_path, "s.yaml", "headcount_by_band: staff.csv\n"), PARAMS)
    assert plan.headcount.wte.sum() == 200
    assert set(plan.headcount.icb_ods) == {"QWO"}


@pytest.mark.parametrize(
    ("text", "band"),
    [("Band 8a", "band_8a"), ("3", "band_2_4"), ("VSM", "vsm"), ("2-4", "band_2_4"), ("10", None)],
)
def test_band_names(text, band):
    assert scenario.band_name(text) == band


def test_every_problem_of_a_scenario_is_listed_with_its_line(tmp_path):
    """Issue 9 §3: scenario files are checked against scenario.schema.json, all at once."""
    text = (
        "seed: -1\n"
        "years: 20\n"
        "geography: icb24\n"
        "inputs:\n"
        "  vr_share: {distribution: triangular, low: 0.4, mode: 0.6, high: 1.2}\n"
        "  phasing: {distribution: choice, options: {slow: 1.0}}\n"
        "  headcount: {distribution: choice, options: {step: 1.0}}\n"
    )
    with pytest.raises(InputErrors) as caught:
        scenario.load(write(tmp_path, "s.yaml", text), PARAMS)
    assert [str(e).split("/")[-1] for e in caught.value.errors] == [
        "s.yaml:3: geography: unknown geography 'icb24' (did you mean 'icb42'?)",  # best match
        "s.yaml:1: seed: must be 0 or more, got -1",
        "s.yaml:2: years: must be from 1 to 15, got 20",
        "s.yaml:5: inputs.vr_share.high: a share must be from 0 to 1, got 1.2",
        "s.yaml:6: inputs.phasing.options.slow: unknown phasing 'slow' "
        "(use step, front-loaded, linear or back-loaded)",
        "s.yaml:7: inputs.headcount.distribution: unknown numeric distribution 'choice' "
        "(use fixed, uniform or triangular)",
    ]


def test_a_first_year_that_is_not_one_names_the_file_and_line(tmp_path):
    """Issue 9 §3: a bad first_year was reported as 'year: not a financial year', with no
    file or line."""
    path = write(tmp_path, "fy.yaml", "name: x\nfirst_year: 2025/27\n")
    with pytest.raises(InputError) as caught:
        scenario.load(path, PARAMS)
    assert str(caught.value) == (
        f"{path}:2: first_year: not a financial year: '2025/27' (years must be consecutive)"
    )


def test_a_file_that_is_not_a_mapping_is_refused_as_a_scenario(tmp_path):
    path = write(tmp_path, "list.yaml", "- inputs\n")
    with pytest.raises(
        InputError, match=r"list.yaml:1: expected a scenario file \(a mapping\), got a list$"
    ):
        scenario.load(path, PARAMS)
