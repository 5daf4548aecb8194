"""Working days in England and Wales: weekdays that are not bank holidays.

Bank holidays come from the ``holidays`` package (England subdivision, which matches the
gov.uk list for England and Wales, including one-off days such as the State Funeral of
Queen Elizabeth II on 19 September 2022 and the Coronation on 8 May 2023, and substitute
days when a holiday falls at a weekend).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: date) -> str | None:
    """The bank holiday on ``day`` in England and Wales, if any."""
    names = holidays.country_holidays("GB", subdiv="ENG", years=day.year)
    return names.get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        counted += is_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
