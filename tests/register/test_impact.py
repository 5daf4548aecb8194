"""`impact blueprint-2025`: the accountability report, with uncertain moves flagged.
Moves as reported in ICS-REFERENCE.md §1.2; accountability profiles in accountability.yaml."""

from __future__ import annotations

import re

import pytest

from icsatlas.register import accountability, reforms
from icsatlas.register.impact import SEPARATOR, impact


@pytest.fixture(scope="module")
def report(register):
    return impact(register, reforms.load("blueprint-2025", set(register.functions)))


def test_every_profile_has_eight_sourced_answers():
    for profile in accountability.profiles().values():
        assert len(profile.answers) == 8
        assert all(a.source.startswith("http") for a in profile.answers)


def test_moves_cover_all_36_icbs(report):
    moved = {g.function.function_id: g for g in report.groups}
    assert moved["primary-care-operations"].to_type == "neighbourhood-provider"
    assert moved["strategic-workforce-planning"].to_type == "nhs-region"
    assert all(g.areas == 36 for g in report.groups)


def test_uncertain_moves_are_flagged(report):
    uncertain = {g.function.function_id for g in report.uncertain_moves}
    assert {"research-and-innovation", "vaccination-and-screening"} <= uncertain
    assert {f.function_id for f in report.flags} >= {"gp-it", "eprr"}


def test_accountability_report_names_what_is_lost(report):
    sentences = report.headline()
    meets = next(s for s in sentences if "meet in public" in s)
    assert "move from bodies that meet in public to bodies that need not, or only partly: " in meets
    lost = {s.criterion for s in report.shifts}
    assert "meets_in_public" in lost
    assert report.targets[0].value == 18.76  # £18.76 a head (blueprint-2025.yaml, as reported)


def test_nhs_region_is_a_public_body_because_it_is_part_of_nhs_england():
    """Issue 9 §5: NHS England's regional teams are "a core part of NHS England" (written
    answer HL10740, 30 Sep 2025), a statutory public body (Health and Care Act 2022 s1)."""
    region, england = accountability.profile("nhs-region"), accountability.profile("nhs-england")
    assert region.answer("public_body").value == "yes"
    same_body = ("public_body", "subject_to_foi", "duty_to_consult", "health_scrutiny")
    assert [region.answer(c).value for c in same_body] == [
        england.answer(c).value for c in same_body
    ]


def test_moves_to_regional_teams_are_not_counted_as_leaving_public_bodies(report):
    """Issue 9 §5: the headline counted moves into NHS England's regional teams as moves to
    bodies that are "not, or only partly, public", without naming the functions."""
    [public] = [s for s in report.shifts if s.criterion == "public_body"]
    to_region = {g.function.label for g in report.groups if g.to_type == "nhs-region"}
    assert to_region and not to_region & set(public.functions)
    assert all(
        g.to_type == "neighbourhood-provider"
        for g in report.groups
        if g.function.label in public.functions
    )


def test_every_headline_count_lists_what_it_counts(report):
    """Issue 9 §5: "5 functions ...: A | B | C | D | E" - the number is the list's length."""
    counted = 0
    for line in report.headline():
        found = re.search(r"(\d+) (functions?|bod(?:y|ies))[^:]*: (.+)$", line)
        if found:
            assert int(found[1]) == len(found[3].split(SEPARATOR)), line
            counted += 1
    # regression snapshot: overall, 5 criteria, uncertain, disputed, under review, 2 caveats
    assert counted == 11


def test_each_move_shows_how_each_criterion_changes(report):
    """Issue 9 §5: a move's accountability change is shown per function, criterion by
    criterion (answers from accountability.yaml)."""
    table = report.table().set_index("function")
    workforce = table.loc["Strategic workforce planning, education and training"]
    # regression snapshot (icb -> nhs-region, accountability.yaml)
    assert workforce.accountability_change == (
        "Meets in public: yes -> partial (uncertain); "
        "Publishes board papers: yes -> partial (uncertain)"
    )
    for group in report.groups:
        before = accountability.profile(group.from_type)
        after = accountability.profile(group.to_type)
        differ = {
            c for c in accountability.CRITERIA if before.answer(c).value != after.answer(c).value
        }
        assert {c.criterion for c in group.changes} == differ


def test_reform_list_and_impact_count_uncertainty_the_same_way(report):
    """Issue 9 §5: `reform list` said 2 uncertain where `impact` said 11. One definition:
    an operation (and the moves it makes) is uncertain if its certainty or its date is.
    blueprint-2025.yaml: 10 transfers with date_certainty: uncertain (the Blueprint gives no
    timeframes) and the vaccination delegation with certainty: uncertain."""
    reform = reforms.load("blueprint-2025")
    assert len(reform.uncertain) == len(report.uncertain_moves) == 11
    listed = reforms.listing()
    row = listed.frame.set_index("name").loc["blueprint-2025"]
    assert row.uncertain_operations == 11
    assert "certainty or its date_certainty" in listed.notes[0]
    assert any(
        line.startswith("uncertain moves (the operation's certainty") for line in report.headline()
    )


# AOP, 13 May 2025 (blueprint-2025.yaml's source for these moves): "... sustainability,
# research, local workforce training and development, and digital transformation, will also
# move to new 'neighbourhood health providers'"; UKAuthority (the source for digital):
# "transferred over time to neighbourhood providers".
NEIGHBOURHOOD = {
    "sustainability-green-plan",
    "research-and-innovation",
    "local-workforce-training",
    "digital-transformation",
}


def test_destinations_follow_the_source_each_move_cites(report):
    """Issue 9 §6: four destinations were nhs-trust, contradicting the source each cites."""
    moved = {g.function.function_id: g for g in report.groups}
    assert {f: moved[f].to_type for f in NEIGHBOURHOOD} == dict.fromkeys(
        NEIGHBOURHOOD, "neighbourhood-provider"
    )


def test_disputed_destinations_are_recorded_and_shown_with_both_sources(report):
    """Issue 9 §6: where sources disagree both destinations are recorded and flagged. Building
    Better Healthcare reports digital leadership moving to providers; UKAuthority lists the
    other three as under review, some to regional and national teams."""
    moved = {g.function.function_id: g for g in report.groups}
    assert {f for f, g in moved.items() if g.disputed} == NEIGHBOURHOOD
    digital = moved["digital-transformation"]
    assert [a.to for a in digital.disputed] == ["nhs-trust"]
    assert "buildingbetterhealthcare.com" in digital.disputed_text
    # nhs-trust's profile in accountability.yaml: 7 of 8 criteria "yes", elected members
    # "no": 100 x 7 / 8 = 87.5
    assert "(accountability 87.5)" in digital.disputed_text
    assert any(
        line.startswith("destination disputed between sources") for line in report.headline()
    )
    table = report.table().set_index("function")
    assert "buildingbetterhealthcare.com" in table.loc[digital.function.label, "disputed"]
