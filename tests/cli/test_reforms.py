"""Reforms with their legal status on the command line: who with a body, status columns and
notes, stacks and their conflicts, --reforms law|announced (issue 13, "Done means")."""

from __future__ import annotations

import json

from tests.cli.conftest import data_of

UNDER_BILL = "under the Health Bill (committee stage, June 2026; not law)"


def test_who_nhs_england_after_the_bill_says_it_is_abolished_and_where_each_function_goes(cli):
    """The Bill abolishes NHS England: the provider licence and its other functions to the
    Secretary of State, dentistry, pharmacy, ophthalmology and primary care to ICBs
    (ICS-REFERENCE.md §1.5: Burges Salmon, Browne Jacobson)."""
    code, output = cli(
        "who", "NHS England", "--on", "2028-01-01", "--reform", "health-bill-2026", "-f", "json"
    )
    assert code == 0, output
    document = json.loads(output)
    assert document["title"] == f"NHS England on 2028-01-01: abolished 2027-04-01 {UNDER_BILL}"
    rows = {r["function"]: r for r in document["data"]}
    licence = rows["NHS provider licence"]
    assert (licence["holder"], licence["status"]) == (
        "Department of Health and Social Care",
        UNDER_BILL,
    )
    dentistry = rows["Commissioning pharmacy, optometry and dental services (POD)"]
    assert (dentistry["holder_type"], dentistry["basis"]) == ("icb", "statute")
    assert any(n.startswith("successor: Department of Health") for n in document["notes"])


def test_who_commissions_dentistry_in_leeds_now_and_under_the_bill(cli):
    """Today West Yorkshire ICB, delegated by NHS England since 2023/24 (allocations
    workbooks, delegations-2023-2025); under the Bill the ICB's own function, not law."""
    code, output = cli("who", "dentistry", "--area", "Leeds", "--on", "2026-06-01", "-f", "json")
    assert code == 0, output
    [now] = data_of(output)
    assert now["holder"] == "NHS West Yorkshire Integrated Care Board"
    assert (now["basis"], now["status"]) == ("delegation", "in force")
    code, output = cli(
        "who",
        "dentistry",
        "-a",
        "Leeds",
        "--on",
        "2027-06-01",
        "-r",
        "health-bill-2026",
        "-f",
        "json",
    )
    [later] = data_of(output)
    assert later["holder"] == "NHS West Yorkshire Integrated Care Board"
    assert (later["basis"], later["status"]) == ("statute", UNDER_BILL)
    assert f"reform health-bill-2026: {UNDER_BILL}" in json.loads(output)["notes"]


def test_the_section_7a_conflict_shows_in_diff_and_gaps_for_a_stack_of_the_two_blueprints(cli):
    """ICS-REFERENCE.md §11: the Blueprint's April 2026 vaccination and screening delegation
    conflicts with the Model Region Blueprint's pause to at least 2027."""
    stack = ("-r", "model-region-blueprint-2025", "-r", "blueprint-2025")
    code, output = cli("diff", "--from", "2026-01-01", "--to", "2026-06-01", *stack, "-f", "json")
    assert code == 0, output
    [conflict] = [r for r in data_of(output) if r["change"] == "conflict"]
    assert conflict["subject"] == "Vaccination and screening commissioning"
    assert "Integrated care board from 2026-04-01" in conflict["detail"]
    assert "NHS England region until at least 2027-04-01" in conflict["detail"]
    code, output = cli("gaps", "--on", "2026-06-01", "--area", "Leeds", *stack, "-f", "json")
    rows = [r for r in data_of(output) if r["status"] == "conflict"]
    assert [r["function"] for r in rows] == ["Vaccination and screening commissioning"]
    assert "localgov.co.uk" in rows[0]["detail"] and "nhsconfed.org" in rows[0]["detail"]


def test_reform_check_validates_a_stack_and_lists_its_conflict(cli):
    code, output = cli("reform", "check", "blueprint-2025", "model-region-blueprint-2025")
    assert code == 0, output
    assert "model-region-blueprint-2025: 13 operations, applies cleanly" in output
    assert "Conflict between reforms on Vaccination and screening commissioning" in output


def test_the_register_as_the_law_stands_or_with_everything_announced(cli):
    code, output = cli("who", "provider licence", "-a", "Leeds", "--on", "2028-01-01", "-f", "json")
    assert code == 0, output
    assert data_of(output)[0]["holder"] == "NHS England"
    code, output = cli(
        "who",
        "provider licence",
        "-a",
        "Leeds",
        "--on",
        "2028-01-01",
        "--reforms",
        "law",
        "-r",
        "health-bill-2026",
    )
    assert code != 0 and "are not law: health-bill-2026" in output
    code, output = cli(
        "who",
        "provider licence",
        "-a",
        "Leeds",
        "--on",
        "2028-01-01",
        "--reforms",
        "announced",
        "-f",
        "json",
    )
    document = json.loads(output)
    assert data_of(output)[0]["holder"] == "Department of Health and Social Care"
    assert document["provenance"]["reform"] == (
        "blueprint-2025, ten-year-plan-2025, model-region-blueprint-2025, health-bill-2026"
    )


def test_reform_list_shows_each_reforms_status(cli):
    code, output = cli("reform", "list", "-f", "json")
    assert code == 0, output
    status = {r["name"]: (r["status"], r["status_detail"]) for r in data_of(output)}
    assert status["health-bill-2026"] == ("bill", "committee stage, June 2026; not law")
    assert status["mergers-2026-04"][0] == "in-force"
    assert status["ten-year-plan-2025"][0] == "policy"


def test_an_areas_view_with_everything_announced_reports_the_conflict(cli):
    code, output = cli(
        "area", "Leeds", "--on", "2026-06-01", "--reforms", "announced", "-f", "json"
    )
    assert code == 0, output
    notes = json.loads(output)["notes"]
    assert any(n.startswith("Conflict between reforms on Vaccination and screening") for n in notes)
    assert f"reform health-bill-2026: {UNDER_BILL}" in notes


def test_a_reform_from_a_file_without_a_status_reads_as_a_proposal(cli, tmp_path):
    path = tmp_path / "eprr.yaml"
    path.write_text(
        "name: eprr-to-regions\ntitle: EPRR to regions\nsource: https://example.org\n"
        "effective: 2027-04-01\noperations:\n"
        "  - transfer: {function: eprr, from: icb, to: nhs-region}\n"
    )
    code, output = cli(
        "who", "EPRR", "-a", "Leeds", "--on", "2027-06-01", "-r", str(path), "-f", "json"
    )
    assert code == 0, output
    [row] = data_of(output)
    assert row["status"] == "under the EPRR to regions (proposal; not law)"


def test_a_reform_name_too_long_for_a_file_name_is_an_unknown_reform(cli):
    """Defect 10 of the hardening issue: a 5,000-character name was an OSError traceback."""
    code, output = cli("impact", "x" * 5000)
    assert code == 2 and "no reform 'xxxx" in output and "…': give a shipped reform" in output
    assert len(output) < 1000
