"""Questions to ask: each from a fact of the report, saying the fact and its source."""

from __future__ import annotations

from icsatlas.briefings import figures, questions
from icsatlas.briefings.document import Sources
from tests.briefings.conftest import ON


def _questions(ws, area):
    return questions.items(ws.report(area, ON), Sources(), "test").items


def test_a_move_to_a_body_that_does_not_meet_in_public_asks_about_scrutiny(ws):
    report = ws.report("QWO", ON)
    bodies = {r["holder"]: r for r in report.section("accountability").table}
    moved = [
        r
        for r in report.section("functions").table
        if r["holder_with_blueprint"] != r["holder"]
        and bodies[r["holder_with_blueprint"]]["meets_in_public"] in ("no", "partial")
    ]
    asked = [q.text for q in _questions(ws, "QWO") if "how will the council scrutinise" in q.text]
    assert moved
    assert len(asked) == len(moved)
    assert all(q.sources for q in _questions(ws, "QWO"))


def test_the_money_question_quotes_the_reports_figure(ws):
    money = ws.report("QWO", ON).section("money").table.records()[0]
    cut = figures.millions(money["blueprint_cut_gbp"])
    assert any(cut in q.text for q in _questions(ws, "QWO"))


def test_each_question_says_the_fact_it_comes_from(ws):
    assert all("(Because: " in q.text for q in _questions(ws, "QWO"))
