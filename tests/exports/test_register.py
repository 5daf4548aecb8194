"""The whole register on a date as one table: every ICB and sub-ICB location x every
function, each row the same answer ``ws.register.who`` gives for that area."""

from __future__ import annotations

import pytest

import icsatlas
from icsatlas.exports.register import register_on
from icsatlas.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Workspace:
    home = tmp_path_factory.mktemp("home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


def test_every_area_and_function_is_covered(ws):
    result = register_on(ws, "2026-06-01")
    pairs = {(r["area_ons_code"], r["function_id"]) for r in result.table}
    icbs = ws.register.areas("icb", "2026-06-01")
    sub_icbs = ws.register.areas("sub-icb", "2026-06-01")
    areas = len(icbs) + len(sub_icbs)
    assert len(icbs) == 36  # the 2026 mergers leave 36 ICBs (ICS-REFERENCE.md)
    assert len(pairs) == areas * len(ws.data.functions)
    assert result.provenance.parameters == ws.params.fingerprint


def test_a_row_is_what_who_answers_for_that_area(ws):
    rows = [
        r
        for r in register_on(ws, "2026-06-01").table
        if r["area_ods_code"] == "15F" and r["function_id"] == "continuing-healthcare"
    ]
    asked = ws.register.who("continuing-healthcare", "15F", "2026-06-01").table.records()
    assert [(r["holder"], r["basis"], r["accountability_score"]) for r in rows] == [
        (r["holder"], r["basis"], r["accountability"]) for r in asked
    ]
    assert rows[0]["meets_in_public"] in ("yes", "partial", "no")


def test_a_reform_is_applied_first_and_named(ws):
    before = register_on(ws, "2026-06-01")
    after = register_on(ws.with_reforms("blueprint-2025"), "2026-06-01")
    assert after.provenance.reform == "blueprint-2025"

    def holders(result):
        return {
            r["holder_type"]
            for r in result.table
            if r["function_id"] == "strategic-workforce-planning"
        }

    # blueprint-2025.yaml: strategic workforce planning moves from ICBs to NHS regions
    assert holders(before) == {"icb"} and holders(after) == {"nhs-region"}
