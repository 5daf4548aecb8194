"""CSV contract registers, the supplier classification file, KPI series and the
outsourcing picture, on both engines.

Contracts, values and dates are those of the registers written below and of the constructed
fixture nhs_release_package.json (fixtures/README.md); SPC results are worked by hand with
NHSRplotthedots' rules (ICS-REFERENCE.md §8: limits at mean ± 2.66 x mean moving range,
moving ranges over 3.267 x the mean screened out)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from icsatlas.contracts import kpi, outsourcing, parties, register_csv
from icsatlas.contracts.ocds import load
from icsatlas.errors import InputErrors
from icsatlas.parameters import ParameterSet
from icsatlas.store import audit

SHIPPED = ParameterSet.shipped()

FIXTURES = Path(__file__).parent / "fixtures"

REGISTER = """contract_id,title,buyer_name,buyer_code,supplier_name,supplier_identifier,\
service_category,value,start_date,end_date,procurement_route,previous_supplier,as_of,description
C-1,Pathology,NHS Frimley ICB,QNQ,Frimley Pathology Services Ltd,GB-COH-11111111,Pathology,\
"3,000,000",2024-04-01,2027-03-31,direct award c,Frimley Health NHS Foundation Trust,2024-03-01,
C-1,Pathology,NHS Frimley ICB,QNQ,Frimley Pathology Services Ltd,GB-COH-11111111,Pathology,\
3400000,2024-04-01,2028-03-31,direct award c,Frimley Health NHS Foundation Trust,2025-02-01,\
Extended a year
C-2,Talking therapies,NHS Frimley ICB,QNQ,Example Minds,GB-CHC-2222222,Mental health,900000,\
2025-06-01,2027-05-31,competitive,,,
"""

CLASSIFICATION = """identifier,party_class,owner_org_id,evidence,name
GB-COH-11111111,trust-subsidiary,RDU,Trust annual report 2023/24 note 14 (wholly owned),\
Frimley Pathology Services Ltd
"""


@pytest.fixture
def register_file(tmp_path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER)
    return path


def test_a_csv_register_keeps_each_version_as_an_amendment(store, register_file):
    assert register_csv.import_register(store, register_file) == 2
    pathology = store.fetch_dicts("SELECT * FROM contract WHERE contract_key = 'csv:C-1'")[0]
    assert pathology["value_amount"] == 3_400_000
    assert pathology["buyer_org_id"] == "QNQ" and pathology["icb_ods_code"] == "QNQ"
    assert pathology["procurement_route"] == "direct-award-c"
    amendments = store.fetch_dicts(
        "SELECT description, value_amount FROM contract_amendment"
        " WHERE contract_key = 'csv:C-1' ORDER BY amendment_id"
    )
    assert [a["value_amount"] for a in amendments] == [3_000_000, 3_400_000]
    assert amendments[1]["description"] == "Extended a year"


def test_a_company_is_a_trust_subsidiary_only_when_the_classification_file_says_so(
    store, register_file, tmp_path
):
    register_csv.import_register(store, register_file)
    before = store.scalar("SELECT supplier_class FROM contract WHERE contract_key = 'csv:C-1'")
    assert before == "independent-sector"
    listing = tmp_path / "classes.csv"
    listing.write_text(CLASSIFICATION)
    parties.import_classification(store, listing)
    parties.reclassify(store)
    row = store.fetch_dicts("SELECT * FROM contract WHERE contract_key = 'csv:C-1'")[0]
    assert row["supplier_class"] == "trust-subsidiary"
    assert row["supplier_org_id"] == "RDU"
    assert row["supplier_class_basis"].startswith("classification file: Trust annual report")


def test_a_bad_register_row_is_reported_with_its_row_and_field(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "contract_id,title,buyer_name,value,start_date,end_date,procurement_route\n"
        "X,Cleaning,ICB,lots,2025-01-01,2024-01-01,handshake\n"
    )
    with pytest.raises(InputErrors) as caught:
        register_csv.import_register(store, path)
    text = str(caught.value)
    assert "bad.csv:2: value: not an amount of money: 'lots'" in text
    assert "bad.csv:2: end_date: ends (2024-01-01) before it starts (2025-01-01)" in text
    assert "bad.csv:2: procurement_route: not a procurement route" in text
    assert store.scalar("SELECT count(*) FROM contract") == 0


def test_blank_buyer_code_or_supplier_identifier_in_some_rows_imports(store, tmp_path):
    """Issue 9, section 5: `contracts import` crashed with "'float' object has no attribute
    'upper'" when buyer_code or supplier_identifier was blank in some rows."""
    path = tmp_path / "register.csv"
    path.write_text(
        "contract_id,title,buyer_name,buyer_code,supplier_name,supplier_identifier,value\n"
        "C-1,Pathology,NHS Frimley ICB,QNQ,Frimley Pathology Services Ltd,GB-COH-11111111,1\n"
        "C-2,Cleaning,NHS Frimley ICB,,Clean Ltd,,2\n"
        "C-3,Audiology,Someone,qnq,Hear Ltd,,3\n"
    )
    assert register_csv.import_register(store, path) == 3
    rows = store.fetch_dicts(
        "SELECT contract_id, buyer_org_id, supplier_identifier, supplier_class FROM contract"
        " ORDER BY contract_id"
    )
    # C-2 by the buyer's name; C-3 by its code, whatever its case
    assert [r["buyer_org_id"] for r in rows] == ["QNQ", "QNQ", "QNQ"]
    assert rows[0]["supplier_identifier"] == "GB-COH-11111111"
    assert store.scalar("SELECT count(*) FROM contract WHERE supplier_identifier IS NULL") == 2
    assert rows[1]["supplier_class"] == "unclassified"


def test_a_register_with_several_bad_rows_reports_them_all_and_stores_nothing(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "contract_id,title,buyer_name,value,start_date,end_date\n"
        'C-1,Pathology,NHS Frimley ICB,"£1,000",01/04/2024,31/03/2027\n'
        "C-2,,NHS Frimley ICB,1e400,2024-13-01,\n"
        "C-3,Cleaning,NHS Frimley ICB,1,5,yesterday,\n"
    )
    with pytest.raises(InputErrors) as caught:
        register_csv.import_register(store, path)
    forms = "use YYYY-MM-DD, or DD/MM/YYYY, day first"
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:3: title: required",
        f"{path}:3: value: not an amount of money: '1e400' (too large)",
        f"{path}:3: start_date: not a date: '2024-13-01' (there is no month 13; {forms})",
        f"{path}:4: start_date: not a date: '5' ({forms})",
        f"{path}:4: end_date: not a date: 'yesterday' ({forms})",
    ]
    assert store.scalar("SELECT count(*) FROM contract") == 0
    assert audit.changes(store) == []


def test_the_outsourcing_picture_by_year_and_class(store, register_file, tmp_path):
    load.import_file(store, FIXTURES / "nhs_release_package.json")
    register_csv.import_register(store, register_file)
    listing = tmp_path / "classes.csv"
    listing.write_text(CLASSIFICATION)
    parties.import_classification(store, listing)
    parties.reclassify(store)
    years = outsourcing.by_year(outsourcing.contracts(store))
    shares = outsourcing.supplier_shares(years).set_index(["financial_year", "supplier_class"])
    # 2024/25 (1 Apr 2024 - 31 Mar 2025), pro rata by days, worked by hand:
    # MSK (RDU) £5.1m over 1 Jun 2024 - 31 May 2028 (1,461 days), 304 days in the year;
    # pathology subsidiary £3.4m over 1 Apr 2024 - 31 Mar 2028 (1,461 days), 365 days;
    # CDC company £2m over 1 Aug 2024 - 31 Jul 2026 (730 days), 243 days.
    msk, pathology, cdc = 5_100_000 * 304 / 1461, 3_400_000 * 365 / 1461, 2_000_000 * 243 / 730
    assert shares.loc[("2024/25", "nhs-body"), "value"] == pytest.approx(msk)
    assert shares.loc[("2024/25", "trust-subsidiary"), "value"] == pytest.approx(pathology)
    assert shares.loc[("2024/25", "independent-sector"), "value"] == pytest.approx(cdc)
    share = msk / (msk + pathology + cdc)
    assert shares.loc[("2024/25", "nhs-body"), "share_of_value"] == pytest.approx(share)
    routes = outsourcing.award_routes(years).set_index(["financial_year", "route"])
    assert routes.loc[("2024/25", "direct award"), "contracts"] == 2  # MSK and pathology
    assert routes.loc[("2024/25", "competition"), "contracts"] == 1
    # 2027/28: MSK, pathology and the five-year estates contract are still running
    assert routes.loc[("2027/28", "direct award"), "contracts"] == 3
    moved = outsourcing.subsidiaries(outsourcing.contracts(store))
    assert moved.contract_key.tolist() == ["csv:C-1"]
    assert moved.previous_supplier.iloc[0] == "Frimley Health NHS Foundation Trust"


WORKED = """contract_id,title,buyer_name,buyer_code,supplier_name,supplier_identifier,value,\
start_date,end_date,date_signed,status
A,Community beds,NHS Frimley ICB,QNQ,Beds Ltd,GB-COH-00000001,730000,2024-10-01,2026-09-30,,active
B,Scanning,NHS Frimley ICB,QNQ,Scans Ltd,GB-COH-00000002,1000000,2025-04-01,2026-03-31,,cancelled
C,Carers support,NHS Frimley ICB,QNQ,Carers Trust,GB-CHC-1000001,365000,2022-04-01,2023-03-31,\
2022-03-01,terminated
D,Interpreting,NHS Frimley ICB,QNQ,Words Ltd,GB-COH-00000004,50000,,,,active
"""


def test_values_are_spread_over_the_contract_period_and_cancelled_ones_left_out(store, tmp_path):
    """Issue 9, section 5: outsourcing counted cancelled and expired contracts and put a
    whole-life value in the year of signature."""
    path = tmp_path / "worked.csv"
    path.write_text(WORKED)
    register_csv.import_register(store, path)
    result = outsourcing.picture(store, "shares", params=SHIPPED)
    got = {
        (r.financial_year, r.supplier_class): (r.contracts, round(r.value, 6))
        for r in result.frame.itertuples()
    }
    # Worked by hand, pro rata by days with both ends counted:
    # A: £730,000 over 1 Oct 2024 - 30 Sep 2026 = 730 days, so £1,000 a day:
    #    2024/25 1 Oct - 31 Mar = 182 days; 2025/26 = 365 days; 2026/27 1 Apr - 30 Sep = 183.
    # B: cancelled, left out of every year.
    # C: £365,000 over 1 Apr 2022 - 31 Mar 2023, all in 2022/23 (signed in 2021/22, and
    #    ended: it counts in the one year it ran).
    # D: no dates, so not spread: its £50,000 under "no period".
    assert got == {
        ("2022/23", "voluntary-sector"): (1, 365_000),
        ("2024/25", "independent-sector"): (1, 182_000),
        ("2025/26", "independent-sector"): (1, 365_000),
        ("2026/27", "independent-sector"): (1, 183_000),
        ("no period", "independent-sector"): (1, 50_000),
    }
    notes = " | ".join(result.notes)
    assert "spread over each contract's period pro rata by days" in notes
    assert "1 contract left out as cancelled (status cancelled or unsuccessful; £1,000,000)" in (
        notes
    )
    assert "1 contract without a start or an end date" in notes


def test_contracts_whose_kpis_are_in_special_cause_concern(store, register_file):
    register_csv.import_register(store, register_file)
    months = [date(2023, m, 1) for m in range(1, 13)] + [date(2024, m, 1) for m in (1, 2)]
    import pandas as pd

    points = pd.DataFrame({"code": "tat", "date": months,
                           "value": [0.95, 0.96] * 6 + [0.95, 0.80]})  # fmt: skip
    meta = kpi.SeriesMeta("tat", "Turnaround within 24h", "proportion", "increase", 0.9,
                          contract_key="csv:C-1")  # fmt: skip
    kpi.save(store, [meta], points, "test")
    concerns = outsourcing.kpi_concerns(store, outsourcing.contracts(store), params=SHIPPED)
    # worked by hand: mean 13.21 / 14 = 0.944; the moving range 0.15 is screened out, leaving
    # mean MR 0.01, so LPL = 0.944 - 0.027 = 0.917 and 0.80 is below it (higher is better)
    assert concerns.contract_key.tolist() == ["csv:C-1"]
    assert concerns.variation.iloc[0] == "concern_low"


def test_kpi_csv_import_and_spc_from_the_store(store, tmp_path):
    path = tmp_path / "kpi.csv"
    rows = "\n".join(f"2024-{m:02d}-01,{v}" for m, v in zip(range(1, 13), [5, 6] * 6, strict=True))
    path.write_text("date,value\n" + rows + "\n")
    meta = kpi.SeriesMeta("waits", "Waits", "days", "decrease", 2.0)
    kpi.import_csv(store, path, meta)
    result, provenance = kpi.spc(store, "waits", params=SHIPPED)
    # worked by hand: mean 5.5, mean MR 1, LPL 5.5 - 2.66 = 2.84; the target 2 is below it
    # and lower is better: consistently failing. 12 points, under 13: trial limits
    assert result.summary.assurance[0] == "consistent_fail"
    assert result.summary.trial_limits[0]
    assert provenance.engine == store.dialect
    assert provenance.parameters == SHIPPED.fingerprint


def test_a_shipped_standard_is_read_from_the_parameters_when_spc_runs(store):
    """Issue 9, section 3: the A&E standard lives in one place, the parameter, and an
    override applies to series already stored."""
    kpi.load_shipped(store, "rtt-18w")
    result, _ = kpi.spc(store, "rtt-18w/*", params=SHIPPED)
    assert result.summary.target[0] == 0.92  # NHS Constitution: 92% within 18 weeks
    # worked from the shipped NHS England series (224 months): mean 79.6%, mean moving range
    # 0.82 points, so the limits lie within 79.6 ± 2.2 points: 92% above them (fail), 20%
    # below them (pass), higher being better
    assert result.summary.assurance[0] == "consistent_fail"
    lower = SHIPPED.override({"contracts.kpi.rtt_18_week_standard": 0.2})
    result, provenance = kpi.spc(store, "rtt-18w/*", params=lower)
    assert result.summary.target[0] == 0.2
    assert result.summary.assurance[0] == "consistent_pass"
    assert provenance.parameters == lower.fingerprint != SHIPPED.fingerprint
    assert "target from parameter contracts.kpi.rtt_18_week_standard" in result.notes[-1]
    assert "overridden from overrides" in result.notes[-1]


def test_a_bad_kpi_csv_names_the_cell(store, tmp_path):
    path = tmp_path / "kpi.csv"
    path.write_text("date,value\n2024-01-01,5\n2024-02-30,6\n2024-03-01,\n")
    with pytest.raises(InputErrors) as caught:
        kpi.import_csv(store, path, kpi.SeriesMeta("k", "K"))
    text = str(caught.value)
    assert "kpi.csv:3: date: not a date or month: '2024-02-30' (February 2024 has 29 days)" in text
    assert "kpi.csv:4: value: required" in text


def test_a_kpi_csv_may_give_months_and_percentages_as_excel_writes_them(store, tmp_path):
    """Issue 9 section 3: "Jan-24" and "86.1%" were rejected. A month stands for its first
    day, as in the shipped series; a percentage is a proportion (86.1% is 0.861)."""
    path = tmp_path / "kpi.csv"
    path.write_text("date,value\nJan-24,86.1%\nFeb-24,0.9\n01/03/2024,88%\n")
    frame = kpi.read_csv(path)
    assert frame.date.tolist() == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    assert frame.value.tolist() == pytest.approx([0.861, 0.9, 0.88])


def test_a_kpi_csv_with_several_bad_rows_reports_them_all_and_stores_nothing(store, tmp_path):
    path = tmp_path / "kpi.csv"
    path.write_text(
        "series,date,value\na,Jan-24,5\na,2024-01-01,6\nb,Janu-24,NaN\nb,Feb-24,1e400\n"
    )
    with pytest.raises(InputErrors) as caught:
        kpi.import_csv(store, path, kpi.SeriesMeta("k", "K"))
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:3: date: a second value for 2024-01-01 (first at row 2)",
        f"{path}:4: date: not a date or month: 'Janu-24' (use YYYY-MM-DD, or DD/MM/YYYY, day "
        "first)",
        f"{path}:4: value: not a number: 'NaN' (a finite number is needed)",
        f"{path}:5: value: not a number: '1e400' (too large)",
    ]
    assert store.scalar("SELECT count(*) FROM kpi_series") == 0
    assert audit.changes(store) == []


def test_a_classification_file_with_several_bad_rows_reports_them_all_and_stores_nothing(
    store, tmp_path
):
    path = tmp_path / "classes.csv"
    path.write_text(
        "identifier,party_class,evidence\n"
        "gb-coh-1,Trust-Subsidiary,annual report\n"
        "GB-COH-2,private,annual report\n"
        ",nhs-body,\n"
    )
    with pytest.raises(InputErrors) as caught:
        parties.import_classification(store, path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:3: party_class: unknown class 'private'; use nhs-body, trust-subsidiary, "
        "independent-sector, voluntary-sector, local-authority, unclassified",
        f"{path}:4: identifier: required",
        f"{path}:4: evidence: required",
    ]
    assert store.scalar("SELECT count(*) FROM supplier_classification") == 0
    path.write_text("identifier,party_class,evidence\ngb-coh-1,Trust-Subsidiary,annual report\n")
    assert parties.import_classification(store, path) == 1
    assert parties.listed(store)["GB-COH-1"]["party_class"] == "trust-subsidiary"


def test_shipped_rtt_series_matches_the_published_figure(store):
    # NHS England RTT overview: August 2023, 58.0% of incomplete pathways within 18 weeks
    kpi.load_shipped(store, "rtt-18w")
    value = store.scalar(
        "SELECT p.value FROM kpi_point p JOIN kpi_series s USING (series_id)"
        " WHERE s.code = 'rtt-18w/england' AND p.period = ?",
        (date(2023, 8, 1),),
    )
    assert round(value, 3) == 0.580
    assert kpi.series(store).points.iloc[0] == 224  # months in the file (PROVENANCE-upstream.md)


def test_a_psr_decision_sets_the_route_of_its_contract(store, tmp_path):
    from icsatlas.contracts import psr

    load.import_file(store, FIXTURES / "nhs_release_package.json")
    log = tmp_path / "psr.csv"
    log.write_text(
        "reference,authority,process,intention_notice_date,ocid\n"
        "P-9,NHS Frimley ICB,most suitable provider,2024-06-03,ocds-h6vhtk-0d4e5f\n"
    )
    psr.import_decisions(store, log)
    frame = outsourcing.contracts(store)
    assert frame.set_index("contract_key").loc[
        "ocds-h6vhtk-0d4e5f/007777-2024-1", "procurement_route"
    ] == ("most-suitable-provider")
    years = outsourcing.by_year(frame)
    routes = outsourcing.award_routes(years).set_index(["financial_year", "route"])
    assert routes.loc[("2024/25", "most suitable provider"), "contracts"] == 1


def test_a_kpi_file_without_a_series_column_may_not_repeat_a_date(tmp_path):
    """Issue 12 (fuzzing): two values on one date with no series column passed the reader
    and crashed the KPI import with a raw DuckDB TransactionException."""
    path = tmp_path / "kpi.csv"
    path.write_text("date,value\n2024-01-01,5\nJan-24,6\n")
    with pytest.raises(InputErrors) as caught:
        kpi.read_csv(path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:3: date: a second value for 2024-01-01 (first at row 2)"
    ]
