"""Core20 versus the rest: gaps per segment and condition, and the Core20PLUS5 clinical areas.

Core20 is the most deprived 20% of LSOAs nationally (IMD 2019 deciles 1-2). Because Core20
populations are younger, every gap is shown crude and directly age-sex standardised to
England's registered population (August 2026, 5-year bands by sex): a standardised gap is
what remains once the age and sex mix is evened out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from icsatlas.parameters import ParameterSet
from icsatlas.population import areas, dataset, pipeline, publish, sources
from icsatlas.population.conditions import CONDITIONS
from icsatlas.population.summary import Options, Summary, coverage_notes, rows, summarise
from icsatlas.results import Result

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

_BREAKDOWN = ("core20", "age_band", "sex")


def standard_population() -> pd.DataFrame:
    """England's registered population by age band and sex (the standard)."""
    counts = sources.registered_counts("ICB")
    band = np.minimum(counts.age // 5, len(pipeline.AGE_BANDS) - 1)
    grouped = counts.assign(age_band=band.map(pipeline.age_band_label)).groupby(["age_band", "sex"])
    return grouped.patients.sum().rename("standard").reset_index()


def inequalities(
    population: dataset.Dataset,
    focus: areas.Focus | None = None,
    *,
    params: ParameterSet,
    geography: Geography,
    options: Options | None = None,
) -> Result:
    """Core20 v rest, crude and standardised, for each segment and condition among the
    people of ``focus`` (default: everyone in the population)."""
    summary = _core20_summary(population, focus, params, geography, options)
    rule = publish.Rule.of(params)
    frame = _gaps(_cells(summary, focus), rule)
    where = focus.label if focus else "the whole population"
    return Result(
        frame,
        summary.provenance,
        title=f"Core20 v rest in {where} on {summary.settings.on.isoformat()} (per 100 people)",
        notes=(
            "Rates per 100 registered people of all ages; standardised rates are directly "
            "age-sex standardised to England's registered population (August 2026), from "
            "published cells (5-year age band x sex; a band with 1-7 cases or people is pooled "
            "with the next older one).",
            "gap = Core20 minus rest (standardised, percentage points); ratio = Core20 / rest.",
            *(focus.notes if focus else ()),
            *coverage_notes(population),
            rule.describe(),
        ),
    )


def _core20_summary(
    population: dataset.Dataset,
    focus: areas.Focus | None,
    params: ParameterSet,
    geography: Geography,
    options: Options | None,
) -> Summary:
    breakdowns = [_BREAKDOWN, ("core20", "life_stage", "sex")]
    return summarise(
        population,
        "country",
        breakdowns,
        params=params,
        geography=geography,
        options=options,
        focus=focus,
        only_focus=True,
    )


def _cells(summary: Summary, focus) -> pd.DataFrame:
    frame = rows(summary, _BREAKDOWN)
    if focus is not None:
        frame = frame[frame.in_focus == 1]
    frame = frame[frame.core20.notna()]
    keys = ["core20", "age_band", "sex"]
    return frame.groupby(keys, as_index=False)[_measures(frame)].sum()


def _measures(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("segment_") or c in _CONDITION_COLUMNS] + [
        "people"
    ]


_CONDITION_COLUMNS = tuple(c.column for c in CONDITIONS if c.from_qof)


def _gaps(cells: pd.DataFrame, rule: publish.Rule) -> pd.DataFrame:
    """One row per measure: each group's published people and count, crude rate from them,
    standardised rate from published cells, and the gap and ratio of the standardised."""
    cells = cells.merge(standard_population(), on=["age_band", "sex"], how="left")
    measures = [m for m in _measures(cells) if m != "people"]
    table = publish.Table(
        pd.DataFrame([_describe(m) for m in measures], columns=["kind", "measure"]), rule
    )
    for group in ("Core20", "Rest"):
        own = _in_age_order(cells[cells.core20 == group])
        prefix = group.lower()
        table.count(f"{prefix}_people", [own.people.sum()] * len(measures))
        table.count(f"{prefix}_count", [own[m].sum() for m in measures])
        table.ratio(f"{prefix}_crude", f"{prefix}_count", f"{prefix}_people", scale=100)
        cell_names = own.sex + " " + own.age_band
        counts = pd.DataFrame(own[measures].T.to_numpy(), columns=cell_names)
        table.standardised(
            f"{prefix}_standardised", counts, own.people, own.standard, strata=own.sex
        )
    table.difference("gap", "core20_standardised", "rest_standardised", digits=3)
    return table.quotient("ratio", "core20_standardised", "rest_standardised", digits=3).frame


def _in_age_order(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells by sex, then age band youngest first (bands sort wrongly as text)."""
    bands = [pipeline.age_band_label(i) for i in range(len(pipeline.AGE_BANDS))]
    order = cells.age_band.map(bands.index)
    return cells.assign(_order=order).sort_values(["sex", "_order"]).drop(columns="_order")


def _describe(measure: str) -> tuple[str, str]:
    if measure.startswith("segment_"):
        return "segment", measure.removeprefix("segment_")
    return "condition", measure


# Core20PLUS5 clinical areas (ICS-REFERENCE.md section 6) and what this population can show.
PLUS5 = (
    ("adults", "Maternity", "pregnant", None, "continuity of carer is not in the data"),
    (
        "adults",
        "Severe mental illness",
        "severe_mental_illness",
        None,
        "annual health checks are not in the data",
    ),
    ("adults", "Chronic respiratory disease", "copd", None, "vaccine uptake is not in the data"),
    ("adults", "Early cancer diagnosis", None, None, "stage at diagnosis is not in the data"),
    (
        "adults",
        "Hypertension case-finding",
        "hypertension",
        None,
        "recorded (diagnosed) prevalence only",
    ),
    ("children", "Asthma", "asthma", "0-17", "reliever over-use and attacks are not in the data"),
    ("children", "Diabetes", None, None, "QOF diabetes register starts at 17"),
    ("children", "Epilepsy", None, None, "QOF epilepsy register starts at 18"),
    ("children", "Oral health", None, None, "not in the data"),
    ("children", "Mental health", None, None, "not in the data"),
)


def core20plus5(
    population: dataset.Dataset,
    focus: areas.Focus | None = None,
    *,
    params: ParameterSet,
    geography: Geography,
    options: Options | None = None,
) -> Result:
    """For each Core20PLUS5 clinical area, the indicator this population supports (Core20
    v rest) or why none is available."""
    summary = _core20_summary(population, focus, params, geography, options)
    rule = publish.Rule.of(params)
    gaps = _gaps(_cells(summary, focus), rule).set_index("measure")
    stages = rows(summary, ("core20", "life_stage", "sex"))
    if focus is not None:
        stages = stages[stages.in_focus == 1]
    out = []
    for group, focus_area, measure, stage, caveat in PLUS5:
        row = dict.fromkeys(_PLUS5_COLUMNS)
        row.update(population=group, clinical_area=focus_area, note=caveat)
        if measure and stage:
            row.update(_stage_rates(stages, measure, stage, rule))
            row["indicator"] = f"{measure} prevalence aged {stage} (crude, per 100)"
        elif measure and measure in gaps.index:
            found = gaps.loc[measure]
            row.update(
                indicator=f"{measure} per 100 people (age-sex standardised)",
                core20=found.core20_standardised,
                rest=found.rest_standardised,
                gap=found.gap,
            )
        elif measure == "pregnant":
            row.update(_stage_rates(stages, "pregnant", "18-64", rule, women_only=True))
            row["indicator"] = "pregnant women per 100 women aged 18-64 (crude)"
        out.append(row)
    where = focus.label if focus else "the whole population"
    frame = publish.attach(
        pd.DataFrame(out, columns=_PLUS5_COLUMNS).astype(object),
        rule,
        counts=["core20_count", "core20_people", "rest_count", "rest_people"],
        derived={
            "core20": {
                "kind": "ratio or standardised",
                "inputs": ["core20_count", "core20_people"],
            },
            "rest": {"kind": "ratio or standardised", "inputs": ["rest_count", "rest_people"]},
            "gap": {"kind": "difference", "inputs": ["core20", "rest"], "digits": 3},
        },
    )
    return Result(
        frame,
        summary.provenance,
        title=f"Core20PLUS5 clinical areas in {where}: Core20 v rest",
        notes=(
            "Only indicators the population's columns support are computed; the rest say what "
            "is missing. Crude rates come with their published counts; standardised ones are "
            "those of `population inequalities`.",
            *(focus.notes if focus else ()),
            *coverage_notes(population),
            rule.describe(),
        ),
    )


_PLUS5_COLUMNS = [
    "population",
    "clinical_area",
    "indicator",
    "core20_count",
    "core20_people",
    "core20",
    "rest_count",
    "rest_people",
    "rest",
    "gap",
    "note",
]


def _stage_rates(
    stages: pd.DataFrame, measure: str, stage: str, rule, women_only: bool = False
) -> dict:
    """Crude rates per 100 of one life stage, Core20 and rest, from published totals."""
    picked = stages[stages.life_stage == stage]
    if women_only:
        picked = picked[picked.sex == "F"]
    result = {}
    for group in ("Core20", "Rest"):
        own = picked[picked.core20 == group]
        prefix = group.lower()
        count = publish.published_value(float(own[measure].sum()), rule)
        people = publish.published_value(float(own.people.sum()), rule)
        result.update(
            {
                f"{prefix}_count": count,
                f"{prefix}_people": people,
                prefix: publish.ratio_value(count, people, 100.0, 3),
            }
        )
    if result["core20"] is not None and result["rest"] is not None:
        result["gap"] = round(result["core20"] - result["rest"], 3)
    return result
