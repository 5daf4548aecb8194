"""An area's report laid out as a briefing: six sections, each built from the report's own
Results (nothing recomputed), every figure pointing at the footnote of the Result it came
from. :func:`document` is the one entry; one function a section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from icsatlas.briefings import changes, charts, figures, holders, questions
from icsatlas.briefings.document import (
    Chart,
    Document,
    Grid,
    Items,
    Section,
    SourceList,
    Sources,
    Text,
)
from icsatlas.briefings.sources import cite

if TYPE_CHECKING:
    from icsatlas.workspace import Workspace
    from icsatlas.workspace.report import Report

BLUEPRINT = "blueprint-2025"
YES_NO = ("meets_in_public", "publishes_papers", "subject_to_foi", "elected_members")
MONEY_ROWS = (
    ("Allocation", "allocation_gbp", figures.millions),
    ("Allocation a head", "allocation_per_head", figures.pounds),
    ("Fair-share target a head", "target_per_head", figures.pounds),
    (
        "Distance from target",
        "distance_from_target",
        lambda v: figures.percent(v, signed=True, fraction=True),
    ),
    ("Running-cost allowance", "running_cost_allowance_gbp", figures.millions),
    ("Running-cost allowance a head", "running_cost_allowance_per_head", figures.pounds),
    ("Running costs a head (with programme pay)", "running_costs_per_head", figures.pounds),
    ("Blueprint envelope a head", "envelope_per_head", figures.pounds),
    ("Blueprint cut", "blueprint_cut_gbp", figures.millions),
    ("Blueprint cut (share of running costs)", "blueprint_cut_pct", figures.percent),
)

BODIES_NAMED = 20  # more bodies than this are shown a row a type
BOARDS_NAMED = 4  # more boards with nobody recorded than this are said in one line
WIDE_MONEY = ("allocation_gbp", "allocation_per_head", "distance_from_target", "blueprint_cut_gbp")


def document(ws: Workspace, report: Report, release: str) -> Document:
    """The briefing of ``report``: who decides, what is changing, the money, the population
    and services, questions to ask, sources."""
    sources = Sources()
    built = (
        who_decides(report, sources, release),
        changing(ws, report, sources, release),
        money(report, sources, release),
        population(report, sources, release),
        Section("Questions to ask", (questions.items(report, sources, release),)),
    )
    reform = report.reform or "none chosen (the Blueprint is shown beside the register)"
    footer = (
        f"{report.name} on {figures.day(report.on)} · reform: {reform} · "
        f"{report.identity.provenance.parameters or 'parameters: defaults'} · "
        f"data release {release}"
    )
    return Document(
        title=f"Briefing: {report.name}",
        subtitle=f"{report.kind} {report.code}, on {figures.day(report.on)}",
        footer=footer,
        sections=(*built, Section("Sources", (SourceList(),))),
        sources=tuple(sources.entries),
    )


def who_decides(report: Report, sources: Sources, release: str) -> Section:
    identity = report.identity
    covers = Grid(
        "NHS areas covering it (share of its people)",
        ("covered by", "type", "code", "share"),
        tuple(
            (r["covered_by"], r["type"], r["code"], figures.percent(r["share"], fraction=True))
            for r in identity.table
        ),
        cite(sources, identity, release),
    )
    accountability = report.section("accountability")
    bodies = Grid(
        "Bodies holding functions here now, and their statutory accountability",
        ("body", "type", "functions", "score", "meets in public", "papers", "FOI", "elected"),
        _bodies(report),
        cite(sources, accountability, release),
    )
    return Section(
        "What this area is and who decides",
        (covers, bodies, _boards(report, sources, release)),
    )


def _bodies(report: Report) -> tuple[tuple[str, ...], ...]:
    """Each body holding a function now; where several NHS areas cover the area, one row a
    type of body (its accountability is its type's), with how many bodies."""
    held = [r for r in report.section("accountability").table if r["functions_now"]]
    if not holders.several(report) and len(held) <= BODIES_NAMED:
        return tuple(
            (
                r["holder"],
                r["holder_type"],
                figures.cell(r["functions_now"]),
                figures.cell(r["score"]),
                *(figures.cell(r[c]) for c in YES_NO),
            )
            for r in held
        )
    by_type: dict[str, list[dict[str, Any]]] = {}
    for r in held:
        by_type.setdefault(r["holder_type"], []).append(r)
    return tuple(
        (
            f"{len(rows)} {'body' if len(rows) == 1 else 'bodies'}",
            kind,
            figures.cell(max(r["functions_now"] for r in rows)) + " (most)",
            figures.cell(rows[0]["score"]),
            *(figures.cell(rows[0][c]) for c in YES_NO),
        )
        for kind, rows in by_type.items()
    )


def _boards(report: Report, sources: Sources, release: str) -> Items:
    boards = report.section("boards")
    at = cite(sources, boards, release)
    unknown = [r["board"] for r in boards.table if not r["members"]]
    items = []
    if len(unknown) > BOARDS_NAMED:
        items.append(
            Text(
                f"{len(unknown)} boards have no members recorded, so their council "
                "representation is unknown.",
                at,
            )
        )
    for r in boards.table:
        if not r["members"]:
            if len(unknown) <= BOARDS_NAMED:
                items.append(
                    Text(
                        f"{r['board']}: no board members recorded, so council representation "
                        "is unknown.",
                        at,
                    )
                )
            continue
        missing = f"; missing {r['missing']}" if r["missing"] else ""
        items.append(
            Text(
                f"{r['board']}: {r['members']} members, {r['councillors']} councillors "
                f"({figures.percent(r['councillor_share'], fraction=True)}); statutory "
                f"minimum: {r['statutory_minimum']}{missing}.",
                at,
            )
        )
    return Items(tuple(items) or (Text("No ICB board covers this area.", at),))


def changing(ws: Workspace, report: Report, sources: Sources, release: str) -> Section:
    functions = report.section("functions")
    at = cite(sources, functions, release)
    scores = {holders.key(r["holder"]): r["score"] for r in report.section("accountability").table}
    blocks: list[Any] = []
    if report.notices:
        blocks.append(
            Items(tuple(Text(n, cite(sources, report.identity, release)) for n in report.notices))
        )
    label = holders.labeller(report)
    for column, reform in _scenarios(report):
        moved: dict[tuple[str, str, str], int] = {}
        for r in functions.table:
            if r.get(column) and r[column] != r["holder"]:
                key = (r["function"], label(r["holder"]), label(r[column]))
                moved[key] = moved.get(key, 0) + 1
                scores.setdefault(key[1], scores.get(holders.first(r["holder"])))
                scores.setdefault(key[2], scores.get(holders.first(r[column])))
        if not moved:
            blocks.append(Text(f"No function here moves {_under(reform)}.", at))
            continue
        known = changes.moves(ws, reform)
        status = changes.applied(ws, reform)
        rows = tuple(
            (
                function,
                now,
                new,
                f"{figures.cell(scores.get(now))} → {figures.cell(scores.get(new))}",
                known[function].status(report.on, status) if function in known else "",
                *((str(count),) if holders.several(report) else ()),
            )
            for (function, now, new), count in moved.items()
        )
        columns = ("function", "now", "would be", "accountability score", "when and how sure")
        blocks.append(
            Grid(
                f"{len({k[0] for k in moved})} functions move {_under(reform)}",
                (*columns, *(("areas",) if holders.several(report) else ())),
                rows,
                at,
            )
        )
    return Section("What is changing", tuple(blocks))


def _scenarios(report: Report) -> list[tuple[str, str]]:
    columns = report.section("functions").columns
    found = []
    if "holder_with_blueprint" in columns:
        found.append(("holder_with_blueprint", BLUEPRINT))
    if "holder_under_reform" in columns and report.reform:
        found.append(("holder_under_reform", report.reform))
    return found


def _under(reform: str) -> str:
    return "with the Model ICB Blueprint" if reform == BLUEPRINT else f"under {reform}"


def money(report: Report, sources: Sources, release: str) -> Section:
    result = report.section("money")
    at = cite(sources, result, release)
    records = result.table.records()
    if not records:
        return Section("The money", (Text(result.notes[0] if result.notes else "none", at),))
    grid = _money_grid(result.title, records, at)
    chart = charts.running_costs(records)
    return Section(
        "The money",
        (
            Text(result.notes[0], at),
            grid,
            Chart(chart.svg, chart.alt, chart.grid(at)),
            Text(
                "Not in the area report yet, so not shown: allocation a head for England, the "
                "redundancy cost estimate with its range, and the outsourcing share."
            ),
        ),
    )


def _money_grid(title: str, records: list[dict[str, Any]], at: tuple[int, ...]) -> Grid:
    """A column an ICB for up to three ICBs; more (a region, England) a row an ICB with the
    headline measures, so the table fits the page."""
    if len(records) <= 3:
        return Grid(
            title,
            ("measure", *(r["ods_code"] for r in records)),
            tuple((label, *(show(r[key]) for r in records)) for label, key, show in MONEY_ROWS),
            at,
        )
    shown = [row for row in MONEY_ROWS if row[1] in WIDE_MONEY]
    return Grid(
        title,
        ("ICB", *(label for label, _, _ in shown)),
        tuple((r["ods_code"], *(show(r[key]) for _, key, show in shown)) for r in records),
        at,
    )


def population(report: Report, sources: Sources, release: str) -> Section:
    profile = report.section("population")
    contracts = report.section("contracts")
    blocks: list[Any] = []
    worse = [r for r in profile.table if r["rag"] == "red"]
    if not len(profile):
        blocks.append(
            Text(
                profile.notes[0] if profile.notes else "none recorded",
                cite(sources, profile, release),
            )
        )
    else:
        blocks.append(
            Grid(
                f"Measures worse than England ({len(worse)} of {len(profile)}; the rest "
                "similar, better or with no judgement)",
                ("measure", "area", "95% interval", "England", "99.8% too"),
                tuple(
                    (
                        r["measure"],
                        figures.cell(r["area"]),
                        f"{figures.cell(r['lower_95'])}–{figures.cell(r['upper_95'])}",
                        figures.cell(r["england"]),
                        "yes" if r["red_red"] else "no",
                    )
                    for r in worse
                ),
                cite(sources, profile, release),
            )
        )
    if not len(contracts):
        blocks.append(
            Text(
                contracts.notes[0] if contracts.notes else "none recorded",
                cite(sources, contracts, release),
            )
        )
    else:
        blocks.append(
            Grid(
                "Contract measures in special-cause concern (SPC)",
                ("series", "name", "latest", "target", "variation", "assurance"),
                tuple(
                    tuple(
                        figures.cell(r[c])
                        for c in (
                            "series",
                            "name",
                            "latest_value",
                            "target",
                            "variation",
                            "assurance",
                        )
                    )
                    for r in contracts.table
                ),
                cite(sources, contracts, release),
            )
        )
    return Section("The population and services", tuple(blocks))
