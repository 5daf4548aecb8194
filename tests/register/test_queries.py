"""Questions the register answers. Facts checked: ICS-REFERENCE.md §1.2 (what the
Blueprint moves, as reported), §1.4 (the April 2026 mergers), §4 (ICB functions)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from icsatlas.errors import NotFoundError
from icsatlas.register import operations, queries, reforms

BEFORE, AFTER = date(2025, 1, 1), date(2026, 6, 1)


@pytest.fixture(scope="module")
def blueprint(register):
    return operations.apply(register, reforms.load("blueprint-2025", set(register.functions)))


@pytest.mark.parametrize("query", ["Frimley", "QNQ", "E54000034", "nhs frimley icb"])
def test_area_lookup_by_name_ods_or_ons_code(register, query):
    assert queries.resolve_area(register, query, BEFORE).area_id == "E54000034"


def test_an_abolished_area_says_when_it_ended_and_who_succeeded(register):
    with pytest.raises(NotFoundError) as error:
        queries.resolve_area(register, "Frimley", date(2026, 4, 1))
    message = str(error.value)
    assert "2022-07-01 to 2026-04-01" in message and "Thames Valley" in message


def test_who_holds_primary_care_in_frimley_before_the_mergers(register):
    area = queries.resolve_area(register, "Frimley", BEFORE)
    [holding] = queries.who_holds(register, "primary care", area, BEFORE)
    assert holding.holder.ods_code == "QNQ"
    assert holding.assignment.basis == "delegation"
    assert holding.assignment.valid_from == date(2022, 7, 1)


def test_who_for_a_sub_icb_location_finds_the_icb_above_it(register):
    area = queries.resolve_area(register, "D9Y0V", AFTER)
    [holding] = queries.who_holds(register, "EPRR", area, AFTER)
    assert holding.holder.ods_code == "QRL" and holding.held_at.area_type == "icb"


def test_who_for_a_region_lists_every_icb(register):
    london = queries.resolve_area(register, "London", AFTER)
    holders = {h.holder.name for h in queries.who_holds(register, "GP IT", london, AFTER)}
    # NE, SE, SW London and West and North London (icb_36_aug2026.csv, region Y56)
    assert len(holders) == 4


def test_after_the_blueprint_workforce_planning_is_held_by_the_region(blueprint):
    area = queries.resolve_area(blueprint, "Cheshire and Merseyside", AFTER)
    [holding] = queries.who_holds(blueprint, "workforce planning", area, AFTER)
    assert holding.holder.org_type == "nhs-region"
    assert holding.uncertain  # the Blueprint gives no date: flagged


def test_history_shows_the_move(blueprint):
    area = queries.resolve_area(blueprint, "Cheshire and Merseyside", AFTER)
    history = queries.holding_history(blueprint, "workforce planning", area)
    assert [h.holder.org_type for h in history] == ["icb", "nhs-region"]
    assert history[0].assignment.valid_to == date(2026, 4, 1)


def test_no_gaps_in_the_built_register(register):
    assert [g for g in queries.gaps(register, AFTER) if g.status == "no holder"] == []


def test_gaps_flag_functions_under_review_after_the_blueprint(blueprint):
    found = queries.gaps(blueprint, AFTER)
    review = {g.function.function_id for g in found if g.status == "under review"}
    assert review == {
        "gp-it",
        "eprr",
        "continuing-healthcare",
        "safeguarding",
        "infection-prevention-and-control",
    }
    areas = {g.area.area_id for g in found if g.function.function_id == "eprr"}
    assert len(areas) == 36


def test_a_transfer_to_nobody_leaves_a_gap(register):
    text = (
        "name: drop\ntitle: t\nsource: s\neffective: 2026-06-01\noperations:\n"
        "  - transfer: {function: eprr, from: icb, to: unknown}\n"
    )
    from icsatlas import yamlio

    after = operations.apply(register, reforms.parse(yamlio.load("drop.yaml", text)))
    found = [g for g in queries.gaps(after, AFTER) if g.function.function_id == "eprr"]
    assert {g.status for g in found} == {"no holder", "under review"}


def test_diff_across_the_mergers(register):
    changes = queries.diff(register, date(2026, 3, 31), date(2026, 4, 1))
    abolished = [
        c for c in changes if c.kind == "abolished" and "Integrated Care Board" in c.subject
    ]
    established = [
        c for c in changes if c.kind == "established" and "Integrated Care Board" in c.subject
    ]
    assert (len(abolished), len(established)) == (12, 6)
    moved = {c.subject for c in changes if c.kind == "moved-area"}
    assert "NHS Essex ICB - 06T" in moved  # North East Essex: from Suffolk and NE Essex


def test_diff_for_an_area_is_limited_to_it(register):
    area = register.areas["E54000034"]
    changes = queries.diff(register, date(2026, 3, 31), date(2026, 4, 1), area)
    assert any(c.subject == "NHS Frimley Integrated Care Board" for c in changes)
    assert not any("Cheshire" in c.subject for c in changes)


def test_diff_reports_function_moves_with_certainty(blueprint):
    changes = queries.diff(blueprint, date(2026, 3, 31), AFTER)
    moves = {c.subject: c for c in changes if c.kind == "function-moved"}
    assert moves["Medicines optimisation"].detail.startswith("icb -> neighbourhood-provider")
    assert moves["Medicines optimisation"].certainty == "uncertain"


@pytest.mark.parametrize("query", ["QYG", "Frimley", "London", "D9Y0V"])
def test_diff_for_an_area_keeps_the_function_moves(blueprint, query):
    """Issue 9 §5: `diff --area X --reform blueprint-2025` dropped the function moves the
    unfiltered diff shows. Frimley (abolished 1 April 2026) is followed to its successors."""
    start = date(2026, 3, 31)
    everywhere = {
        c.subject for c in queries.diff(blueprint, start, AFTER) if c.kind == "function-moved"
    }
    area = blueprint.find_areas(query)[-1]
    here = [c for c in queries.diff(blueprint, start, AFTER, area) if c.kind == "function-moved"]
    assert {c.subject for c in here} == everywhere
    assert len(everywhere) == 11  # the Blueprint's transfers and delegation (blueprint-2025.yaml)


def test_diff_for_an_icb_names_it_in_each_function_move(blueprint):
    area = blueprint.areas["E54000008"]
    [medicines] = [
        c
        for c in queries.diff(blueprint, date(2026, 3, 31), AFTER, area)
        if c.subject == "Medicines optimisation"
    ]
    # regression snapshot (the move is in blueprint-2025.yaml; the wording is the diff's own)
    assert medicines.detail == "icb -> neighbourhood-provider in 1 area: Cheshire and Merseyside"


def test_who_and_gaps_show_a_disputed_destination_naming_both_sources(blueprint):
    """Issue 9 §6: the dispute is a caveat wherever the function appears."""
    area = queries.resolve_area(blueprint, "Cheshire and Merseyside", AFTER)
    [holding] = queries.who_holds(blueprint, "digital transformation", area, AFTER)
    assert holding.holder.org_type == "neighbourhood-provider"
    [caveat] = holding.caveats()
    assert "Destination disputed" in caveat
    assert "ukauthority" in caveat and "buildingbetterhealthcare" in caveat
    found = queries.gaps(blueprint, AFTER, area)
    [gap] = [g for g in found if g.function.function_id == "digital-transformation"]
    assert gap.status == "uncertain holder" and "buildingbetterhealthcare" in gap.detail


def test_organisation_lookup_by_code_exact_name_or_part_of_a_name(register):
    # Frimley ICB: ODS QNQ (NHS England's ODS); its name as the register holds it
    assert [o.name for o in register.find_organisations("qnq ")] == [
        "NHS Frimley Integrated Care Board"
    ]
    exact = register.find_organisations("Frimley Integrated Care Board")
    assert {o.ods_code for o in exact} == {"QNQ"}
    assert any(o.ods_code == "QNQ" for o in register.find_organisations("frimley"))


def test_organisation_lookups_do_not_grow_with_each_name_looked_up(register):
    """A large contracts import looks up every supplier's name: 2,000 unknown names took
    over 5 minutes when each lookup normalised every organisation's name again."""
    start = time.perf_counter()
    for n in range(2000):
        assert register.find_organisations(f"Supplier {n} Limited") == []
    assert time.perf_counter() - start < 30
