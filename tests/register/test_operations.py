"""Applying reforms: the invariants hold at every step, and nothing is overwritten."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas import yamlio
from icsatlas.errors import InputError
from icsatlas.register import operations, reforms
from icsatlas.register.model import Assignment, Changeset
from icsatlas.register.register import InvariantError

AFTER = date(2026, 6, 1)


def reform(register, text: str, name: str = "user.yaml"):
    header = "name: user-reform\ntitle: Test\nsource: https://example.org\n"
    return reforms.parse(yamlio.load(name, header + text), set(register.functions))


def apply(register, text: str):
    return operations.apply(register, reform(register, text))


def test_transfer_closes_the_old_holding_and_opens_a_new_one(register):
    after = apply(
        register,
        "effective: 2026-06-01\noperations:\n  - transfer: "
        "{function: strategic-workforce-planning, from: icb, to: nhs-region}\n",
    )
    area = register.governed_area("QYG", AFTER)
    [old] = register.assignments_at("strategic-workforce-planning", area.area_id, AFTER)
    [new] = after.assignments_at("strategic-workforce-planning", area.area_id, AFTER)
    assert after.assignments[old.key].valid_to == AFTER  # kept, with an end date
    assert new.holder_id == "Y62" and new.basis == "blueprint-transfer"
    assert new.reform == "user-reform"


def test_transfer_to_a_kind_of_body_creates_a_named_generic_holder(register):
    after = apply(
        register,
        "effective: 2026-06-01\noperations:\n  - transfer: "
        "{function: medicines-optimisation, from: icb, to: neighbourhood-provider}\n",
    )
    area = register.governed_area("QYG", AFTER)
    [new] = after.assignments_at("medicines-optimisation", area.area_id, AFTER)
    holder = after.organisations[new.holder_id]
    assert (
        holder.generic
        and holder.name == "Neighbourhood health providers in Cheshire and Merseyside"
    )


def test_transfer_limited_to_some_areas(register):
    after = apply(
        register,
        "effective: 2026-06-01\noperations:\n  - transfer: "
        "{function: gp-it, from: icb, to: nhs-region, areas: [QYG]}\n",
    )
    moved = [a for a in after.assignments.values() if a.reform == "user-reform"]
    assert [a.area_id for a in moved] == ["E54000008"]


def test_a_transfer_that_matches_nothing_is_an_error_with_its_line(register):
    text = (
        "effective: 2026-06-01\noperations:\n  - transfer:\n      function: gp-it\n"
        "      from: dhsc\n      to: icb\n"
    )
    with pytest.raises(
        InputError,
        match=r"user\.yaml:7: operations\[0\]\.transfer\.function: "
        "no dhsc holds gp-it",
    ):
        apply(register, text)


def test_review_adds_a_flag_shown_with_the_function(register):
    after = apply(
        register,
        "effective: 2026-06-01\noperations:\n  - review: {function: eprr, destination: unclear}\n",
    )
    area = register.governed_area("QYG", AFTER)
    [flag] = after.flags_for("eprr", area.area_id, AFTER)
    assert "destination: unclear" in flag.text
    assert not after.flags_for("eprr", area.area_id, date(2026, 5, 31))


def test_merging_icbs_carries_functions_and_records_successors(register):
    text = """effective: 2027-04-01
operations:
  - merge:
      from: [QHM, QOQ]
      into: {ods: X1, ons: E54999999, name: NHS North East Integrated Care Board, region: Y63}
      sub_icbs: %s
""" % [
        a.ods_code
        for icb in ("QHM", "QOQ")
        for a in register.children(register.governed_area(icb, AFTER).area_id, AFTER)
    ]
    after = apply(register, text)
    day = date(2027, 4, 1)
    assert len(after.areas_on(day, "icb")) == 35
    assert after.organisation("QHM").successors == ("X1",)
    merged = after.governed_area("X1", day)
    [holding] = after.assignments_at("primary-medical-care-commissioning", merged.area_id, day)
    assert holding.holder_id == "X1" and holding.basis == "delegation"
    assert after.organisation("icp:QHM").valid_to == day


def test_merge_leaving_a_sub_icb_without_an_icb_is_refused(register):
    text = """effective: 2027-04-01
operations:
  - merge:
      from: [QHM, QOQ]
      into: {ods: X1, ons: E54999999, name: NHS North East ICB, region: Y63}
      sub_icbs: [00L]
"""
    with pytest.raises(InputError, match="left without a parent area on 2027-04-01"):
        apply(register, text)


def test_two_undeclared_holders_are_refused(register):
    area = register.governed_area("QYG", AFTER)
    clash = Assignment("x", "gp-it", area.area_id, "Y62", "local-arrangement", AFTER)
    with pytest.raises(InvariantError, match="two holders at once"):
        register.with_changes(Changeset(added=[clash]))


def test_an_assignment_outside_its_holders_lifetime_is_refused(register):
    area = register.governed_area("QYG", date(2025, 1, 1))
    late = Assignment("y", "gp-it", area.area_id, "QNQ", "local-arrangement", date(2026, 5, 1))
    with pytest.raises(InvariantError, match="outside the lifetime"):
        register.with_changes(Changeset(added=[late]))


def test_assign_needs_a_declared_joint_holding_to_share(register):
    text = (
        "effective: 2026-06-01\noperations:\n  - assign: {function: safeguarding, areas: [QYG],"
        " holder: local-authority, basis: joint-committee}\n"
    )
    with pytest.raises(InputError, match="two holders at once"):
        apply(register, text)


def test_cost_target_is_recorded(register):
    after = apply(
        register,
        "operations:\n  - cost-target: {measure: running-cost-per-head, "
        "value: 18.76, unit: GBP, applies_to: icb, by: 2025-12-31}\n",
    )
    [target] = after.targets
    assert (target.value, target.deadline) == (18.76, date(2025, 12, 31))


def test_the_input_register_is_never_changed(register):
    before = len(register.assignments)
    apply(
        register,
        "effective: 2026-06-01\noperations:\n  - transfer: "
        "{function: gp-it, from: icb, to: nhs-region}\n",
    )
    assert len(register.assignments) == before
