"""What a column of an input file holds, and how one of its cells is read."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from os import PathLike
from typing import Any, Literal

from icsatlas.errors import InputError
from icsatlas.inputs import dates, numbers
from icsatlas.inputs.numbers import NO_BOUNDS, Bounds, Percent

Kind = Literal[
    "text", "code", "int", "number", "money", "fraction", "percent", "date", "month", "enum"
]


def key(text: str) -> str:
    """How names and choices are compared: case, spaces, ``_`` and ``-`` do not matter."""
    return re.sub(r"[\s_-]+", " ", str(text).strip().lower()).strip()


@dataclass(frozen=True)
class Column:
    """One column of an input file.

    ``required``: every row needs a value (so the header needs the column); ``present``:
    the header needs the column though values may be blank. ``kind`` says how a cell is
    read: ``text`` (trimmed), ``code`` (trimmed, upper case), ``int``, ``number``,
    ``money`` (``£`` allowed), ``fraction`` (0 to 1; ``86.1%`` is 0.861), ``percent``
    (``86.1%`` is 86.1), ``date`` (with ``months``, a month label is its first day),
    ``month``, or ``enum`` (one of ``choices``, whatever the case, or an ``aliases`` key).
    ``percent`` on a ``number`` or ``money`` column says what a ``%`` sign means there.
    ``parse`` reads a cell of a kind not listed (raising InputError or ValueError); ``what``
    names a value of the column in messages (``"a funding stream"``). ``headers`` are other
    names the column may have in a header; ``default`` is the value of a blank cell.
    """

    name: str
    kind: Kind = "text"
    required: bool = False
    present: bool = False
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    headers: tuple[str, ...] = ()
    bounds: Bounds = NO_BOUNDS
    percent: Percent | None = None
    months: bool = False
    default: Any = None
    parse: Callable[[str], Any] | None = None
    what: str = ""

    def __post_init__(self) -> None:
        if (self.kind == "enum") != bool(self.choices):
            raise ValueError(f"{self.name}: choices go with kind 'enum', and only with it")
        spellings = {key(c): c for c in self.choices}
        if len(spellings) != len(self.choices):
            raise ValueError(f"{self.name}: two choices differ only in case or separators")
        unknown = set(self.aliases.values()) - set(self.choices)
        if unknown:
            raise ValueError(f"{self.name}: aliases for no choice: {sorted(unknown)}")

    @property
    def in_header(self) -> bool:
        """Whether a file must have this column."""
        return self.required or self.present

    def read(self, text: str, *, file: str | PathLike[str] | None = None, row: int | None = None):
        """The value of a cell (``text`` already trimmed): the default if blank, else the
        cell read by the column's kind; an InputError naming file, row and column if wrong."""
        where: dict[str, Any] = {"file": file, "row": row, "field": self.name}
        if not text:
            if self.required:
                raise InputError("required", **where)
            return self.default
        if self.parse is not None:
            return _custom(self, self.parse, text, where)
        return _READERS[self.kind](self, text, where)

    def choose(self, text: str, where: dict) -> str:
        """The canonical spelling of an enumerated value."""
        spellings = {key(c): c for c in self.choices}
        spellings |= {key(a): c for a, c in self.aliases.items()}
        found = spellings.get(key(text))
        if found is not None:
            return found
        close = difflib.get_close_matches(key(text), [key(c) for c in self.choices], n=1)
        hint = f" (did you mean {spellings[close[0]]!r}?)" if close else ""
        noun = (self.what or self.name).removeprefix("a ").removeprefix("an ")
        message = f"unknown {noun} {text!r}{hint}; use {', '.join(self.choices)}"
        raise InputError(message, **where)


def _custom(column: Column, parse: Callable[[str], Any], text: str, where: dict):
    try:
        return parse(text)
    except InputError as error:
        raise InputError(error.message, **where) from None
    except ValueError:
        raise InputError(f"not {column.what or 'valid'}: {text!r}", **where) from None


def _date(column: Column, text: str, where: dict) -> date:
    if column.months:
        return dates.parse_day_or_month(text, **where)
    return dates.parse_date(text, **where)


def _fraction(column: Column, text: str, where: dict) -> float:
    bounds = numbers.SHARE if column.bounds == NO_BOUNDS else column.bounds
    return numbers.parse_fraction(text, bounds=bounds, **where)


_READERS: dict[str, Callable[[Column, str, dict], Any]] = {
    "text": lambda c, text, where: text,
    "code": lambda c, text, where: text.upper(),
    "int": lambda c, text, where: numbers.parse_int(text, bounds=c.bounds, **where),
    "number": lambda c, text, where: numbers.parse_number(
        text, percent=c.percent, bounds=c.bounds, what=c.what or "a number", **where
    ),
    "money": lambda c, text, where: numbers.parse_money(
        text, percent=c.percent, bounds=c.bounds, what=c.what or "an amount of money", **where
    ),
    "fraction": _fraction,
    "percent": lambda c, text, where: numbers.parse_percent(text, bounds=c.bounds, **where),
    "date": _date,
    "month": lambda c, text, where: dates.parse_month(text, **where),
    "enum": lambda c, text, where: c.choose(text, where),
}
