"""Issue 9, section 2: every public population function - the domain API, the Workspace's
``ws.population`` and the CLI over it - publishes only through the publishing boundary. On
small hand-made populations whose counts sit around the suppression threshold (drawn by
hypothesis), every output

* has no count from 1 to 7 and every count a multiple of 5 (OpenSAFELY's rule, as ehrQL's
  ``measures/disclosure_control.py`` applies it);
* derives every rate, share, mean and index from published counts only: each equals its
  formula over the published columns (so it carries no more than they do), and is null
  wherever an input is suppressed;
* declares every numeric column (a new column that is neither a published count nor a
  declared derivation fails).

:data:`icsatlas.population.PUBLISHED` lists the public functions; a function added to it (or a
public method of :class:`~icsatlas.workspace.population.PopulationQuestions`, or a population
CLI command) without a case here fails :func:`test_every_public_function_is_covered`.
"""

from __future__ import annotations

import itertools
import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from icsatlas import population as api
from icsatlas.cli import app
from icsatlas.cli.population import app as population_app
from icsatlas.errors import NotFoundError
from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, publish, schema
from icsatlas.population.conditions import CONDITIONS
from icsatlas.population.need import allocation_day
from icsatlas.population.profile import SCALE
from icsatlas.population.summary import rows, summarise
from icsatlas.workspace.population import PopulationQuestions

PARAMS = ParameterSet.shipped()
ON = date(2026, 8, 1)
# practice, its sub-ICB location and ICB (NHS England practice map, August 2026): three in
# Shropshire, Telford and Wrekin (one sub-ICB location), two in another ICB
PRACTICES = (
    ("M82002", "M2L0M", "QOC"),
    ("M82003", "M2L0M", "QOC"),
    ("M82004", "M2L0M", "QOC"),
    ("A81001", "16C", "QHM"),
    ("A81002", "16C", "QHM"),
)
# LSOAs (2011) people live in, by sub-ICB location (ONS LSOA lookup, shipped): two in Shropshire
# and two in Telford and Wrekin (M2L0M's councils), two in Stockton-on-Tees (16C)
LSOAS = {
    "M2L0M": ("E01028826", "E01028827", "E01014203", "E01014153"),
    "16C": ("E01012201", "E01012202"),
}
LABELS = {  # numeric columns that are labels or published elsewhere, not figures about people
    "imd_decile",
    "expected",
    "tolerance",
    "fraction",
    "seed",
    "comparator",
    "comparator_numerator",
    "comparator_denominator",
    "checks",  # validation summary: numbers of checks, their worst use of tolerance
    "passed",
    "worst_share_of_tolerance",
}
COUNT_CHECKS = {
    "people per ICB",
    "pregnant women",
    "sub-ICB x sex x age cells that differ",
    "practices whose list size differs",
}
_names = itertools.count()


@st.composite
def small_populations(draw) -> list[dict]:
    """A few dozen people per practice at most, with rates that put counts near 7."""
    sizes = draw(
        st.lists(st.integers(0, 40), min_size=len(PRACTICES), max_size=len(PRACTICES)).filter(any)
    )
    rate = draw(st.sampled_from([0.0, 0.05, 0.15, 0.4]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    people = []
    for (practice, sub_icb, _), size in zip(PRACTICES, sizes, strict=True):
        for _ in range(size):
            age = int(rng.integers(0, 100))
            sex = "F" if rng.random() < 0.5 else "M"
            row = {c.name: None for c in schema.COLUMNS}
            row.update(
                practice_code=practice,
                sub_icb_code=sub_icb,
                lsoa_code=LSOAS[sub_icb][int(rng.integers(0, len(LSOAS[sub_icb])))],
                age=age,
                sex=sex,
                imd_decile=int(rng.integers(1, 11)),
                pregnant=bool(sex == "F" and 15 <= age <= 49 and rng.random() < 2 * rate),
                frailty_deficits=int(rng.integers(0, 20)) if age >= 65 else None,
                unplanned_admissions_12m=int(rng.poisson(rate)),
            )
            for condition in CONDITIONS:
                if condition.from_qof:
                    row[condition.column] = bool(age >= condition.min_age and rng.random() < rate)
            people.append(row)
    return people


def stored(people: list[dict]) -> dataset.Dataset:
    name = f"published-{next(_names)}"
    frame = pd.DataFrame(people, columns=schema.names())
    frame["person_id"] = np.arange(1, len(frame) + 1)
    by_icb = {}
    with dataset.writing(name, replace=True) as directory:
        for _, sub_icb, icb in PRACTICES:
            own = frame[frame.sub_icb_code == sub_icb]
            if icb in by_icb or own.empty:
                continue
            by_icb[icb] = len(own)
            table = pa.Table.from_pandas(own, schema=schema.arrow_schema(), preserve_index=False)
            pq.write_table(table, dataset.partition_dir(directory, icb) / "part.parquet")
        dataset.write_manifest(
            directory,
            {
                "name": name,
                "kind": "imported",
                "extract_date": ON.isoformat(),
                "rows": len(frame),
                "rows_by_icb": by_icb,
                "sub_icbs": sorted({s for _, s, _ in PRACTICES}),
            },
        )
    return dataset.open_dataset(name)


# -- the checks ------------------------------------------------------------------------


def is_count(value, rule) -> bool:
    """Null, 0, or a multiple of the base above the threshold."""
    if value is None or pd.isna(value):
        return True
    return float(value) % rule["base"] == 0 and not 0 < abs(float(value)) <= rule["threshold"]


def missing(*values) -> bool:
    return any(v is None or pd.isna(v) for v in values)


def same(value, expected, digits: int, exact: bool = True) -> bool:
    if expected is None:
        return value is None or pd.isna(value)
    if value is None or pd.isna(value):
        return False
    if exact:
        return float(value) == round(expected, digits)
    return abs(float(value) - expected) <= 0.5 * 10**-digits + 1e-9


def ratio(numerator, denominator, scale=1.0):
    if missing(numerator, denominator) or float(denominator) == 0:
        return None
    return scale * float(numerator) / float(denominator)


def check_published(frame: pd.DataFrame) -> None:
    roles = publish.roles(frame)
    rule = roles["rule"]
    for column in roles["counts"]:
        bad = [v for v in frame[column] if not is_count(v, rule)]
        assert not bad, f"{column}: {bad[:5]}"
    for name, role in roles["derived"].items():
        if name in frame.columns:
            CHECKS[role["kind"]](frame, name, role, rule)
    declared = set(roles["counts"]) | set(roles["derived"]) | LABELS
    for column in frame.columns:
        numbers = pd.to_numeric(frame[column].dropna(), errors="coerce")
        if len(numbers) and numbers.notna().all():
            assert column in declared, f"undeclared numeric column {column!r}"


def check_ratio(frame, name, role, rule) -> None:
    top, bottom = role["inputs"]
    for _, row in frame.iterrows():
        expected = ratio(row[top], row[bottom], role["scale"])
        assert same(row[name], expected, role["digits"]), (name, row)


def check_index(frame, name, role, rule) -> None:
    top, bottom = role["inputs"]
    base = ratio(*role["comparator"])
    assert all(is_count(c, rule) for c in role["comparator"])
    for _, row in frame.iterrows():
        own = ratio(row[top], row[bottom])
        expected = None if own is None or not base else own / base
        assert same(row[name], expected, role["digits"], exact=False), (name, dict(row))


def check_weighted(frame, name, role, rule) -> None:
    for _, row in frame.iterrows():
        inputs = [row[c] for c in role["inputs"]]
        expected = (
            None
            if missing(*inputs)
            else sum(role["weights"][c] * float(row[c]) for c in role["inputs"])
        )
        assert same(row[name], expected, role["digits"], exact=False), (name, dict(row))


def check_difference(frame, name, role, rule) -> None:
    first, second = role["inputs"]
    for _, row in frame.iterrows():
        expected = None if missing(row[first], row[second]) else row[first] - row[second]
        assert same(row[name], expected, role["digits"], exact=False), (name, dict(row))


def check_standardised(frame, name, role, rule) -> None:
    group = name.removesuffix("_standardised")
    suppressed = frame[f"{group}_count"].isna() | frame[f"{group}_people"].isna()
    assert frame.loc[suppressed, name].isna().all(), name


def check_profile_area(frame, name, role, rule) -> None:
    for _, row in frame.iterrows():
        top, bottom = row.area_numerator, row.area_denominator
        if row.unit == "people":
            assert row.area == top and is_count(top, rule)
        elif row.unit in SCALE:
            expected = ratio(top, bottom, SCALE[row.unit])
            assert same(row.area, expected, role["digits"][row.unit]), dict(row)
        elif row.measure == "need index":
            assert row.area is None or not pd.isna(row.area)
        else:  # a need-index component, relative to the published comparator totals
            own, base = (
                ratio(top, bottom),
                ratio(row.comparator_numerator, row.comparator_denominator),
            )
            expected = None if own is None or not base else own / base
            assert same(row.area, expected, 4, exact=False), dict(row)
            assert is_count(row.comparator_numerator, rule)
            assert is_count(row.comparator_denominator, rule)
    components = frame[(frame.unit == "index") & (frame.measure != "need index")]
    overall = frame[frame.measure == "need index"].area.iloc[0]
    assert (overall is None) == components.area.isna().any()


def check_profile_comparator(frame, name, role, rule) -> None:
    synthetic = frame[frame.compared_with == "synthetic England (model)"]
    for _, row in synthetic.iterrows():
        assert is_count(row.comparator_numerator, rule) and is_count(
            row.comparator_denominator, rule
        )


def check_mixed(frame, name, role, rule) -> None:
    """core20plus5: crude rows are ratios of the published counts beside them."""
    top, bottom = role["inputs"]
    crude = frame[frame.indicator.fillna("").str.contains("crude")]
    for _, row in crude.iterrows():
        assert same(row[name], ratio(row[top], row[bottom], 100.0), 3), dict(row)


def check_validation(frame, name, role, rule) -> None:
    counts = frame[frame.check.isin(COUNT_CHECKS)]
    assert all(is_count(v, rule) for v in counts[name]), counts


CHECKS = {
    "ratio": check_ratio,
    "index": check_index,
    "weighted": check_weighted,
    "difference": check_difference,
    "standardised": check_standardised,
    "published elsewhere": lambda *args: None,  # by need_indices, or by NHS England
    "ratio by unit": check_profile_area,
    "published source, or ratio by unit of published synthetic totals": check_profile_comparator,
    "ratio or standardised": check_mixed,
    "published count (checks of people, pregnant women, cells or practices) or ratio of "
    "published counts (shares, prevalence, per person)": check_validation,
    "published count (count checks) or found - expected (shares)": check_validation,
}


# -- every public function ---------------------------------------------------------------


class Where:
    """The register's geography on ON (and on the 2025/26 allocation day), and areas read
    as a user names them, from the session's workspace."""

    def __init__(self, ws, geography, focus) -> None:
        self.ws, self.on, self.focus = ws, geography(ON), focus
        self.allocation = geography(allocation_day("2025/26"))


CASES = {  # domain function -> calls of it
    "aggregate": [
        lambda p, w: api.aggregate(p, params=PARAMS, geography=w.on, level="practice"),
        lambda p, w: api.aggregate(
            p,
            params=PARAMS,
            geography=w.on,
            level="sub-icb",
            by=("core20", "sex"),
            measures=("pregnant", "diabetes"),
        ),
        lambda p, w: api.aggregate(
            p, params=PARAMS, geography=w.on, focus=w.focus("QOC"), by=("age_band",)
        ),
    ],
    "catalogue": [lambda p, w: api.catalogue(params=PARAMS)],
    "compare_with_official": [
        lambda p, w: api.compare_with_official(p, params=PARAMS, geography=w.allocation)
    ],
    "core20plus5": [lambda p, w: api.core20plus5(p, params=PARAMS, geography=w.on)],
    "describe": [lambda p, w: api.describe(p, params=PARAMS)],
    "inequalities": [
        lambda p, w: api.inequalities(p, w.focus("QOC"), params=PARAMS, geography=w.on)
    ],
    "need_indices": [
        lambda p, w: api.need_indices(p, "practice", params=PARAMS, geography=w.on),
        lambda p, w: api.need_indices(p, "icb", params=PARAMS, geography=w.on),
    ],
    "profile": [
        lambda p, w: api.profile(p, w.focus("M82002"), params=PARAMS, geography=w.on),
        lambda p, w: api.profile(p, w.focus("Shropshire"), params=PARAMS, geography=w.on),
    ],
    "validate": [lambda p, w: api.validate(p, params=PARAMS).result],
}
FACADE = {  # PopulationQuestions method -> calls of it (every kind of area a user can name)
    "list": [lambda p, ws: ws.population.list()],
    "validate": [lambda p, ws: ws.population.validate(p.name)],
    "profile": [
        lambda p, ws: ws.population.profile("M82002", name=p.name, on=ON),  # a practice
        lambda p, ws: ws.population.profile("Telford and Wrekin", name=p.name, on=ON),  # council
        lambda p, ws: ws.population.profile("SY3", name=p.name, on=ON),  # postcode district
        lambda p, ws: ws.population.profile("U60057", name=p.name, on=ON),  # a PCN
    ],
    "aggregate": [
        lambda p, ws: ws.population.aggregate("sub-icb", by=["sex"], name=p.name, on=ON),
        lambda p, ws: ws.population.aggregate("icb", area="Shropshire", name=p.name, on=ON),
    ],
    "need": [lambda p, ws: ws.population.need("pcn", name=p.name, on=ON)],
    "compare_with_nhse": [lambda p, ws: ws.population.compare_with_nhse(name=p.name)],
    "inequalities": [lambda p, ws: ws.population.inequalities("QOC", name=p.name, on=ON)],
    "core20plus5": [lambda p, ws: ws.population.core20plus5("M2L0M", name=p.name, on=ON)],
}
CLI = {  # command -> arguments (with --name added), and the facade case it must equal
    "profile": (["--area", "M82002", "--on", ON.isoformat()], "profile"),
    "aggregate": (["--level", "sub-icb", "--by", "sex", "--on", ON.isoformat()], "aggregate"),
    "need": (["--level", "pcn", "--on", ON.isoformat()], "need"),
    "inequalities": (["--area", "QOC", "--on", ON.isoformat()], "inequalities"),
    "validate": (["--all"], "validate"),
    "list": ([], "list"),
}
NO_FIGURES = {"remove", "schema", "segments", "model"}  # commands that show nobody's data
ELSEWHERE = {  # commands whose published output is tested in their own test files
    "generate": "tests/cli/test_population.py::test_generate_reports_published_people",
    "import": "tests/population/test_importer.py (describe, covered above)",
}
FACADE_ELSEWHERE = {
    "generate": ELSEWHERE["generate"],
    "import_extract": ELSEWHERE["import"],
}


def test_every_public_function_is_covered():
    assert {f.__name__ for f in api.PUBLISHED} == set(CASES)
    methods = {m for m in vars(PopulationQuestions) if not m.startswith("_")}
    assert methods == set(FACADE) | NO_FIGURES | set(FACADE_ELSEWHERE)
    commands = {c.name or c.callback.__name__ for c in population_app.registered_commands}
    assert commands == set(CLI) | NO_FIGURES | set(ELSEWHERE)


@pytest.fixture(scope="module")
def where(ws, geography, focus) -> Where:
    return Where(ws, geography, focus)


def test_the_maternity_index_of_a_practice_with_few_pregnant_women_is_suppressed(small, where):
    """Issue 9, section 2 (regression): need indices came from raw numerators, so a
    practice with 1-7 pregnant women had a 4-decimal maternity index that gave the count."""
    raw = rows(summarise(small, "practice", params=PARAMS, geography=where.on))
    few = set(raw.area_code[(raw.pregnant >= 1) & (raw.pregnant <= 7)])
    assert few  # a 1% sample has many such practices
    result = api.need_indices(small, "practice", params=PARAMS, geography=where.on)
    frame = result.frame.set_index("ods_code")
    assert frame.loc[sorted(few), "maternity"].isna().all()
    assert frame.loc[sorted(few), "pregnant"].isna().all()
    assert frame.loc[sorted(few), "need_index"].isna().all()
    check_published(frame.reset_index())


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=small_populations())
def test_every_public_output_is_published(where, people):
    population = stored(people)
    try:
        for cases in CASES.values():
            for case in cases:
                _check(lambda c=case: c(population, where))
        for cases in FACADE.values():
            for case in cases:
                _check(lambda c=case: c(population, where.ws))
    finally:
        dataset.remove(population.name)


def _check(ask) -> None:
    try:
        result = ask()
    except NotFoundError as error:  # an area nobody lives in
        assert "nobody" in str(error)
        return
    check_published(result.frame)


@settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=small_populations())
def test_every_cli_command_shows_what_the_workspace_published(where, people):
    population = stored(people)
    runner = CliRunner()
    try:
        for command, (args, case) in CLI.items():
            named = [] if command == "list" else ["--name", population.name]
            invoked = runner.invoke(app, ["population", command, *args, *named, "--format", "json"])
            if invoked.exit_code == 2 and "nobody" in invoked.output:
                continue
            assert invoked.exit_code in (0, 1), invoked.output  # validate exits 1 on failure
            shown = pd.DataFrame(json.loads(invoked.stdout)["data"])
            expected = FACADE[case][0](population, where.ws).frame
            check_published(expected)
            assert list(shown.columns) == list(expected.columns), command
            for column in expected.columns:
                for got, want in zip(shown[column], expected[column], strict=True):
                    assert (
                        (missing(got) and missing(want))
                        or got == want
                        or (isinstance(want, float) and math.isclose(got, want))
                    ), (command, column, got, want)
    finally:
        dataset.remove(population.name)


def test_the_checks_catch_a_figure_from_raw_counts_and_an_undeclared_column():
    """The checks above can fail: a rate from the raw numerator (what need indices did)
    and a numeric column nobody declared are both caught."""
    rule = publish.Rule(7, 5)
    table = publish.Table(pd.DataFrame({"ods_code": ["A", "B"]}), rule)
    table.count("pregnant", [3, 12]).count("people", [1000, 1000])
    frame = table.ratio("per_1000", "pregnant", "people", scale=1000).frame
    check_published(frame)
    leaked = frame.assign(per_1000=[3.0, 12.0])  # raw numerators over raw people
    with pytest.raises(AssertionError):
        check_published(leaked)
    with pytest.raises(AssertionError, match="undeclared"):
        check_published(frame.assign(raw_pregnant=[3, 12]))
