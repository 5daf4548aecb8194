"""The population-derived need index and its comparison with NHS England's."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population.need import COMPONENTS, compare_with_official, need_indices

PARAMS = ParameterSet.shipped()


def test_indices_average_one_over_the_comparator(england):
    frame = need_indices(england, "icb", date(2026, 8, 1), params=PARAMS).frame
    assert len(frame) == 36
    weights = frame.people.astype(float)
    for column in [*COMPONENTS, "need_index"]:
        assert np.average(frame[column], weights=weights) == pytest.approx(1.0, abs=0.01)


def test_places_are_also_relative_to_their_icb(england):
    frame = need_indices(england, "sub-icb", date(2026, 8, 1), params=PARAMS).frame
    assert len(frame) == 106
    single = frame[frame.area_name.str.contains("Cornwall")]  # one sub-ICB ICB
    assert single.need_index_vs_icb.iloc[0] == pytest.approx(1.0, abs=1e-3)


def test_tracks_nhs_englands_need_indices_across_the_42_icbs(england):
    result = compare_with_official(england, "2025/26", params=PARAMS)
    assert len(result.frame) == 42  # 2025/26 is allocated in the 42-ICB geography
    overall = np.corrcoef(result.frame.need_index, result.frame.need_index_nhse)[0, 1]
    # a 0.5% sample is noisy (about 7,500 people per ICB); at 5% and above r is about 0.9
    assert overall > 0.7
    assert any(note.startswith("need_index: Pearson") for note in result.notes)


def test_frimley_is_one_of_the_42(england):
    frame = compare_with_official(england, "2025/26", params=PARAMS).frame
    assert "Frimley" in set(frame.area_name)
