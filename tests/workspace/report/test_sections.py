"""Boards, money, contracts, related and similar areas: each a Workspace answer, or "none
recorded" when nothing is."""

from __future__ import annotations

import pytest

from tests.workspace.report.conftest import ON


def test_boards_with_no_members_recorded_say_so_and_claim_no_breach(ws):
    section = ws.report("Surrey County Council", ON).sections["boards"]
    assert section.table.column("board") == ["NHS Surrey and Sussex Integrated Care Board"]
    assert section.table.column("statutory_minimum") == ["none recorded"]
    assert section.notes[0].startswith("none recorded")


def test_money_is_the_finance_answers_for_the_icb(ws):
    (row,) = ws.report("QWO", ON).sections["money"].table.records()
    target = next(r for r in ws.finance.targets(on=ON).table if r["ods_code"] == "QWO")
    costs = next(r for r in ws.finance.running_costs(on=ON).table if r["ods_code"] == "QWO")
    assert row["allocation_gbp"] == target["actual_gbp"]
    assert row["distance_from_target"] == target["distance_from_target"]
    assert row["running_cost_allowance_gbp"] == costs["rca_gbp"]
    assert row["blueprint_cut_gbp"] == costs["reduction_gbp"]
    assert row["envelope_per_head"] == 18.76  # the Blueprint's envelope a head


def test_a_practices_money_is_its_icbs(ws):
    section = ws.report("B86001", ON).sections["money"]
    assert section.table.column("ods_code") == ["QWO"]
    assert section.title.startswith("Money of the ICBs covering")


def test_contracts_without_kpis_are_none_recorded(ws):
    section = ws.report("QWO", ON).sections["contracts"]
    assert len(section) == 0 and section.notes[0].startswith("none recorded")


def test_related_areas_of_an_icb(ws):
    """West Yorkshire: in North East and Yorkshire (Y63), five sub-ICB locations, and bordering
    (ONS April 2026 boundaries) Lancashire and South Cumbria, Humber and North Yorkshire,
    Greater Manchester, Derby and Derbyshire, South Yorkshire."""
    rows = ws.report("QWO", ON).sections["related"].table.records()
    by = {
        kind: {r["code"] for r in rows if r["relation"] == kind}
        for kind in ("parent", "child", "neighbour")
    }
    assert by == {
        "parent": {"Y63"},
        "child": {"02T", "03R", "15F", "36J", "X2C4Y"},
        "neighbour": {"QE1", "QOQ", "QOP", "QJ2", "QF7"},
    }


def test_a_councils_neighbours_are_councils_bordering_it(ws):
    rows = ws.report("Surrey County Council", ON).sections["related"].table.records()
    neighbours = {r["name"] for r in rows if r["relation"] == "neighbour"}
    assert {"Hampshire", "West Sussex", "Kent"} <= neighbours
    assert all(r["kind"] == "council" for r in rows if r["relation"] in ("neighbour", "child"))


@pytest.mark.parametrize(
    ("area", "kind"), [("QWO", "icb"), ("M2L0M", "sub-icb"), ("Surrey County Council", "council")]
)
def test_similar_areas_are_the_nearest_of_the_same_kind(ws, area, kind):
    report = ws.report(area, ON)
    rows = report.sections["similar"].table.records()
    assert len(rows) == 5
    assert all(r["kind"] == kind and r["code"] != report.code for r in rows)
    distances = [r["distance"] for r in rows]
    assert distances == sorted(distances)
    assert "IMD 2019" in report.sections["similar"].notes[0]


def test_no_similar_areas_for_a_practice(ws):
    section = ws.report("B86001", ON).sections["similar"]
    assert len(section) == 0 and section.notes[0].startswith("none:")
