"""Questions to ask, generated from the report's facts: each says the fact it comes from and
points at that fact's source. Only a fact the report records raises a question; nothing
recorded raises a question about the gap, never a finding."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from icsatlas.briefings import figures, holders
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
    bodies = {holders.key(r["holder"]): r for r in report.section("accountability").table}
    at = cite(sources, functions, release)
    at += cite(sources, report.section("accountability"), release)
    label = holders.labeller(report)
    asked = set()
    for column in ("holder_with_blueprint", "holder_under_reform"):
        if column not in functions.columns:
            continue
        for r in functions.table:
            body = bodies.get(holders.first(r[column] or ""))
            if (
                r[column] == r["holder"]
                or body is None
                or body["meets_in_public"] not in NOT_PUBLIC
            ):
                continue
            now, new = label(r["holder"]), label(r[column])
            if (r["function"], new) in asked:
                continue
            asked.add((r["function"], new))
            yield _question(
                f"{r['function']} would move to {new}, which "
                f"{NOT_PUBLIC[body['meets_in_public']]}: how will the council scrutinise it?",
                f"{r['function']} is held by {now} now and by {new} "
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
    rows = result.table.records()
    if len(rows) > holders.MANY:
        yield from _money_of_many(rows, at)
        return
    for r in rows:
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


def _money_of_many(rows: list[dict[str, Any]], at: tuple[int, ...]) -> Iterator[Text]:
    """For a region or England: one question each, naming the extremes, not 36 of each."""
    below = [r for r in rows if (r["distance_from_target"] or 0) < 0]
    if below:
        furthest = min(below, key=lambda r: r["distance_from_target"])
        yield _question(
            f"{len(below)} of the {len(rows)} ICBs are funded below their fair share: what is "
            "being done to close the gaps?",
            f"the furthest, {furthest['icb']}, is "
            f"{figures.percent(furthest['distance_from_target'], signed=True, fraction=True)} "
            "against its target.",
            at,
        )
    cuts = [r for r in rows if r["blueprint_cut_gbp"]]
    if cuts:
        low = min(cuts, key=lambda r: r["blueprint_cut_gbp"])
        high = max(cuts, key=lambda r: r["blueprint_cut_gbp"])
        yield _question(
            "Which posts and which work go to meet the Blueprint's running-cost envelope, and "
            "who will do that work?",
            f"running costs must fall in {len(cuts)} ICBs, by between "
            f"{figures.millions(low['blueprint_cut_gbp'])} ({low['ods_code']}) and "
            f"{figures.millions(high['blueprint_cut_gbp'])} ({high['ods_code']}).",
            at,
        )


def _boards(report: Report, sources: Sources, release: str) -> Iterator[Text]:
    result = report.section("boards")
    at = cite(sources, result, release)
    unknown = [r["board"] for r in result.table if not r["members"]]
    if len(unknown) > holders.MANY:
        yield _question(
            "Who sits on these ICBs' boards, and how many are councillors?",
            f"no board members are recorded for {len(unknown)} of them.",
            at,
        )
    for r in result.table:
        if not r["members"] and len(unknown) <= holders.MANY:
            yield _question(
                f"Who sits on the board of {r['board']}, and how many are councillors?",
                "no board members are recorded for it.",
                at,
            )
        elif r["members"] and r["missing"]:
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
