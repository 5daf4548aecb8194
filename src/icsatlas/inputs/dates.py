"""Dates as people type them and spreadsheets write them: the one parser for every date
icsatlas reads (command options, CSV cells).

A day is accepted as:

* ISO 8601: ``2026-06-01`` (or ``20260601``);
* day first, as in the UK: ``01/06/2026``, ``1/6/2026`` (also with ``-`` or ``.``);
* with the month in words: ``1 June 2026``, ``1st Jun 2026``, ``01-Jun-2026``, ``01-Jun-26``;
* any of these followed by a midnight time (``2026-06-01 00:00:00``), as spreadsheets export
  dates.

A month (where a column or option is a month) is accepted as ``Jan-24``, ``Jan-2024``,
``January 2024``, ``2024-01`` or ``01/2024``, or as any date in it, and stands for its
first day. ``Jan-24`` is January 2024 (Excel's ``mmm-yy`` format), never 24 January.

Two-digit years are read only beside a month in words, by Excel's rule: 00-29 are
2000-2029 and 30-99 are 1930-1999 (Microsoft, "How Excel works with two-digit year
numbers", KB 214391). All-number dates need the year in full: ``01/06/26`` is refused.
Anything else - impossible dates (``2026-02-30``), words (``yesterday``) - is an
:class:`~icsatlas.errors.InputError` naming the file, row and field when they are given.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from os import PathLike

from icsatlas.errors import InputError

DAY_FORMS = "use YYYY-MM-DD, or DD/MM/YYYY, day first"
MONTH_FORMS = "use YYYY-MM, Jan-2024, January 2024 or a date"

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9


def _ascii(pattern: str) -> re.Pattern[str]:
    """A pattern whose \\d means 0-9 only (not every script's digits)."""
    return re.compile(pattern, re.ASCII)


_MIDNIGHT = r"(?:[ t]00:00(?::00(?:\.0+)?)?)?"
_TIME = _ascii(r"^(.*?)[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_ISO = _ascii(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_MIDNIGHT}$")
_COMPACT = _ascii(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_FIRST = _ascii(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d+){_MIDNIGHT}$")
_NAMED = _ascii(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?[ -]+([a-z]+)\.?,?[ -]+(\d{{4}}|\d{{2}}){_MIDNIGHT}$"
)
_MONTH_NAMED = _ascii(r"^([a-z]+)\.?[ -]*'?(\d{4}|\d{2})$")
_MONTH_ISO = _ascii(r"^(\d{4})-(\d{1,2})$")
_MONTH_NUMBER = _ascii(r"^(\d{1,2})/(\d{4})$")


class _Refused(ValueError):
    """Why a text is not a date (the reason shown in brackets after it)."""


def parse_date(
    text: str | date,
    *,
    field: str | None = None,
    file: str | PathLike[str] | None = None,
    row: int | None = None,
) -> date:
    """A day from ``text`` in any accepted form; else an InputError saying why, e.g.
    ``--on: not a date: 'yesterday' (use YYYY-MM-DD, or DD/MM/YYYY, day first)``."""
    if isinstance(text, date):
        return text.date() if isinstance(text, datetime) else text
    try:
        return _day(_clean(text))
    except _Refused as why:
        raise InputError(f"not a date: {text!r} ({why})", file=file, row=row, field=field) from None


def parse_month(
    text: str | date,
    *,
    field: str | None = None,
    file: str | PathLike[str] | None = None,
    row: int | None = None,
) -> date:
    """The first day of the month ``text`` names (``Jan-24``, ``January 2024``, ``2024-01``)
    or of the month of a date; else an InputError saying why."""
    if isinstance(text, date):
        return parse_date(text).replace(day=1)
    try:
        return _month(_clean(text))
    except _Refused as why:
        raise InputError(
            f"not a month: {text!r} ({why})", file=file, row=row, field=field
        ) from None


def parse_day_or_month(
    text: str | date,
    *,
    field: str | None = None,
    file: str | PathLike[str] | None = None,
    row: int | None = None,
) -> date:
    """A day, or a month label standing for its first day (for series that may be monthly)."""
    if isinstance(text, date):
        return parse_date(text)
    cleaned = _clean(text)
    try:
        return _day(cleaned)
    except _Refused as why:
        try:
            return _month_label(cleaned)
        except _Refused:
            message = f"not a date or month: {text!r} ({why})"
            raise InputError(message, file=file, row=row, field=field) from None


def _clean(text: str) -> str:
    return " ".join(str(text).split()).lower()


def _day(text: str) -> date:
    if match := _ISO.match(text) or _COMPACT.match(text):
        return _make(int(match[1]), int(match[2]), int(match[3]), DAY_FORMS)
    if match := _DAY_FIRST.match(text):
        year = match[4]
        if len(year) != 4:
            raise _Refused("write the year in full, e.g. 01/06/2026")
        return _make(
            int(year), int(match[3]), int(match[1]), "dates are read day first, as in the UK"
        )
    if match := _NAMED.match(text):
        return _make(_year(match[3]), _month_number(match[2]), int(match[1]), DAY_FORMS)
    if (timed := _TIME.match(text)) and _is_day(timed[1]):
        raise _Refused("a date and a time of day: give the date alone")
    if _is_month_label(text):
        raise _Refused("a month, not a day: give the day, e.g. 01/01/2024")
    raise _Refused(DAY_FORMS)


def _month(text: str) -> date:
    try:
        return _month_label(text)
    except _Refused as why:
        try:
            return _day(text).replace(day=1)
        except _Refused:
            raise why from None


def _month_label(text: str) -> date:
    if match := _MONTH_NAMED.match(text):
        return _make(_year(match[2]), _month_number(match[1]), 1, MONTH_FORMS)
    if match := _MONTH_ISO.match(text):
        return _make(int(match[1]), int(match[2]), 1, MONTH_FORMS)
    if match := _MONTH_NUMBER.match(text):
        return _make(int(match[2]), int(match[1]), 1, MONTH_FORMS)
    raise _Refused(MONTH_FORMS)


def _is_day(text: str) -> bool:
    try:
        _day(text)
    except _Refused:
        return False
    return True


def _is_month_label(text: str) -> bool:
    try:
        _month_label(text)
    except _Refused:
        return False
    return True


def _month_number(name: str) -> int:
    if name not in _MONTHS:
        raise _Refused(f"{name!r} is not the name of a month")
    return _MONTHS[name]


def _year(digits: str) -> int:
    """A four-digit year, or a two-digit one by Excel's 2029 rule."""
    year = int(digits)
    if len(digits) == 2:
        return 2000 + year if year <= 29 else 1900 + year
    return year


def _make(year: int, month: int, day: int, hint: str) -> date:
    if year < 1:
        raise _Refused("there is no year 0")
    if not 1 <= month <= 12:
        raise _Refused(f"there is no month {month}; {hint}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise _Refused(f"{calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)
