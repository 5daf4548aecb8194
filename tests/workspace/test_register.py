"""The Python API notebook users call: ``icsatlas.open()`` and ``ws.register``, typed results
with tables, DataFrames and provenance."""

from __future__ import annotations

import pandas as pd
import pytest

import icsatlas
from icsatlas.errors import IcsatlasError
from icsatlas.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Workspace:
    home = tmp_path_factory.mktemp("home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


def test_areas_come_back_with_a_dataframe_and_provenance(ws):
    result = ws.register.areas("icb", "2026-04-01")
    assert isinstance(result.frame, pd.DataFrame) and len(result.frame) == 36
    # NHS England, Patients Registered at a GP Practice, 1 Aug 2026: 63,237,908 in England
    assert result.frame.registered_patients_2026_08.sum() == 63_237_908
    assert "registered_patients_2026_08" in result.provenance.data
    assert result.provenance.parameters == ws.params.fingerprint


def test_what_if_reforms_stack_and_are_named_in_provenance(ws):
    after = ws.with_reforms("blueprint-2025")
    result = after.register.who(
        "workforce planning", area="Cheshire and Merseyside", on="2026-06-01"
    )
    assert result.table.column("holder_type") == ["nhs-region"]
    assert result.provenance.reform == "blueprint-2025"
    before = ws.register.who("workforce planning", "QYG", "2026-06-01")
    assert before.table.column("holder_type") == ["icb"]


def test_a_place_can_be_added_and_inherits_its_icbs_holders(ws, tmp_path):
    reform = tmp_path / "places.yaml"
    reform.write_text(
        "name: wirral-place\ntitle: Wirral place\nsource: local constitution\n"
        "effective: 2026-04-01\noperations:\n"
        "  - establish: {type: place, id: place:wirral, name: Wirral place, parent: QYG}\n"
        "  - assign: {function: neighbourhood-health-commissioning, areas: [place:wirral],\n"
        "             holder: QYG, basis: delegation}\n"
    )
    with_place = ws.with_reforms(reform)
    eprr = with_place.register.who("EPRR", area="Wirral place", on="2026-06-01").table
    assert eprr.column("held_at") == ["NHS Cheshire and Merseyside Integrated Care Board"]
    own = with_place.register.who("neighbourhood health", area="Wirral place", on="2026-06-01")
    assert own.table.column("held_at") == ["Wirral place"]
    assert own.table.column("basis") == ["delegation"]


def test_writes_are_refused_on_top_of_a_what_if(ws):
    with pytest.raises(IcsatlasError, match="what-ifs"):
        ws.with_reforms("blueprint-2025").register.apply_reform("blueprint-2025", reason="no")


def test_a_second_workspace_reads_the_snapshot_without_opening_duckdb(ws):
    ws.register.areas("icb")  # make sure the snapshot and its stamp exist
    again = icsatlas.open(ws._shared.url, home=ws._shared.snapshots.parent)
    assert len(again.register.areas("icb", "2026-04-01")) == 36
    assert "store" not in again._shared.__dict__


def test_notebooks_show_a_result_as_html(ws):
    html = ws.register.where("Leeds", "2026-06-01")._repr_html_()
    assert "<table>" in html and "Leeds" in html and "Source:" in html


def test_a_place_sees_only_its_own_council_in_the_pooled_budget(ws):
    # The Better Care Fund is pooled by the ICB with each upper-tier council (BCF policy
    # framework 2023-25); for the Leeds place that is Leeds City Council, not West Yorkshire's
    # other councils.
    leeds = ws.register.who("better care fund", "Leeds", "2026-06-01")
    assert leeds.table.column("holder") == ["NHS West Yorkshire Integrated Care Board", "Leeds"]
    icb = ws.register.who("better care fund", "QWO", "2026-06-01").table.column("holder")
    assert {"Calderdale", "Kirklees", "Wakefield", "Bradford"} <= set(icb)


def test_everything_for_an_area_before_and_after_a_reform(ws):
    found = ws.register.overview("Leeds", on="2026-06-01", reform="blueprint-2025")
    rows = {r["function"]: r for r in found.table.records()}
    workforce = rows["Strategic workforce planning, education and training"]
    assert workforce["holder"] == "NHS West Yorkshire Integrated Care Board"
    assert workforce["holder (after)"] == "NHS England North East and Yorkshire"
    assert found.provenance.reform == "blueprint-2025"
    assert len(rows) == len(ws.data.functions)


@pytest.mark.parametrize(
    ("kind", "within", "expected"),
    [
        # the five places of West Yorkshire, each a sub-ICB location named after its council
        ("place", "West Yorkshire", {"Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"}),
        # Leeds City Council is a metropolitan borough wholly in the Leeds place
        ("council", "Leeds", {"Leeds"}),
        # Beeston PCN is one of Leeds's primary care networks (practice map, 1 Aug 2026)
        ("pcn", "Leeds", {"Beeston PCN"}),
    ],
)
def test_areas_of_each_kind_within_an_area(ws, kind, within, expected):
    found = ws.register.areas(kind, on="2026-06-01", within=within)
    names = set(found.table.column("place" if kind == "place" else "name"))
    assert expected <= names
    if kind != "pcn":
        assert names == expected


def test_practices_within_a_place_with_their_pcn_and_postcode(ws):
    practices = ws.register.areas("practice", on="2026-06-01", within="15F").table.records()
    city_view = next(p for p in practices if p["ods_code"] == "B86002")
    assert (city_view["postcode"], city_view["pcn"], city_view["place"]) == (
        "LS11 8LH",
        "Beeston PCN",
        "Leeds",
    )
    assert {p["place"] for p in practices} == {"Leeds"}


def test_councils_show_tier_county_and_shares(ws):
    councils = {c["name"]: c for c in ws.register.areas("council", on="2026-06-01").table}
    # England's councils since April 2023: 21 counties and 132 single-tier councils (the 153
    # upper-tier councils of utla_current_to_icb_2023_population_shares.csv) and 164 districts
    assert len(councils) == 317
    preston = councils["Preston"]
    assert (preston["tier"], preston["within"]) == ("district council", "Lancashire")
    # Surrey Heartlands and Frimley's Surrey part (Farnham, Surrey Heath) joined Surrey and
    # Sussex on 1 April 2026 (ICS-REFERENCE.md §1.4; one ICB per council, §1.3)
    assert councils["Surrey"]["icbs"] == "Surrey and Sussex 100%"


def test_no_neighbourhoods_are_recorded_and_it_says_so(ws):
    found = ws.register.areas("neighbourhood", on="2026-06-01")
    assert len(found) == 0 and "no neighbourhood areas are recorded" in found.notes[0]


def test_an_unknown_kind_of_area_lists_the_kinds(ws):
    with pytest.raises(IcsatlasError, match=r"unknown kind of area 'ward'.*council"):
        ws.register.areas("ward")
