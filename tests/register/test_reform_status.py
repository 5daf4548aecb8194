"""Reforms with their legal status, stacks of reforms, and the reforms announced since the
Blueprint: the Health Bill, the Model Region Blueprint and the 10 Year Health Plan.

Facts are from ICS-REFERENCE.md §1.2, §1.5, §1.6 and §11, each citing its source; the reform
files cite the same sources operation by operation."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas import yamlio
from icsatlas.errors import InputError
from icsatlas.register import build, operations, queries, reforms, stack
from icsatlas.register.impact import impact
from icsatlas.register.reforms import Status

BILL = "health-bill-2026"
MRB = "model-region-blueprint-2025"
PLAN = "ten-year-plan-2025"
LEEDS_ICB = "E54000054"  # NHS West Yorkshire ICB (QWO), Leeds's ICB (cancer_waiting_times_icb csv)


def applied(register, *names):
    for name in stack.in_date_order(names):
        register = operations.apply(register, reforms.load(name, set(register.functions)))
    return register


def holder_type(register, function, area_id, on):
    [held] = register.assignments_at(function, area_id, on)
    return register.organisations[held.holder_id].org_type, held


# -- status ----------------------------------------------------------------------------------


def test_every_shipped_reform_states_its_status_and_the_build_holds_only_law():
    """The register as built is the law as it stands: every reform in the build is in force,
    every other shipped reform is a bill or a policy (announced, not law)."""
    for name in reforms.shipped():
        status = reforms.load(name).status
        assert status.source and status.as_of, name
        assert status.in_force == (name in build.HISTORY), name
    assert stack.announced() == (
        "blueprint-2025",  # published 2 May 2025 (§1)
        PLAN,  # 3 July 2025 (§1.6)
        MRB,  # 8 September 2025 (§1.5)
        BILL,  # introduced 14 May 2026 (§1.5)
    )


def test_the_health_bill_reads_as_a_bill_in_committee_and_not_law():
    """'Status: in committee stage, June 2026' (ICS-REFERENCE.md §1.5, citing the seventh
    sitting of the public bill committee, 25 June 2026)."""
    bill = reforms.load(BILL)
    assert bill.status.stage == "bill"
    assert bill.status.as_of == date(2026, 6, 25)
    assert bill.under == "under the Health Bill (committee stage, June 2026; not law)"


def test_a_reform_without_a_status_is_a_proposal_and_a_bad_stage_names_its_line(tmp_path):
    text = (
        "name: wave\ntitle: A wave\nsource: https://example.org\neffective: 2027-04-01\n"
        "operations:\n  - review: {function: eprr}\n"
    )
    assert reforms.parse(yamlio.load("wave.yaml", text)).status == Status()
    assert Status().text == "proposal; not law"
    bad = text + "status: {stage: enacted, as_of: 2026-06-01, source: https://example.org}\n"
    with pytest.raises(InputError) as caught:
        reforms.parse(yamlio.load("wave.yaml", bad))
    assert "wave.yaml:7: status.stage" in str(caught.value)


# -- the Health Bill ---------------------------------------------------------------------------


def test_the_bill_abolishes_nhs_england_and_sends_each_function_where_the_sources_say(register):
    """NHS England abolished, functions to the Secretary of State and ICBs; the provider
    licence to the Secretary of State (Burges Salmon); performance assessment of ICBs to the
    Secretary of State (Browne Jacobson); dentistry, pharmacy, ophthalmology and primary care
    the ICBs' own functions (Burges Salmon) - ICS-REFERENCE.md §1.5."""
    after = applied(register, BILL)
    nhse = after.organisations["nhs-england"]
    assert nhse.valid_to == date(2027, 4, 1) and nhse.successors == ("dhsc",)
    on = date(2028, 1, 1)
    assert holder_type(after, "provider-licensing", LEEDS_ICB, on)[0] == "dhsc"
    assert holder_type(after, "icb-oversight", LEEDS_ICB, on)[0] == "dhsc"
    for function in (
        "pharmacy-optometry-dental-commissioning",
        "primary-medical-care-commissioning",
    ):
        kind, held = holder_type(after, function, LEEDS_ICB, on)
        assert (kind, held.basis, held.reform) == ("icb", "statute", BILL)
        before_kind, before = holder_type(register, function, LEEDS_ICB, on)
        assert (before_kind, before.basis) == ("icb", "delegation")


def test_healthwatch_and_hssib_record_where_their_functions_go_or_the_gap():
    """Healthwatch England's strategic functions to a DHSC Patient Experience Directorate;
    local Healthwatch's health functions to ICBs and social care functions to councils
    (written answer HL14379); HSSIB merged into the CQC (Nuffield Trust)."""
    bodies = {b.body: b for b in reforms.load(BILL).bodies}
    healthwatch = bodies["Healthwatch England"]
    assert healthwatch.change == "abolished"
    assert "Patient Experience Directorate" in healthwatch.functions[0][1]
    assert "HL14379" in healthwatch.functions[0][2]
    local = bodies["Local Healthwatch (one per council area)"]
    assert [to for _, to, _ in local.functions][:2] == [
        "integrated care boards (to be built into providers' patient engagement)",
        "local authorities",
    ]
    assert local.gaps  # what the written answer does not place is a gap, not a guess
    hssib = bodies["Health Services Safety Investigations Body (HSSIB)"]
    assert (hssib.change, hssib.into) == ("merged", "Care Quality Commission")


def test_impact_of_the_bill_names_the_functions_behind_every_count(register):
    result = impact(register, reforms.load(BILL, set(register.functions)))
    lines = result.headline()
    assert lines[0] == "legal status: Health Bill: committee stage, June 2026; not law"
    moved = next(line for line in lines if line.startswith("holder type changes"))
    assert moved.startswith("holder type changes in 36 areas for 5 functions: ")
    assert "NHS provider licence" in moved and "Vaccination and screening" in moved
    basis = next(line for line in lines if line.startswith("held on a new basis"))
    assert "2 functions: " in basis and "(icb: delegation -> statute)" in basis
    assert any(line.startswith("bodies abolished: 1 body: NHS England") for line in lines)


# -- the Model Region Blueprint and stacks ------------------------------------------------------


def test_a_stack_applies_in_date_order_whatever_order_it_is_given_in():
    assert stack.in_date_order((BILL, MRB, "blueprint-2025")) == ("blueprint-2025", MRB, BILL)


def test_the_section_7a_conflict_is_reported_with_both_destinations_and_sources():
    """The Blueprint delegates vaccination and screening to ICBs in April 2026 (localgov);
    the Model Region Blueprint pauses Section 7A delegation until at least 2027 (NHS Confed):
    ICS-REFERENCE.md §1.2 and §11."""
    chosen = stack.loaded(stack.in_date_order(("blueprint-2025", MRB)))
    [conflict] = stack.conflicts(chosen)
    assert conflict.function == "vaccination-and-screening"
    assert (conflict.moved.reform.name, conflict.moved.destination) == ("blueprint-2025", "icb")
    assert conflict.moved.effective == date(2026, 4, 1)
    assert "localgov.co.uk" in conflict.moved.source
    assert (conflict.kept.reform.name, conflict.kept.destination) == (MRB, "nhs-region")
    assert conflict.kept.until == date(2027, 4, 1)
    assert "nhsconfed.org" in conflict.kept.source
    assert stack.conflicts(stack.loaded((MRB,))) == []


def test_both_blueprints_stay_applied_the_move_stands_and_the_pause_is_a_caveat(register):
    after = applied(register, MRB, "blueprint-2025")
    on = date(2026, 6, 1)
    assert holder_type(after, "vaccination-and-screening", LEEDS_ICB, on)[0] == "icb"
    statuses = {
        g.status
        for g in queries.gaps(after, on, after.areas[LEEDS_ICB])
        if g.function.function_id == "vaccination-and-screening"
    }
    assert "kept" in statuses


def test_regions_become_dhsc_regions_and_the_bill_overlapping_them_is_reported(register):
    """Seven regions become DHSC regions from April 2027 with the three core functions
    (Model Region Blueprint, ICS-REFERENCE.md §1.5); the Bill's move of the same functions to
    the Secretary of State does not overwrite that: it is recorded as an overlap."""
    after = applied(register, BILL, MRB)
    on = date(2027, 6, 1)
    regions = after.organisations_on(on, "dhsc-region")
    assert len(regions) == 7
    for function in ("regional-leadership", "icb-oversight", "improvement-and-intervention"):
        assert holder_type(after, function, LEEDS_ICB, on)[0] == "dhsc-region"
    overlaps = [f for f in after.flags if queries.flag_status(f) == "overlap"]
    assert {f.function_id for f in overlaps} == {
        "regional-leadership",
        "icb-oversight",
        "improvement-and-intervention",
    }
    assert all("the earlier move stands" in f.text for f in overlaps)


def test_a_move_from_a_body_that_does_not_hold_the_function_is_still_an_error(register):
    text = (
        "name: wrong\ntitle: Wrong\nsource: https://example.org\neffective: 2027-04-01\n"
        "operations:\n  - transfer: {function: provider-licensing, from: icb, to: dhsc}\n"
    )
    reform = reforms.parse(yamlio.load("wrong.yaml", text), set(register.functions))
    with pytest.raises(InputError, match="no icb holds provider-licensing"):
        operations.apply(register, reform)


# -- the 10 Year Health Plan -------------------------------------------------------------------


def test_the_plan_records_planned_holders_and_invents_no_body(register):
    """Neighbourhood providers (~50,000), multi-neighbourhood providers (~250,000) and IHOs
    (ICS-REFERENCE.md §1.6): the plan names no area, so no body is created - a gap."""
    after = applied(register, PLAN)
    assert set(after.organisations) == set(register.organisations)
    planned = [
        g
        for g in queries.gaps(after, date(2026, 6, 1), after.areas[LEEDS_ICB])
        if g.status == "planned, no body named"
    ]
    assert {g.function.function_id for g in planned} == {
        "neighbourhood-health-commissioning",
        "arrange-health-services",
    }
    assert any("about 250,000 people" in g.detail for g in planned)
    assert any("Integrated health organisation" in g.detail for g in planned)


@pytest.mark.parametrize("name", [BILL, MRB, PLAN])
def test_every_move_and_body_change_of_the_new_reforms_cites_a_web_source(name):
    reform = reforms.load(name)
    cited = [op.spec["source"] for op in reform.operations]
    cited += [reform.status.source, *(b.source for b in reform.bodies)]
    cited += [source for b in reform.bodies for _, _, source in b.functions]
    assert all(source.startswith("https://") for source in cited), cited
