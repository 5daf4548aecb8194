"""The area profile: the README path, disclosure-controlled."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas import data
from icsatlas.errors import NotFoundError
from icsatlas.parameters import ParameterSet
from icsatlas.population.profile import NONE_PUBLISHED, QOF, SECTIONS, SYNTHETIC, profile
from icsatlas.population.summary import Options

PARAMS = ParameterSet.shipped()


def test_cheshire_and_merseyside_beside_england(england):
    result = profile(england, "Cheshire and Merseyside", params=PARAMS)
    frame = result.frame.set_index("measure")
    assert list(dict.fromkeys(result.frame.section)) == list(SECTIONS)
    people = frame.loc["registered people"]
    assert people.area % 5 == 0
    # England's registered patients, NHS Digital "Patients Registered at a GP Practice",
    # August 2026 (shipped gp_registered_patients_age_sex_aug2026; the same total as the
    # standard population in test_inequalities)
    assert people.comparator == 63_237_908
    assert (
        frame.loc["living in Core20 (IMD deciles 1-2)", "area"]
        > frame.loc["living in Core20 (IMD deciles 1-2)", "comparator"]
    )
    segments = result.frame[result.frame.section == SECTIONS[1]]
    assert segments.area.sum() == pytest.approx(100, abs=0.5)
    assert "beside England" in result.title


def test_conditions_are_compared_with_englands_published_qof_prevalence(england):
    """Issue 9, section 2: the comparator is England as published, not the sample."""
    line = (
        profile(england, "QYG", params=PARAMS).frame.set_index("measure").loc["Diabetes (aged 17+)"]
    )
    qof = data.read("qof_prevalence_icb_2024_25", dtype=str)
    england_dm = qof[(qof.geography == "ICB 2026 (36)") & (qof.group_code == "DM")]
    register, eligible = (
        england_dm.register.astype(float).sum(),
        england_dm.list_size.astype(float).sum(),
    )
    assert line.comparator == round(100 * register / eligible, 3)
    assert (line.comparator_numerator, line.comparator_denominator) == (register, eligible)
    assert line.compared_with == QOF


def test_model_only_measures_are_compared_with_the_synthetic_england_labelled(england):
    frame = profile(england, "QYG", params=PARAMS).frame
    segments = frame[frame.section == SECTIONS[1]]
    assert set(segments.compared_with) == {SYNTHETIC}
    assert segments.comparator.notna().all()


def test_a_partial_population_says_so_and_has_no_model_comparator(small):
    result = profile(small, "QOC", params=PARAMS)
    assert any(
        note.startswith("Partial population: small (a 1% sample of 1 ICB (QOC))")
        for note in result.notes
    )
    segments = result.frame[result.frame.section == SECTIONS[1]]
    assert segments.comparator.isna().all()
    assert set(segments.compared_with) == {NONE_PUBLISHED}
    published = result.frame.set_index("measure").loc["Asthma (aged 6+)"]
    assert published.compared_with == QOF  # published figures still shown


def test_frimley_profile_in_2025(frimley):
    result = profile(frimley, "Frimley", params=PARAMS, options=Options(on=date(2025, 6, 1)))
    assert "Frimley" in result.title


def test_an_area_with_nobody_is_an_error(small):
    with pytest.raises(NotFoundError, match="nobody"):
        profile(small, "Cheshire and Merseyside", params=PARAMS)
