"""Counts and rates by area, segment, age band, sex, deprivation - disclosure-controlled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet
from icsatlas.population import areas, dataset, publish
from icsatlas.population.conditions import BY_COLUMN
from icsatlas.population.summary import (
    Options,
    Summary,
    area_labels,
    coverage_notes,
    rows,
    summarise,
)
from icsatlas.results import Result

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

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
    params: ParameterSet,
    geography: Geography,
    level: str = "icb",
    by: Sequence[str] = (),
    focus: areas.Focus | None = None,
    measures: Sequence[str] = DEFAULT_MEASURES,
    options: Options | None = None,
) -> Result:
    """People by area of ``level`` in ``geography`` (or in one area, ``focus``, named in the
    title) and the
    dimensions ``by``, with the count and percentage of each measure (short labels: LTCs =
    long-term conditions, frail or EoL = moderate/severe frailty or end of life, risk 20%+ =
    risk of an unplanned admission in 12 months of 20% or more, CMS = Cambridge score).
    A measure is a condition column or one of :data:`DEFAULT_MEASURES`, ``core20_people``,
    ``pregnant``."""
    for measure in measures:
        if measure not in _LABELS and measure not in BY_COLUMN:
            raise InputError(f"unknown measure {measure!r}", field="measure")
    breakdowns = [tuple(by), ()] if by else [()]
    summary = summarise(
        population,
        level,
        breakdowns,
        params=params,
        geography=geography,
        options=options,
        focus=focus,
        only_focus=True,
    )
    frame, totals = rows(summary, by), rows(summary)
    if focus is not None:
        frame, totals = frame[frame.in_focus == 1], totals[totals.in_focus == 1]
    labels = _labels(frame, by, summary)
    rule = publish.Rule.of(params)
    public = _public(frame, totals, labels, by, measures, rule)
    return Result(
        public,
        summary.provenance,
        title=_title(summary, by),
        notes=(*(focus.notes if focus else ()), *coverage_notes(population), rule.describe()),
    )


def _labels(frame: pd.DataFrame, by: Sequence[str], summary: Summary) -> pd.DataFrame:
    dims = frame[list(by)].reset_index(drop=True)
    if summary.lookup is None:
        return dims
    return pd.concat([area_labels(frame, summary.lookup), dims], axis=1)


def _public(
    frame: pd.DataFrame,
    totals: pd.DataFrame,
    labels: pd.DataFrame,
    by: Sequence[str],
    measures: Sequence[str],
    rule: publish.Rule,
) -> pd.DataFrame:
    table = publish.Table(labels, rule).count("people", frame.people)
    if by:
        key = "in_focus" if "in_focus" in frame.columns else "area_code"
        area_people = frame[key].map(totals.set_index(key).people)
        table.count("area_people", area_people).ratio(
            "pct_of_area", "people", "area_people", scale=100, digits=2
        )
    for measure in measures:
        label = _LABELS.get(measure) or BY_COLUMN[measure].label.lower()
        table.count(label, _measure(frame, measure))
        table.ratio(f"% {label}", label, "people", scale=100, digits=2)
    table.count("CMS points", frame.cms_x100.astype(float) / 100)
    return table.ratio("mean CMS", "CMS points", "people", digits=3).frame


def _measure(frame: pd.DataFrame, measure: str) -> pd.Series:
    if measure == "risk_high_or_above":
        return frame.risk_high + frame.risk_very_high
    return frame[measure]


def _title(summary: Summary, by: Sequence[str]) -> str:
    where = summary.focus.label if summary.focus else f"every {_level_name(summary)}"
    split = f" by {', '.join(by)}" if by else ""
    return f"Population of {where}{split} on {summary.settings.on.isoformat()}"


def _level_name(summary: Summary) -> str:
    return summary.lookup.name if summary.lookup else "area"
