"""A population-derived need index per area, and how it compares with NHS England's.

Each component is an area's rate per head divided by the same rate for the comparator (all
of England, or the whole population held when it covers less): 1.00 means average need,
1.20 a fifth more. The overall index weights the components as NHS England's core formula
weights the components they are compared with (parameter ``population.need.component_weights``).

===============  ====================================================  ==========================
component        per head                                               compared with (NHS England)
===============  ====================================================  ==========================
acute            expected unplanned admissions (risk model)             general and acute
multimorbidity   mean Cambridge Multimorbidity Score                    prescribing
mental_health    severe mental illness (QOF mental health register)     mental health
community        moderate/severe frailty (eFI) or end of life           community services
maternity        currently pregnant                                     maternity
inequalities     living in a Core20 LSOA                                health inequalities
===============  ====================================================  ==========================

Other packages call :func:`need_indices` (finance compares allocations with it).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from icsatlas import data, parameters
from icsatlas.errors import InputError
from icsatlas.population import dataset, disclosure
from icsatlas.population.summary import Options, Summary, rows, summarise
from icsatlas.provenance import Provenance
from icsatlas.results import Result

COMPONENTS = {
    "acute": ("expected_admissions_sum", "g_a_need_index"),
    "multimorbidity": ("cms_x100", "prescr_need_index"),
    "mental_health": ("mental_health_need", "mh_need_index"),
    "community": ("community_need", "cs_need_index"),
    "maternity": ("pregnant", "mat_need_index"),
    "inequalities": ("core20_people", "health_ineq_need_index"),
}
OFFICIAL = "icb_allocation_need_indices_2023_24_to_2025_26"
_PLACES = ("sub-icb", "pcn", "practice")


def need_indices(
    population: dataset.Dataset | str = dataset.DEFAULT_NAME,
    level: str = "icb",
    on: date | None = None,
    *,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> Result:
    """Need index components and overall index per area of ``level`` on ``on``.

    Returns a :class:`~icsatlas.results.Result` whose frame has ``area_code`` (ONS code,
    or ODS code for PCNs and practices), ``area_ods``, ``area_name``, ``people`` (rounded),
    one column per component in :data:`COMPONENTS`, ``need_index`` and, for sub-ICB
    locations, PCNs and practices, ``need_index_vs_icb`` (relative to the area's ICB).
    Areas of 7 people or fewer have no index (disclosure control)."""
    if isinstance(population, str):
        population = dataset.open_dataset(population)
    options = Options(on=on, engine=engine, spark_master=spark_master)
    summary = summarise(population, level, [()], options=options)
    frame = rows(summary)
    indices = _indices(frame, _comparator(frame), summary.settings.on)
    if level in _PLACES:
        indices["need_index_vs_icb"] = _relative_to_icb(population, frame, indices, options)
    rule = disclosure.Rule.load()
    small = frame.people.astype(float) <= rule.threshold
    indices.loc[
        small.to_numpy(), [c for c in indices.columns if c not in ("area_code", "area_name")]
    ] = np.nan
    indices.insert(2, "people", disclosure.count(frame.people, rule).reset_index(drop=True))
    indices.insert(1, "area_ods", _ods_codes(frame, level, summary.settings.on))
    return Result(
        indices,
        summary.provenance.merged(Provenance(notes=_notes(population, summary))),
        title=f"Population need index by {level} on {summary.settings.on} (comparator = 1)",
        notes=(
            "Components are rates per head relative to the comparator; overall index weighted "
            "as NHS England's core formula (population.need.component_weights).",
            rule.describe(),
        ),
    )


def _comparator(frame: pd.DataFrame) -> pd.Series:
    """Rates per head over everyone (areas sum to the whole population held)."""
    return frame[[*(c for c, _ in COMPONENTS.values()), "people"]].astype(float).sum()


def _indices(frame: pd.DataFrame, comparator: pd.Series, on: date) -> pd.DataFrame:
    weights = parameters.value("population.need.component_weights", on)
    total = sum(float(w) for w in weights.values())
    out = frame[["area_code", "area_name"]].copy()
    people = frame.people.astype(float).replace(0, np.nan)
    overall = 0.0
    for name, (column, _) in COMPONENTS.items():
        per_head = frame[column].astype(float) / people
        base = comparator[column] / comparator.people
        out[name] = (per_head / base).round(4)
        overall = overall + float(weights[name]) / total * per_head / base
    out["need_index"] = overall.round(4)
    return out.reset_index(drop=True)


def _relative_to_icb(population, frame, indices, options: Options) -> pd.Series:
    icb = summarise(population, "icb", [()], options=options)
    icb_rows = rows(icb)
    icb_index = _indices(icb_rows, _comparator(icb_rows), icb.settings.on).set_index("area_code")
    from icsatlas.population import areas

    lookup = areas.level_lookup(_level_of(frame, options), icb.settings.on).table
    parent = lookup.drop_duplicates("area_code").set_index("area_code").icb_code
    parents = frame.area_code.map(parent)
    return (indices.need_index / parents.map(icb_index.need_index).to_numpy()).round(4)


def _level_of(frame: pd.DataFrame, options: Options) -> str:
    code = str(frame.area_code.dropna().iloc[0])
    if code.startswith("E38"):
        return "sub-icb"
    return "pcn" if code.startswith("U") else "practice"


def _ods_codes(frame: pd.DataFrame, level: str, on: date) -> list:
    from icsatlas.population import areas

    table = areas.level_lookup(level, on).table.drop_duplicates("area_code")
    ods = dict(zip(table.area_code, table.area_ods, strict=True))
    return [ods.get(code) for code in frame.area_code]


def _notes(population: dataset.Dataset, summary: Summary) -> tuple[str, ...]:
    notes = ["Comparator: everyone in the population held."]
    if not population.covers_england:
        notes.append(
            "This population does not cover all of England: indices are relative to the areas "
            "it holds, not to England."
        )
    return tuple(notes)


def compare_with_official(
    population: dataset.Dataset | str = dataset.DEFAULT_NAME,
    allocation_year: str = "2025/26",
    *,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> Result:
    """The population-derived index beside NHS England's published need indices, per ICB of
    the allocation year's geography (42 ICBs), with the correlation of each component."""
    official = data.read(OFFICIAL)
    year = official[official.allocation_year == allocation_year]
    if year.empty:
        years = ", ".join(sorted(official.allocation_year.unique()))
        raise InputError(
            f"no official need indices for {allocation_year} (have {years})", field="year"
        )
    on = _mid_year(allocation_year)
    ours = need_indices(population, "icb", on, engine=engine, spark_master=spark_master)
    merged = ours.frame.merge(year, left_on="area_code", right_on="icb_ons", how="inner")
    columns = {"area_code": merged.area_code, "area_name": merged.area_name}
    for name, (_, theirs) in {**COMPONENTS, "need_index": ("", "final_need_index")}.items():
        columns[name] = merged[name]
        columns[f"{name}_nhse"] = (merged[theirs] / _weighted_mean(year, theirs)).round(4)
    frame = pd.DataFrame(columns)
    frame["difference"] = (frame.need_index - frame.need_index_nhse).round(4)
    stats = correlations(frame)
    return Result(
        frame.sort_values("need_index_nhse", ascending=False, ignore_index=True),
        ours.provenance.merged(Provenance(data={OFFICIAL: data.source(OFFICIAL).cite()})),
        title=f"Population-derived need index v NHS England need indices, {allocation_year}",
        notes=(*stats, "NHS England indices rescaled so their population-weighted mean is 1."),
    )


def _weighted_mean(year: pd.DataFrame, column: str) -> float:
    return float((year[column] * year.population).sum() / year.population.sum())


def _mid_year(allocation_year: str) -> date:
    start = int(allocation_year[:4])
    return date(start, 9, 30)


def correlations(frame: pd.DataFrame) -> list[str]:
    """Pearson and Spearman correlation of each component with NHS England's, across ICBs."""
    lines = []
    for name in [*COMPONENTS, "need_index"]:
        ours, theirs = frame[name].astype(float), frame[f"{name}_nhse"].astype(float)
        ok = ours.notna() & theirs.notna()
        if ok.sum() < 3:
            continue
        pearson = np.corrcoef(ours[ok], theirs[ok])[0, 1]
        spearman = np.corrcoef(ours[ok].rank(), theirs[ok].rank())[0, 1]
        mad = (ours[ok] - theirs[ok]).abs().mean()
        lines.append(
            f"{name}: Pearson r = {pearson:.2f}, Spearman rho = {spearman:.2f}, "
            f"mean absolute difference {mad:.3f} over {int(ok.sum())} ICBs"
        )
    return lines
