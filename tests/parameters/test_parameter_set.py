"""A ParameterSet: the shipped parameters plus a user's overrides, immutable and
fingerprinted, checked against the shipped shapes with file:line:field errors."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.parameters import ParameterSet

CAP = "finance.redundancy.earnings_cap"  # shipped £80,000: Section 16 of the NHS Terms and
# Conditions of Service Handbook (NHS Employers, "NHS redundancy arrangements")
RULES = "contracts.spc.rule_sets.mdc-2023"


@pytest.fixture
def shipped() -> ParameterSet:
    return ParameterSet.shipped()


def test_override_from_a_file_leaves_the_shipped_set_alone(shipped, tmp_path):
    file = tmp_path / "mine.yaml"
    file.write_text(f"{CAP}: 90000\n")
    mine = shipped.override(file)
    assert mine.value(CAP) == 90000
    assert mine.value(CAP, date(2016, 1, 1)) == 90000
    assert shipped.value(CAP) == 80000
    assert mine.get(CAP).overridden_by == str(file)


def test_fingerprint_changes_with_the_values_and_only_with_them(shipped):
    same = shipped.override({CAP: 80000})
    other = shipped.override({CAP: 90000})
    assert shipped.fingerprint.startswith("parameters@")
    assert "+overrides@" in same.fingerprint
    assert same.fingerprint != other.fingerprint
    assert shipped.override({CAP: 90000}) == other
    assert hash(shipped.override({CAP: 90000})) == hash(other)


def test_dated_override_adds_a_value_from_that_date(shipped):
    mine = shipped.override({CAP: {date(2027, 4, 1): 100000}})
    assert mine.value(CAP, date(2027, 3, 31)) == 80000
    assert mine.value(CAP, date(2027, 4, 1)) == 100000


def test_a_dated_override_has_a_fingerprint(shipped):
    # json cannot key by date: the fingerprint of a dated override used to raise TypeError
    first = shipped.override({CAP: {date(2027, 4, 1): 100000}})
    other = shipped.override({CAP: {date(2027, 4, 1): 110000}})
    assert "+overrides@" in first.fingerprint and first.fingerprint != other.fingerprint


def test_partial_mapping_overrides_only_the_keys_it_names(shipped):
    mine = shipped.override({RULES: {"trend_points": 6}})
    assert mine.value(RULES)["trend_points"] == 6
    assert mine.value(RULES)["shift_points"] == shipped.value(RULES)["shift_points"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("finance.redundancy.earnings_cpa: 1\n", r"mine.yaml:1: .*unknown parameter.*did you mean"),
        (f"{CAP}: lots\n", rf"mine.yaml:1: {CAP}: expected a number, got 'lots'"),
        (f"{CAP}: .inf\n", rf"mine.yaml:1: {CAP}: expected a finite number"),
        (f"{CAP}: true\n", rf"mine.yaml:1: {CAP}: expected a number"),
        (
            f"{CAP}: 1\n{RULES}:\n  trendpoints: 6\n",
            rf"mine.yaml:3: {RULES}.trendpoints: unknown field 'trendpoints' "
            r"\(did you mean 'trend_points'\?\)$",
        ),
        (
            "[1, 2]\n",
            r"mine.yaml:1: expected a parameter overrides file \(a mapping\), got a list$",
        ),
    ],
)
def test_bad_overrides_name_file_line_and_field(shipped, tmp_path, text, message):
    file = tmp_path / "mine.yaml"
    file.write_text(text)
    with pytest.raises(InputError, match=message):
        shipped.override(file)


def test_every_problem_of_an_overrides_file_is_listed(shipped, tmp_path):
    """Issue 9 §3: all problems at once, each with its line (the first used to stop it)."""
    file = tmp_path / "mine.yaml"
    file.write_text(
        f"{CAP}: lots\nfinance.allocation.core_weight: {{g_a: 0.6}}\n"
        f"{RULES}:\n  trendpoints: 6\n  shift_points: many\n"
    )
    with pytest.raises(InputErrors) as caught:
        shipped.override(file)
    assert [e.message for e in caught.value.errors] == [
        "unknown parameter 'finance.allocation.core_weight' "
        "(did you mean 'finance.allocation.core_weights'?)",
        "expected a number, got 'lots'",
        "unknown field 'trendpoints' (did you mean 'trend_points'?)",
        "expected a number, got 'many'",
    ]
    assert [e.row for e in caught.value.errors] == [2, 1, 4, 5]


def test_dates_written_as_text_are_dates_too(shipped, tmp_path):
    """Issue 9 §3: "'2027-04-01': 100000" (a quoted date) was taken for a mapping and refused
    as 'expected a number'; the schema reads it as values by date, and so does the code."""
    file = tmp_path / "mine.yaml"
    file.write_text(f"{CAP}:\n  '2027-04-01': 100000\n")
    mine = shipped.override(file)
    assert mine.value(CAP, date(2027, 4, 1)) == 100000
    assert mine.value(CAP, date(2027, 3, 31)) == 80000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            f"{CAP}:\n  '2027-02-30': 1\n",
            rf"mine.yaml:2: {CAP}.2027-02-30: not a date \(YYYY-MM-DD\): '2027-02-30'$",
        ),
        (f"{CAP}:\n  2027-04-01: lots\n", f"mine.yaml:2: {CAP}.2027-04-01: expected a number"),
        ("{}\n", r"mine.yaml:1: expected at least 1 key, got 0$"),
        ("Finance.Cap: 1\n", r"mine.yaml:1: Finance.Cap: expected a dotted parameter name like"),
        (f"{RULES}: 6\n", rf"mine.yaml:1: {RULES}: expected a mapping, got 6$"),
    ],
)
def test_more_bad_overrides_name_file_line_and_field(shipped, tmp_path, text, message):
    file = tmp_path / "mine.yaml"
    file.write_text(text)
    with pytest.raises(InputError, match=message):
        shipped.override(file)
