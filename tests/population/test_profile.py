"""The area profile: the README path, disclosure-controlled."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas.errors import NotFoundError
from icsatlas.population.profile import SECTIONS, profile
from icsatlas.population.summary import Options


def test_cheshire_and_merseyside_beside_england(england):
    result = profile(england, "Cheshire and Merseyside")
    frame = result.frame.set_index("measure")
    assert list(dict.fromkeys(result.frame.section)) == list(SECTIONS)
    people = frame.loc["registered people"]
    assert people.area % 5 == 0 and people.comparator % 5 == 0
    assert (
        frame.loc["living in Core20 (IMD deciles 1-2)", "area"]
        > frame.loc["living in Core20 (IMD deciles 1-2)", "comparator"]
    )
    segments = result.frame[result.frame.section == SECTIONS[1]]
    assert segments.area.sum() == pytest.approx(100, abs=0.5)
    assert "beside England" in result.title


def test_a_partial_population_is_compared_with_itself(small):
    result = profile(small, "QOC")
    assert "beside everyone in this population" in result.title


def test_frimley_profile_in_2025(frimley):
    result = profile(frimley, "Frimley", options=Options(on=date(2025, 6, 1)))
    assert "Frimley" in result.title


def test_an_area_with_nobody_is_an_error(small):
    with pytest.raises(NotFoundError, match="nobody"):
        profile(small, "Cheshire and Merseyside")
