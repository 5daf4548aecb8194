"""The register commands: wiring, output formats, exit codes and error messages."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.conftest import data_of


def test_areas_lists_42_icbs_in_2022_and_36_in_2026(cli):
    """42 ICBs from 1 July 2022 (sicbl_icb_region_2023.csv), 36 from 1 April 2026 with
    Frimley (E54000034, QNQ) abolished (icb_36_aug2026.csv; ICS-REFERENCE.md §1.4)."""
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
    assert len(document["data"]) == 7  # NHS England's 7 regions (sicbl_icb_region_2023.csv)
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


def test_board_show_without_members_says_none_is_recorded(cli):
    """Issue 9 §5: `board show QT6` with no board recorded reported a breach of statute."""
    code, output = cli("board", "show", "QT6", "--on", "2025-01-01", "--format", "json")
    assert code == 0
    notes = json.loads(output)["notes"]
    assert any("no board members are recorded" in n for n in notes)
    assert not any("NOT met" in n or "missing" in n for n in notes)


def test_diff_for_an_area_with_a_reform_shows_its_function_moves(cli):
    """Issue 9 §5: `diff --area X --reform blueprint-2025` dropped the function moves."""
    args = ("diff", "--from", "2026-03-31", "--to", "2026-06-01", "--reform", "blueprint-2025")
    _, everywhere = cli(*args, "--format", "json")
    code, output = cli(*args, "--area", "QYG", "--format", "json")
    assert code == 0

    def moved(text):
        return {r["subject"] for r in data_of(text) if r["change"] == "function-moved"}

    # blueprint-2025.yaml: 10 transfers out of ICBs and 1 delegation into them
    assert moved(output) == moved(everywhere) and len(moved(output)) == 11


def test_reform_list_counts_uncertain_operations_as_impact_does(cli):
    """Issue 9 §5: `reform list` said 2 uncertain where `impact` said 11 (blueprint-2025.yaml:
    10 transfers with an assumed date, 1 delegation of uncertain certainty)."""
    code, output = cli("reform", "list", "--format", "json")
    assert code == 0
    document = json.loads(output)
    blueprint = next(r for r in document["data"] if r["name"] == "blueprint-2025")
    assert blueprint["uncertain_operations"] == 11
    assert "date_certainty" in document["notes"][0]
    _, output = cli("impact", "blueprint-2025", "--format", "json")
    notes = json.loads(output)["notes"]
    assert any(n.startswith("uncertain moves") and ": 11 functions: " in n for n in notes)


def test_areas_show_each_geographys_own_populations(cli):
    """Issue 9 §6: the 2023-geography HIoW row was blank and the 2026 one showed the 2023
    figure (1,981,006 instead of 2,177,354; icb_crosswalk_2023_to_2026.csv).

    Worked from the shipped tables: QRL's 2025/26 practice populations (NHS England
    allocation files) sum to 1,981,005.99; 2,177,354 adds Frimley's 850,514.2 x 194,823.0 /
    843,909.6 (worked in tests/register/test_build.py); Sussex (QNX) is its 2023 sub-ICB
    locations 09D, 70F and 97R, whose August 2026 registered patients (NHS England,
    sicbl_aug2026.csv) sum to 1,832,054."""
    _, output = cli("areas", "--on", "2023-04-01", "--format", "json")
    rows = {r["ods_code"]: r for r in data_of(output)}
    assert rows["QRL"]["allocation_population_2025_26"] == 1_981_006.0
    assert rows["QNX"]["registered_patients_2026_08"] == 1_832_054
    assert any("Frimley" in n and "cannot be summed" in n for n in json.loads(output)["notes"])
    _, output = cli("areas", "--on", "2026-04-01", "--format", "json")
    hiow = next(r for r in data_of(output) if r["ods_code"] == "QRL")
    assert round(hiow["allocation_population_2025_26"]) == 2_177_354


def test_dates_as_people_type_them_or_a_clear_error(cli):
    """Issue 9 §5: non-ISO dates printed tracebacks. Day-first dates are read as in the UK;
    impossible dates and words get a message naming the option (exit code 2)."""
    code, day_first = cli("areas", "--on", "01/06/2026", "--format", "json")
    _, iso = cli("areas", "--on", "2026-06-01", "--format", "json")
    assert code == 0 and day_first == iso
    code, output = cli("who", "GP IT", "--area", "Leeds", "--on", "2026-13-01")
    assert code == 2 and "--on" in output and "Traceback" not in output
    code, output = cli("areas", "--on", "yesterday")
    assert code == 2 and "not a date: 'yesterday'" in output
    code, output = cli("diff", "--from", "2026-02-30", "--to", "2026-04-01")
    assert code == 2 and "--from" in output and "February 2026 has 28 days" in output


def test_rebuild_replaces_the_register_and_keeps_the_history(cli):
    _, log = cli("log", "--format", "json", "--limit", "100")
    last_before = data_of(log)[-1]["change"]
    code, output = cli("build", "--rebuild", "--format", "json")
    assert code == 0, output
    assert len(data_of(output)) == 36  # the ICBs of 1 April 2026 (icb_36_aug2026.csv)
    _, log = cli("log", "--format", "json", "--limit", "100")
    rebuilt = [r for r in data_of(log) if r["change"] > last_before]
    assert "(rebuild)" in rebuilt[0]["reason"]
    code, output = cli("areas", "--as-of-change", str(last_before), "--format", "json")
    assert code == 0 and len(data_of(output)) >= 36


def test_parameters_lists_values_and_shows_an_override(cli, tmp_path):
    code, output = cli("parameters", "finance.redundancy.earnings_cap", "--format", "json")
    shipped = data_of(output)[0]
    # NHS Terms and Conditions of Service Handbook, Section 16: the £80,000 cap
    assert code == 0 and shipped["value"] == 80000 and shipped["overridden_by"] is None
    mine = tmp_path / "mine.yaml"
    mine.write_text("finance.redundancy.earnings_cap: 90000\n")
    code, output = cli(
        "parameters", "finance.redundancy", "--parameters", str(mine), "--format", "json"
    )
    document = json.loads(output)
    row = next(r for r in document["data"] if r["name"].endswith("earnings_cap"))
    assert row["value"] == 90000 and row["overridden_by"] == str(mine)
    assert "+overrides@" in document["provenance"]["parameters"]


def test_several_input_problems_are_listed_one_a_line(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("finance.redundancy.earnings_cap: lots\nfinance.redundancy.nope: 1\n")
    code, output = cli("parameters", "--parameters", str(bad))
    assert code == 2
    assert "error: 2 problems:" in output
    assert "bad.yaml:1: finance.redundancy.earnings_cap" in output
    assert "bad.yaml:2: finance.redundancy.nope" in output


def test_sources_names_publisher_date_and_licence(cli):
    code, output = cli("sources", "imd2019_lsoa11", "--format", "json")
    (row,) = data_of(output)
    assert code == 0 and row["licence"] == "OGL v3"
    assert row["publisher"] == "Ministry of Housing, Communities and Local Government"
    code, output = cli("sources", "nothing")
    assert code == 2 and "no shipped data source 'nothing'" in output


def test_board_composition_lists_every_icb_and_says_where_none_is_recorded(cli):
    code, output = cli("board", "composition", "--on", "2026-06-01", "--format", "json")
    assert code == 0
    result = json.loads(output)
    assert len(result["data"]) == 36
    assert any(row["status"] == "none recorded" for row in result["data"])
    code, output = cli("board", "composition", "QWE", "--on", "2026-06-01", "--format", "csv")
    assert code == 0 and output.startswith("role,sector,count")


def test_log_verify_passes_then_names_a_deleted_change(cli):
    """Issue 12, defect 3: deleting an audit entry was undetected, and `--as-of-change` on it
    still succeeded."""
    code, output = cli("log", "verify")
    assert code == 0, output
    assert "Audit log intact" in output
    import duckdb

    from icsatlas import config

    _, log = cli("log", "--format", "json", "--limit", "100")
    changes = [r["change"] for r in data_of(log)]
    victim = changes[len(changes) // 2]
    with duckdb.connect(config.database_url().removeprefix("duckdb:///")) as db:
        db.execute("DELETE FROM change_log WHERE change_id = ?", [victim])
    code, output = cli("log", "verify")
    assert code == 1
    assert f"does not follow change {changes[changes.index(victim) - 1]}" in output
    code, output = cli("areas", "--as-of-change", str(victim))
    assert code == 2 and f"there is no change {victim} in the audit log" in output
