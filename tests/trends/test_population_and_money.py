"""Population over time, allocations per head and BCF intermediate care: expected figures are
worked here from the shipped CSVs (csv module), not taken from the code's output."""

from __future__ import annotations

from collections import defaultdict

import pytest
from typer.testing import CliRunner

from icsatlas.cli import app
from icsatlas.errors import InputError
from tests.trends.conftest import rows

MYE = "ons_mye_population_la_1991_2024"
COUNCILS = {
    "unitary authority",
    "non-metropolitan district",
    "metropolitan district",
    "London borough",
}


def _mye() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["area_code"], r["year"]): r for r in rows(MYE)}


def test_a_council_over_time_is_the_ons_series(ws):
    mye = _mye()
    got = ws.trends.population("Leeds").frame.set_index("year")
    assert got.population["1991"] == int(mye[("E08000035", "1991")]["population"])
    assert got.population["2024"] == int(mye[("E08000035", "2024")]["population"])
    change = int(mye[("E08000035", "2024")]["population"]) - int(
        mye[("E08000035", "2023")]["population"]
    )
    assert got.change["2024"] == change
    assert len(got) == 34


def test_councils_created_since_2019_take_their_districts_shares():
    # shipped shares: North Yorkshire (2023 unitary) from its seven former districts,
    # weighted by their mid-2015 populations in lad19_to_icb_2023_population_shares
    districts = {
        "E07000163",
        "E07000164",
        "E07000165",
        "E07000166",
        "E07000167",
        "E07000168",
        "E07000169",
    }
    by_icb: dict[str, float] = defaultdict(float)
    for r in rows("lad19_to_icb_2023_population_shares"):
        if r["LAD19CD"] in districts:
            by_icb[r["ICB23CDH"]] += float(r["pop_mid2015"])
    total = sum(by_icb.values())
    shipped = {
        r["icb_ods"]: float(r["share_of_la_population"])
        for r in rows("la23_to_icb_population_shares")
        if r["la_code"] == "E06000065" and r["geography"] == "icb23"
    }
    assert shipped == pytest.approx({k: v / total for k, v in by_icb.items()}, abs=1e-6)


def test_an_icb_is_its_councils_estimates_times_their_shares(ws):
    # West Yorkshire (QWO, 36-ICB geography), mid-2024: sum over council x ICB pairs
    shares = [r for r in rows("la23_to_icb_population_shares") if r["geography"] == "icb26"]
    mye = _mye()
    expected = sum(
        int(mye[(r["la_code"], "2024")]["population"]) * float(r["share_of_la_population"])
        for r in shares
        if r["icb_ods"] == "QWO"
    )
    got = ws.trends.population("QWO", icb=True)
    assert got.frame.set_index("year").population["2024"] == round(expected)
    assert any("share in the ICB" in n for n in got.notes)


def test_all_icbs_add_up_to_england_every_year():
    from icsatlas.trends import population

    england = {r["year"]: int(r["population"]) for r in rows(MYE) if r["area_type"] == "country"}
    for geography in ("icb23", "icb26"):
        sums = population.icb_populations(geography).groupby("year").population.sum()
        for year in (1991, 2011, 2024):
            assert sums[year] == pytest.approx(england[str(year)], abs=50)  # rounding per ICB


def test_allocation_per_registered_patient_is_the_workbooks(ws):
    money = {
        (r["financial_year"], r["icb_ods"]): r
        for r in rows("icb_allocations_gbp_2023_24_to_2025_26")
    }
    lists = {
        (r["allocation_year"], r["icb_ods"]): float(r["population"])
        for r in rows("icb_allocation_need_indices_2023_24_to_2025_26")
    }
    got = ws.trends.allocations_per_head("QWO").frame.set_index("financial_year")
    row = money[("2024/25", "QWO")]
    expected = float(row["core_recurrent_allocation_gbp_k"]) * 1000 / lists[("2024/25", "QWO")]
    assert got.per_registered_gbp["2024/25"] == pytest.approx(expected)
    # and it reproduces the workbook's own per-head column
    assert got.per_registered_gbp["2024/25"] == pytest.approx(
        float(row["core_recurrent_gbp_per_head"]), abs=0.001
    )


def test_england_allocation_per_resident_uses_the_ons_estimate(ws):
    money = rows("icb_allocations_gbp_2023_24_to_2025_26")
    total = sum(
        float(r["core_recurrent_allocation_gbp_k"]) * 1000
        for r in money
        if r["financial_year"] == "2023/24"
    )
    england = next(
        int(r["population"])
        for r in rows(MYE)
        if r["area_type"] == "country" and r["year"] == "2023"
    )
    got = ws.trends.allocations_per_head().frame.set_index("financial_year")
    assert got.per_resident_gbp["2023/24"] == pytest.approx(total / england, rel=1e-6)
    assert got.resident_year["2025/26"] == "2024"  # the latest estimate stands in


def test_bcf_intermediate_care_per_head_and_per_65_plus(ws):
    spend = {r["hwb_code"]: r for r in rows("bcf_planned_spend_intermediate_care_hwb_2022_23")}
    mye = _mye()
    leeds = spend["E08000035"]
    total = float(leeds["bed_based_intermediate_care_gbp"]) + float(
        leeds["reablement_in_own_home_gbp"]
    )
    people = int(mye[("E08000035", "2022")]["population"])
    older = people * float(mye[("E08000035", "2022")]["pct_aged_65_plus"]) / 100
    got = ws.trends.bcf_intermediate_care("Leeds").frame.iloc[0]
    assert got.total_per_head_gbp == pytest.approx(total / people)
    assert got.total_per_65_plus_gbp == pytest.approx(total / round(older))


def test_bcf_boards_since_merged_use_their_successors_and_blanks_stay_blank(ws):
    mye = _mye()
    cumbria = sum(int(mye[(c, "2022")]["population"]) for c in ("E06000063", "E06000064"))
    frame = ws.trends.bcf_intermediate_care().frame.set_index("hwb_code")
    assert frame.population["E10000006"] == cumbria
    somerset = frame.loc["E10000027"]  # no reablement line in the file
    assert somerset.schemes_reported == "bed-based only"
    assert somerset.total_gbp == float(
        next(
            r
            for r in rows("bcf_planned_spend_intermediate_care_hwb_2022_23")
            if r["hwb_code"] == "E10000027"
        )["bed_based_intermediate_care_gbp"]
    )
    # PROVENANCE.md: the 151 boards sum to £624.16m bed-based and £579.66m reablement
    assert round(frame.bed_based_intermediate_care_gbp.sum() / 1e6, 2) == 624.16
    assert round(frame.reablement_in_own_home_gbp.sum() / 1e6, 2) == 579.66


def test_an_ambiguous_or_unknown_area_is_a_clear_error(ws):
    from icsatlas.errors import NotFoundError

    with pytest.raises(InputError, match="several areas"):
        ws.trends.population("shire")
    with pytest.raises(NotFoundError):
        ws.trends.population("Atlantis")


def test_commands_print_csv(tmp_path, monkeypatch):
    monkeypatch.setenv("ICSATLAS_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    for args, header in (
        (["trends", "population", "Leeds"], "area_code,area_name,area_type,year,population"),
        (["trends", "allocations"], "financial_year,resident_year,allocation_gbp"),
        (["trends", "bcf", "Leeds"], "financial_year,hwb_code,hwb_name"),
    ):
        out = runner.invoke(app, [*args, "-f", "csv"])
        assert out.exit_code == 0, out.output
        assert out.stdout.startswith(header)


def test_bcf_per_head_by_council_over_time_uses_each_years_estimate(tmp_path):
    import icsatlas

    path = tmp_path / "bcf.csv"
    # amounts made up for the test; the denominators are the shipped ONS estimates
    path.write_text(
        "area_code,financial_year,funding_stream,amount_gbp\n"
        "E10000016,2018/19,nhs_minimum,100000000\n"
        "E10000016,2023/24,nhs_minimum,120000000\n"
    )
    mye = _mye()
    with icsatlas.open(home=tmp_path / "home") as ws:
        ws.finance.bcf_import(path, "test figures", "scenario")
        result = ws.trends.bcf_per_head()
    frame = result.frame.set_index("financial_year")
    kent_2018 = int(mye[("E10000016", "2018")]["population"])
    kent_2023 = int(mye[("E10000016", "2023")]["population"])
    assert frame.pooled_per_head["2018/19"] == pytest.approx(100_000_000 / kent_2018)
    assert frame.pooled_per_head["2023/24"] == pytest.approx(120_000_000 / kent_2023)
    assert frame.change_per_head["2023/24"] == pytest.approx(
        120_000_000 / kent_2023 - 100_000_000 / kent_2018
    )
    assert "ons_mye_population_la_1991_2024" in result.provenance.data


def test_allocations_on_the_2026_icbs_follow_the_crosswalk(ws):
    money = {
        (r["financial_year"], r["icb_ods"]): float(r["core_recurrent_allocation_gbp_k"]) * 1000
        for r in rows("icb_allocations_gbp_2023_24_to_2025_26")
    }
    links = [r for r in rows("icb_crosswalk_2023_to_2026") if r["icb26_ods"] == "S1Y5D"]
    expected = sum(
        money[("2024/25", r["icb23_ods"])] * float(r["share_of_legacy_icb_population"])
        for r in links
    )
    got = ws.trends.allocations_per_head("S1Y5D", geography="icb26").frame.set_index(
        "financial_year"
    )
    assert got.allocation_gbp["2024/25"] == pytest.approx(expected)
    assert not got.exact["2024/25"]  # Hertfordshire and West Essex was split
    whole = ws.trends.allocations_per_head("QE1", geography="icb26").frame.set_index(
        "financial_year"
    )
    assert whole.exact["2024/25"] and whole.allocation_gbp["2024/25"] == money[("2024/25", "QE1")]
