"""`impact blueprint-2025`: the accountability report, with uncertain moves flagged.
Moves as reported in ICS-REFERENCE.md §1.2; accountability profiles in accountability.yaml."""

from __future__ import annotations

import pytest

from icsatlas.register import accountability, reforms
from icsatlas.register.impact import impact


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
    assert meets.endswith("move from bodies that meet in public to bodies that need not")
    lost = {s.criterion for s in report.shifts}
    assert "meets_in_public" in lost
    assert report.targets[0].value == 18.76
