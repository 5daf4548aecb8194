"""Identity and notices: a former ICB's successors, an ICB's predecessors."""

from __future__ import annotations

from tests.workspace.report.conftest import ON


def test_frimley_after_april_2026_names_what_covers_it_now(ws):
    """NHS Frimley ICB (QNQ) was abolished on 1 April 2026, its area split between Thames
    Valley, Surrey and Sussex, and Hampshire and Isle of Wight (icb_crosswalk_2023_to_2026.csv,
    NHS England)."""
    report = ws.report("Frimley", ON)
    assert report.kind == "former icb"
    (notice,) = report.notices
    assert notice.startswith(
        "NHS Frimley ICB was abolished on 1 April 2026; its area is now covered by "
    )
    for successor in ("Thames Valley", "Surrey and Sussex", "Hampshire and Isle of Wight"):
        assert successor in notice
    assert set(report.identity.table.column("code")) == {"U2G6B", "D9Y0V", "92A"}


def test_an_icb_made_in_the_2026_mergers_names_its_predecessors(ws):
    """Thames Valley (S0E4D) took Buckinghamshire, Oxfordshire and Berkshire West and part of
    Frimley on 1 April 2026 (icb_crosswalk_2023_to_2026.csv)."""
    (notice,) = ws.report("S0E4D", ON).notices
    assert notice == (
        "NHS Thames Valley ICB took over (all or part of) NHS Buckinghamshire, Oxfordshire "
        "and Berkshire West ICB, NHS Frimley ICB, abolished on 1 April 2026."
    )


def test_the_report_is_one_result_with_every_section(ws):
    result = ws.report("QWO", ON).to_result()
    document = result.to_dict()
    assert document["title"] == "NHS West Yorkshire Integrated Care Board (icb, QWO) on 2026-06-01"
    assert len(document["sections"]) == 8
    assert all({"title", "data", "provenance", "notes"} <= set(s) for s in document["sections"])
