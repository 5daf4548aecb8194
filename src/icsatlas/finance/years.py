"""NHS financial years ("2025/26" runs 1 April 2025 to 31 March 2026)."""

from __future__ import annotations

import re
from datetime import date

from icsatlas.errors import InputError

_LABEL = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")


def label(start_year: int) -> str:
    """``2025`` -> ``"2025/26"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def start_year(year: str | int) -> int:
    """``"2025/26"``, ``"2025-26"``, ``"2025-2026"`` or ``2025`` -> ``2025``."""
    if isinstance(year, int):
        return year
    match = _LABEL.match(str(year).strip())
    if not match:
        raise InputError(f"not a financial year: {year!r} (write it like 2025/26)", field="year")
    first, second = int(match[1]), int(match[2])
    if second % 100 != (first + 1) % 100:
        raise InputError(
            f"not a financial year: {year!r} (years must be consecutive)", field="year"
        )
    return first


def normalise(year: str | int) -> str:
    """Any accepted spelling of a financial year -> ``"2025/26"``."""
    return label(start_year(year))


def containing(on: date) -> str:
    """The financial year that ``on`` falls in."""
    return label(on.year if on.month >= 4 else on.year - 1)


def first_day(year: str | int) -> date:
    return date(start_year(year), 4, 1)


def following(year: str | int, count: int) -> list[str]:
    """``count`` consecutive financial years starting with ``year``."""
    first = start_year(year)
    return [label(first + i) for i in range(count)]
