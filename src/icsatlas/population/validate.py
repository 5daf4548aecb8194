"""``icsatlas population validate``: does a population reproduce the figures it was built from?

Checks, each with its expected value, the value found and the tolerance:

* people per ICB and per sub-ICB location x sex x single year of age: exact (the source
  counts, scaled by the generation fraction with the generator's own rounding);
* people per practice: exact (the sub-ICB's people split by list size);
* prevalence of every QOF condition per ICB, among the register's ages: within
  ``population.validation.prevalence_tolerance`` of QOF 2024/25 as published per ICB, or
  of four standard errors of sampling when that is wider (small ``--fraction`` runs; with
  about 750 prevalence checks, four keeps the chance of a false failure near 5%);
* national figures used as assumptions: eFI category shares of people 65+, emergency
  admissions per person, pregnancies, Core20 share.

For an imported extract the same comparisons are reported but do not fail: a real register
differs from the published aggregates for good reasons (date, list cleaning).

Each check's status is judged on the exact figures; what is shown passes the publishing
boundary (:mod:`icsatlas.population.publish`): a found count and its difference from the
expected one are published (1-7 suppressed, others rounded to 5); a found share is a ratio
of published counts, and its difference is the shown value minus the expected one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icsatlas.names import short_name
from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, generate, publish, sources
from icsatlas.population.conditions import QOF_CONDITIONS
from icsatlas.population.engine import DuckDBEngine
from icsatlas.population.model import FRAILTY_CATEGORIES
from icsatlas.population.summary import coverage_notes
from icsatlas.provenance import Provenance
from icsatlas.register import geography
from icsatlas.results import Result

SAMPLING_ERRORS = 4  # standard errors of sampling a prevalence check allows
COLUMNS = ["check", "area", "expected", "found", "difference", "tolerance", "status"]
SHOWN = ["check", "ods_code", "area", *COLUMNS[2:]]


@dataclass(frozen=True)
class Validation:
    result: Result

    @property
    def failed(self) -> int:
        return int((self.result.frame.status == "fail").sum())


def validate(population: dataset.Dataset, *, params: ParameterSet) -> Validation:
    """Every check on ``population``; ``failed`` counts the checks outside tolerance."""
    rule = publish.Rule.of(params)
    with DuckDBEngine() as engine:
        engine.use_population(population)
        checks = [
            *_people_per_icb(engine, population, rule),
            *_age_sex_cells(engine, population, rule),
            *(_practices(engine, population, rule) if population.kind == "synthetic" else []),
            *_prevalence(engine, population, rule, params),
            *(_national(engine, population, rule, params) if population.covers_england else []),
            _core20(engine, population, rule),
        ]
    frame = publish.attach(
        _named(pd.DataFrame(checks, columns=COLUMNS)),
        rule,
        counts=[],
        derived={
            "found": {
                "kind": "published count (checks of people, pregnant women, cells or "
                "practices) or ratio of published counts (shares, prevalence, per person)",
                "inputs": [],
            },
            "difference": {
                "kind": "published count (count checks) or found - expected (shares)",
                "inputs": ["found", "expected"],
            },
        },
    )
    if population.kind != "synthetic":
        frame["status"] = frame.status.replace({"fail": "differs", "pass": "agrees"})
    passed = int((frame.status == "pass").sum())
    return Validation(
        Result(
            frame,
            generate.provenance_of(population, params).merged(
                Provenance(engine="duckdb", parameters=params.fingerprint)
            ),
            title=f"Validation of {population.name!r}: {passed} of {len(frame)} checks pass",
            notes=(
                "Counts are exact by construction; prevalence tolerance: "
                + _tolerance_text(params)
                + ", or 4 sampling standard errors if wider; national assumptions within the "
                "stated tolerances.",
                "Status is judged on the exact figures; found values are published "
                "(counts suppressed 1-7 and rounded to 5, shares from published counts).",
                *coverage_notes(population),
            ),
        )
    )


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    """ICB checks get the ICB's ``ods_code`` and short name; others keep their label."""
    names = geography.icbs(sources.EXTRACT_DATE).set_index("icb_ods").icb_name
    icb = frame.area.isin(names.index)
    frame.insert(1, "ods_code", frame.area.where(icb, None))
    frame["area"] = frame.area.where(~icb, frame.area.map(names).map(short_name))
    return frame[SHOWN]


def _tolerance_text(params: ParameterSet) -> str:
    tolerance = params.value("population.validation.prevalence_tolerance")
    return (
        f"max({tolerance['absolute_pp']} percentage points, "
        f"{100 * tolerance['relative']:.0f}% of the published prevalence)"
    )


def _check(name, area, expected, found, tolerance, shown, digits: int = 4) -> tuple:
    """A check of a share judged on the exact ``found``, showing ``shown`` (a ratio of
    published counts) and its difference from the expected value."""
    status = _status(found - expected, tolerance)
    difference = None if shown is None else round(shown - expected, digits)
    return (name, area, expected, shown, difference, tolerance, status)


def _count_check(name, area, expected, found, tolerance, rule: publish.Rule) -> tuple:
    """A check of a count judged on the exact ``found``; the count and its difference
    from the expected one are both published (a difference of 1-7 either way is
    suppressed)."""
    difference = found - expected
    magnitude = publish.published_value(abs(difference), rule)
    shown_difference = None if magnitude is None else int(np.sign(difference)) * magnitude
    return (
        name,
        area,
        expected,
        publish.published_value(found, rule),
        shown_difference,
        tolerance,
        _status(difference, tolerance),
    )


def _status(difference: float, tolerance: float) -> str:
    return "pass" if abs(difference) <= tolerance + 1e-12 else "fail"


def _fraction(population: dataset.Dataset) -> float:
    return float(population.manifest.get("fraction", 1.0))


def _held_sub_icbs(population: dataset.Dataset) -> list[str]:
    return population.sub_icbs


def _people_per_icb(engine, population, rule: publish.Rule) -> list[tuple]:
    found = engine.query("SELECT icb_code, COUNT(*) AS people FROM population GROUP BY icb_code")
    found = dict(zip(found.icb_code, found.people.astype(int), strict=True))
    counts = sources.count_matrix(sources.registered_counts())
    tree = geography.sub_icb_tree(sources.EXTRACT_DATE)
    held = set(_held_sub_icbs(population))
    expected: dict[str, int] = {}
    for row in tree.itertuples():
        if row.sub_icb_ods in held:
            scaled = generate.scale_counts(counts[row.sub_icb_ods], _fraction(population))
            expected[row.icb_ods] = expected.get(row.icb_ods, 0) + int(scaled.sum())
    return [
        _count_check("people per ICB", icb, expected[icb], found.get(icb, 0), 0, rule)
        for icb in sorted(set(expected) | set(found))
        if icb in expected
    ]


def _age_sex_cells(engine, population, rule: publish.Rule) -> list[tuple]:
    found = engine.query(
        "SELECT sub_icb_code, sex, LEAST(age, 95) AS age, COUNT(*) AS people "
        "FROM population GROUP BY 1, 2, 3"
    )
    counts = sources.count_matrix(sources.registered_counts())
    mismatched = 0
    cells = 0
    lookup = {(r.sub_icb_code, r.sex, int(r.age)): int(r.people) for r in found.itertuples()}
    for code in _held_sub_icbs(population):
        scaled = generate.scale_counts(counts[code], _fraction(population))
        for s, sex in enumerate(sources.SEXES):
            for age in sources.AGES:
                cells += 1
                mismatched += lookup.get((code, sex, int(age)), 0) != int(scaled[s, age])
    name = "sub-ICB x sex x age cells that differ"
    return [_count_check(name, f"{cells} cells", 0, mismatched, 0, rule)]


def _practices(engine, population, rule: publish.Rule) -> list[tuple]:
    found = engine.query("SELECT practice_code, COUNT(*) AS people FROM population GROUP BY 1")
    found = dict(zip(found.practice_code, found.people.astype(int), strict=True))
    practices = sources.practices()
    counts = sources.count_matrix(sources.registered_counts())
    mismatched = 0
    held = _held_sub_icbs(population)
    for code in held:
        own = practices[practices.sub_icb_ods == code]
        total = int(generate.scale_counts(counts[code], _fraction(population)).sum())
        sizes = generate.split(total, own.weight.to_numpy(dtype=float))
        mismatched += sum(
            found.get(p, 0) != n for p, n in zip(own.practice_code, sizes, strict=True)
        )
    n = int(practices.sub_icb_ods.isin(held).sum())
    name = "practices whose list size differs"
    return [_count_check(name, f"{n} practices", 0, mismatched, 0, rule)]


def _prevalence(engine, population, rule: publish.Rule, params: ParameterSet) -> list[tuple]:
    selects = ", ".join(
        f"COUNT_IF({c.column}) AS {c.column}, COUNT_IF(age >= {c.min_age}) AS {c.column}_eligible"
        for c in QOF_CONDITIONS
    )
    found = engine.query(f"SELECT icb_code, {selects} FROM population GROUP BY icb_code")  # noqa: S608 - column names and numbers from code and parameters
    published = sources.published_icb_prevalence()
    tolerance = params.value("population.validation.prevalence_tolerance")
    complete = _complete_icbs(population)
    checks = []
    for row in found.itertuples():
        if row.icb_code not in complete:
            continue
        for condition in QOF_CONDITIONS:
            match = published[
                (published.icb_ods == row.icb_code) & (published.group_code == condition.qof_code)
            ]
            if match.empty:
                continue
            expected = 100 * float(match.register.iloc[0] / match.list_size.iloc[0])
            cases = int(getattr(row, condition.column))
            eligible = int(getattr(row, f"{condition.column}_eligible"))
            shown_eligible = publish.published_value(eligible, rule)
            shown = publish.ratio_value(
                publish.published_value(cases, rule), shown_eligible, 100.0, 4
            )
            # the sampling allowance uses the published denominator: the raw one would be
            # recoverable from the tolerance shown
            sampling = (
                SAMPLING_ERRORS
                * 100
                * np.sqrt(expected / 100 * (1 - expected / 100) / max(shown_eligible or 1, 1))
            )
            allowed = max(
                float(tolerance["absolute_pp"]), float(tolerance["relative"]) * expected, sampling
            )
            checks.append(
                _check(
                    f"{condition.label} prevalence %",
                    row.icb_code,
                    round(expected, 4),
                    round(100 * cases / max(eligible, 1), 4),
                    round(allowed, 4),
                    shown,
                )
            )
    return checks


def _complete_icbs(population) -> set[str]:
    """ICBs all of whose sub-ICB locations the population holds."""
    tree = geography.sub_icb_tree(sources.EXTRACT_DATE)
    held = set(_held_sub_icbs(population))
    by_icb = tree.groupby("icb_ods").sub_icb_ods.apply(set)
    return {icb for icb, subs in by_icb.items() if subs <= held}


def _national(engine, population, rule: publish.Rule, params: ParameterSet) -> list[tuple]:
    row = engine.query(
        "SELECT COUNT(*) AS people, COUNT_IF(age >= 65) AS old, "  # noqa: S608 - column names and numbers from code and parameters
        + ", ".join(
            f"COUNT_IF(age >= 65 AND frailty_deficits {_between(i, params)}) AS {name}"
            for i, name in enumerate(FRAILTY_CATEGORIES)
        )
        + ", SUM(unplanned_admissions_12m) AS admissions, COUNT_IF(pregnant) AS pregnant, "
        "0 AS unused FROM population"
    ).iloc[0]
    people = publish.published_value(float(row.people), rule)
    old = publish.published_value(float(row.old), rule)
    shares = params.value("population.frailty.efi_category_shares")
    checks = [
        _check(
            f"eFI {name} share of people 65+",
            "England",
            float(shares[name]),
            round(float(row[name]) / max(float(row.old), 1), 4),
            0.02,
            publish.ratio_value(publish.published_value(float(row[name]), rule), old, 1.0, 4),
        )
        for name in FRAILTY_CATEGORIES
    ]
    per_person = sources.national_emergency_admissions() / sources.registered_total()
    admissions = publish.published_value(float(row.admissions), rule)
    checks.append(
        _check(
            "unplanned admissions per person",
            "England",
            round(per_person, 5),
            round(float(row.admissions) / float(row.people), 5),
            round(0.05 * per_person, 5),
            publish.ratio_value(admissions, people, 1.0, 5),
            digits=5,
        )
    )
    births = params.value("population.national.live_births_england_wales")
    share = params.value("population.national.england_share_of_england_wales_population")
    duration = params.value("population.national.pregnancy_share_of_year")
    # expected from the published number of people: the raw one would be recoverable from it
    expected = births * share * duration * (people or 0) / sources.registered_total()
    checks.append(
        _count_check(
            "pregnant women",
            "England",
            round(expected),
            int(row.pregnant),
            round(0.05 * expected),
            rule,
        )
    )
    return checks


def _core20(engine, population, rule: publish.Rule) -> tuple:
    row = engine.query(
        "SELECT COUNT(*) AS people, COUNT_IF(imd_decile <= 2) AS core20 FROM population"
    ).iloc[0]
    found = float(row.core20) / float(row.people)
    expected = round(_core20_expected(population), 4)
    shown = publish.ratio_value(
        publish.published_value(float(row.core20), rule),
        publish.published_value(float(row.people), rule),
        1.0,
        4,
    )
    return _check("share living in Core20", "all held", expected, round(found, 4), 0.01, shown)


def _between(category: int, params: ParameterSet) -> str:
    thresholds = params.value("population.frailty.efi_category_thresholds")
    bounds = [-1, thresholds["fit"], thresholds["mild"], thresholds["moderate"], 36]
    return f"BETWEEN {bounds[category] + 1} AND {bounds[category + 1]}"


def _core20_expected(population) -> float:
    """People in Core20 expected from each sub-ICB's LSOA populations by age group."""
    lsoas = sources.lsoas()
    counts = sources.count_matrix(sources.registered_counts())
    groups = sources.age_group_of(sources.AGES)
    core, total = 0.0, 0.0
    for code in _held_sub_icbs(population):
        own = lsoas[lsoas.sub_icb_ods == code]
        share = [
            float(own.loc[own.imd_decile <= 2, g].sum() / own[g].sum()) for g in sources.AGE_GROUPS
        ]
        by_age = counts[code].sum(axis=0)
        core += float((by_age * np.array(share)[groups]).sum())
        total += float(by_age.sum())
    return core / total


def summary(result: Result) -> Result:
    """A validation for reading: one row per kind of check (how many pass, the worst one's
    share of its tolerance, ``fail`` if any fails), every failing check in the notes."""
    frame = result.frame.assign(
        kind=result.frame.check.str.replace(
            r"^.* prevalence %$", "prevalence of each QOF register %", regex=True
        ),
        used=(
            pd.to_numeric(result.frame.difference).abs()
            / result.frame.tolerance.where(result.frame.tolerance > 0)
        ),
    )
    grouped = frame.groupby("kind", sort=False).agg(
        checks=("status", "size"),
        passed=("status", lambda s: int((s == "pass").sum())),
        status=("status", lambda s: "fail" if (s == "fail").any() else s.iloc[0]),
        worst_share_of_tolerance=("used", "max"),
    )
    failing = result.frame[result.frame.status == "fail"]
    notes = [*result.notes, "Every check: --all (or --format csv/json)."]
    notes += [
        f"FAIL {r.check} {r.area}: expected {r.expected}, found {r.found}"
        for r in failing.itertuples()
    ]
    return Result(grouped.reset_index(), result.provenance, result.title, notes)
