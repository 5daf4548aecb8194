"""A briefing lays out the area's report: its figures are the report's Result values."""

from __future__ import annotations

from icsatlas import briefings
from icsatlas.briefings import figures
from icsatlas.briefings.document import Chart, Grid, Items, Text
from icsatlas.briefings.release import release
from tests.briefings.conftest import ON

HEADINGS = [
    "What this area is and who decides",
    "What is changing",
    "The money",
    "The population and services",
    "Questions to ask",
    "Sources",
]


def _blocks(doc):
    return [b for s in doc.sections for b in s.blocks]


def _cited(block) -> set[int]:
    if isinstance(block, Items):
        return {n for item in block.items for n in item.sources}
    if isinstance(block, Chart):
        return set(block.grid.sources)
    return set(block.sources)


def test_the_six_sections_in_the_issues_order(ws):
    doc = briefings.briefing(ws, "QWO", ON)
    assert [s.heading for s in doc.sections] == HEADINGS


def test_money_figures_are_the_reports_values(ws):
    report = ws.report("QWO", ON)
    money = report.section("money").table.records()[0]
    doc = briefings.briefing(ws, "QWO", ON)
    grid = next(b for b in _blocks(doc) if isinstance(b, Grid) and b.caption.startswith("Money"))
    rows = {row[0]: row[1] for row in grid.rows}
    assert rows["Allocation"] == figures.millions(money["allocation_gbp"])
    assert rows["Allocation a head"] == figures.pounds(money["allocation_per_head"])
    assert rows["Blueprint cut"] == figures.millions(money["blueprint_cut_gbp"])


def test_every_figure_points_at_a_source_that_exists(ws):
    doc = briefings.briefing(ws, "QWO", ON)
    figures_blocks = [b for b in _blocks(doc) if isinstance(b, (Grid, Chart, Items))]
    for block in figures_blocks:
        assert _cited(block), block
        assert _cited(block) <= set(range(1, len(doc.sources) + 1))


def test_sources_name_the_release_not_the_servers_file(ws):
    doc = briefings.briefing(ws, "QWO", ON)
    assert all("duckdb:" not in s for s in doc.sources)
    assert any(f"release {release(ws)}" in s for s in doc.sources)
    assert any("OGL v3" in s for s in doc.sources)  # the allocation files' licence


def test_footer_names_reform_parameters_and_release(ws):
    doc = briefings.briefing(ws, "QWO", ON, reform="blueprint-2025")
    assert "reform: blueprint-2025" in doc.footer
    assert ws.provenance().parameters in doc.footer
    assert f"data release {release(ws)}" in doc.footer


def test_moves_say_when_and_how_sure(ws):
    # blueprint-2025.yaml dates every transfer 1 April 2026 with date_certainty: uncertain
    doc = briefings.briefing(ws, "QWO", ON)
    grid = next(b for b in _blocks(doc) if isinstance(b, Grid) and "move with" in b.caption)
    statuses = {row[-1] for row in grid.rows}
    assert "planned, 1 April 2026 assumed (no date published; reported)" in statuses
    assert not any(s.startswith("in force") for s in statuses)


def test_population_worse_than_england_comes_from_the_profile(ws):
    report = ws.report("M2L0M", ON)
    worse = [r["measure"] for r in report.section("population").table if r["rag"] == "red"]
    doc = briefings.briefing(ws, "M2L0M", ON)
    grid = next(
        b for b in _blocks(doc) if isinstance(b, Grid) and "worse than England" in b.caption
    )
    assert [row[0] for row in grid.rows] == worse


def test_nothing_recorded_is_said_not_hidden(ws):
    doc = briefings.briefing(ws, "QWO", ON)  # no population is stored for West Yorkshire
    texts = [b.text for b in _blocks(doc) if isinstance(b, Text)]
    assert any(t.startswith("none recorded") for t in texts)


def test_england_names_holders_by_type_one_row_a_move(ws):
    # England is one area whose functions are each held by 36 ICBs (or 7 regions) at once
    doc = briefings.briefing(ws, "England", ON)
    grid = next(b for b in _blocks(doc) if isinstance(b, Grid) and "move with" in b.caption)
    functions = [row[0] for row in grid.rows]
    assert len(functions) == len(set(functions))
    # the report counts England's 36 ICBs by type (workspace/report/functions.py)
    assert any(row[1] == "36 x Integrated care board" for row in grid.rows)
    questions = next(s for s in doc.sections if s.heading == "Questions to ask").blocks[0]
    assert len(questions.items) < 20
