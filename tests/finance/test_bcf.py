"""Better Care Fund imports on both store engines: atomic, audited, latest import wins.

The imported amounts are made up for the tests (E10000016 is Kent County Council, a county;
E08000025 Birmingham, a metropolitan district: ONS codes); expected per-head figures are
worked by hand from them."""

from __future__ import annotations

import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import bcf
from icsatlas.parameters import ParameterSet
from icsatlas.store import audit

PARAMS = ParameterSet.shipped()

GOOD = (
    "area_code,financial_year,funding_stream,amount_gbp,population\n"
    "E10000016,2024/25,nhs_minimum,150000000,1600000\n"
    "E10000016,2025/26,nhs_minimum,155850000,1610000\n"
    'E10000016,2025/26,additional_la,"10,000,000",1610000\n'
    "E08000025,2025/26,nhs_minimum,70000000,1150000\n"
)


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "bcf.csv"
    path.write_text(GOOD)
    return path


def test_import_then_per_head_and_year_on_year(store, good):
    import_id = bcf.import_contributions(
        store, good, "BCF plans 2024/25 and 2025/26", "data", actor="tester"
    )
    frame = bcf.contributions(store, PARAMS).frame.set_index(["ons_code", "financial_year"])
    kent = frame.loc[("E10000016", "2025/26")]
    assert kent.pooled_gbp == 165_850_000
    assert kent.pooled_per_head == pytest.approx(165_850_000 / 1_610_000)
    assert kent.change_per_head == pytest.approx(165_850_000 / 1_610_000 - 150_000_000 / 1_600_000)
    assert kent.council_type == "county" and kent.kind == "data"
    changes = audit.changes(store)
    assert changes[-1].kind == "finance.bcf.import"
    assert changes[-1].detail == {"import_id": import_id, "rows": 4, "kind": "data"}


def test_a_bad_file_leaves_the_store_exactly_as_it_was(store, good, tmp_path):
    bcf.import_contributions(store, good, "first", "data")
    before = store.fetchall("SELECT COUNT(*) FROM finance_bcf_contribution")
    entries = len(audit.changes(store))
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "E99999999,2025/26,nhs_minimum,-3,\n")
    with pytest.raises(InputErrors) as caught:
        bcf.import_contributions(store, bad, "second", "data")
    assert "bad.csv:6: area_code: not an upper-tier local authority code" in str(caught.value)
    assert "bad.csv:6: amount_gbp: must be 0 or more, got -3" in str(caught.value)
    assert store.fetchall("SELECT COUNT(*) FROM finance_bcf_contribution") == before
    assert len(audit.changes(store)) == entries


def test_a_later_import_supersedes_but_keeps_history(store, good, tmp_path):
    bcf.import_contributions(store, good, "plan", "data")
    update = tmp_path / "update.csv"
    update.write_text(
        "area_code,financial_year,funding_stream,amount_gbp\nE08000025,2025/26,nhs_minimum,72000000\n"
    )
    bcf.import_contributions(store, update, "revised plan", "scenario")
    frame = bcf.contributions(store, PARAMS, "2025/26").frame.set_index("ons_code")
    assert frame.loc["E08000025", "pooled_gbp"] == 72_000_000
    assert frame.loc["E08000025", "kind"] == "scenario"
    assert frame.loc["E08000025", "population_source"] == "ONS mid-year estimate mid-2024"
    assert store.scalar("SELECT COUNT(*) FROM finance_bcf_contribution") == 5


def test_county_split(store, good):
    bcf.import_contributions(store, good, "plan", "data")
    split = bcf.county_split(store, PARAMS, "2025/26").frame.set_index("council_type")
    assert split.loc["county", "pooled_per_head"] == pytest.approx(165_850_000 / 1_610_000)
    assert split.loc["other", "areas"] == 1


def test_nothing_imported_is_a_clear_error(store):
    with pytest.raises(InputError, match="no BCF contributions imported yet"):
        bcf.contributions(store, PARAMS)


def test_import_needs_a_description_and_a_known_kind(store, good):
    with pytest.raises(InputError, match="say where the figures come from"):
        bcf.import_contributions(store, good, " ")
    with pytest.raises(InputError, match="kind must be data or scenario"):
        bcf.import_contributions(store, good, "x", kind="guess")


def test_national_minimums_are_the_published_2025_26_figures():
    frame = bcf.national_minimums(PARAMS, "2025/26").frame.set_index("funding_stream")
    # NHS England BCF grants and funding: £5,614m + £2,640m + £711m = £8,965m
    assert frame.loc["total", "amount_gbp"] == 8_965_000_000


def test_without_a_population_per_head_is_over_the_ons_estimate_of_the_year(store, tmp_path):
    path = tmp_path / "leeds.csv"
    path.write_text(
        "area_code,financial_year,funding_stream,amount_gbp\n"
        "E08000035,2019/20,nhs_minimum,60000000\n"
        "E08000035,2025/26,nhs_minimum,70000000\n"
    )
    bcf.import_contributions(store, path, "made-up figures for the test", "scenario")
    frame = bcf.contributions(store, PARAMS).frame.set_index("financial_year")
    # Leeds (E08000035) in the shipped ONS file, read here with the csv module
    leeds = {r["year"]: int(r["population"]) for r in _mye() if r["area_code"] == "E08000035"}
    assert frame.loc["2019/20", "population"] == leeds["2019"]
    assert frame.loc["2019/20", "population_source"] == "ONS mid-year estimate mid-2019"
    assert frame.loc["2025/26", "population"] == leeds["2024"]  # the latest estimate
    assert frame.loc["2025/26", "pooled_per_head"] == pytest.approx(70_000_000 / leeds["2024"])


def _mye():
    import csv
    from pathlib import Path

    import icsatlas.data

    path = Path(icsatlas.data.__file__).parent / "reference" / "ons_mye_population_la_1991_2024.csv"
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_county_scenario_takes_every_figure_from_the_user():
    """No per-resident figure for county councils is shipped (none was found in a public
    source): the scenario is the user's two figures at the counties' ONS populations."""
    result = bcf.county_pooling_scenario(PARAMS, "2019/20", "2024/25", 14.0, 13.0)
    frame = result.frame.set_index("financial_year")
    counties = {
        r["area_code"] for r in _mye() if r["area_type"] == "county" and r["year"] == "2024"
    }
    people = sum(
        int(r["population"]) for r in _mye() if r["area_code"] in counties and r["year"] == "2024"
    )
    assert frame.loc["2024/25", "population"] == people
    assert frame.loc["2024/25", "implied_pooled_gbp"] == pytest.approx(13.0 * people)
    change = frame.loc["change 2019/20 to 2024/25"]
    assert change.per_head_gbp == pytest.approx(-1.0)
    assert result.notes[0].startswith("SCENARIO, NOT DATA")
    with pytest.raises(InputError, match="no sourced per-resident figure"):
        bcf.county_pooling_scenario(PARAMS)
    with pytest.raises(InputError, match="to_per_head: must be 0 or more"):
        bcf.county_pooling_scenario(PARAMS, "2019/20", "2024/25", 1.0, -1)


def test_an_overridden_england_population_changes_per_head_figures_and_the_fingerprint():
    """Issue 9, section 3: parameters are passed in, and an override shows in the result."""
    shipped = bcf.national_minimums(PARAMS)
    mine = PARAMS.override({"finance.bcf.england_population": 60_000_000})
    overridden = bcf.national_minimums(mine)
    total = lambda r: r.frame.set_index("funding_stream").loc["total", "per_head_gbp"]  # noqa: E731
    # shipped: ONS mid-2023 estimate for England, 57.7 m (finance/bcf/england_population.yaml)
    assert total(overridden) == pytest.approx(total(shipped) * 57_700_000 / 60_000_000)
    assert overridden.provenance.parameters == mine.fingerprint != shipped.provenance.parameters
    assert any(
        "finance.bcf.england_population overridden" in n for n in overridden.provenance.notes
    )


def test_a_file_with_several_bad_rows_reports_them_all_and_stores_nothing(store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "area_code,financial_year,funding_stream,amount_gbp,population\n"
        'e10000016,2025-26,NHS Minimum,"£155,850,000",1610000\n'
        "E10000016,2025/26,nhs_minimum,1,\n"
        "E10000016,2025,nhs_minimun,NaN,0\n"
    )
    with pytest.raises(InputErrors) as caught:
        bcf.import_contributions(store, bad, "plans", "data")
    assert [str(e) for e in caught.value.errors] == [
        f"{bad}:3: funding_stream: area, year and stream appear twice (first at row 2)",
        f"{bad}:4: financial_year: not a financial year: '2025' (write it like 2025/26)",
        f"{bad}:4: funding_stream: unknown stream 'nhs_minimun' (did you mean 'nhs_minimum'?); "
        f"use {', '.join(bcf.STREAMS)}",
        f"{bad}:4: amount_gbp: not an amount of money: 'NaN' (a finite number is needed)",
        f"{bad}:4: population: must be more than 0, got 0",
    ]
    assert store.scalar("SELECT COUNT(*) FROM finance_bcf_contribution") == 0
    assert store.scalar("SELECT COUNT(*) FROM finance_bcf_import") == 0
    assert audit.changes(store) == []


def test_codes_streams_and_amounts_are_read_as_spreadsheets_write_them(tmp_path):
    path = tmp_path / "bcf.csv"
    path.write_text(
        "Area Code,Financial Year,Funding Stream,Amount GBP\n"
        'e10000016,2025-26,NHS Minimum,"£155,850,000"\n'
    )
    row = bcf.read_contributions(path).iloc[0]
    assert (row.area_code, row.financial_year, row.funding_stream) == (
        "E10000016",
        "2025/26",
        "nhs_minimum",
    )
    assert row.amount_gbp == 155_850_000
    assert row.area_name == "Kent"
