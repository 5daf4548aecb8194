"""The one reader of the CSV files users import.

A file is read whole and every problem in it is reported at once, as
:class:`~icsatlas.errors.InputErrors` of ``file:row: field: message`` (the header is row 1,
and row *n* is the *n*-th row as a spreadsheet shows it). Nothing is returned unless the
whole file is right, so an importer that stores what this returns in one transaction never
half-writes a file.

What it takes in its stride: a UTF-8 byte-order mark, UTF-16 with one, blank lines and rows
of empty cells, header names in any case and with spaces for underscores, columns in any
order, empty cells after the last column, rows shorter than the header (the missing cells
are blank), and tab- or semicolon-separated files (when the header has no comma).
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Literal

from icsatlas.errors import InputError, InputErrors
from icsatlas.inputs.columns import Column, key
from icsatlas.inputs.text import decode, read_text

MAX_CELL = csv.field_size_limit()


@dataclass
class Record:
    """One data row, its cells read by their columns (``None``, and named in ``wrong``,
    where a cell could not be read)."""

    row: int
    values: dict[str, Any]
    wrong: set[str] = field(default_factory=set)
    given: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


@dataclass(frozen=True)
class Placing:
    """Where one row of an import lands: the areas (ICB ODS codes, or a council's ONS code
    and its ICB's) the change is to, none where the row cannot be placed; ``row`` is its
    line in the file, or what else names it (an OCDS process, a KPI series)."""

    row: int | str | None
    areas: tuple[str, ...]
    field: str


Allow = Callable[[Sequence[Placing]], None]
"""A check an importer runs on every row's placing before it writes anything (the web's
scope check): it raises to refuse the whole import."""


Check = Callable[[Record], Iterable[tuple[str, str]]]
"""A per-row check: yields ``(field, message)`` for each problem (the field then counts as
wrong); it may replace or add values in ``record.values`` (a resolved code, say)."""


@dataclass(frozen=True)
class Unique:
    """Rows may not repeat these columns' values (if the file has the columns, but for
    ``optional`` ones, blank when absent); ``message`` may name them: ``"a second value for
    {date}"``."""

    columns: tuple[str, ...]
    message: str
    optional: tuple[str, ...] = ()


@dataclass
class _Report:
    file: str | None
    errors: list[InputError] = field(default_factory=list)

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(InputError(message, file=self.file, row=row, field=column))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(sorted(self.errors, key=lambda e: e.row or 0))


def read_rows(
    path: str | PathLike[str],
    columns: Sequence[Column],
    *,
    others: Literal["refuse", "ignore"] = "refuse",
    check: Check | None = None,
    unique: Sequence[Unique] = (),
) -> list[Record]:
    """Every data row of the CSV file at ``path``, or InputErrors listing every problem.

    ``others``: whether columns not in ``columns`` are refused or ignored (even when
    ignored, a name close to a column's, like ``suplier_name``, is refused as a misspelling).
    """
    try:
        text = read_text(path)
    except InputError as error:
        raise InputErrors([error]) from None
    return parse_rows(text, columns, file=path, others=others, check=check, unique=unique)


def parse_rows(
    text: str | bytes,
    columns: Sequence[Column],
    *,
    file: str | PathLike[str] | None = None,
    others: Literal["refuse", "ignore"] = "refuse",
    check: Check | None = None,
    unique: Sequence[Unique] = (),
) -> list[Record]:
    """As :func:`read_rows`, from the file's content."""
    report = _Report(str(file) if file is not None else None)
    if isinstance(text, bytes):
        try:
            text = decode(text, file=file)
        except InputError as error:
            raise InputErrors([error]) from None
    rows = _cells(text, report)
    header = next(rows, None)
    if header is None:
        report.add(1, None, "the file is empty: its first row must name the columns")
        report.raise_if_any()
        return []
    layout = _layout(header, columns, others, report)
    report.raise_if_any()
    records = [_record(number, cells, layout, columns, report) for number, cells in rows]
    for record in records:
        for column, message in check(record) if check else ():
            report.add(record.row, column, message)
            record.wrong.add(column)
    for rule in unique:
        _repeats(records, rule, report)
    report.raise_if_any()
    return records


def read_header(path: str | PathLike[str]) -> list[str]:
    """The column names of the CSV file at ``path`` (its first row that is not blank), read
    as :func:`read_rows` reads them; InputErrors if it has none or cannot be read."""
    report = _Report(str(path))
    try:
        text = read_text(path)
    except InputError as error:
        raise InputErrors([error]) from None
    header = next(_cells(text, report), None)
    if header is None:
        report.add(1, None, "the file is empty: its first row must name the columns")
    report.raise_if_any()
    return [name.strip() for name in header[1]] if header else []


def match_header(
    names: Sequence[str],
    columns: Sequence[Column],
    *,
    file: str | PathLike[str] | None = None,
    others: Literal["refuse", "ignore"] = "refuse",
) -> dict[str, int]:
    """Where each column is in a header row, matched as :func:`read_rows` matches them (for
    readers of files too big for it); InputErrors listing the header's problems."""
    report = _Report(str(file) if file is not None else None)
    layout = _layout((1, list(names)), columns, others, report)
    report.raise_if_any()
    return layout.positions


def _cells(text: str, report: _Report) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each row that is not blank; a malformed row ends the file
    with an error."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            report.add(number, None, _malformed(error))
            return
        if any(c.strip() for c in cells):
            yield number, cells


def _delimiter(text: str) -> str:
    first = text.lstrip("\r\n").partition("\n")[0]
    if "," not in first:
        for other in ("\t", ";"):
            if other in first:
                return other
    return ","


def _malformed(error: csv.Error) -> str:
    if "field limit" in str(error):
        return f"a cell longer than {MAX_CELL:,} characters (is a quote left open?)"
    return f"not readable as CSV: {error}"


@dataclass(frozen=True)
class _Layout:
    """Which column each position of the header holds (None: ignored; "": unnamed)."""

    number: int
    positions: dict[str, int]
    width: int
    unnamed: tuple[int, ...]
    given: frozenset[str]

    def place(self, column: Column) -> int:
        """Where a column is in the file (absent columns last), to report in file order."""
        return self.positions.get(column.name, self.width)


def _layout(
    header: tuple[int, list[str]], columns: Sequence[Column], others: str, report: _Report
) -> _Layout:
    number, names = header
    by_key = {key(c.name): c for c in columns}
    by_key |= {key(h): c for c in columns for h in c.headers}
    positions: dict[str, int] = {}
    unnamed = []
    for position, name in enumerate(names):
        column = by_key.get(key(name))
        if column is None and not name.strip():
            unnamed.append(position)
        elif column is None:
            _unknown(number, name.strip(), columns, others, report)
        elif column.name in positions:
            report.add(number, name.strip(), "the column appears twice in the header")
        else:
            positions[column.name] = position
    missing = [c.name for c in columns if c.in_header and c.name not in positions]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        report.add(number, None, f"missing {noun}: {', '.join(missing)}")
    return _Layout(number, positions, len(names), tuple(unnamed), frozenset(positions))


def _unknown(number: int, name: str, columns: Sequence[Column], others: str, report) -> None:
    names = [c.name for c in columns]
    close = difflib.get_close_matches(key(name), [key(n) for n in names], n=1, cutoff=0.8)
    if close:
        spelt = names[[key(n) for n in names].index(close[0])]
        report.add(number, name, f"unknown column (did you mean {spelt!r}?)")
    elif others == "refuse":
        report.add(number, name, f"unknown column; the columns are {', '.join(names)}")


def _record(
    number: int, cells: list[str], layout: _Layout, columns: Sequence[Column], report: _Report
) -> Record:
    values, wrong = {}, set()
    for column in sorted(columns, key=layout.place):
        position = layout.positions.get(column.name)
        text = cells[position].strip() if position is not None and position < len(cells) else ""
        try:
            values[column.name] = column.read(text, file=report.file, row=number)
        except InputError as error:
            report.errors.append(error)
            values[column.name] = None
            wrong.add(column.name)
    stray = [i for i in (*layout.unnamed, *range(layout.width, len(cells))) if i < len(cells)]
    if any(cells[i].strip() for i in stray):
        report.add(number, None, "a value outside the named columns (an unquoted comma?)")
    ordered = {c.name: values[c.name] for c in columns}
    return Record(number, ordered, wrong, layout.given)


def _repeats(records: list[Record], rule: Unique, report: _Report) -> None:
    first: dict[tuple, int] = {}
    for record in records:
        needed = set(rule.columns) - set(rule.optional)
        if record.wrong & set(rule.columns) or not record.given >= needed:
            continue
        value = tuple(record[c] for c in rule.columns)
        if value in first:
            message = rule.message.format(**record.values)
            report.add(record.row, rule.columns[-1], f"{message} (first at row {first[value]})")
        else:
            first[value] = record.row
