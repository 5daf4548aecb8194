"""Better Care Fund imports on both store engines: atomic, audited, latest import wins."""

from __future__ import annotations

import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import bcf
from icsatlas.store import audit

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
    frame = bcf.contributions(store).frame.set_index(["area_code", "financial_year"])
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
    frame = bcf.contributions(store, "2025/26").frame.set_index("area_code")
    assert frame.loc["E08000025", "pooled_gbp"] == 72_000_000
    assert frame.loc["E08000025", "kind"] == "scenario"
    assert frame.loc["E08000025", "population_source"].startswith("mid-2015")
    assert store.scalar("SELECT COUNT(*) FROM finance_bcf_contribution") == 5


def test_county_split(store, good):
    bcf.import_contributions(store, good, "plan", "data")
    split = bcf.county_split(store, "2025/26").frame.set_index("council_type")
    assert split.loc["county", "pooled_per_head"] == pytest.approx(165_850_000 / 1_610_000)
    assert split.loc["other", "areas"] == 1


def test_nothing_imported_is_a_clear_error(store):
    with pytest.raises(InputError, match="no BCF contributions imported yet"):
        bcf.contributions(store)


def test_import_needs_a_description_and_a_known_kind(store, good):
    with pytest.raises(InputError, match="say where the figures come from"):
        bcf.import_contributions(store, good, " ")
    with pytest.raises(InputError, match="kind must be data or scenario"):
        bcf.import_contributions(store, good, "x", kind="guess")


def test_national_minimums_are_the_published_2025_26_figures():
    frame = bcf.national_minimums("2025/26").frame.set_index("funding_stream")
    # NHS England BCF grants and funding: £5,614m + £2,640m + £711m = £8,965m
    assert frame.loc["total", "amount_gbp"] == 8_965_000_000


def test_the_seed_figures_are_a_labelled_scenario():
    result = bcf.per_head_scenario()
    frame = result.frame.set_index("council_type")
    assert frame.loc["county", "scenario_per_head"] == 13.43
    assert frame.loc["other", "scenario_per_head"] == 15.56
    assert result.notes[0].startswith("SCENARIO, NOT DATA")
    with pytest.raises(InputError, match="county: must be 0 or more"):
        bcf.per_head_scenario(county=-1)


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
