"""Dates: every accepted form, and every refusal with a message that says why.

Expected values follow ISO 8601, the UK's day-first convention (01/06/2026 is 1 June), and
Excel's two-digit-year rule (00-29 are 2000-2029, 30-99 are 1930-1999: Microsoft KB 214391,
"How Excel works with two-digit year numbers").
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icsatlas.errors import InputError
from icsatlas.inputs.dates import parse_date, parse_day_or_month, parse_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-01", date(2026, 6, 1)),
        ("2026-6-1", date(2026, 6, 1)),
        ("20260601", date(2026, 6, 1)),
        ("  2026-06-01 ", date(2026, 6, 1)),
        ("2026-06-01 00:00:00", date(2026, 6, 1)),
        ("2026-06-01T00:00:00", date(2026, 6, 1)),
        ("01/06/2026", date(2026, 6, 1)),
        ("1/6/2026", date(2026, 6, 1)),
        ("13/01/2026", date(2026, 1, 13)),
        ("01-06-2026", date(2026, 6, 1)),
        ("01.06.2026", date(2026, 6, 1)),
        ("01/06/2026 00:00", date(2026, 6, 1)),
        ("29/02/2024", date(2024, 2, 29)),
        ("1 June 2026", date(2026, 6, 1)),
        ("1st June 2026", date(2026, 6, 1)),
        ("1 Jun 2026", date(2026, 6, 1)),
        ("01-Jun-2026", date(2026, 6, 1)),
        ("01-Jun-26", date(2026, 6, 1)),
        ("1 Sept 2025", date(2025, 9, 1)),
        ("12-MAR-30", date(1930, 3, 12)),
    ],
)
def test_accepted_days(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("yesterday", "use YYYY-MM-DD, or DD/MM/YYYY, day first"),
        ("", "use YYYY-MM-DD, or DD/MM/YYYY, day first"),
        ("2026-13-01", "there is no month 13"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("31/04/2026", "April 2026 has 30 days"),
        ("06/13/2026", "there is no month 13; dates are read day first, as in the UK"),
        ("01/06/26", "write the year in full"),
        ("0000-01-01", "there is no year 0"),
        ("1 Juni 2026", "'juni' is not the name of a month"),
        ("2026-06-01 14:30", "a date and a time of day"),
        ("Jan-24", "a month, not a day"),
        ("01/06-2026", "use YYYY-MM-DD"),
        ("\u0662\u0660\u0662\u0666-\u0660\u0666-\u0660\u0661", "use YYYY-MM-DD"),
    ],
)
def test_refused_days_say_why(text, why):
    with pytest.raises(InputError) as caught:
        parse_date(text)
    assert caught.value.message.startswith(f"not a date: {text!r} (")
    assert why in caught.value.message


def test_the_error_names_the_option_as_the_cli_shows_it():
    with pytest.raises(InputError) as caught:
        parse_date("yesterday", field="--on")
    assert str(caught.value) == (
        "--on: not a date: 'yesterday' (use YYYY-MM-DD, or DD/MM/YYYY, day first)"
    )


def test_the_error_names_file_row_and_field():
    with pytest.raises(InputError) as caught:
        parse_date("2026-02-30", file="board.csv", row=4, field="valid_from")
    assert str(caught.value) == (
        "board.csv:4: valid_from: not a date: '2026-02-30' (February 2026 has 28 days)"
    )


def test_dates_pass_through_and_datetimes_lose_their_time():
    assert parse_date(date(2026, 6, 1)) == date(2026, 6, 1)
    assert parse_date(datetime(2026, 6, 1, 15, 0)) == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan-24", date(2024, 1, 1)),
        ("jan-24", date(2024, 1, 1)),
        ("Jan-2024", date(2024, 1, 1)),
        ("January 2024", date(2024, 1, 1)),
        ("Jan 2024", date(2024, 1, 1)),
        ("Sep-99", date(1999, 9, 1)),
        ("Dec-29", date(2029, 12, 1)),
        ("Jan-30", date(1930, 1, 1)),
        ("2024-01", date(2024, 1, 1)),
        ("01/2024", date(2024, 1, 1)),
        ("2024-01-31", date(2024, 1, 1)),
        ("15/03/2024", date(2024, 3, 1)),
        (date(2024, 3, 15), date(2024, 3, 1)),
    ],
)
def test_accepted_months(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Janvier 2024", "'janvier' is not the name of a month"),
        ("2024-13", "there is no month 13"),
        ("13/2024", "there is no month 13"),
        ("2024", "use YYYY-MM, Jan-2024, January 2024 or a date"),
        ("last month", "use YYYY-MM"),
    ],
)
def test_refused_months_say_why(text, why):
    with pytest.raises(InputError) as caught:
        parse_month(text, field="month")
    assert caught.value.message.startswith(f"not a month: {text!r} (")
    assert why in caught.value.message


def test_a_series_date_may_be_a_day_or_a_month():
    assert parse_day_or_month("2024-01-15") == date(2024, 1, 15)
    assert parse_day_or_month("Jan-24") == date(2024, 1, 1)
    with pytest.raises(InputError, match=r"not a date or month: 'soon' \(use YYYY-MM-DD"):
        parse_day_or_month("soon")


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_date_reads_back_in_each_written_form(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(f"{day.day} {day:%B %Y}") == day
    assert parse_month(f"{day:%b-%Y}") == day.replace(day=1)


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_an_input_error(text):
    for parse in (parse_date, parse_month, parse_day_or_month):
        with contextlib.suppress(InputError):
            assert isinstance(parse(text), date)
