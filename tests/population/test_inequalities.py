"""Core20 v rest, standardised to England's registered population, and Core20PLUS5."""

from __future__ import annotations

import pandas as pd
import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population.inequalities import core20plus5, inequalities, standard_population

PARAMS = ParameterSet.shipped()


def test_the_standard_is_englands_registered_population():
    standard = standard_population()
    # NHS England, Patients Registered at a GP Practice, Aug 2026: 63,237,908 patients
    # (PROVENANCE-upstream.md), in 19 five-year bands (0-4 ... 85-89, 90+) by 2 sexes
    assert standard.standard.sum() == 63_237_908
    assert len(standard) == 19 * 2


def test_copd_and_diabetes_gaps_favour_the_least_deprived(england, geography):
    frame = inequalities(england, params=PARAMS, geography=geography()).frame
    frame = frame.set_index("measure")
    for condition in ("copd", "diabetes", "severe_mental_illness"):
        # the direction: NHS England's Core20PLUS5 evidence (ICS-REFERENCE.md §6); the 1.2 is
        # a regression snapshot, a floor under the ratios the shipped model gives
        assert frame.loc[condition, "gap"] > 0, condition
        assert frame.loc[condition, "ratio"] > 1.2, condition


def test_standardising_removes_the_age_difference(england, geography):
    # Core20 is younger, so its crude cancer rate understates its standardised one
    frame = inequalities(england, params=PARAMS, geography=geography()).frame
    cancer = frame.set_index("measure").loc["cancer"]
    assert cancer.core20_crude < cancer.core20_standardised


def test_every_segment_and_condition_is_compared(england, geography):
    frame = inequalities(england, params=PARAMS, geography=geography()).frame
    assert set(frame.kind) == {"segment", "condition"}
    # the 7 segments of population/segmentation/hierarchy.yaml
    assert (frame.kind == "segment").sum() == 7


def test_suppressed_counts_give_no_rate(small, focus, geography):
    where = focus("Shropshire, Telford and Wrekin")
    frame = inequalities(small, where, params=PARAMS, geography=geography()).frame
    suppressed = frame[frame.core20_count.isna()]
    assert not suppressed.empty
    assert suppressed.core20_standardised.isna().all() and suppressed.gap.isna().all()


def test_core20plus5_says_what_it_cannot_show(england, geography):
    frame = core20plus5(england, params=PARAMS, geography=geography()).frame
    frame = frame.set_index("clinical_area")
    assert len(frame) == 10  # NHS England's 5 adult and 5 children's clinical areas
    assert pd.isna(frame.loc["Early cancer diagnosis", "core20"])
    assert "stage" in frame.loc["Early cancer diagnosis", "note"]
    assert frame.loc["Severe mental illness", "gap"] > 0
    assert frame.loc["Asthma", "indicator"].startswith("asthma prevalence aged 0-17")


@pytest.mark.parametrize("area", ["QYG", "Cheshire and Merseyside"])
def test_an_area_by_name_or_code(england, focus, geography, area):
    result = inequalities(england, focus(area), params=PARAMS, geography=geography())
    assert "Cheshire and Merseyside (ICB QYG)" in result.title
