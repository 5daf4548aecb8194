"""A population-derived need index per area, and how it compares with NHS England's.

Each component is an area's published numerator per published head divided by the same
for the comparator (all of England, or the whole population held when it covers less): 1.00
means average need, 1.20 a fifth more. The overall index weights the published components as
NHS England's core formula weights the components they are compared with (parameter
``population.need.component_weights``). Every count is published first
(:mod:`icsatlas.population.publish`), so an index is null where its numerator is suppressed.

===============  ====================================================  ==========================
component        per head                                               compared with (NHS England)
===============  ====================================================  ==========================
acute            expected unplanned admissions (risk model)             general and acute
multimorbidity   Cambridge Multimorbidity Score points                  prescribing
mental_health    severe mental illness (QOF mental health register)     mental health
community        moderate/severe frailty (eFI) or end of life           community services
maternity        currently pregnant                                     maternity
inequalities     living in a Core20 LSOA                                health inequalities
===============  ====================================================  ==========================

Other packages call :func:`need_indices` (finance compares allocations with it).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet
from icsatlas.population import areas, dataset, publish
from icsatlas.population.summary import (
    Options,
    Summary,
    area_labels,
    coverage_notes,
    rows,
    summarise,
)
from icsatlas.provenance import Provenance
from icsatlas.results import Result

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

# component -> (published numerator column, raw summary column, NHS England index it is
# compared with)
COMPONENTS = {
    "acute": ("expected_admissions", "expected_admissions_sum", "g_a_need_index"),
    "multimorbidity": ("cms_points", "cms_x100", "prescr_need_index"),
    "mental_health": ("severe_mental_illness", "mental_health_need", "mh_need_index"),
    "community": ("frail_or_eol", "community_need", "cs_need_index"),
    "maternity": ("pregnant", "pregnant", "mat_need_index"),
    "inequalities": ("core20_people", "core20_people", "health_ineq_need_index"),
}
OFFICIAL = "icb_allocation_need_indices_2023_24_to_2025_26"
_PLACES = ("sub-icb", "pcn", "practice")


def need_indices(
    population: dataset.Dataset | str = dataset.DEFAULT_NAME,
    level: str = "icb",
    *,
    params: ParameterSet,
    geography: Geography,
    options: Options | None = None,
) -> Result:
    """Need index components and overall index per area of ``level`` in ``geography`` (the
    register's on ``geography.on``).

    Returns a :class:`~icsatlas.results.Result` whose frame has ``ons_code``, ``ods_code``,
    ``area_name`` (and ``place_name`` for sub-ICB locations), ``people``, each component's
    published numerator, one index per component in :data:`COMPONENTS`, ``need_index`` and,
    for sub-ICB locations, PCNs and
    practices, ``icb_need_index`` and ``need_index_vs_icb`` (relative to the area's ICB).
    Every count is published (1-7 suppressed, others rounded to 5) and every index is
    computed from the published counts, so an index is null where its numerator is."""
    if isinstance(population, str):
        population = dataset.open_dataset(population)
    level = areas.check_level(level)
    summary = summarise(population, level, params=params, geography=geography, options=options)
    assert summary.lookup is not None
    frame = rows(summary)
    rule = publish.Rule.of(params)
    weights = params.value("population.need.component_weights", summary.settings.on)
    table = published_indices(frame, area_labels(frame, summary.lookup), rule, weights)
    if level in _PLACES:
        icbs = summarise(population, "icb", params=params, geography=geography, options=options)
        parent = _icb_indices(icbs, rule, weights)
        lookup = summary.lookup.table
        icb_of = lookup.drop_duplicates("area_code").set_index("area_code").icb_code
        table.figure(
            "icb_need_index",
            frame.area_code.map(icb_of).map(parent).to_numpy(),
            source="need_index of the area's ICB, from the ICB's published totals",
        ).quotient("need_index_vs_icb", "need_index", "icb_need_index")
    return Result(
        table.frame,
        summary.provenance.merged(Provenance(notes=_notes(population))),
        title=f"Population need index by {level} on {summary.settings.on} (comparator = 1)",
        notes=(
            "Components are published numerators per published head relative to the "
            "comparator's; overall index weighted as NHS England's core formula "
            "(population.need.component_weights).",
            *coverage_notes(population),
            rule.describe(),
        ),
    )


def published_indices(
    frame: pd.DataFrame,
    labels: pd.DataFrame,
    rule: publish.Rule,
    weights: dict,
    comparator: pd.DataFrame | None = None,
) -> publish.Table:
    """People and each component's numerator published, then the indices from them; the
    comparator (default: every row of ``frame``, i.e. everyone in the population) has its
    totals published the same way."""
    everyone = frame if comparator is None else comparator
    table = publish.Table(labels, rule).count("people", frame.people)
    people = publish.published_value(float(everyone.people.sum()), rule)
    for column, raw in _numerators(frame).items():
        table.count(column, raw)
    for name, (column, _, _) in COMPONENTS.items():
        total = publish.published_value(float(_numerators(everyone)[column].sum()), rule)
        table.index(name, column, "people", (total, people))
    return table.weighted("need_index", {name: weights[name] for name in COMPONENTS})


def _numerators(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Raw numerator of each component (Cambridge score in points, not hundredths)."""
    out = {}
    for column, raw, _ in COMPONENTS.values():
        values = frame[raw].astype(float)
        out[column] = values / 100 if raw == "cms_x100" else values
    return out


def _icb_indices(icbs: Summary, rule: publish.Rule, weights: dict) -> pd.Series:
    """Published need index of every ICB, by ONS code."""
    frame = rows(icbs)
    table = published_indices(frame, frame[["area_code"]], rule, weights)
    return table.frame.set_index("area_code").need_index


def _notes(population: dataset.Dataset) -> tuple[str, ...]:
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
    params: ParameterSet,
    geography: Geography,
    options: Options | None = None,
) -> Result:
    """The population-derived index beside NHS England's published need indices, per ICB
    NHS England allocated to in ``allocation_year``; ``geography`` is the register's on
    :func:`allocation_day` of that year (the 42 ICBs until 2025/26), with the correlation of
    each component."""
    if isinstance(population, str):
        population = dataset.open_dataset(population)
    year = _official_year(allocation_year)
    ours = need_indices(population, "icb", params=params, geography=geography, options=options)
    merged = ours.frame.merge(year, left_on="ons_code", right_on="icb_ons", how="inner")
    rule = publish.Rule(**publish.roles(ours.frame)["rule"])
    table = publish.Table(merged[["ons_code", "ods_code", "area_name"]], rule)
    table.count("people", merged.people)
    for name, (_, _, theirs) in {**COMPONENTS, "need_index": ("", "", "final_need_index")}.items():
        table.figure(name, merged[name], source="need_indices (published)")
        nhse = (merged[theirs] / _weighted_mean(year, theirs)).round(4)
        table.figure(f"{name}_nhse", nhse, source=f"NHS England {OFFICIAL}, rescaled")
    table.difference("difference", "need_index", "need_index_nhse")
    frame = table.frame
    stats = correlations(frame)
    ordered = frame.sort_values("need_index_nhse", ascending=False, ignore_index=True)
    ordered.attrs = frame.attrs
    return Result(
        ordered,
        ours.provenance.merged(Provenance(data={OFFICIAL: data.source(OFFICIAL).cite()})),
        title=f"Population-derived need index v NHS England need indices, {allocation_year}",
        notes=(
            *stats,
            "NHS England indices rescaled so their population-weighted mean is 1.",
            *coverage_notes(population),
        ),
    )


def _weighted_mean(year: pd.DataFrame, column: str) -> float:
    return float((year[column] * year.population).sum() / year.population.sum())


def allocation_day(allocation_year: str) -> date:
    """The middle of an allocation year NHS England published need indices for (the day whose
    geography the comparison uses)."""
    _official_year(allocation_year)
    return date(int(allocation_year[:4]), 9, 30)


def _official_year(allocation_year: str) -> pd.DataFrame:
    official = data.read(OFFICIAL)
    year = official[official.allocation_year == allocation_year]
    if year.empty:
        years = ", ".join(sorted(official.allocation_year.unique()))
        raise InputError(
            f"no official need indices for {allocation_year} (have {years})", field="year"
        )
    return year


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


def compact(result: Result) -> Result:
    """A comparison with NHS England for reading: the overall indices side by side, with
    both ranks (components are in the whole result)."""
    frame = result.frame
    side_by_side = pd.DataFrame(
        {
            "ICB": frame.area_name,
            "population index": frame.need_index,
            "NHS England index": frame.need_index_nhse,
            "difference": frame.difference,
            "rank (ours)": frame.need_index.rank(ascending=False).astype("Int64"),
            "rank (NHSE)": frame.need_index_nhse.rank(ascending=False).astype("Int64"),
        }
    )
    notes = (*result.notes, "Components side by side: --format csv or json.")
    return Result(side_by_side, result.provenance, result.title, notes)
