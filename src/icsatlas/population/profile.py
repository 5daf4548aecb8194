"""``icsatlas population profile --area X``: one area beside England, disclosure-controlled.

One pass over the population groups everyone as in the area or not; England (or, for a
population that covers less, everyone held) is the sum of both.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from icsatlas.population import areas, dataset, disclosure, need, pipeline
from icsatlas.population.conditions import CONDITIONS
from icsatlas.population.model import FRAILTY_CATEGORIES
from icsatlas.population.summary import Options, rows, summarise
from icsatlas.provenance import Provenance
from icsatlas.results import Result

SECTIONS = (
    "Population",
    "Segments (Bridges to Health)",
    "Long-term conditions (QOF registers)",
    "Multimorbidity and frailty",
    "Risk of unplanned admission (next 12 months)",
    "Need index (comparator = 1)",
)


def profile(population: dataset.Dataset, area: str, *, options: Options | None = None) -> Result:
    """The area's population, segments, conditions, frailty, risk and need beside England."""
    options = options or Options()
    on = options.on or date.today()
    focus = areas.find(area, on)
    summary = summarise(
        population, focus.level, [()], options=Options(on, *_rest(options)), focus=focus
    )
    totals = rows(summary)
    inside = totals[totals.in_focus == 1].sum(numeric_only=True)
    everyone = totals.sum(numeric_only=True)
    if inside.get("people", 0) == 0:
        from icsatlas.errors import NotFoundError

        raise NotFoundError(
            f"nobody in population {population.name!r} lives in {focus.name} on {on}"
        )
    rule = disclosure.Rule.load()
    lines = _lines(inside, everyone, rule, summary.settings.on)
    columns = ["section", "measure", "area", "comparator", "unit"]
    frame = pd.DataFrame(lines, columns=columns, dtype=object)  # counts stay integers
    comparator = "England" if population.covers_england else "everyone in this population"
    return Result(
        frame,
        summary.provenance.merged(Provenance(notes=(f"Comparator: {comparator}.",))),
        title=f"{focus.name} ({focus.code}) on {summary.settings.on}: beside {comparator}",
        notes=(rule.describe(),),
    )


def _rest(options: Options) -> tuple:
    return (options.engine, options.spark_master, options.hierarchy)


def _lines(inside: pd.Series, everyone: pd.Series, rule: disclosure.Rule, on: date) -> list[tuple]:
    lines: list[tuple] = []

    def share(
        section: str, label: str, numerator: str, denominator: str = "people", unit: str = "%"
    ) -> None:
        values = []
        for totals in (inside, everyone):
            top = disclosure.count(pd.Series([totals[numerator]]), rule)
            bottom = disclosure.count(pd.Series([totals[denominator]]), rule)
            values.append(_value(disclosure.rate(top, bottom)))
        lines.append((section, label, *values, unit))

    def count(section: str, label: str, column: str) -> None:
        values = [
            _value(disclosure.count(pd.Series([t[column]]), rule)) for t in (inside, everyone)
        ]
        lines.append((section, label, *values, "people"))

    population, segments_, ltc, multi, risk, need_ = SECTIONS
    count(population, "registered people", "people")
    share(population, "aged 65 and over", "aged_65_plus")
    share(population, "living in Core20 (IMD deciles 1-2)", "core20_people")
    share(population, "currently pregnant", "pregnant")
    for segment in pipeline.SEGMENT_IDS:
        share(segments_, segment.replace("_", " "), f"segment_{segment}")
    for condition in CONDITIONS:
        if not condition.from_qof:
            continue
        denominator = "people" if condition.min_age == 0 else f"aged_{condition.min_age}_plus"
        ages = "" if condition.min_age == 0 else f" (aged {condition.min_age}+)"
        share(ltc, f"{condition.label}{ages}", condition.column, denominator)
    for totals_line in _means(inside, everyone, rule):
        lines.append((multi, *totals_line))
    share(multi, "2 or more long-term conditions", "multimorbid")
    for category in FRAILTY_CATEGORIES:
        share(multi, f"eFI {category} (of people 65+)", f"frailty_{category}", "aged_65_plus")
    for band in pipeline.RISK_BANDS:
        share(risk, f"{band.replace('_', ' ')} risk", f"risk_{band}")
    lines.append(
        (
            risk,
            "expected unplanned admissions per 1,000",
            *_per_thousand(inside, everyone, rule, "expected_admissions_sum"),
            "per 1,000",
        )
    )
    lines.append(
        (
            risk,
            "unplanned admissions in last 12 months per 1,000",
            *_per_thousand(inside, everyone, rule, "admissions_12m"),
            "per 1,000",
        )
    )
    for name, value in _need(inside, everyone, on).items():
        lines.append((need_, name.replace("_", " "), value, 1.0, "index"))
    return lines


def _means(inside, everyone, rule) -> list[tuple]:
    values = [
        _value(disclosure.mean(pd.Series([t["cms_x100"]]), pd.Series([t["people"]]), rule, 0.01))
        for t in (inside, everyone)
    ]
    return [
        (
            "mean Cambridge Multimorbidity Score",
            *[round(v, 3) if v is not None else None for v in values],
            "score",
        )
    ]


def _per_thousand(inside, everyone, rule, column: str) -> list:
    values = []
    for totals in (inside, everyone):
        value = _value(
            disclosure.mean(
                pd.Series([totals[column]]), pd.Series([totals["people"]]), rule, 1000.0
            )
        )
        values.append(round(value, 1) if value is not None else None)
    return values


def _need(inside: pd.Series, everyone: pd.Series, on: date) -> dict[str, float]:
    frame = pd.DataFrame([inside, everyone]).assign(area_code=["area", "all"], area_name="")
    indices = need._indices(frame, everyone.astype(float), on)
    return {k: float(indices.loc[0, k]) for k in [*need.COMPONENTS, "need_index"]}


def _value(series: pd.Series):
    value = series.iloc[0]
    if pd.isna(value):
        return None
    return round(float(value), 3) if isinstance(value, float) else int(value)
