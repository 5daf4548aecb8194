"""Core20 versus the rest: gaps per segment and condition, and the Core20PLUS5 clinical areas.

Core20 is the most deprived 20% of LSOAs nationally (IMD 2019 deciles 1-2). Because Core20
populations are younger, every gap is shown crude and directly age-sex standardised to
England's registered population (August 2026, 5-year bands by sex): a standardised gap is
what remains once the age and sex mix is evened out.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from icsatlas.population import areas, dataset, disclosure, pipeline, sources
from icsatlas.population.conditions import CONDITIONS
from icsatlas.population.summary import Options, Summary, rows, summarise
from icsatlas.results import Result

_BREAKDOWN = ("core20", "age_band", "sex")


def standard_population() -> pd.DataFrame:
    """England's registered population by age band and sex (the standard)."""
    counts = sources.registered_counts("ICB")
    band = np.minimum(counts.age // 5, len(pipeline.AGE_BANDS) - 1)
    grouped = counts.assign(age_band=band.map(pipeline.age_band_label)).groupby(["age_band", "sex"])
    return grouped.patients.sum().rename("standard").reset_index()


def inequalities(
    population: dataset.Dataset,
    area: str | None = None,
    *,
    level: str = "country",
    options: Options | None = None,
) -> Result:
    """Core20 v rest, crude and standardised, for each segment and condition in ``area``
    (default: everyone in the population)."""
    options = options or Options()
    summary, focus = _core20_summary(population, area, level, options)
    frame = _gaps(_cells(summary, focus))
    where = focus.name if focus else "the whole population"
    return Result(
        frame,
        summary.provenance,
        title=f"Core20 v rest in {where} on {summary.settings.on.isoformat()} (per 100 people)",
        notes=(
            "Rates per 100 registered people of all ages; standardised rates are directly "
            "age-sex standardised to England's registered population (August 2026).",
            "gap = Core20 minus rest (standardised, percentage points); ratio = Core20 / rest.",
            disclosure.Rule.load().describe(),
        ),
    )


def _core20_summary(population, area, level, options) -> tuple[Summary, areas.AreaFilter | None]:
    on = options.on or date.today()
    focus = areas.find(area, on) if area else None
    breakdowns = [_BREAKDOWN, ("core20", "life_stage", "sex")]
    return summarise(
        population, level, breakdowns, options=options, focus=focus, only_focus=True
    ), focus


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


def _gaps(cells: pd.DataFrame) -> pd.DataFrame:
    rule = disclosure.Rule.load()
    standard = standard_population()
    cells = cells.merge(standard, on=["age_band", "sex"], how="left")
    out = []
    for measure in _measures(cells):
        if measure == "people":
            continue
        kind, name = _describe(measure)
        row = {"kind": kind, "measure": name}
        for group in ("Core20", "Rest"):
            own = cells[cells.core20 == group]
            count = disclosure.count(pd.Series([own[measure].sum()]), rule).iloc[0]
            people = disclosure.count(pd.Series([own.people.sum()]), rule).iloc[0]
            row[f"{group.lower()}_people"] = people
            row[f"{group.lower()}_count"] = count
            row[f"{group.lower()}_crude"] = _ratio(count, people)
            row[f"{group.lower()}_standardised"] = _protected_rate(own, measure, count)
        core, rest = row["core20_standardised"], row["rest_standardised"]
        row["gap"] = round(core - rest, 3) if core is not None and rest is not None else None
        row["ratio"] = round(core / rest, 3) if core is not None and rest else None
        out.append(row)
    frame = pd.DataFrame(out)
    for column in ("core20_crude", "rest_crude", "core20_standardised", "rest_standardised"):
        frame[column] = frame[column].astype(float).round(3)
    return frame


def _protected_rate(cells: pd.DataFrame, measure: str, count) -> float | None:
    """The standardised rate, unless its count was suppressed (then none)."""
    if pd.isna(count):
        return None
    return 0.0 if count == 0 else _standardised(cells, measure)


def _ratio(count, people) -> float | None:
    if pd.isna(count) or pd.isna(people) or not people:
        return None
    return 100.0 * float(count) / float(people)


def _standardised(cells: pd.DataFrame, measure: str) -> float:
    rates = cells[measure].astype(float) / cells.people.astype(float).replace(0, np.nan)
    weights = cells.standard.astype(float).where(rates.notna())
    return round(100.0 * float((rates.fillna(0) * weights.fillna(0)).sum() / weights.sum()), 4)


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
    area: str | None = None,
    *,
    level: str = "country",
    options: Options | None = None,
) -> Result:
    """For each Core20PLUS5 clinical area, the indicator this population supports (Core20
    v rest) or why none is available."""
    options = options or Options()
    summary, focus = _core20_summary(population, area, level, options)
    gaps = _gaps(_cells(summary, focus)).set_index("measure")
    stages = rows(summary, ("core20", "life_stage", "sex"))
    if focus is not None:
        stages = stages[stages.in_focus == 1]
    rule = disclosure.Rule.load()
    out = []
    for group, focus_area, measure, stage, caveat in PLUS5:
        row = {
            "population": group,
            "clinical_area": focus_area,
            "indicator": None,
            "core20": None,
            "rest": None,
            "gap": None,
            "note": caveat,
        }
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
    where = focus.name if focus else "the whole population"
    return Result(
        pd.DataFrame(out),
        summary.provenance,
        title=f"Core20PLUS5 clinical areas in {where}: Core20 v rest",
        notes=(
            "Only indicators the population's columns support are computed; the rest say what "
            "is missing.",
            rule.describe(),
        ),
    )


def _stage_rates(
    stages: pd.DataFrame, measure: str, stage: str, rule, women_only: bool = False
) -> dict:
    picked = stages[stages.life_stage == stage]
    if women_only:
        picked = picked[picked.sex == "F"]
    result = {}
    for group in ("Core20", "Rest"):
        own = picked[picked.core20 == group]
        count = disclosure.count(pd.Series([own[measure].sum()]), rule).iloc[0]
        people = disclosure.count(pd.Series([own.people.sum()]), rule).iloc[0]
        value = _ratio(count, people)
        result[group.lower()] = round(value, 3) if value is not None else None
    if result["core20"] is not None and result["rest"] is not None:
        result["gap"] = round(result["core20"] - result["rest"], 3)
    return result
