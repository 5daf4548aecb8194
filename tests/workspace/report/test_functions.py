"""Who holds each function now, with the Blueprint and under a chosen reform; how
accountable each holder is."""

from __future__ import annotations

from pathlib import Path

from tests.workspace.report.conftest import ON

MERGER_2027 = Path(__file__).parents[2] / "fixtures" / "merge-2027.yaml"


def _row(result, function):
    return next(r for r in result.table.records() if r["function"] == function)


def test_now_is_the_overview_and_the_blueprint_column_is_its_what_if(ws):
    section = ws.report("QWO", ON).sections["functions"]
    overview = ws.register.overview("QWO", ON, "blueprint-2025")
    assert section.table.column("holder") == overview.table.column("holder")
    assert section.table.column("holder_with_blueprint") == overview.table.column("holder (after)")
    # blueprint-2025.yaml: medicines optimisation moves to neighbourhood providers
    row = _row(section, "Medicines optimisation")
    assert row["holder"] == "NHS West Yorkshire Integrated Care Board"
    assert row["holder_with_blueprint"] == "Neighbourhood health providers in West Yorkshire"


def test_a_chosen_reform_adds_its_column(ws):
    later = "2027-06-01"
    section = ws.report("Leeds", later, str(MERGER_2027)).sections["functions"]
    assert "holder_under_reform" in section.columns
    row = _row(section, "NHS Continuing Healthcare")
    assert row["holder"] == "NHS West Yorkshire Integrated Care Board"
    assert row["holder_under_reform"] == "NHS Yorkshire Test ICB"  # merge-2027.yaml
    assert section.provenance.reform == f"blueprint-2025, {MERGER_2027}"


def test_each_holders_accountability_is_its_types_profile(ws):
    section = ws.report("QWO", ON).sections["accountability"]
    profiles = {r["holder_type"]: r for r in ws.register.accountability().table.records()}
    assert section.table.records()
    for row in section.table.records():
        profile = profiles[row["holder_type"]]
        assert row["score"] == profile["score"]
        for criterion in ("meets_in_public", "publishes_papers", "subject_to_foi"):
            assert row[criterion] == profile[criterion]
        assert row["elected_members"] == profile["elected_members"]
    icb = next(r for r in section.table.records() if r["holder_type"] == "icb")
    assert icb["functions_now"] > icb["functions_with_blueprint"]  # functions move out
