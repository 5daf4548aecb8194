"""``icsatlas tour``: what the register knows, in one screen or three."""

from __future__ import annotations

from datetime import date

from rich.panel import Panel

from icsatlas.cli.render import console, table
from icsatlas.names import short_name
from icsatlas.register import queries
from icsatlas.results import Result, Table
from icsatlas.workspace import Workspace

TOUR_AREA = "Cheshire and Merseyside"
AFTER_BLUEPRINT = date(2026, 6, 1)


def run(ws: Workspace) -> None:
    console.print(
        Panel.fit(
            "icsatlas: England's integrated care systems as software",
            subtitle="built from shipped public data",
        )
    )
    _geography(ws)
    _blueprint(ws)
    console.print(
        "\n[bold]4. Also[/bold]: population health and need - icsatlas population generate, "
        'then icsatlas population profile --area "Cheshire and Merseyside"; the price of the '
        "Blueprint - icsatlas finance blueprint-bill --national; contract KPIs and SPC - "
        "icsatlas contracts kpi --help"
    )
    console.print(
        "\nNext, for your own area (a council, a place, a GP practice code, a postcode "
        'district): [bold]icsatlas where "Surrey County Council"[/bold], [bold]icsatlas area '
        'Leeds --reform blueprint-2025[/bold], [bold]icsatlas who "GP IT" --area B86002[/bold]; '
        "then [bold]icsatlas impact blueprint-2025[/bold], [bold]icsatlas --help[/bold]"
    )


def _geography(ws: Workspace) -> None:
    counts = {
        d: len(ws.data.areas_on(date.fromisoformat(d), "icb"))
        for d in ("2022-07-01", "2026-03-31", "2026-04-01")
    }
    console.print("\n[bold]1. The map changes[/bold]")
    for day, n in counts.items():
        console.print(f"   ICBs in force on {day}: [bold]{n}[/bold]")
    changes = queries.diff(ws.data, date(2026, 3, 31), date(2026, 4, 1))
    abolished = [
        c for c in changes if c.kind == "abolished" and "Integrated Care Board" in c.subject
    ]
    console.print(f"   On 1 April 2026, {len(abolished)} ICBs were abolished, e.g.:")
    frimley = next(c for c in abolished if "Frimley" in c.subject)
    console.print(f"   - {frimley.subject}: {frimley.detail}")
    hiow = ws.data.governed_area("QRL", date(2026, 4, 1))
    assert hiow is not None
    parts = ", ".join(
        f"{a.place_name} ({a.ods_code})" for a in ws.data.children(hiow.area_id, date(2026, 4, 1))
    )
    console.print(f"   - {hiow.name} ({hiow.area_id}) now covers {parts}")


def _blueprint(ws: Workspace) -> None:
    after = ws.with_reforms("blueprint-2025")
    area = ws.resolve(TOUR_AREA, AFTER_BLUEPRINT).area
    assert area is not None
    rows = []
    for function in ws.data.functions.values():
        before = queries.who_holds(ws.data, function.function_id, area, AFTER_BLUEPRINT)
        later = queries.who_holds(after.data, function.function_id, area, AFTER_BLUEPRINT)
        moved = {h.holder.org_id for h in before} != {h.holder.org_id for h in later}
        flags = [f.text for h in later for f in h.flags]
        if not (moved or flags):
            continue
        caveats = ["uncertain" for h in later if moved and h.uncertain][:1]
        caveats += ["under review, destination unknown" for _ in flags[:1]]
        rows.append(
            {
                "function": function.label,
                "before the Blueprint": _names(before),
                "after (as reported)": _names(later) or "nobody",
                "accountability": f"{_score(before)} -> {_score(later)}",
                "caveat": "; ".join(caveats),
            }
        )
    console.print(
        f"\n[bold]2. Who holds what in {area.name} on {AFTER_BLUEPRINT}, without and with the "
        "Model ICB Blueprint[/bold] (accountability score 0-100: icsatlas accountability)"
    )
    columns = (
        "function",
        "before the Blueprint",
        "after (as reported)",
        "accountability",
        "caveat",
    )
    console.print(table(Result(Table.from_records(rows, columns))))
    console.print(
        "   uncertain: the Blueprint gives no dates, or reports differ "
        "(icsatlas who FUNCTION --area ... --reform blueprint-2025 shows why)"
    )
    result, _ = ws.register.impact("blueprint-2025")
    console.print("\n[bold]3. Across England (icsatlas impact blueprint-2025)[/bold]")
    for line in result.headline():
        console.print(f"   - {line}")


def _names(holdings: list[queries.Holding]) -> str:
    return ", ".join(
        f"{short_name(h.holder.name)} ICB" if h.holder.org_type == "icb" else h.holder.name
        for h in holdings
    )


def _score(holdings: list[queries.Holding]) -> str:
    scores = [h.profile.score for h in holdings if h.profile]
    return f"{min(scores):g}" if scores else "-"
