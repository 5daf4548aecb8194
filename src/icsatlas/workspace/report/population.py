"""The area's population profile beside England's published figures (from
``ws.population.profile``, so every count has passed disclosure control), each compared
Fingertips-style: the area's 95% interval against England's value, red/amber/green by the
indicator's polarity, and a red-red flag where it is worse at 99.8% as well."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from icsatlas.errors import IcsatlasError
from icsatlas.results import Result, Table
from icsatlas.workspace.report import significance as sig

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.workspace import Workspace

COLUMNS = (
    "section",
    "measure",
    "unit",
    "area",
    "lower_95",
    "upper_95",
    "england",
    "polarity",
    "compared",
    "rag",
    "red_red",
)
# Measures with a judgement (the rest have none): fewer people frail and fewer emergency
# admissions are better; recorded prevalence, age, deprivation and need describe the
# population (Fingertips shows QOF prevalence with no judgement: more recorded can be better
# case-finding).
POLARITY = {
    "eFI fit (of people 65+)": "higher is better",
    "eFI moderate (of people 65+)": "lower is better",
    "eFI severe (of people 65+)": "lower is better",
    "unplanned admissions in last 12 months per 1,000": "lower is better",
}
SCALE = {"%": 100.0, "per 1,000": 1000.0}


def section(ws: Workspace, found: Resolution) -> Result:
    """``ws.population.profile`` of ``found``, each measure compared with England."""
    title = f"Population of {found.name} beside England on {found.on}"
    try:
        profile = ws.population.profile(found.code, on=found.on)
    except IcsatlasError as error:
        note = f"none recorded: {error}"
        return Result(Table(COLUMNS), ws.provenance(), title, (note,))
    rows = [_compared(r) for r in profile.table.records()]
    flagged = [r["measure"] for r in rows if r["red_red"]]
    notes = (
        "compared: the area's 95% confidence interval (Wilson score for %, Byar for rates "
        "per 1,000) against England's value: higher, lower or similar (overlapping)",
        "rag: red worse, amber similar, green better, by the measure's polarity; a measure "
        "with no judgement shows higher / similar / lower; 'not compared' where England has "
        "no published figure or the area's counts are suppressed",
        "red_red: worse than England at 99.8% as well as 95% (Fingertips' two levels)"
        + (f": {', '.join(flagged)}" if flagged else "; none here"),
        *profile.notes,
    )
    return Result(Table.from_records(rows, COLUMNS), profile.provenance, profile.title, notes)


def _compared(record: dict[str, Any]) -> dict[str, Any]:
    polarity = POLARITY.get(record["measure"], "no judgement")
    row = {c: record.get(c) for c in ("section", "measure", "unit", "area")}
    row |= {"england": record["comparator"], "polarity": polarity, "red_red": False}
    interval = _interval(record, sig.Z95)
    if interval is None or record["comparator"] is None or record["compared_with"] is None:
        return row | {"lower_95": None, "upper_95": None, "compared": "not compared", "rag": None}
    direction = interval.compared_with(record["comparator"])
    colour = sig.rag(direction, polarity)
    strict = _interval(record, sig.Z998)
    worse = strict is not None and sig.rag(strict.compared_with(record["comparator"]), polarity)
    return row | {
        "lower_95": round(interval.lower, 3),
        "upper_95": round(interval.upper, 3),
        "compared": direction,
        "rag": colour,
        "red_red": colour == "red" and worse == "red",
    }


def _interval(record: dict[str, Any], z: float) -> sig.Interval | None:
    """The area's interval in the measure's unit, or None where it has none."""
    unit, count, total = record["unit"], record["area_numerator"], record["area_denominator"]
    if unit not in SCALE or not count or not total:
        return None
    found = sig.wilson(count, total, z) if unit == "%" else sig.byar(count, total, z)
    return sig.Interval(found.lower * SCALE[unit], found.upper * SCALE[unit])
