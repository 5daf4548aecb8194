"""`icsatlas population ...`: the wiring, output formats and exit codes (the logic is tested
in tests/population)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from icsatlas.cli import app


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A workspace holding a 2% population of two ICBs, generated once through the CLI."""
    home = tmp_path_factory.mktemp("cli-population")
    result = CliRunner().invoke(
        app,
        [
            "population",
            "generate",
            "--fraction",
            "0.02",
            "--area",
            "QYG",
            "--area",
            "QOC",
            "--jobs",
            "1",
        ],
        env={"ICSATLAS_HOME": str(home), "ICSATLAS_DATABASE_URL": ""},
    )
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def run(home, monkeypatch):
    monkeypatch.setenv("ICSATLAS_HOME", str(home))
    monkeypatch.delenv("ICSATLAS_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, ["population", *args])
        return result.exit_code, result.stdout if result.exit_code == 0 else result.output

    return invoke


def test_generate_reports_people_per_icb(run):
    code, output = run("list", "--format", "json")
    assert code == 0
    (stored,) = json.loads(output)["data"]
    # the name says what it covers (issue 9 §2: a partial population says so in its name)
    assert stored["name"] == "qyg-and-more-2pct" and stored["fraction"] == 0.02
    assert stored["coverage"] == "a 2% sample of 2 ICBs (QOC, QYG)"


def test_generate_reports_published_people(home, monkeypatch, tmp_path):
    monkeypatch.setenv("ICSATLAS_HOME", str(home))
    args = ["population", "generate", "--name", "tiny", "--fraction", "0.001", "--area", "QOC"]
    base = tmp_path / "params.yaml"
    base.write_text("population.disclosure.rounding_base: 10\n")
    result = CliRunner().invoke(
        app, [*args, "--jobs", "1", "--parameters", str(base), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    (icb,) = shown["data"]
    assert icb["ods_code"] == "QOC" and icb["people"] % 10 == 0
    assert "a 0.1% sample of 1 ICB (QOC)" in shown["title"]
    assert "+overrides@" in shown["provenance"]["parameters"]
    CliRunner().invoke(app, ["population", "remove", "tiny"])


def test_generating_a_population_that_exists_fails_before_any_work(run):
    """Issue 9, section 5 (regression): it failed only after 6-9 s of work."""
    from icsatlas.population import model, sources

    sources.registered_counts.cache_clear()
    model.build_model.cache_clear()
    code, output = run("generate", "--fraction", "0.02", "--area", "QYG", "--area", "QOC")
    assert code == 2 and "already exists" in output
    assert sources.registered_counts.cache_info().currsize == 0  # no source was even read
    assert model.build_model.cache_info().currsize == 0


def test_profile_by_name_is_disclosure_controlled_json(run):
    code, output = run("profile", "--area", "Cheshire and Merseyside", "--format", "json")
    assert code == 0
    result = json.loads(output)
    people = next(r for r in result["data"] if r["measure"] == "registered people")
    assert people["area"] % 5 == 0  # rounded to 5
    assert result["provenance"]["engine"] == "duckdb"
    assert "qof_prevalence_practice_2024_25" in result["provenance"]["data"]


@pytest.mark.parametrize("area", ["QYG", "E54000008"])
def test_profile_accepts_codes(run, area):
    code, output = run("profile", "--area", area)
    assert code == 0 and "Cheshire and Merseyside (ICB QYG)" in output and "Need index" in output


def test_sub_icb_locations_are_shown_with_their_place(run):
    code, output = run("need", "--level", "place", "--on", "2026-08-01", "--format", "json")
    assert code == 0, output
    places = {r["ods_code"]: r["place_name"] for r in json.loads(output)["data"]}
    # the councils whose LSOAs make up each sub-ICB location (ONS LSOA11 lookups as shipped,
    # lsoa11_sicbl_icb_region and imd2019_lsoa11): M2L0M's 301 LSOAs are in Shropshire (193)
    # and Telford and Wrekin (108), all 298 of 99A's in Liverpool
    assert places["M2L0M"] == "Shropshire and Telford and Wrekin"
    assert places["99A"] == "Liverpool"


def test_the_help_lists_every_breakdown(run):
    from icsatlas.population.pipeline import DIMENSIONS

    code, output = run("aggregate", "--help")
    assert code == 0
    assert all(dimension in output for dimension in DIMENSIONS)


def test_aggregate_as_csv(run):
    code, output = run("aggregate", "--level", "icb", "--by", "segment", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert {r["segment"] for r in rows} >= {"healthy", "end_of_life"}
    assert all(r["people"] == "" or int(r["people"]) % 5 == 0 for r in rows)


def test_need_and_inequalities_run(run):
    assert run("need", "--level", "sub-icb")[0] == 0
    code, output = run("inequalities", "--area", "QOC", "--plus5", "--format", "json")
    assert code == 0
    areas = [r["clinical_area"] for r in json.loads(output)["data"]]
    assert "Hypertension case-finding" in areas


def test_validate_passes_and_a_failure_exits_1(run, home):
    assert run("validate")[0] == 0
    part = next((home / "population" / "qyg-and-more-2pct").glob("icb_code=QOC/*.parquet"))
    table = pq.read_table(part)
    pq.write_table(table.slice(1), part)
    code, output = run("validate", "--format", "csv")
    assert code == 1 and "fail" in output
    pq.write_table(table, part)


def test_unknown_area_is_a_user_error(run):
    code, output = run("profile", "--area", "Atlantis")
    assert code == 2 and "nothing matches 'Atlantis'" in output


# NHS England's practice map, August 2026: N82082 St. James' Health Centre (L1 5DZ) is in
# Central Liverpool PCN, sub-ICB location 99A, Cheshire and Merseyside
@pytest.mark.parametrize(
    ("who", "text"),
    [("practice manager", "N82082"), ("councillor", "Cheshire East Council"), ("journalist", "L1")],
)
def test_profile_and_aggregate_read_an_area_as_where_does(run, who, text):
    """Issue 9, section 1: the same input gives the same area from every command."""
    invoked = CliRunner().invoke(app, ["where", text, "--on", "2026-08-01", "--format", "json"])
    where = json.loads(invoked.stdout)
    label = where["title"].split(": ", 1)[1].removesuffix(" (approximate)")
    for command in ("profile", "aggregate"):
        code, output = run(command, "--area", text, "--on", "2026-08-01", "--format", "json")
        assert code == 0, output
        shown = json.loads(output)
        assert any(n.startswith(f"{text!r} is {label}") for n in shown["notes"]), who
        assert set(where["notes"]) <= set(shown["notes"]), who


def test_a_what_if_merger_reaches_need_aggregate_and_profile(run, tmp_path):
    """Issue 9, section 1: --reform (a user's 2027 merger) changes population outputs."""
    merger = tmp_path / "merge.yaml"
    merger.write_text(
        "name: north-west-2027\ntitle: A merger a user is testing\n"
        "source: user scenario\neffective: 2027-04-01\ncertainty: uncertain\noperations:\n"
        "  - merge:\n"
        "      from: [QYG, QE1]\n"
        "      into: {ods: QZZ, ons: E54999999, name: NHS North West Coast ICB, region: Y62}\n"
        "      sub_icbs: [01F, 01J, 01T, 01V, 01X, 02E, 12F, 27D, 99A,\n"
        "                 00Q, 00R, 00X, 01A, 01E, 01K, 02G, 02M]\n"
    )
    on = ["--on", "2027-06-01", "--format", "json"]
    for command in ("need", "aggregate"):
        code, output = run(command, "--level", "icb", *on)
        assert {r["ods_code"] for r in json.loads(output)["data"]} == {"QYG", "QOC"}
        code, output = run(command, "--level", "icb", *on, "--reform", str(merger))
        assert code == 0, output
        assert {r["ods_code"] for r in json.loads(output)["data"]} == {"QZZ", "QOC"}
    code, output = run("profile", "--area", "North West Coast", *on, "--reform", str(merger))
    assert code == 0 and json.loads(output)["title"].startswith("North West Coast (ICB QZZ)")


def test_import_rejects_a_bad_file_with_file_row_field(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,practice_code,age,sex\n1,A81001,200,F\n")
    code, output = run("import", str(bad), "--name", "bad", "--extract-date", "2026-08-01")
    assert code == 2
    assert f"{bad}:1: " in output  # missing columns, on the header line
    assert run("list", "--format", "json")[1].count('"name"') == 1


def test_schema_and_segments_explain_themselves(run):
    assert "unplanned_admissions_12m" in run("schema")[1]
    code, output = run("segments", "--format", "json")
    assert json.loads(output)["data"][0]["segment"] == "end_of_life"
    code, output = run("segments", "--hierarchy", "healthy,maternal")
    assert code == 2 and "exactly once" in output


@pytest.fixture
def coarser(tmp_path) -> Path:
    """Parameter overrides: counts rounded to 10, the maternal segment first."""
    file = tmp_path / "params.yaml"
    file.write_text(
        "population.disclosure.rounding_base: 10\n"
        "population.segmentation.hierarchy: [maternal, end_of_life, frailty_dementia, "
        "organ_failure, disability, long_term_conditions, healthy]\n"
    )
    return file


COMPUTING = {  # command -> arguments, and the count column of its JSON data
    "profile": (["--area", "QOC"], "area_numerator"),
    "aggregate": (["--level", "icb"], "people"),
    "need": (["--level", "sub-icb"], "people"),
    "need-compare": (["--compare-with-nhse", "2025/26"], "people"),
    "inequalities": (["--area", "QOC"], "core20_count"),
    "inequalities-plus5": (["--area", "QOC", "--plus5"], "core20_people"),
    "validate": (["--all"], None),
    "list": ([], "people"),
}


@pytest.mark.parametrize("command", COMPUTING)
def test_every_computing_command_takes_a_parameters_file(run, coarser, command):
    """Issue 9, section 3: --parameters FILE on every population command that computes;
    the overrides change the result and its provenance names them."""
    args, column = COMPUTING[command]
    name = command.split("-")[0]
    code, output = run(name, *args, "--parameters", str(coarser), "--format", "json")
    assert code == 0, output
    shown = json.loads(output)
    assert "+overrides@" in shown["provenance"]["parameters"]
    counts = [r[column] for r in shown["data"] if column and r[column] is not None]
    assert all(c % 10 == 0 for c in counts) and (counts or column is None)


def test_segments_and_model_take_a_parameters_file(run, coarser):
    code, output = run("segments", "--parameters", str(coarser), "--format", "json")
    assert code == 0 and json.loads(output)["data"][0]["segment"] == "maternal"
    code, output = run("model", "--parameters", str(coarser), "--format", "json")
    assert code == 0 and json.loads(output)["data"]


def test_import_takes_a_parameters_file(run, home, coarser, tmp_path):
    part = next((home / "population" / "qyg-and-more-2pct").glob("icb_code=QOC/*.parquet"))
    extract = tmp_path / "extract.csv"
    pq.read_table(part).to_pandas().drop(columns=["sub_icb_code"]).head(60).to_csv(
        extract, index=False
    )
    args = ["--name", "mine", "--extract-date", "2026-08-01", "--parameters", str(coarser)]
    code, output = run("import", str(extract), *args, "--format", "json")
    assert code == 0, output
    (icb,) = json.loads(output)["data"]
    assert icb["people"] == 60 and "+overrides@" in json.loads(output)["provenance"]["parameters"]
    run("remove", "mine")
