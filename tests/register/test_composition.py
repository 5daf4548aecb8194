"""Board composition by role: every expected figure is worked out in the test from the shipped
CSV (read with the csv module), or by hand from the cited page, never from the code's output."""

from __future__ import annotations

import csv
from datetime import date

import pytest

import icsatlas
from icsatlas import data
from icsatlas.register import composition

ROLES = {"exact", "at least", "not stated"}


def _rows(icb: str | None = None) -> list[dict[str, str]]:
    with data.path(composition.KEY).open(newline="") as handle:
        return [r for r in csv.DictReader(handle) if icb in (None, r["icb_ods"])]


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


def test_every_row_cites_a_page_and_a_date_read_and_uses_known_values(register):
    icbs = {o.ods_code for o in register.organisations.values() if o.org_type == "icb"}
    for row in _rows():
        assert row["source_url"].startswith("https://"), row
        assert date.fromisoformat(row["date_read"]), row
        assert row["role"] in composition.SECTORS, row
        assert row["count_basis"] in ROLES and row["scope"] in {"full", "partial"}, row
        assert row["voting"] in {"yes", "no", "not stated"}, row
        assert row["icb_ods"] in icbs, row
        assert (row["count"] == "") == (row["count_basis"] == "not stated"), row
        names = [n for n in row["names"].split(";") if n.strip()]
        if names:  # one councillor status per name, and no more names than seats
            assert len(row["is_councillor"].split(";")) == len(names) <= int(row["count"]), row


def test_south_west_london_voting_members_and_local_authority_share_from_the_csv():
    rows = [r for r in _rows("QWE") if r["voting"] == "yes"]
    total = sum(int(r["count"]) for r in rows)
    councils = sum(int(r["count"]) for r in rows if r["role"] == "partner-local-authority")
    # by hand from the page's list: 1 chair + 4 NEDs + CEO + 4 trust + 1 primary care + 1 LA
    # + CFO + medical + nursing + 6 place + deputy CEO = 22, of whom 1 is a council partner
    assert (total, councils) == (22, 1)
    found = composition.composition("QWE", "NHS South West London Integrated Care Board")
    assert found.complete
    assert found.voting_members == total
    assert found.local_authority_share == pytest.approx(councils / total)
    trusts = sum(int(r["count"]) for r in rows if r["role"] == "partner-trusts")
    assert found.voting_by_sector()["NHS trusts"] == trusts == 4


def test_a_partial_or_minimum_only_board_gets_no_share():
    # Kent and Medway: the source gives only the two council partners
    kent = composition.composition("QKS", "Kent and Medway")
    assert [r["count"] for r in _rows("QKS")] == ["2"]
    assert not kent.complete and kent.local_authority_share is None
    assert kent.voting_by_sector() == {"local authorities": 2}
    # Hertfordshire and West Essex: the constitution gives minimums ("at least")
    hwe = composition.composition("QM7", "Hertfordshire and West Essex")
    assert any(r["count_basis"] == "at least" for r in _rows("QM7"))
    assert hwe.voting_members is None and hwe.local_authority_share is None


def test_a_board_without_a_source_is_none_recorded():
    assert not _rows("QHM")
    found = composition.composition("QHM", "North East and North Cumbria")
    assert not found.recorded and found.voting_members is None
    assert found.voting_by_sector() == {}


def test_councillors_named_and_the_private_sector_exclusion_come_from_the_rows():
    named = sum(r["is_councillor"].split("; ").count("yes") for r in _rows("QMF"))
    assert composition.composition("QMF", "NEL").councillors_named == named == 1
    stated = {r["icb_ods"] for r in _rows() if r["private_sector_exclusion"] == "stated"}
    assert composition.composition("QE1", "L&SC").private_sector_exclusion == "stated"
    assert "QE1" in stated and "QWE" not in stated


def test_the_overview_lists_every_icb_in_force_and_counts_those_without_a_source(ws):
    result = ws.register.board_composition(on="2026-06-01")
    frame = result.frame
    assert len(frame) == 36
    recorded = {r["icb_ods"] for r in _rows()} & set(frame.ods_code)
    assert set(frame[frame.status != "none recorded"].ods_code) == recorded
    assert any(f"{len(recorded)} of the 36 ICBs" in note for note in result.notes)
    # the County Councils Network's figure, as cited: 9 of 777 ICB members
    assert any("9 of 777" in note for note in result.notes)
    assert "icb_board_composition" in result.provenance.data


def test_a_board_that_ended_is_shown_on_dates_it_was_in_force(ws):
    before = ws.register.board_composition(on="2025-06-01").frame
    assert "QNX" in set(before[before.status == "partial"].ods_code)  # NHS Sussex, 2022-2026
    assert "QNX" not in set(ws.register.board_composition(on="2026-06-01").frame.ods_code)


def test_one_board_by_place_name_lists_its_roles_with_sources(ws):
    result = ws.register.board_composition("Leeds", on="2026-06-01")
    assert "West Yorkshire" in result.title
    assert list(result.frame.role) == [r["role"] for r in _rows("QWO")]
    assert set(result.frame.source) == {r["source_url"] for r in _rows("QWO")}


def test_board_import_takes_the_complete_boards_and_skips_the_rest(ws):
    boards: dict[str, list[dict[str, str]]] = {}
    for row in _rows():
        boards.setdefault(row["icb_ods"], []).append(row)
    complete = {
        code: sum(int(r["count"]) for r in rows if r["voting"] == "yes")
        for code, rows in boards.items()
        if any(r["voting"] == "yes" for r in rows)
        and all(
            r["scope"] == "full" and r["count_basis"] == "exact"
            for r in rows
            if r["voting"] == "yes"
        )
    }
    assert complete == {"QWE": 22}  # South West London's page lists the whole board
    saved = ws.register.import_board(str(data.path(composition.KEY)), reason="test")
    assert saved.added == sum(complete.values())
    assert len(saved.change.detail["skipped"]) == len(boards) - len(complete)
    notes = ws.register.board("QWE", on="2026-06-01").notes
    assert "statutory minimum (NHS Act 2006 Sch 1B): met" in notes
