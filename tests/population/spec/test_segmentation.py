"""Bridges to Health segmentation: everyone in exactly one segment, by the hierarchy.

Default hierarchy (parameter population.segmentation.hierarchy, the SNEE order read onto
Bridges to Health): end_of_life > frailty_dementia > organ_failure > disability >
long_term_conditions > maternal > healthy.
"""

from __future__ import annotations

from icsatlas.population.pipeline import SEGMENT_IDS

from .conftest import person


def segments(frame) -> list[str]:
    return [SEGMENT_IDS[i] for i in frame.segment]


def test_each_person_lands_in_the_first_segment_whose_rule_they_meet(people):
    frame = people(
        [
            person(end_of_life=True, dementia=True, age=88),  # dying comes first
            person(dementia=True, age=81),
            person(age=70, frailty_deficits=9),  # moderate frailty
            person(age=70, frailty_deficits=8),  # mild frailty only: not this segment
            person(heart_failure=True, age=75),
            person(copd=True, unplanned_admissions_12m=1),  # exacerbations: organ failure
            person(copd=True),  # COPD without admissions: a long-term condition
            person(learning_disability=True, diabetes=True),  # disability before LTC
            person(pregnant=True, asthma=True),  # LTC before maternity
            person(pregnant=True),
            person(),
        ]
    )
    assert segments(frame) == [
        "end_of_life",
        "frailty_dementia",
        "frailty_dementia",
        "healthy",
        "organ_failure",
        "organ_failure",
        "long_term_conditions",
        "disability",
        "long_term_conditions",
        "maternal",
        "healthy",
    ]


def test_obesity_and_non_diabetic_hyperglycaemia_are_not_long_term_conditions(people):
    frame = people([person(obesity=True, non_diabetic_hyperglycaemia=True)])
    assert segments(frame) == ["healthy"]


def test_conditions_with_no_register_count_when_an_extract_records_them(people):
    frame = people([person(hearing_loss=True), person(hearing_loss=None)])
    assert segments(frame) == ["long_term_conditions", "healthy"]


def test_the_hierarchy_is_a_parameter(people):
    maternity_first = (
        "maternal",
        "end_of_life",
        "frailty_dementia",
        "organ_failure",
        "disability",
        "long_term_conditions",
        "healthy",
    )
    frame = people([person(pregnant=True, asthma=True)], hierarchy=maternity_first)
    assert segments(frame) == ["maternal"]
