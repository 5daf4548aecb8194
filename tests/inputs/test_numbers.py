"""Numbers: every accepted form (thousands separators, £, accounting brackets, percentages
as fractions or as points) and every refusal, with the reason in the message."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from icsatlas.errors import InputError
from icsatlas.inputs.numbers import (
    Bounds,
    parse_fraction,
    parse_int,
    parse_money,
    parse_number,
    parse_percent,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        (" 1234.5 ", 1234.5),
        ("-1234.5", -1234.5),
        ("+7", 7.0),
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("0.5", 0.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1.2E+06", 1_200_000.0),
        ("(1,234.50)", -1234.5),
    ],
)
def test_accepted_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,234.50", 1234.5),
        ("£ 12", 12.0),
        ("-£5", -5.0),
        ("£-5", -5.0),
        ("(£1,000)", -1000.0),
        ("1234", 1234.0),
        ("£450m", 450_000_000.0),
        ("3.2bn", 3_200_000_000.0),
        ("£1.5 bn", 1_500_000_000.0),
        ("12k", 12_000.0),
        ("£9mn", 9_000_000.0),
        ("-£2.5m", -2_500_000.0),
    ],
)
def test_accepted_money(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("lots", "not a number: 'lots'"),
        ("", "not a number: ''"),
        ("-", "not a number: '-'"),
        ("NaN", "not a number: 'NaN' (a finite number is needed)"),
        ("inf", "not a number: 'inf' (a finite number is needed)"),
        ("-Infinity", "not a number: '-Infinity' (a finite number is needed)"),
        ("1e400", "not a number: '1e400' (too large)"),
        ("1,5", "not a number: '1,5' (commas only between thousands: write 1.5, not 1,5)"),
        ("12,34,567", "not a number: '12,34,567' (commas only between thousands"),
        ("1 234", "not a number: '1 234'"),
        ("£5", "not a number: '£5' (no currency sign here)"),
        ("86.1%", "not a number: '86.1%' (a percentage, where a number is expected)"),
        ("(-5)", "not a number: '(-5)' (a sign inside brackets)"),
        ("0x1F", "not a number: '0x1F'"),
        ("1_000", "not a number: '1_000'"),
        ("\u0661\u0662", "not a number"),
    ],
)
def test_refused_numbers_say_why(text, why):
    with pytest.raises(InputError) as caught:
        parse_number(text)
    assert caught.value.message.startswith(why)


def test_other_currencies_and_scales_are_refused_in_money():
    with pytest.raises(InputError, match=r"not an amount of money: '\$5' \(amounts are in pou"):
        parse_money("$5")
    with pytest.raises(InputError, match=r"not an amount of money: '5 million'"):
        parse_money("5 million")
    with pytest.raises(InputError, match=r"not a number: '450m'"):
        parse_number("450m")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("86.1%", 0.861), ("0.861", 0.861), ("100%", 1.0), ("0", 0.0), ("0 %", 0.0)],
)
def test_a_fraction_column_reads_percentages_as_fractions(text, expected):
    assert parse_fraction(text) == pytest.approx(expected)


def test_a_fraction_above_one_suggests_the_percent_sign():
    with pytest.raises(InputError) as caught:
        parse_fraction("86.1", field="value")
    assert str(caught.value) == (
        "value: must be from 0 to 1, got 86.1 (a fraction: write 86.1% for a percentage)"
    )
    with pytest.raises(InputError, match=r"must be from 0 to 1, got 1.2$"):
        parse_fraction("120%")


@pytest.mark.parametrize(("text", "expected"), [("86.1%", 86.1), ("86.1", 86.1), ("-2%", -2.0)])
def test_a_percentage_column_keeps_the_points(text, expected):
    assert parse_percent(text) == pytest.approx(expected)


def test_a_fraction_option_on_a_number_column():
    assert parse_number("86.1%", percent="fraction") == pytest.approx(0.861)
    assert parse_number("12", percent="fraction") == 12.0


@pytest.mark.parametrize(
    ("bounds", "text", "message"),
    [
        (Bounds(low=0), "-3", "must be 0 or more, got -3"),
        (Bounds(high=10), "11", "must be 10 or less, got 11"),
        (Bounds(0, 120), "130", "must be from 0 to 120, got 130"),
        (Bounds(above=0), "0", "must be more than 0, got 0"),
        (Bounds(low=0), "-1,234,567.5", "must be 0 or more, got -1,234,567.5"),
    ],
)
def test_bounds_are_checked_and_named(bounds, text, message):
    with pytest.raises(InputError) as caught:
        parse_number(text, bounds=bounds, file="f.csv", row=3, field="x")
    assert str(caught.value) == f"f.csv:3: x: {message}"


def test_whole_numbers():
    assert parse_int("1,234") == 1234
    assert parse_int("12.0") == 12
    with pytest.raises(InputError, match=r"not a whole number: '2.5'"):
        parse_int("2.5")
    with pytest.raises(InputError, match=r"must be 0 or more, got -1"):
        parse_int("-1", bounds=Bounds(low=0))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_reads_back_from_its_repr(value):
    assert parse_number(repr(value)) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_every_integer_reads_back_with_thousands_separators(value):
    assert parse_int(f"{value:,}") == value
    assert parse_money(f"£{value:,}") == value


@given(st.text(max_size=30))
@example("E0")  # an exponent with no digits before it: a ValueError traceback (CI, Dec 2026)
@example("-.e5")
def test_any_text_is_a_finite_number_or_an_input_error(text):
    for parse in (parse_number, parse_money, parse_fraction, parse_percent, parse_int):
        with contextlib.suppress(InputError):
            assert math.isfinite(parse(text))
