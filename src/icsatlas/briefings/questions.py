"""Questions to ask, generated from the report's facts: each says the fact it comes from and
points at that fact's source. Only a fact the report records raises a question; nothing
recorded raises a question about the gap, never a finding."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from icsatlas.briefings import figures
from icsatlas.briefings.document import Items, Sources, Text
from icsatlas.briefings.sources import cite

if TYPE_CHECKING:
    from icsatlas.workspace.report import Report

NOT_PUBLIC = {"no": "does not meet in public", "partial": "meets in public only in part"}


def items(report: Report, sources: Sources, release: str) -> Items:
    found = [
        *_moves(report, sources, release),
        *_gaps(report, sources, release),
        *_money(report, sources, release),
        *_boards(report, sources, release),
        *_population(report, sources, release),
        *_contracts(report, sources, release),
    ]
    return Items(tuple(found) or (Text("The report records nothing that raises a question."),))


def _question(question: str, fact: str, at: tuple[int, ...]) -> Text:
    return Text(f"{question} (Because: {fact})", at)


def _moves(report: Report, sources: Sources, release: str) -> Iterator[Text]:
    functions = report.section("functions")
    bodies = {r["holder"]: r for r in report.section("accountability").table}
    at = cite(sources, functions, release) + cite(
        sources, report.section("accountability"), release
    )
    for column in ("holder_with_blueprint", "holder_under_reform"):
        if column not in functions.columns:
            continue
        for r in functions.table:
            body = bodies.get(r[column])
            if (
                r[column] == r["holder"]
                or body is None
                or body["meets_in_public"] not in NOT_PUBLIC
            ):
                continue
            yield _question(
                f"{r['function']} would move to {r[column]}, which "
                f"{NOT_PUBLIC[body['meets_in_public']]}: how will the council scrutinise it?",
                f"{r['function']} is held by {r['holder']} now and by {r[column]} "
                f"{_scenario(column, report.reform)}.",
                at,
            )


def _scenario(column: str, reform: str | None) -> str:
    return "with the Blueprint" if column == "holder_with_blueprint" else f"under {reform}"


def _gaps(report: Report, sources: Sources, release: str) -> Iterator[Text]:
    functions = report.section("functions")
    at = cite(sources, functions, release)
    for r in functions.table:
        if r["holder"] == "nobody (a gap)":
            yield _question(
                f"Who is responsible for {r['function']} here?",
                "the register records nobody holding it on this date.",
                at,
            )


def _money(report: Report, sources: Sources, release: str) -> Iterator[Text]:
    result = report.section("money")
    at = cite(sources, result, release)
    for r in result.table:
        distance = r["distance_from_target"]
        if distance is not None and distance < 0:
            yield _question(
                f"{r['icb']} is funded below its fair share: what is being done to close the gap?",
                f"its allocation is {figures.percent(distance, signed=True, fraction=True)} "
                "against its fair-share target.",
                at,
            )
        cut = r["blueprint_cut_gbp"]
        if cut:
            yield _question(
                "Which posts and which work go to meet the Blueprint's running-cost envelope, "
                "and who will do that work?",
                f"running costs must fall by {figures.millions(cut)} "
                f"({figures.percent(r['blueprint_cut_pct'])}) to "
                f"{figures.pounds(r['envelope_per_head'])} a head.",
                at,
            )


def _boards(report: Report, sources: Sources, release: str) -> Iterator[Text]:
    result = report.section("boards")
    at = cite(sources, result, release)
    for r in result.table:
        if not r["members"]:
            yield _question(
                f"Who sits on the board of {r['board']}, and how many are councillors?",
                "no board members are recorded for it.",
                at,
            )
        elif r["missing"]:
            yield _question(
                f"When will {r['board']} meet its statutory minimum membership?",
                f"missing: {r['missing']}.",
                at,
            )


def _population(report: Report, sources: Sources, release: str) -> Iterator[Text]:
    result = report.section("population")
    at = cite(sources, result, release)
    for r in result.table:
        if r["red_red"]:
            yield _question(
                f"What is the plan for {r['measure']}?",
                f"it is worse than England at 99.8% as well as 95% ({figures.cell(r['area'])} "
                f"against {figures.cell(r['england'])}).",
                at,
            )


def _contracts(report: Report, sources: Sources, release: str) -> Iterator[Text]:
    result = report.section("contracts")
    at = cite(sources, result, release)
    for r in result.table:
        yield _question(
            f"What action is being taken on {r['name']}?",
            f"its latest value, {figures.cell(r['latest_value'])}, is special-cause concern "
            f"({r['variation']}).",
            at,
        )
