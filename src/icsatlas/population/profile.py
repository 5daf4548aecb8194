"""``icsatlas population profile --area X``: one area beside England's published figures.

Every area figure is published (:mod:`icsatlas.population.publish`): its numerator and
denominator are rounded totals and the figure is their ratio. The comparator is England as
published - QOF 2024/25 prevalence, GP registered patients by age (August 2026), IMD 2019
LSOA populations, the national emergency admissions and the national assumptions the
population was built from - not the generated sample. A measure with no published England
figure (segments, risk bands, Cambridge score: the model's own) is compared with the
synthetic England only when the population covers all of England, labelled so; otherwise it
has no comparator and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from icsatlas.errors import NotFoundError
from icsatlas.parameters import ParameterSet
from icsatlas.population import areas, dataset, need, pipeline, publish, sources
from icsatlas.population.conditions import CONDITIONS
from icsatlas.population.model import FRAILTY_CATEGORIES
from icsatlas.population.summary import Options, coverage_notes, rows, summarise
from icsatlas.provenance import Provenance
from icsatlas.results import Result

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

SECTIONS = (
    "Population",
    "Segments (Bridges to Health)",
    "Long-term conditions (QOF registers)",
    "Multimorbidity and frailty",
    "Risk of unplanned admission (next 12 months)",
    "Need index (comparator = 1)",
)
COLUMNS = [
    "section",
    "measure",
    "unit",
    "area",
    "area_numerator",
    "area_denominator",
    "comparator",
    "comparator_numerator",
    "comparator_denominator",
    "compared_with",
]
SCALE = {"%": 100.0, "per 1,000": 1000.0, "per person": 1.0}
DIGITS = {"%": 3, "per 1,000": 1, "per person": 3}
SYNTHETIC = "synthetic England (model)"
NONE_PUBLISHED = "none published (model only)"
REGISTERED = "GP registered patients"
QOF = "QOF 2024/25"
IMD = "IMD 2019 residents"
BIRTHS = "ONS births (assumption)"
EFI = "eFI shares (assumption)"
ADMISSIONS = "emergency admissions"
COMPARATORS = {
    REGISTERED: "NHS England's registered patients by age, England, August 2026",
    QOF: "QOF 2024/25 registers over eligible list sizes, the 36 ICBs summed",
    IMD: "IMD 2019: share of LSOA residents (mid-2015) in deciles 1-2, England",
    BIRTHS: "ONS 2023 live births x England's share x 40/52 over registered patients "
    "(population.national.*)",
    EFI: "national eFI category shares of people 65+ (population.frailty.efi_category_shares)",
    ADMISSIONS: "emergency admissions in England 2024/25 (A&E collection) per 1,000 "
    "registered patients",
    SYNTHETIC: "no published England figure: the generated population, as it covers England",
    NONE_PUBLISHED: "no published England figure, and this population does not cover England",
}


@dataclass(frozen=True)
class _Side:
    """Raw totals of the area and, when the population covers England, of everyone."""

    area: pd.Series
    england: pd.Series | None
    rule: publish.Rule


def profile(
    population: dataset.Dataset,
    focus: areas.Focus,
    *,
    params: ParameterSet,
    geography: Geography,
    options: Options | None = None,
) -> Result:
    """The population, segments, conditions, frailty, risk and need of the people of
    ``focus`` (an area in ``geography``) beside England."""
    summary = summarise(
        population,
        focus.kind,
        [()],
        params=params,
        geography=geography,
        options=options,
        focus=focus,
    )
    totals = rows(summary)
    inside = totals[totals.in_focus == 1].sum(numeric_only=True)
    if inside.get("people", 0) == 0:
        raise NotFoundError(
            f"nobody in population {population.name!r} is in {focus.label} on {geography.on}"
        )
    everyone = totals.sum(numeric_only=True)
    rule = publish.Rule.of(params)
    side = _Side(inside, everyone if population.covers_england else None, rule)
    lines = [
        *_population(side, params),
        *_segments(side),
        *_conditions(side),
        *_multimorbidity(side, params),
        *_risk(side),
        *_need(inside, everyone, rule, params, summary.settings.on, population),
    ]
    frame = publish.attach(
        pd.DataFrame(lines, columns=COLUMNS, dtype=object),
        rule,
        counts=["area_numerator", "area_denominator"],
        derived={
            "area": {
                "kind": "ratio by unit",
                "inputs": ["area_numerator", "area_denominator"],
                "scale": SCALE,
                "digits": DIGITS,
            },
            "comparator": {
                "kind": "published source, or ratio by unit of published synthetic totals",
                "inputs": ["comparator_numerator", "comparator_denominator"],
            },
        },
    )
    return Result(
        frame,
        summary.provenance.merged(Provenance(data=sources.cited(_COMPARATOR_SOURCES))),
        title=f"{focus.label} on {summary.settings.on}: beside England",
        notes=(
            *focus.notes,
            "Comparators are England's published figures where there are any; model-only "
            f"measures are compared with the {SYNTHETIC} only when the population covers all "
            "of England.",
            *(
                f"{label}: {meaning}."
                for label, meaning in COMPARATORS.items()
                if label in set(frame.compared_with)
            ),
            *coverage_notes(population),
            rule.describe(),
        ),
    )


_COMPARATOR_SOURCES = (sources.REGISTERED, sources.QOF_ICB, sources.IMD, sources.AE)


def _line(section, measure, unit, side: _Side, numerator, denominator, comparator) -> tuple:
    """One published line: the area's ratio of published totals, and the comparator's."""
    top = publish.published_value(float(side.area[numerator]), side.rule)
    bottom = publish.published_value(float(side.area[denominator]), side.rule)
    value = publish.ratio_value(top, bottom, SCALE[unit], DIGITS[unit])
    if comparator is None:
        comparator = _synthetic(side, numerator, denominator, unit)
    return (section, measure, unit, value, top, bottom, *comparator)


def _synthetic(side: _Side, numerator: str, denominator: str, unit: str) -> tuple:
    """The synthetic England's figure, published, or none when the population is partial."""
    if side.england is None:
        return (None, None, None, NONE_PUBLISHED)
    top = publish.published_value(float(side.england[numerator]), side.rule)
    bottom = publish.published_value(float(side.england[denominator]), side.rule)
    return (publish.ratio_value(top, bottom, SCALE[unit], DIGITS[unit]), top, bottom, SYNTHETIC)


def _published(numerator: float, denominator: float, unit: str, source: str) -> tuple:
    """A comparator published by its source (shown exactly: it is already public)."""
    value = round(SCALE[unit] * numerator / denominator, DIGITS[unit])
    return (value, _whole(numerator), _whole(denominator), source)


def _whole(number: float) -> float | int:
    """A published count as a whole number (an assumption's rate may not be one)."""
    return int(number) if float(number).is_integer() else number


def _population(side: _Side, params: ParameterSet) -> list[tuple]:
    section = SECTIONS[0]
    england = sources.registered_counts("ICB")
    total = int(england.patients.sum())
    people = publish.published_value(float(side.area.people), side.rule)
    births = float(params.value("population.national.live_births_england_wales"))
    share = float(params.value("population.national.england_share_of_england_wales_population"))
    duration = float(params.value("population.national.pregnancy_share_of_year"))
    lsoas = sources.lsoas()
    residents = lsoas[list(sources.AGE_GROUPS)].sum(axis=1)
    return [
        (
            section,
            "registered people",
            "people",
            people,
            people,
            None,
            total,
            total,
            None,
            REGISTERED,
        ),
        _line(
            section,
            "aged 65 and over",
            "%",
            side,
            "aged_65_plus",
            "people",
            _published(float(england.patients[england.age >= 65].sum()), total, "%", REGISTERED),
        ),
        _line(
            section,
            "living in Core20 (IMD deciles 1-2)",
            "%",
            side,
            "core20_people",
            "people",
            _published(
                float(residents[lsoas.imd_decile <= 2].sum()),
                float(residents.sum()),
                "%",
                IMD,
            ),
        ),
        _line(
            section,
            "currently pregnant",
            "%",
            side,
            "pregnant",
            "people",
            _published(
                births * share * duration,
                total,
                "%",
                BIRTHS,
            ),
        ),
    ]


def _segments(side: _Side) -> list[tuple]:
    return [
        _line(
            SECTIONS[1], segment.replace("_", " "), "%", side, f"segment_{segment}", "people", None
        )
        for segment in pipeline.SEGMENT_IDS
    ]


def _conditions(side: _Side) -> list[tuple]:
    published = (
        sources.published_icb_prevalence().groupby("group_code")[["register", "list_size"]].sum()
    )
    lines = []
    for condition in CONDITIONS:
        if not condition.from_qof:
            continue
        denominator = "people" if condition.min_age == 0 else f"aged_{condition.min_age}_plus"
        ages = "" if condition.min_age == 0 else f" (aged {condition.min_age}+)"
        england = published.loc[str(condition.qof_code)]
        comparator = _published(float(england.register), float(england.list_size), "%", QOF)
        lines.append(
            _line(
                SECTIONS[2],
                f"{condition.label}{ages}",
                "%",
                side,
                condition.column,
                denominator,
                comparator,
            )
        )
    return lines


def _multimorbidity(side: _Side, params: ParameterSet) -> list[tuple]:
    section = SECTIONS[3]
    shares = params.value("population.frailty.efi_category_shares")
    points = _Side(_with_points(side.area), _with_points(side.england), side.rule)
    lines = [
        _line(
            section,
            "mean Cambridge Multimorbidity Score",
            "per person",
            points,
            "cms_points",
            "people",
            None,
        ),
        _line(section, "2 or more long-term conditions", "%", side, "multimorbid", "people", None),
    ]
    for category in FRAILTY_CATEGORIES:
        comparator = (
            round(100 * float(shares[category]), DIGITS["%"]),
            None,
            None,
            EFI,
        )
        lines.append(
            _line(
                section,
                f"eFI {category} (of people 65+)",
                "%",
                side,
                f"frailty_{category}",
                "aged_65_plus",
                comparator,
            )
        )
    return lines


def _with_points(totals: pd.Series | None) -> pd.Series | None:
    """Totals with the Cambridge score in points (the pipeline sums hundredths)."""
    if totals is None:
        return None
    return pd.concat([totals, pd.Series({"cms_points": totals.cms_x100 / 100})])


def _risk(side: _Side) -> list[tuple]:
    section = SECTIONS[4]
    lines = [
        _line(section, f"{band.replace('_', ' ')} risk", "%", side, f"risk_{band}", "people", None)
        for band in pipeline.RISK_BANDS
    ]
    lines.append(
        _line(
            section,
            "expected unplanned admissions per 1,000",
            "per 1,000",
            side,
            "expected_admissions_sum",
            "people",
            None,
        )
    )
    admissions = _published(
        float(sources.national_emergency_admissions()),
        float(sources.registered_total()),
        "per 1,000",
        ADMISSIONS,
    )
    lines.append(
        _line(
            section,
            "unplanned admissions in last 12 months per 1,000",
            "per 1,000",
            side,
            "admissions_12m",
            "people",
            admissions,
        )
    )
    return lines


def _need(inside, everyone, rule, params, on: date, population: dataset.Dataset) -> list[tuple]:
    """The area's need indices relative to everyone in the population (England, for a
    population that covers it), from published totals as :func:`need.need_indices` does."""
    weights = params.value("population.need.component_weights", on)
    frame = pd.DataFrame([inside])
    table = need.published_indices(
        frame, pd.DataFrame(index=[0]), rule, weights, pd.DataFrame([everyone])
    )
    published = table.frame.iloc[0]
    roles = publish.roles(table.frame)["derived"]
    label = SYNTHETIC if population.covers_england else f"everyone in population {population.label}"
    lines = []
    for name in need.COMPONENTS:
        numerator = roles[name]["inputs"][0]
        comparator = roles[name]["comparator"]
        lines.append(
            (
                SECTIONS[5],
                name.replace("_", " "),
                "index",
                _float(published[name]),
                _int(published[numerator]),
                _int(published.people),
                1.0,
                *comparator,
                label,
            )
        )
    lines.append(
        (
            SECTIONS[5],
            "need index",
            "index",
            _float(published.need_index),
            None,
            None,
            1.0,
            None,
            None,
            label,
        )
    )
    return lines


def _float(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def by_section(result: Result) -> Result:
    """A profile for reading: one table per section (measure, area, comparator, unit and what
    it is compared with); numerators and denominators stay in the whole result."""
    shown = ["measure", "area", "comparator", "unit", "compared_with"]
    tables = [
        Result(rows[shown].reset_index(drop=True), title=str(section))
        for section, rows in result.frame.groupby("section", sort=False)
    ]
    first, *rest = tables
    title = f"{result.title}\n{first.title}"
    return Result(first.frame, result.provenance, title, result.notes, rest)
