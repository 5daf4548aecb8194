"""Running the pipeline: one population, one engine, one date -> a labelled summary table.

:func:`summarise` returns *raw* totals for use inside the population layer only; every
public function publishes them through :mod:`icsatlas.population.publish` before returning.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from icsatlas.names import short_name
from icsatlas.parameters import ParameterSet
from icsatlas.population import areas, dataset, generate, pipeline
from icsatlas.population.engine import Engine, open_engine
from icsatlas.population.model import FRAILTY_CATEGORIES
from icsatlas.provenance import Provenance
from icsatlas.register import geography

_NO_ONS = ("pcn", "practice")  # areas known only by an ODS code
_NO_ODS = ("country", "local-authority")  # areas known only by an ONS code


@dataclass(frozen=True)
class Options:
    """How to run: which engine, and which date's geography."""

    on: date | None = None
    engine: str = "duckdb"
    spark_master: str | None = None


@dataclass(frozen=True)
class Summary:
    """Unprotected pipeline output (never shown as it is) and what produced it."""

    frame: pd.DataFrame
    settings: pipeline.Settings
    level: str
    provenance: Provenance
    focus: areas.AreaFilter | None = None


def summarise(
    population: dataset.Dataset,
    level: str,
    breakdowns: Sequence[Sequence[str]] = ((),),
    *,
    params: ParameterSet,
    options: Options | None = None,
    focus: areas.AreaFilter | None = None,
    only_focus: bool = False,
    engine: Engine | None = None,
    measures: Sequence[str] | None = None,
) -> Summary:
    """People of ``population`` by area of ``level`` on ``options.on`` (or, with ``focus``,
    in that area versus elsewhere) and by each breakdown. ``only_focus`` skips the stored
    ICB partitions that cannot hold anyone in ``focus`` (then "elsewhere" is incomplete)."""
    options = options or Options()
    on = options.on or date.today()
    settings = pipeline.Settings.load(on, params)
    lookup = areas.level_lookup(focus.level if focus else level, on)
    started = time.perf_counter()
    own = engine is None
    runner = engine or open_engine(options.engine, spark_master=options.spark_master)
    try:
        runner.use_population(population)
        runner.register("areas", lookup.table)
        sql = pipeline.summary_sql(
            settings,
            lookup.key,
            breakdowns,
            focus=focus.code if focus else None,
            partitions=_partitions(population, lookup, focus) if only_focus else None,
            only=measures,
        )
        raw = runner.query(sql)
    finally:
        if own:
            runner.close()
    elapsed = time.perf_counter() - started
    provenance = generate.provenance_of(population, params).merged(
        Provenance(
            parameters=params.fingerprint,
            engine=runner.name,
            elapsed_s=round(elapsed, 3),
            notes=(f"Areas as on {on.isoformat()} ({_geography(on)}).",),
        )
    )
    return Summary(label(raw, breakdowns), settings, level, provenance, focus)


def area_labels(frame: pd.DataFrame, level: str, on: date) -> pd.DataFrame:
    """``ons_code``, ``ods_code`` and short ``area_name`` of each row's area (a code is
    null where the area has none: PCNs and practices have no ONS code, England and local
    authorities no ODS code here)."""
    table = areas.level_lookup(level, on).table.drop_duplicates("area_code")
    ods = dict(zip(table.area_code, table.area_ods, strict=True))
    codes = frame.area_code.reset_index(drop=True)
    return pd.DataFrame(
        {
            "ons_code": None if level in _NO_ONS else codes,
            "ods_code": None if level in _NO_ODS else codes.map(ods),
            "area_name": frame.area_name.reset_index(drop=True).map(
                lambda n: short_name(n) if isinstance(n, str) else n
            ),
        }
    ).astype(object)


def coverage_notes(population: dataset.Dataset) -> tuple[str, ...]:
    """What the population covers, for every output's notes (a partial one says so)."""
    if population.is_partial:
        return (
            f"Partial population: {population.label} - figures describe {population.coverage}, "
            "not all of England.",
        )
    return (f"Population: {population.label}.",)


def _geography(on: date) -> str:
    return {"2022": "42 ICBs, July 2022 codes", "2023": "42 ICBs", "2026": "36 ICBs"}[
        geography.period(on)
    ]


def _partitions(
    population: dataset.Dataset, lookup: areas.Level, focus: areas.AreaFilter | None
) -> list[str] | None:
    """Stored ICB partitions that can hold people of ``focus`` (None: all of them)."""
    if focus is None or lookup.key != "practice_code" or focus.level == "country":
        return None
    practices = lookup.table.practice_code[lookup.table.area_code == focus.code]
    stored = geography.practice_lookup(generate.on_date(population))
    icbs = stored.icb_ods[stored.practice_code.isin(practices)].dropna().unique()
    return sorted(icbs)


def label(raw: pd.DataFrame, breakdowns: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Readable labels for coded dimensions, one missing-value marker (None) and one dtype
    per column whatever the engine, and a ``breakdown`` column naming each row's grouping
    ('' for totals)."""
    frame = raw.copy()
    used = [d for d in pipeline.DIMENSIONS if f"grouped_{d}" in frame.columns]
    names = pd.Series("", index=frame.index, dtype=object)
    for d in used:
        named = frame[f"grouped_{d}"].astype(int) == 0
        names = names.where(~named, names.where(names == "", names + "+") + d)
    frame.insert(0, "breakdown", names)
    frame = frame.drop(columns=[f"grouped_{d}" for d in used])
    for column, codes in _CODES.items():
        if column in frame.columns:
            frame[column] = frame[column].map(
                lambda v, n=codes: n.get(int(v)) if pd.notna(v) else None
            )
    if "imd_decile" in frame.columns:
        frame["imd_decile"] = pd.to_numeric(frame.imd_decile).astype("Int64")
    for column in ("sex", "ethnicity", "area_code", "area_name"):
        if column in frame.columns:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    for column in frame.columns:
        if column in pipeline.DIMENSIONS or column in ("breakdown", "area_code", "area_name"):
            continue
        if column == "in_focus":
            frame[column] = frame[column].astype(int)
        elif column.endswith("_sum"):
            frame[column] = frame[column].astype(float)
        else:
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame


_CODES = {
    "segment": dict(enumerate(pipeline.SEGMENT_IDS)),
    "age_band": {i: pipeline.age_band_label(i) for i in range(len(pipeline.AGE_BANDS))},
    "life_stage": dict(enumerate(pipeline.LIFE_STAGES)),
    "frailty": dict(enumerate(FRAILTY_CATEGORIES)),
    "risk_band": dict(enumerate(pipeline.RISK_BANDS)),
    "core20": {1: "Core20", 0: "Rest"},
}


def breakdown_key(dimensions: Sequence[str]) -> str:
    """How a breakdown is named in a summary's ``breakdown`` column ('' for totals)."""
    return "+".join(d for d in pipeline.DIMENSIONS if d in dimensions)


def rows(summary: Summary, dimensions: Sequence[str] = ()) -> pd.DataFrame:
    """The rows of one breakdown (none = totals), sorted by area then dimension order."""
    breakdown = breakdown_key(dimensions)
    frame = summary.frame[summary.frame.breakdown == breakdown].copy()
    keys = [c for c in ("in_focus", "area_code") if c in frame.columns]
    dims = [d for d in breakdown.split("+") if d]
    return frame.sort_values(keys + dims, key=_order, ignore_index=True)


def _order(column: pd.Series) -> pd.Series:
    orders = {
        "segment": pipeline.SEGMENT_IDS,
        "age_band": tuple(pipeline.age_band_label(i) for i in range(len(pipeline.AGE_BANDS))),
        "life_stage": pipeline.LIFE_STAGES,
        "frailty": FRAILTY_CATEGORIES,
        "risk_band": pipeline.RISK_BANDS,
        "core20": ("Core20", "Rest"),
    }
    order = orders.get(str(column.name))
    if order is None:
        return column
    return column.map(lambda v: order.index(v) if v in order else len(order))
