"""Outsourcing 2013-2020: figures hand-computed from Goodair & Reeves' CSVs."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from icsatlas.cli import app
from icsatlas.errors import InputError
from tests.trends.conftest import rows

ANNUAL = "ccg_procurement_outsourcing_annual_2013_2020"


def _sums(records, year):
    chosen = [r for r in records if r["calendar_year"] == year]
    total = sum(int(r["total_spend_gbp"]) for r in chosen)
    profit = sum(int(r["for_profit_spend_gbp"]) for r in chosen)
    return len(chosen), total, profit


def test_england_by_year_is_the_sum_over_ccgs(ws):
    result = ws.trends.outsourcing()
    got = result.frame.set_index("year")
    for year in ("2013", "2017", "2019"):
        ccgs, total, profit = _sums(rows(ANNUAL), year)
        assert (got.ccgs[year], got.total_spend_gbp[year], got.for_profit_spend_gbp[year]) == (
            ccgs,
            total,
            profit,
        )
        assert got.for_profit_share[year] == pytest.approx(profit / total)
    # PROVENANCE.md: 3.9 % (2013) ... 6.5 % (2019), as the paper reports
    assert round(100 * got.for_profit_share["2013"], 1) == 3.9
    assert round(100 * got.for_profit_share["2019"], 1) == 6.5


def test_england_by_month_comes_from_the_monthly_file(ws):
    monthly = {r["month"]: r for r in rows("ccg_procurement_outsourcing_england_monthly_2013_2020")}
    got = ws.trends.outsourcing(period="month").frame.set_index("month")
    expected = monthly["2018-03"]
    assert got.for_profit_share["2018-03"] == pytest.approx(
        int(expected["for_profit_spend_gbp"]) / int(expected["total_spend_gbp"])
    )
    assert len(got) == len(monthly) == 83


def test_one_2026_icb_sums_its_exactly_mapped_ccgs(ws):
    # West Yorkshire (QWO): CCGs whose 2019 code is a sub-ICB location of QWO in Aug 2026
    sub_icbs = {
        r["ONS_SUB_ICB_LOCATION_CODE"] for r in rows("sicbl_aug2026") if r["ICB_CODE"] == "QWO"
    }
    mine = [r for r in rows(ANNUAL) if r["ccg19cd"] in sub_icbs]
    ccgs, total, profit = _sums(mine, "2016")
    got = ws.trends.outsourcing(by="icb26", area="QWO").frame.set_index("year")
    assert (got.ccgs["2016"], got.total_spend_gbp["2016"]) == (ccgs, total)
    assert got.for_profit_share["2016"] == pytest.approx(profit / total)


def test_unmapped_ccgs_are_counted_and_said(ws):
    sub_icbs = {r["SICBL23CD"] for r in rows("sicbl_icb_region_2023")}
    codes = {r["ccg19cd"] for r in rows(ANNUAL)}
    result = ws.trends.outsourcing(by="icb23")
    note = next(n for n in result.notes if "map exactly" in n)
    assert note.startswith(f"{len(codes & sub_icbs)} of {len(codes)} CCGs")
    assert any("no licence" in n for n in result.notes)
    assert any(n.startswith("Stale data") for n in result.notes)


def test_region_shares_are_recomputed_from_pounds(ws):
    mine = [r for r in rows(ANNUAL) if r["region_name"] == "London"]
    _, total, profit = _sums(mine, "2018")
    got = ws.trends.outsourcing(by="region", area="London").frame.set_index("year")
    assert got.for_profit_share["2018"] == pytest.approx(profit / total)


def test_provenance_names_the_release():
    import icsatlas.data.releases as releases

    cited = releases.cite(ANNUAL)
    assert "Goodair" in cited and "sha256" in cited and "944 rows" in cited


def test_months_only_for_england(ws):
    with pytest.raises(InputError, match="England only"):
        ws.trends.outsourcing(by="region", period="month")


def test_the_picture_to_today_says_when_no_contracts_are_imported(ws):
    result = ws.trends.outsourcing_since_2013()
    assert list(result.frame.period[:2]) == ["2013", "2014"]
    assert any("No contracts" in n for n in result.notes)


def test_command_writes_a_chart(tmp_path, monkeypatch):
    monkeypatch.setenv("ICSATLAS_HOME", str(tmp_path / "home"))
    chart = tmp_path / "england.svg"
    out = CliRunner().invoke(app, ["trends", "outsourcing", "--chart", str(chart), "-f", "csv"])
    assert out.exit_code == 0, out.output
    assert (
        out.stdout.splitlines()[0]
        == "year,ccgs,total_spend_gbp,for_profit_spend_gbp,for_profit_share"
    )
    assert "Goodair" in chart.read_text()


CONTRACTS = """contract_id,title,buyer_name,buyer_code,supplier_name,supplier_identifier,value,\
start_date,end_date,status
A,Community beds,NHS Frimley ICB,QNQ,Beds Ltd,GB-COH-00000001,730000,2024-10-01,2026-09-30,active
E,Carers support,NHS Frimley ICB,QNQ,Carers Trust,GB-CHC-1000001,365000,2024-04-01,2025-03-31,active
"""


def test_the_picture_to_today_adds_the_contracts_years(tmp_path):
    import icsatlas

    path = tmp_path / "contracts.csv"
    path.write_text(CONTRACTS)
    with icsatlas.open(home=tmp_path / "home") as ws:
        ws.contracts.import_file(path)
        result = ws.trends.outsourcing_since_2013()
    frame = result.frame.set_index("period")
    assert list(frame.index[:8]) == [str(y) for y in range(2013, 2021)]
    # 2024/25, pro rata by days (worked by hand): Beds Ltd (a company) £730,000 over 730 days,
    # 182 of them (1 Oct 2024 - 31 Mar 2025) in the year; the charity's £365,000 all in it
    beds = 730_000 * 182 / 730
    assert frame.outsourced_gbp["2024/25"] == pytest.approx(beds)
    assert frame.share["2024/25"] == pytest.approx(beds / (beds + 365_000))
    assert not any("No contracts" in n for n in result.notes)
