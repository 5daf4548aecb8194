"""Counts and rates by area, segment, age band, sex, deprivation - disclosure-controlled."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from icsatlas.errors import InputError
from icsatlas.names import short_name
from icsatlas.population import dataset, disclosure
from icsatlas.population.conditions import BY_COLUMN
from icsatlas.population.summary import Options, Summary, rows, summarise
from icsatlas.results import Result

DEFAULT_MEASURES = ("multimorbid", "community_need", "risk_high_or_above", "admitted_12m")
_LABELS = {
    "multimorbid": "2+ LTCs",
    "community_need": "frail or EoL",
    "risk_high_or_above": "risk 20%+",
    "admitted_12m": "admitted 12m",
    "core20_people": "Core20",
    "pregnant": "pregnant",
}


def aggregate(
    population: dataset.Dataset,
    *,
    level: str = "icb",
    by: Sequence[str] = (),
    area: str | None = None,
    measures: Sequence[str] = DEFAULT_MEASURES,
    options: Options | None = None,
) -> Result:
    """People by area of ``level`` (or in one ``area``, named in the title) and the
    dimensions ``by``, with the count and percentage of each measure (short labels: LTCs =
    long-term conditions, frail or EoL = moderate/severe frailty or end of life, risk 20%+ =
    risk of an unplanned admission in 12 months of 20% or more, CMS = Cambridge score).
    A measure is a condition column or one of :data:`DEFAULT_MEASURES`, ``core20_people``,
    ``pregnant``."""
    options = options or Options()
    for measure in measures:
        if measure not in _LABELS and measure not in BY_COLUMN:
            raise InputError(f"unknown measure {measure!r}", field="measure")
    focus = None
    if area:
        from icsatlas.population import areas as areas_module

        focus = areas_module.find(area, options.on or _today())
    summary = summarise(
        population, level, [tuple(by)], options=options, focus=focus, only_focus=True
    )
    frame = rows(summary, by)
    if focus is not None:
        frame = frame[frame.in_focus == 1].assign(area_code=focus.code, area_name=focus.name)
    public = _public(frame, by, measures, summary)
    if focus is not None:
        public = public.drop(columns=["area_code", "area_name"])
    return Result(
        public,
        summary.provenance,
        title=_title(summary, by, focus),
        notes=(disclosure.Rule.load().describe(),),
    )


def _public(
    frame: pd.DataFrame, by: Sequence[str], measures: Sequence[str], summary: Summary
) -> pd.DataFrame:
    rule = disclosure.Rule.load()
    out = frame[["area_code", "area_name", *by]].copy()
    out["area_name"] = out.area_name.map(short_name)
    people = disclosure.count(frame.people, rule)
    out["people"] = people
    totals = people.groupby(frame.area_code.to_numpy()).transform("sum")
    out["pct_of_area"] = disclosure.rate(people, totals).round(2) if by else None
    for measure in measures:
        raw = _measure(frame, measure)
        count = disclosure.count(raw, rule)
        label = _LABELS.get(measure) or BY_COLUMN[measure].label.lower()
        out[label] = count
        out[f"% {label}"] = disclosure.rate(count, people).round(2)
    out["mean CMS"] = disclosure.mean(frame.cms_x100, frame.people, rule, 0.01).round(3)
    if not by:
        out = out.drop(columns="pct_of_area")
    return out.reset_index(drop=True)


def _measure(frame: pd.DataFrame, measure: str) -> pd.Series:
    if measure == "risk_high_or_above":
        return frame.risk_high + frame.risk_very_high
    return frame[measure]


def _title(summary: Summary, by: Sequence[str], focus) -> str:
    where = focus.name if focus is not None else f"every {summary.level}"
    split = f" by {', '.join(by)}" if by else ""
    return f"Population of {where}{split} on {summary.settings.on.isoformat()}"


def _today():
    from datetime import date

    return date.today()
