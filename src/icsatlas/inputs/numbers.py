"""Numbers as spreadsheets write them: the one parser for every number icsatlas reads.

Accepted: ``1234.5``, ``-1234.5``, ``1,234.5`` (commas between thousands only), ``1.2E+06``,
``(1,234.50)`` (accounting style, negative), and, where the column says so, a percent sign
or, for money, a pound sign and a scale (``£1,234.50``, ``-£5``, ``£450m``, ``3.2bn``,
``12k``). What ``86.1%`` means is the column's choice,
made explicit: ``0.861`` where the column is a *fraction* (a share of a whole, 0 to 1),
``86.1`` where the column is a *percentage*. Refused, with the reason: words, ``NaN``,
``inf``, numbers too large to hold (``1e400``), decimal commas (``1,5``), other currency
signs, and values outside the column's bounds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from os import PathLike
from typing import Literal

from icsatlas.errors import InputError

Percent = Literal["fraction", "points"]

_BODY = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:e[+-]?\d+)?$", re.ASCII)
_DIGIT = re.compile(r"\d", re.ASCII)


@dataclass(frozen=True)
class Bounds:
    """Inclusive ``low``/``high`` and exclusive ``above`` limits on a value (any may be None)."""

    low: float | None = None
    high: float | None = None
    above: float | None = None

    def problem(self, value: float) -> str | None:
        """Why ``value`` is out of bounds, or None."""
        if self.above is not None and value <= self.above:
            return f"must be more than {show(self.above)}, got {show(value)}"
        low, high = self.low, self.high
        if low is not None and high is not None and not low <= value <= high:
            return f"must be from {show(low)} to {show(high)}, got {show(value)}"
        if low is not None and value < low:
            return f"must be {show(low)} or more, got {show(value)}"
        if high is not None and value > high:
            return f"must be {show(high)} or less, got {show(value)}"
        return None


NO_BOUNDS = Bounds()
SHARE = Bounds(0, 1)
AT_LEAST_ZERO = Bounds(low=0)
POSITIVE = Bounds(above=0)


def show(value: float) -> str:
    """A number as a message shows it: ``-3``, ``0.861``, ``1,234,567.5``."""
    return format(value, ",.15g")


def parse_number(
    text: str,
    *,
    percent: Percent | None = None,
    currency: bool = False,
    bounds: Bounds = NO_BOUNDS,
    what: str = "a number",
    field: str | None = None,
    file: str | PathLike[str] | None = None,
    row: int | None = None,
) -> float:
    """A finite number from ``text``; ``percent`` says what a trailing ``%`` means
    (``"fraction"``: divide by 100; ``"points"``: keep; None: refuse it), ``currency``
    whether a ``£`` and a scale (``450m``) are allowed, ``what`` how an error names it."""
    try:
        value = _number(str(text), percent, currency)
    except _Refused as why:
        reason = f" ({why})" if str(why) else ""
        message = f"not {what}: {text!r}{reason}"
        raise InputError(message, file=file, row=row, field=field) from None
    problem = bounds.problem(value)
    if problem is not None:
        if percent == "fraction" and bounds.high == 1 and value > 1 and "%" not in str(text):
            problem += f" (a fraction: write {show(value)}% for a percentage)"
        raise InputError(problem, file=file, row=row, field=field)
    return value


def parse_money(text: str, **where) -> float:
    """An amount of money in pounds: ``£1,234.50`` -> ``1234.5``; ``£450m`` -> ``4.5e8``."""
    return parse_number(text, currency=True, **{"what": "an amount of money", **where})


def parse_fraction(text: str, *, bounds: Bounds = SHARE, **where) -> float:
    """A share of a whole, 0 to 1: ``86.1%`` and ``0.861`` -> ``0.861``."""
    return parse_number(text, percent="fraction", bounds=bounds, **where)


def parse_percent(text: str, **where) -> float:
    """A percentage: ``86.1%`` and ``86.1`` -> ``86.1``."""
    return parse_number(text, percent="points", **where)


def parse_int(
    text: str,
    *,
    bounds: Bounds = NO_BOUNDS,
    field: str | None = None,
    file: str | PathLike[str] | None = None,
    row: int | None = None,
) -> int:
    """A whole number: ``1,234`` and ``1234.0`` -> ``1234``; ``2.5`` is refused."""
    value = parse_number(text, bounds=bounds, field=field, file=file, row=row)
    if value != math.floor(value):
        raise InputError(f"not a whole number: {text!r}", file=file, row=row, field=field)
    return int(value)


class _Refused(ValueError):
    """Why a text is not a number ("" when there is nothing more to say)."""


_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}
_SCALE = re.compile(r"^(.*\d)\s*(k|m|mn|bn|b)$", re.ASCII)


def _number(text: str, percent: Percent | None, currency: bool) -> float:
    body = text.strip().lower()
    negative = body.startswith("(") and body.endswith(")")
    if negative:
        body = body[1:-1].strip()
    scale = 1.0
    if body.endswith("%"):
        if percent is None:
            raise _Refused("a percentage, where a number is expected")
        body = body[:-1].rstrip()
        scale = 0.01 if percent == "fraction" else 1.0
    sign, body = _sign(body)
    if sign and negative:
        raise _Refused("a sign inside brackets")
    if body.startswith("£"):
        if not currency:
            raise _Refused("no currency sign here")
        body = body[1:].lstrip()
        if not sign and not negative:
            sign, body = _sign(body)
    if currency and (match := _SCALE.match(body)):
        body, scale = match[1], scale * _SCALES[match[2]]
    if not _DIGIT.search(body.partition("e")[0]) or not _BODY.match(body):  # "e0": no digits
        raise _Refused(_hint(body))
    value = float(body.replace(",", "")) * scale
    if not math.isfinite(value):
        raise _Refused("too large")
    return -value if sign == "-" or negative else value


def _sign(body: str) -> tuple[str, str]:
    if body[:1] in ("-", "+"):
        return body[0], body[1:].lstrip()
    return "", body


def _hint(body: str) -> str:
    if re.fullmatch(r"[\d,]*,\d{1,2}", body, re.ASCII):
        return "commas only between thousands: write 1.5, not 1,5"
    if "," in body:
        return "commas only between thousands, as in 1,234,567.5"
    if body in ("nan", "inf", "infinity"):
        return "a finite number is needed"
    if body[:1] in "$€":
        return "amounts are in pounds: £ or no sign"
    return ""
