"""The population health pipeline as portable SQL: segmentation, scoring and aggregation.

One query, written once, runs unchanged on DuckDB and on Spark SQL. It works in three steps:

1. ``scored``: one row per person with the derived columns - age band, Core20, Cambridge
   Multimorbidity Score (in hundredths, so sums are exact integers), eFI category, Bridges
   to Health segment (first match in the priority hierarchy), unplanned-admission rate and
   risk, risk band;
2. the person's area on the chosen date, from a lookup joined on practice (or LSOA);
3. ``GROUPING SETS`` over the requested breakdowns, returning integer counts and sums (plus
   two floating-point sums: expected admissions and summed risk).

Everything a reader might want to check - every weight, threshold and rule - comes from the
parameters, and :func:`person_sql` prints as readable SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet
from icsatlas.population.conditions import CONDITIONS, QOF_CONDITIONS
from icsatlas.population.model import FRAILTY_CATEGORIES, normalised_hazard_ratios

AGE_BANDS = (*((start, start + 4) for start in range(0, 90, 5)), (90, None))
RISK_BANDS = ("low", "moderate", "high", "very_high")
DIMENSIONS = (
    "segment",
    "age_band",
    "life_stage",
    "sex",
    "imd_decile",
    "core20",
    "frailty",
    "risk_band",
    "ethnicity",
)
LIFE_STAGES = ("0-17", "18-64", "65+")
SEGMENT_IDS = (
    "end_of_life",
    "frailty_dementia",
    "organ_failure",
    "disability",
    "long_term_conditions",
    "maternal",
    "healthy",
)
DENOMINATOR_AGES = tuple(sorted({c.min_age for c in QOF_CONDITIONS} - {0}))


@dataclass(frozen=True)
class Segment:
    id: str
    label: str
    bridges_to_health: str
    snee: str
    rule: str  # SQL over the scored person


def segments(frailty_mild_max: int) -> dict[str, Segment]:
    """The Bridges to Health segments and their rules (docs/explanation/population-model.md)."""
    found = [
        Segment(
            "end_of_life",
            "End of life",
            "Short period of decline before dying",
            "Die well",
            "end_of_life",
        ),
        Segment(
            "frailty_dementia",
            "Frailty and dementia",
            "Long period of decline (frailty, dementia)",
            "Age well",
            f"dementia OR frailty_deficits > {frailty_mild_max}",
        ),
        Segment(
            "organ_failure",
            "Organ failure",
            "Limited reserve and serious exacerbations",
            "Stay well",
            "heart_failure OR ((copd OR chronic_kidney_disease) AND unplanned_admissions_12m >= 1)",
        ),
        Segment(
            "disability",
            "Disability",
            "Stable but significant disability",
            "Stay well",
            "learning_disability",
        ),
        Segment(
            "long_term_conditions",
            "Long-term conditions",
            "Chronic conditions, normal function",
            "Feel well",
            "long_term_conditions >= 1",
        ),
        Segment("maternal", "Maternal health", "Maternal and infant health", "Be well", "pregnant"),
        Segment("healthy", "Generally well", "Healthy", "Live well", "TRUE"),
    ]
    return {s.id: s for s in found}


@dataclass(frozen=True)
class Settings:
    """Every parameter the pipeline uses, fixed for one run."""

    on: date
    hierarchy: tuple[str, ...]
    cms_weights: dict[str, float]
    frailty_thresholds: tuple[int, int, int]
    hazard_ratios: tuple[float, ...]
    risk: dict[str, float]
    risk_bands: dict[str, float]

    @classmethod
    def load(cls, on: date, params: ParameterSet) -> Settings:
        thresholds = params.value("population.frailty.efi_category_thresholds", on)
        hazard = params.value("population.risk.efi_hospitalisation_hazard_ratios", on)
        shares = params.value("population.frailty.efi_category_shares", on)
        settings = cls(
            on=on,
            hierarchy=tuple(params.value("population.segmentation.hierarchy", on)),
            cms_weights=dict(params.value("population.cms.general_outcome_weights", on)),
            frailty_thresholds=(thresholds["fit"], thresholds["mild"], thresholds["moderate"]),
            hazard_ratios=normalised_hazard_ratios(hazard, shares),
            risk={k: float(v) for k, v in params.value("population.risk.coefficients", on).items()},
            risk_bands={k: float(v) for k, v in params.value("population.risk.bands", on).items()},
        )
        settings.check()
        return settings

    def check(self) -> None:
        known = segments(self.frailty_thresholds[1])
        if sorted(self.hierarchy) != sorted(known) or self.hierarchy[-1] != "healthy":
            raise InputError(
                f"the segment hierarchy must list each of {', '.join(known)} exactly once, "
                f"with healthy last (got {', '.join(self.hierarchy)})",
                field="hierarchy",
            )


def age_band_label(index: int) -> str:
    start, end = AGE_BANDS[index]
    return f"{start}-{end}" if end is not None else f"{start}+"


def _age_band_sql() -> str:
    return f"CAST(LEAST(FLOOR(age / 5.0), {len(AGE_BANDS) - 1}) AS INT)"


def _cms_sql(settings: Settings) -> str:
    terms = [
        f"CASE WHEN {column} THEN {round(100 * weight)} ELSE 0 END"
        for column, weight in settings.cms_weights.items()
    ]
    return " + ".join(terms)


def _frailty_sql(settings: Settings) -> str:
    fit, mild, moderate = settings.frailty_thresholds
    return (
        "CASE WHEN frailty_deficits IS NULL THEN NULL "
        f"WHEN frailty_deficits <= {fit} THEN 0 "
        f"WHEN frailty_deficits <= {mild} THEN 1 "
        f"WHEN frailty_deficits <= {moderate} THEN 2 ELSE 3 END"
    )


def _hazard_sql(settings: Settings) -> str:
    whens = " ".join(
        f"WHEN frailty = {i} THEN {_f(ratio)}" for i, ratio in enumerate(settings.hazard_ratios)
    )
    return f"CASE {whens} ELSE 1.0E0 END"


def _segment_sql(settings: Settings) -> str:
    known = segments(settings.frailty_thresholds[1])
    whens = " ".join(
        f"WHEN {known[s].rule} THEN {SEGMENT_IDS.index(s)}" for s in settings.hierarchy[:-1]
    )
    return f"CASE {whens} ELSE {SEGMENT_IDS.index(settings.hierarchy[-1])} END"


def _risk_band_sql(settings: Settings) -> str:
    bands = sorted(settings.risk_bands.items(), key=lambda kv: -kv[1])
    whens = " ".join(
        f"WHEN risk >= {_f(bound)} THEN {RISK_BANDS.index(name)}" for name, bound in bands[:-1]
    )
    return f"CASE {whens} ELSE {RISK_BANDS.index(bands[-1][0])} END"


def person_sql(settings: Settings, source: str = "population") -> str:
    """One row per person with every derived column (readable: print it)."""
    r = settings.risk
    cap = int(r["prior_admission_cap"])
    conditions = ", ".join(c.column for c in CONDITIONS)
    return f"""
WITH base AS (
  SELECT person_id, practice_code, lsoa_code, icb_code, age, sex, imd_decile, ethnicity,
         {conditions}, pregnant, frailty_deficits, unplanned_admissions_12m,
         {_age_band_sql()} AS age_band,
         CASE WHEN age < 18 THEN 0 WHEN age < 65 THEN 1 ELSE 2 END AS life_stage,
         CASE WHEN imd_decile IS NULL THEN NULL WHEN imd_decile <= 2 THEN 1 ELSE 0 END AS core20,
         {_cms_sql(settings)} AS cms_x100,
         {_ltc_count()} AS long_term_conditions,
         {_frailty_sql(settings)} AS frailty
  FROM {source}
),
segmented AS (
  SELECT base.*,
         {_segment_sql(settings)} AS segment,
         EXP({_f(r["intercept"])} + {_f(r["cms"] / 100)} * cms_x100
             + {_f(r["prior_admission"])} * LEAST(unplanned_admissions_12m, {cap})
             + {_f(r["core20"])} * COALESCE(core20, 0))
         * ({_hazard_sql(settings)}) AS admission_rate
  FROM base
),
scored AS (
  SELECT segmented.*, 1.0E0 - EXP(-admission_rate) AS risk
  FROM segmented
)
SELECT scored.*, {_risk_band_sql(settings)} AS risk_band FROM scored"""  # noqa: S608 - SQL from code and settings; an area code goes through _quote


def _count(condition: str) -> str:
    """People for whom ``condition`` is true. COUNT_IF exists in DuckDB and Spark SQL, but
    DuckDB's is NULL when every value is NULL and Spark's is 0: COALESCE makes them agree."""
    return f"CAST(COALESCE(COUNT_IF({condition}), 0) AS BIGINT)"


def measures(settings: Settings) -> dict[str, str]:
    """Output column -> SQL aggregate. All are integers except the two ``*_sum`` columns."""
    known = segments(settings.frailty_thresholds[1])
    out = {"people": "COUNT(*)"}
    for age in DENOMINATOR_AGES:
        out[f"aged_{age}_plus"] = _count(f"age >= {age}")
    for condition in CONDITIONS:
        out[condition.column] = _count(condition.column)
        if not condition.from_qof:
            out[f"{condition.column}_recorded"] = f"COUNT({condition.column})"
    for segment in known:
        out[f"segment_{segment}"] = _count(f"segment = {SEGMENT_IDS.index(segment)}")
    out["aged_65_plus"] = _count("age >= 65")
    for i, category in enumerate(FRAILTY_CATEGORIES):
        out[f"frailty_{category}"] = _count(f"frailty = {i}")
    for i, band in enumerate(RISK_BANDS):
        out[f"risk_{band}"] = _count(f"risk_band = {i}")
    out["cms_x100"] = "CAST(SUM(cms_x100) AS BIGINT)"
    out["multimorbid"] = _count("long_term_conditions >= 2")
    out["pregnant"] = _count("pregnant")
    out["core20_people"] = _count("core20 = 1")
    out["imd_recorded"] = "COUNT(imd_decile)"
    out["admissions_12m"] = "CAST(SUM(unplanned_admissions_12m) AS BIGINT)"
    out["admitted_12m"] = _count("unplanned_admissions_12m >= 1")
    out["mental_health_need"] = _count("severe_mental_illness")
    out["community_need"] = _count("frailty >= 2 OR end_of_life")
    out["expected_admissions_sum"] = "SUM(admission_rate)"
    out["risk_sum"] = "SUM(risk)"
    return out


LONG_TERM_CONDITIONS = tuple(
    c.column
    for c in CONDITIONS
    if c.column
    not in ("end_of_life", "learning_disability", "obesity", "non_diabetic_hyperglycaemia")
)


def _ltc_count() -> str:
    """How many long-term conditions a person has (the Cambridge score's conditions plus
    peripheral arterial disease and osteoporosis; not learning disability, obesity,
    non-diabetic hyperglycaemia or end of life)."""
    return " + ".join(f"CASE WHEN {c} THEN 1 ELSE 0 END" for c in LONG_TERM_CONDITIONS)


def summary_sql(
    settings: Settings,
    key: str,
    breakdowns: Sequence[Sequence[str]],
    *,
    focus: str | None = None,
    partitions: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
) -> str:
    """Aggregate people by area (from the ``areas`` lookup joined on ``key``) and each
    breakdown in one pass over the people. With ``focus`` (an area code), people are grouped
    as in that area or not, instead of by area. ``partitions`` limits the scan to those
    stored ICB partitions; ``only`` computes just those measures (default: all).

    With several breakdowns, people are first aggregated into cells of every dimension any
    breakdown uses, then ``GROUPING SETS`` sums the cells (every measure is additive), so
    each person is scored and counted once whatever the number of breakdowns."""
    for breakdown in breakdowns:
        for dimension in breakdown:
            if dimension not in DIMENSIONS:
                raise InputError(
                    f"unknown breakdown {dimension!r} (use {', '.join(DIMENSIONS)})", field="by"
                )
    where = ""
    if partitions is not None:
        where = "WHERE icb_code IN (" + ", ".join(_quote(p) for p in partitions) + ")"
    area = (
        f"CASE WHEN a.area_code = {_quote(focus)} THEN 1 ELSE 0 END AS in_focus"
        if focus is not None
        else "a.area_code, a.area_name"
    )
    keys = ["in_focus"] if focus is not None else ["area_code", "area_name"]
    used = [d for d in DIMENSIONS if any(d in b for b in breakdowns)]
    located = f"""
WITH people AS ({person_sql(settings, f"(SELECT * FROM population {where})")}),
located AS (
  SELECT {area}, p.*
  FROM people p LEFT JOIN areas a ON p.{key} = a.{key}
)"""  # noqa: S608 - SQL from code and settings; an area code goes through _quote
    columns = measures(settings)
    if only is not None:
        unknown = sorted(set(only) - set(columns))
        if unknown:
            raise InputError(f"unknown measures: {', '.join(unknown)}", field="measures")
        columns = {name: sql for name, sql in columns.items() if name in only}
    sets = ", ".join("(" + ", ".join([*keys, *b]) + ")" for b in breakdowns)
    flags = "".join(f", GROUPING({d}) AS grouped_{d}" for d in used)
    if len(breakdowns) == 1:
        aggregates = ",\n       ".join(f"{sql} AS {name}" for name, sql in columns.items())
        return f"""{located}
SELECT {", ".join(keys + used)}{flags},
       {aggregates}
FROM located
GROUP BY GROUPING SETS ({sets})"""  # noqa: S608 - SQL from code and settings; an area code goes through _quote
    cell_aggregates = ",\n       ".join(f"{sql} AS {name}" for name, sql in columns.items())
    sums = ",\n       ".join(_resum(name) for name in columns)
    return f"""{located},
cells AS (
  SELECT {", ".join(keys + used)},
       {cell_aggregates}
  FROM located
  GROUP BY {", ".join(keys + used)}
)
SELECT {", ".join(keys + used)}{flags},
       {sums}
FROM cells
GROUP BY GROUPING SETS ({sets})"""  # noqa: S608 - SQL from code and settings; an area code goes through _quote


def _resum(name: str) -> str:
    if name.endswith("_sum"):
        return f"SUM({name}) AS {name}"
    return f"CAST(SUM({name}) AS BIGINT) AS {name}"


def _f(value: float) -> str:
    """A DOUBLE literal in both engines (a plain ``0.5`` would be DECIMAL, which is slow)."""
    text = repr(float(value))
    return text if "e" in text else f"{text}E0"


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"
