"""The register commands: wiring, output formats, exit codes and error messages."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.conftest import data_of


def test_areas_lists_42_icbs_in_2022_and_36_in_2026(cli):
    code, output = cli("areas", "--type", "icb", "--on", "2022-07-01", "--format", "json")
    assert code == 0
    icbs = data_of(output)
    assert len(icbs) == 42
    assert {"ons_code": "E54000034", "ods_code": "QNQ"}.items() <= next(
        r for r in icbs if "Frimley" in r["name"]
    ).items()
    code, output = cli("areas", "--type", "icb", "--on", "2026-04-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == 36
    assert not any("Frimley" in r["name"] for r in rows)


def test_json_output_carries_provenance(cli):
    _, output = cli("areas", "--type", "region", "--on", "2025-01-01", "--format", "json")
    document = json.loads(output)
    assert len(document["data"]) == 7
    assert "registered_patients_2026_08" in document["provenance"]["data"]


def test_gaps_after_the_blueprint_flag_functions_under_review(cli):
    code, output = cli(
        "gaps",
        "--on",
        "2026-06-01",
        "--reform",
        "blueprint-2025",
        "--area",
        "Frimley",
        "--format",
        "json",
    )
    # Frimley was abolished on 1 April 2026 (ICS-REFERENCE.md §1.4): its gaps are now those of
    # the three ICBs covering its former practices
    assert code == 0
    areas = {r["area"] for r in data_of(output)}
    assert areas == {
        "NHS Thames Valley Integrated Care Board",
        "NHS Surrey and Sussex Integrated Care Board",
        "NHS Hampshire and Isle of Wight Integrated Care Board",
    }
    assert "successors: NHS Thames Valley" in " ".join(json.loads(output)["notes"])
    code, output = cli(
        "gaps",
        "--on",
        "2026-06-01",
        "--reform",
        "blueprint-2025",
        "--area",
        "QRL",
        "--format",
        "json",
    )
    assert code == 0
    statuses = {(r["function"], r["status"]) for r in data_of(output)}
    assert ("Emergency preparedness, resilience and response (EPRR)", "under review") in statuses


def test_diff_shows_frimley_abolished_into_three_icbs(cli):
    code, output = cli("diff", "--from", "2026-03-31", "--to", "2026-04-01", "--format", "json")
    assert code == 0
    frimley = next(
        r for r in data_of(output) if r["subject"] == "NHS Frimley Integrated Care Board"
    )
    assert frimley["change"] == "abolished"
    for successor in ("Thames Valley", "Surrey and Sussex", "Hampshire and Isle of Wight"):
        assert successor in frimley["detail"]


def test_functions_are_found_by_synonym(cli):
    code, output = cli("functions", "GP IT", "--format", "json")
    assert data_of(output)[0]["id"] == "gp-it"
    code, output = cli("functions", "workforse planing")
    assert code == 2 and "did you mean" in output


def test_a_bad_reform_file_is_refused_with_its_line_and_nothing_changes(cli, tmp_path):
    bad = tmp_path / "wave-2027.yaml"
    bad.write_text(
        "name: wave-2027\ntitle: t\nsource: s\neffective: 2027-04-01\noperations:\n"
        "  - transfer: {function: eprr, from: icb, to: nhs-regon}\n"
    )
    code, output = cli("reform", "apply", str(bad), "--reason", "test")
    assert code == 2
    assert "wave-2027.yaml:6: operations[0].transfer.to: unknown holder type 'nhs-regon'" in output
    code, log = cli("log", "--format", "json")
    assert all("wave-2027" not in r["reason"] for r in data_of(log))


def test_applying_a_reform_is_recorded_and_reversible_in_time(cli, tmp_path):
    wave = tmp_path / "eprr.yaml"
    wave.write_text(
        "name: eprr-to-regions\ntitle: EPRR to regions\nsource: https://example.org\n"
        "effective: 2027-04-01\noperations:\n"
        "  - transfer: {function: eprr, from: icb, to: nhs-region}\n"
    )
    code, output = cli("reform", "apply", str(wave), "--reason", "what the 2027 wave may do")
    assert code == 0, output
    code, log = cli("log", "--format", "json")
    last = data_of(log)[-1]
    assert last["kind"] == "reform" and "what the 2027 wave may do" in last["reason"]
    code, output = cli("areas", "--on", "2027-04-01", "--as-of-change", str(last["change"] - 1))
    assert code == 0


def test_unknown_area_suggests_names(cli):
    code, output = cli("gaps", "--area", "Chesire and Mersyside", "--on", "2025-01-01")
    assert code == 2 and "Cheshire and Merseyside" in output
