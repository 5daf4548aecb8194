"""The area profile: the README path, disclosure-controlled."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas import data
from icsatlas.errors import NotFoundError
from icsatlas.parameters import ParameterSet
from icsatlas.population.profile import NONE_PUBLISHED, QOF, SECTIONS, SYNTHETIC
from icsatlas.population.profile import profile as build

PARAMS = ParameterSet.shipped()


@pytest.fixture(scope="module")
def profile(focus, geography):
    """``profile(population, area, on)``: the domain function, with the area read as a user
    would name it."""

    def run(population, area: str, on: date = date(2026, 8, 1)):
        return build(population, focus(area, on), params=PARAMS, geography=geography(on))

    return run


def test_cheshire_and_merseyside_beside_england(england, profile):
    result = profile(england, "Cheshire and Merseyside")
    frame = result.frame.set_index("measure")
    assert list(dict.fromkeys(result.frame.section)) == list(SECTIONS)
    people = frame.loc["registered people"]
    assert people.area % 5 == 0
    # England's registered patients, NHS Digital "Patients Registered at a GP Practice",
    # August 2026 (shipped gp_registered_patients_age_sex_aug2026; the same total as the
    # standard population in test_inequalities)
    assert people.comparator == 63_237_908
    # IMD 2019 (icb_imd2019_summary.csv): 34.7% of Cheshire and Merseyside's population lives
    # in England's most deprived quintile of LSOAs, against 20% of England's by definition
    assert (
        frame.loc["living in Core20 (IMD deciles 1-2)", "area"]
        > frame.loc["living in Core20 (IMD deciles 1-2)", "comparator"]
    )
    segments = result.frame[result.frame.section == SECTIONS[1]]
    assert segments.area.sum() == pytest.approx(100, abs=0.5)
    assert "beside England" in result.title


def test_conditions_are_compared_with_englands_published_qof_prevalence(england, profile):
    """Issue 9, section 2: the comparator is England as published, not the sample."""
    line = profile(england, "QYG").frame.set_index("measure").loc["Diabetes (aged 17+)"]
    qof = data.read("qof_prevalence_icb_2024_25", dtype=str)
    england_dm = qof[(qof.geography == "ICB 2026 (36)") & (qof.group_code == "DM")]
    register, eligible = (
        england_dm.register.astype(float).sum(),
        england_dm.list_size.astype(float).sum(),
    )
    assert line.comparator == round(100 * register / eligible, 3)
    assert (line.comparator_numerator, line.comparator_denominator) == (register, eligible)
    assert line.compared_with == QOF


def test_model_only_measures_are_compared_with_the_synthetic_england_labelled(england, profile):
    frame = profile(england, "QYG").frame
    segments = frame[frame.section == SECTIONS[1]]
    assert set(segments.compared_with) == {SYNTHETIC}
    assert segments.comparator.notna().all()


def test_a_partial_population_says_so_and_has_no_model_comparator(small, profile):
    result = profile(small, "QOC")
    assert any(
        note.startswith("Partial population: small (a 1% sample of 1 ICB (QOC))")
        for note in result.notes
    )
    segments = result.frame[result.frame.section == SECTIONS[1]]
    assert segments.comparator.isna().all()
    assert set(segments.compared_with) == {NONE_PUBLISHED}
    published = result.frame.set_index("measure").loc["Asthma (aged 6+)"]
    assert published.compared_with == QOF  # published figures still shown


def test_frimley_profile_in_2025(frimley, profile):
    result = profile(frimley, "Frimley", date(2025, 6, 1))
    assert result.title.startswith("Frimley (ICB QNQ) on 2025-06-01")


def test_an_area_with_nobody_is_an_error(small, profile):
    with pytest.raises(NotFoundError, match="nobody"):
        profile(small, "Cheshire and Merseyside")


def test_the_profile_says_how_the_area_was_read(small, profile):
    # a practice in Shropshire, Telford and Wrekin (NHS England's August 2026 practice map)
    result = profile(small, "M82002")
    assert result.title.startswith("Mytton Oak Medical Pract. (GP practice M82002)")
    assert result.notes[0].startswith("'M82002' is Mytton Oak Medical Pract. (practice")
    assert "geography" in result.provenance.data
