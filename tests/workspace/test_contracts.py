"""``ws.contracts``: every contracts question and write on the one Workspace, areas through
the one resolver, buyers placed in ICBs from the workspace's geography on the date (what-if
reforms included), provenance from the workspace's, writes through its store.

Where things are (sources): ONS/MHCLG LSOA lookups as shipped in the register (Leeds is
sub-ICB location 15F; Bradford 36J; Surrey County Council's mid-2015 population 87% in 92A
and 13% in D4U1Y, Frimley's, before April 2026); ICB partner trusts from ODS (Leeds Teaching
Hospitals, RR8, is a partner of NHS West Yorkshire ICB, QWO); practice B86001 is in Leeds
(NHS England, Patients Registered at a GP Practice).
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pandas as pd
import psycopg
import pytest

import icsatlas
from icsatlas.errors import IcsatlasError, InputError, NotFoundError
from icsatlas.store.audit import changes
from icsatlas.workspace import Workspace
from tests.conftest import MERGER_2027

FIXTURES = Path(__file__).parents[1] / "contracts" / "fixtures"
REGISTER = """contract_id,title,buyer_name,buyer_code,supplier_name,value,start_date,end_date
WY-1,Community beds,NHS West Yorkshire ICB,QWO,Beds Ltd,1000,2024-04-01,2025-03-31
LTH-1,Pathology courier,Leeds Teaching Hospitals NHS Trust,RR8,Vans Ltd,4000,2024-04-01,\
2025-03-31
FR-1,Diagnostics,NHS Frimley ICB,QNQ,Scans Ltd,5000,2024-04-01,2025-03-31
"""
BY_NAME = """contract_id,title,buyer_name,supplier_name,value,start_date,end_date
LCC-1,Reablement,Leeds City Council,Care Co,2000,2024-04-01,2025-03-31
BMDC-1,Home care,City of Bradford Metropolitan District Council,Care Co,3000,2024-04-01,\
2025-03-31
X-1,Unplaced,Somebody Unknown,Scans Ltd,6000,2024-04-01,2025-03-31
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("home")
    icsatlas.open(_url(home), home=home).register.areas("icb")  # builds, writes the snapshot
    return home


@pytest.fixture(scope="module")
def ws(built, tmp_path_factory) -> Workspace:
    """A workspace with the register above imported (read-only tests share it)."""
    home = _copy(built, tmp_path_factory.mktemp("shared"))
    workspace = icsatlas.open(_url(home), home=home)
    for name, text in (("register.csv", REGISTER), ("by-name.csv", BY_NAME)):
        (home / name).write_text(text)
        workspace.contracts.import_file(home / name)
    return workspace


@pytest.fixture
def fresh(built, tmp_path) -> Workspace:
    """A workspace of the test's own, with no contracts yet."""
    home = _copy(built, tmp_path)
    return icsatlas.open(_url(home), home=home)


def _url(home: Path) -> str:
    return f"duckdb:///{home / 'atlas.duckdb'}"


def _copy(built: Path, folder: Path) -> Path:
    home = folder / "home"
    shutil.copytree(built, home)
    return home


def _ids(result) -> set[str]:
    return {key.removeprefix("csv:") for key in result.table.column("contract_key")}


# -- areas through the one resolver ---------------------------------------------------
@pytest.mark.parametrize("area", ["Leeds", "B86001", "15F", "Leeds City Council"])
def test_a_place_a_council_or_a_practice_code_finds_the_same_contracts(ws, area):
    """Issue 9 §1 and §4: "Leeds", a practice code or a code mean the same as everywhere
    else. Leeds (15F) is served by West Yorkshire ICB, Leeds City Council and the trust
    that is QWO's partner; Bradford's council serves 36J only."""
    found = ws.contracts.list(area=area, on="2025-06-01")
    assert _ids(found) == {"WY-1", "LCC-1", "LTH-1"}
    assert ws.resolve(area, "2025-06-01").covers[0].area.ods_code == "15F"
    assert "covered on 2025-06-01 by sub-ICB location 15F (Leeds)" in found.notes[0]


def test_an_icb_by_code_or_name_finds_every_buyer_serving_it(ws):
    for area in ("QWO", "West Yorkshire"):
        found = ws.contracts.list(area=area, on="2025-06-01")
        assert _ids(found) == {"WY-1", "LCC-1", "BMDC-1", "LTH-1"}
    assert set(found.table.column("buyer_icb")) == {"West Yorkshire"}


def test_a_county_council_finds_the_icbs_covering_part_of_it(ws):
    # Surrey County Council before April 2026: 87% in Surrey Heartlands (92A), 13% in
    # Frimley (D4U1Y), so Frimley ICB's contracts serve part of it
    found = ws.contracts.list(area="Surrey County Council", on="2025-06-01")
    assert _ids(found) == {"FR-1"}
    assert "(87%)" in found.notes[0] and "(13%)" in found.notes[0]


def test_a_former_icb_is_placed_in_its_successors_after_the_mergers(ws):
    """Frimley was split on 1 April 2026 (ICS-REFERENCE §1.4): its contracts then serve
    Thames Valley, Hampshire and Isle of Wight, and Surrey and Sussex."""
    before = ws.contracts.list(area="QNQ", on="2025-06-01")
    after = ws.contracts.list(area="Thames Valley", on="2026-06-01")
    assert _ids(before) == _ids(after) == {"FR-1"}
    assert before.table.column("buyer_icb") == ["Frimley"]
    label = after.table.column("buyer_icb")[0]
    assert label.startswith("Thames Valley ") and "Surrey and Sussex" in label
    with pytest.raises(NotFoundError, match="not in force on 2025-06-01"):
        ws.contracts.list(area="Thames Valley", on="2025-06-01")


def test_unplaced_contracts_are_counted_out_of_an_area_and_kept_in_england(ws):
    assert "X-1" in _ids(ws.contracts.list())
    notes = ws.contracts.list(area="Leeds", on="2025-06-01").notes
    assert any("cannot be placed in an NHS area on 2025-06-01, left out: 1" in n for n in notes)


def test_a_what_if_merger_moves_the_buyers_icb(ws, tmp_path):
    """Issue 9 §1: a user's reform changes the answer. Geography from ws.geography(on)."""
    merger = MERGER_2027
    what_if = ws.with_reforms(merger)
    found = what_if.contracts.list(area="QZZ", on="2027-06-01")
    assert _ids(found) == {"WY-1", "LCC-1", "BMDC-1", "LTH-1"}
    assert set(found.table.column("buyer_icb")) == {"Yorkshire Test"}
    assert found.provenance.reform == str(merger)
    picture = what_if.contracts.outsourcing("shares", area="Leeds", on="2027-06-01")
    assert picture.title == "Outsourcing (shares): Leeds"
    assert "covered on 2027-06-01 by sub-ICB location 15F (Leeds)" in picture.notes[0]
    with pytest.raises(NotFoundError):
        ws.contracts.list(area="QZZ", on="2027-06-01")


# -- outsourcing, provenance ------------------------------------------------------------
def test_outsourcing_in_an_area_counts_only_its_contracts(ws):
    found = ws.contracts.outsourcing("shares", area="Leeds", on="2025-06-01")
    # WY-1, LCC-1 and LTH-1 each run the whole of 2024/25: £1,000 + £2,000 + £4,000
    assert found.frame.value.sum() == pytest.approx(7000)
    assert "3 contracts in scope (Leeds)" in found.notes
    with pytest.raises(NotFoundError, match="no contracts recorded in"):
        ws.contracts.outsourcing("shares", area="Cornwall", on="2025-06-01")


def test_provenance_starts_from_the_workspace_and_names_the_imports(ws):
    found = ws.contracts.list()
    base = ws.provenance()
    assert found.provenance.data["register"] == base.data["register"]
    assert found.provenance.parameters == ws.params.fingerprint
    assert found.provenance.data["contracts"] == (
        "register.csv (csv contract register); by-name.csv (csv contract register)"
    )
    assert found.provenance.engine == "duckdb"


def test_a_supplier_class_must_be_one_of_the_classes(ws):
    with pytest.raises(NotFoundError, match="choose from nhs-body"):
        ws.contracts.list(supplier_class="private")


# -- writes ---------------------------------------------------------------------------
def test_an_import_is_one_audited_change_and_the_workspace_sees_it(fresh):
    done = fresh.contracts.import_file(FIXTURES / "nhs_release_package.json")
    latest = changes(fresh.store)[-1]
    # the constructed fixture holds 4 contracts (contracts/fixtures/README.md)
    assert done.table.records()[0] == {
        "kind": "ocds",
        "count": 4,
        "change": latest.change_id,
        "source": str(FIXTURES / "nhs_release_package.json"),
    }
    assert done.title.endswith(f"4 contracts (change {latest.change_id})")
    assert len(fresh.contracts.list()) == 4
    assert fresh.register.log(1).table.column("change") == [latest.change_id]


def test_writes_are_refused_on_top_of_a_what_if(fresh):
    what_if = fresh.with_reforms("blueprint-2025")
    with pytest.raises(IcsatlasError, match="what-ifs"):
        what_if.contracts.import_file(FIXTURES / "nhs_release_package.json")
    with pytest.raises(IcsatlasError, match="what-ifs"):
        what_if.contracts.remove(["csv:C-1"], reason="no")
    assert len(fresh.contracts.list()) == 0
    nothing = fresh.contracts.list(area="Leeds")  # an empty area keeps its columns
    assert len(nothing) == 0 and nothing.columns[:4] == (
        "contract_key",
        "title",
        "buyer_name",
        "buyer_icb",
    )


def test_remove_says_what_it_did(fresh):
    fresh.contracts.import_file(FIXTURES / "nhs_release_package.json")
    key = "ocds-h6vhtk-0d4e5f/007777-2024-1"
    done = fresh.contracts.remove([key], reason="awarded to another ICB")
    assert done.title == f"1 contract removed (change {changes(fresh.store)[-1].change_id})"
    assert key not in fresh.contracts.list().table.column("contract_key")


def test_a_kpi_names_its_icb_by_any_area_in_it(fresh, tmp_path):
    path = tmp_path / "kpi.csv"
    path.write_text("date,value\n2024-01-01,5\n2024-02-01,6\n")
    fresh.contracts.import_file(path, code="waits", name="Waits", icb="Leeds")
    stored = fresh.store.scalar("SELECT icb_ods_code FROM kpi_series WHERE code = 'waits'")
    assert stored == "QWO"
    with pytest.raises(InputError, match="not within one ICB"):
        fresh.contracts.import_file(path, code="w2", name="W", icb="North West")


def test_kpi_series_per_icb_and_in_an_area(fresh, tmp_path):
    """The shipped cancer series: the ICB series and the series of QWO's partner trusts."""
    fresh.contracts.load_kpi("cancer-62d")
    charts = tmp_path / "charts"
    found = fresh.contracts.kpi("cancer-62d/*", area="Leeds", on="2025-06-01", charts=charts)
    assert (charts / "cancer-62d_provider_RR8.html").stat().st_size > 1000
    assert len(list(charts.iterdir())) == len(found)
    by_series = dict(zip(found.table.column("series"), found.table.column("icb"), strict=True))
    assert by_series["cancer-62d/icb/QWO"] == "West Yorkshire"
    assert by_series["cancer-62d/provider/RR8"] == "West Yorkshire"
    assert "cancer-62d/icb/QOQ" not in by_series
    assert found.provenance.data["register"] == fresh.provenance().data["register"]


# -- SPC, rules, PSR, records -----------------------------------------------------------
def test_spc_has_points_and_summary_as_sections(fresh):
    # 12,10 alternating for 12 points, then 19. Worked by hand with NHSRplotthedots'
    # formulas (ptd_spc): mean 151/13 = 11.615; moving ranges 2 (x11) and 9; the 9 is
    # above 3.267 x their mean (2.583) and screened out, so the mean moving range is 2 and
    # the upper limit 11.615 + 2.66 x 2 = 16.935: the 19 is "Above UCL".
    days = pd.date_range("2024-01-01", periods=13, freq="MS").date
    frame = pd.DataFrame({"date": days, "value": [12, 10] * 6 + [19]})
    found = fresh.contracts.spc(frame, improvement="decrease")
    points, summary = found.sections
    assert (points.title, summary.title) == ("SPC points: data", "SPC summary: data")
    last = points.table.records()[-1]
    assert last["upl"] == pytest.approx(151 / 13 + 2.66 * 2)
    assert last["special_cause_type"] == "Above UCL"
    assert summary.table.records()[0]["variation"] == "concern_high"
    assert len(found) == 0 and found.to_dict()["sections"][0]["data"][-1]["value"] == 19
    alone = fresh.contracts.spc(frame, improvement="decrease", summary=True)
    assert alone.sections == () and len(alone) == 1


def test_spc_writes_a_chart_and_refuses_an_unknown_kind(fresh, tmp_path):
    days = pd.date_range("2024-01-01", periods=12, freq="MS").date
    frame = pd.DataFrame({"date": days, "value": [5, 6] * 6})
    fresh.contracts.spc(frame, chart=tmp_path / "chart.svg")
    assert (tmp_path / "chart.svg").read_text().startswith("<?xml")
    with pytest.raises(InputError, match=r"charts are written as \.png, \.svg or \.html"):
        fresh.contracts.spc(frame, chart=tmp_path / "chart.pdf")
    with pytest.raises(InputError, match="--rebase: not a date"):
        fresh.contracts.spc(frame, rebase=["01/06/2024x"])


def test_rules_and_standstill_carry_the_workspace_parameters(fresh):
    overridden = fresh.with_parameters(
        fresh.params.override({"contracts.psr.standstill_working_days": 10})
    )
    # 8 working days from Mon 3 Jun 2024 end on Thu 13 Jun; 10 on Mon 17 Jun
    shipped = fresh.contracts.standstill("2024-06-03").table.records()[0]
    longer = overridden.contracts.standstill("2024-06-03")
    assert str(shipped["standstill ends (midnight)"]) == "2024-06-13"
    assert str(longer.table.records()[0]["standstill ends (midnight)"]) == "2024-06-17"
    assert longer.provenance.parameters == overridden.params.fingerprint
    assert "mdc-2023" in fresh.contracts.rules().table.column("name")


def test_a_compiled_record_as_a_table_and_as_an_export(fresh, tmp_path):
    fresh.contracts.import_file(FIXTURES / "nhs_release_package.json")
    fields = dict(fresh.contracts.record("ocds-h6vhtk-0a1b2c").table.rows)
    assert fields["tag"] == "compiled" and fields["buyer.name"].startswith("NHS Frimley")
    assert fields["parties[0].id"] == "GB-NHS-QNQ"
    written = fresh.contracts.export_record("ocds-h6vhtk-0a1b2c", tmp_path / "record.json")
    assert written.title.endswith("record.json")
    assert fresh.contracts.compiled_release("ocds-h6vhtk-0a1b2c")["tag"] == ["compiled"]
    with pytest.raises(NotFoundError, match="no compiled record"):
        fresh.contracts.record("ocds-nothing")


@pytest.mark.postgres
def test_the_facade_on_postgresql(postgres_url, tmp_path):
    """The same questions on a real PostgreSQL server: imports, areas, the PSR log."""
    schema = f"ws_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    try:
        with icsatlas.open(url, home=tmp_path) as ws:
            for name, text in (("register.csv", REGISTER), ("by-name.csv", BY_NAME)):
                (tmp_path / name).write_text(text)
                ws.contracts.import_file(tmp_path / name)
            found = ws.contracts.list(area="Leeds", on="2025-06-01")
            assert _ids(found) == {"WY-1", "LCC-1", "LTH-1"}
            assert found.provenance.engine == "postgresql"
            (tmp_path / "log.csv").write_text(
                "reference,authority,process,award_date,award_notice_date\n"
                "P1,NHS Frimley ICB,direct award a,2025-01-06,2025-03-01\n"
            )
            ws.contracts.import_file(tmp_path / "log.csv")
            log = ws.contracts.psr_log(on="2025-06-01")
            # Direct Award A: the award notice is due within 30 days of the award (Health Care
            # Services (Provider Selection Regime) Regulations 2023); 1 March is 54 days after
            assert log.table.column("status") == ["breached"]
            assert log.provenance.data["decisions"] == str(tmp_path / "log.csv")
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
