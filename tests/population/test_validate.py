"""`validate`: generated marginals reproduce the sources."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset
from icsatlas.population.validate import validate

PARAMS = ParameterSet.shipped()


def test_a_generated_population_passes_every_check(small):
    checked = validate(small, params=PARAMS)
    frame = checked.result.frame
    assert checked.failed == 0, frame[frame.status == "fail"]
    assert (frame[frame.check == "people per ICB"].difference == 0).all()
    # the 21 QOF registers of qof_prevalence_icb_2024_25.csv (AF ... STIA), one ICB
    assert frame.check.str.contains("prevalence").sum() == 21


def test_national_figures_hold_for_england(england):
    frame = validate(england, params=PARAMS).result.frame
    national = frame[frame.area == "England"].set_index("check")
    assert (national.status == "pass").all(), national
    assert {"unplanned admissions per person", "pregnant women"} <= set(national.index)
    prevalence = frame[frame.check.str.contains("prevalence")]
    assert prevalence.area.nunique() == 36  # icb_36_aug2026.csv
    assert (prevalence.status == "pass").mean() >= 0.98  # regression snapshot: a floor


def test_a_damaged_population_fails(population_home, small, tmp_path):
    copy = dataset.root() / "damaged"
    shutil.copytree(small.path, copy)
    part = next(copy.glob("icb_code=*/*.parquet"))
    table = pq.read_table(part)
    pq.write_table(table.slice(0, table.num_rows - 10), part)
    checked = validate(dataset.open_dataset("damaged"), params=PARAMS)
    failed = checked.result.frame[checked.result.frame.status == "fail"]
    assert "people per ICB" in set(failed.check)
    assert failed[failed.check == "people per ICB"].difference.iloc[0] == -10
    pq.write_table(table.slice(0, table.num_rows - 3), part)
    checked = validate(dataset.open_dataset("damaged"), params=PARAMS)
    failed = checked.result.frame[checked.result.frame.check == "people per ICB"].iloc[0]
    # judged on the exact count, but a difference of 3 people is too small to show
    assert failed.status == "fail" and pd.isna(failed.difference)
    shutil.rmtree(copy)


def test_exact_counts_have_no_tolerance(small):
    frame = validate(small, params=PARAMS).result.frame
    counts = frame[frame.check.str.startswith(("people", "sub-ICB", "practices"))]
    assert len(counts) == 3 and (counts.tolerance == 0).all()


def test_risk_score_is_calibrated_in_the_large(england, geography):
    from icsatlas.population.summary import rows, summarise

    totals = rows(summarise(england, "country", params=PARAMS, geography=geography()))
    expected = float(totals.expected_admissions_sum.iloc[0])
    observed = float(totals.admissions_12m.iloc[0])
    assert expected / observed == pytest.approx(1.0, abs=0.05)
