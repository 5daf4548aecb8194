"""A Result as an Excel workbook: a sheet of data (one more per section of the answer) and
a "Provenance" sheet saying where it came from.

Text is stored as text; text that starts like a formula also gets Excel's quote prefix, so
``=cmd|' /C calc'!A0`` is shown exactly as it was recorded and is never run, even when a
reader edits the cell (issue 12, defect 4). Numbers stay numbers, dates stay dates.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from icsatlas.exports.cells import FORMULA_START
from icsatlas.exports.meta import About
from icsatlas.results import Result, plain

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)


def to_xlsx(result: Result, about: About) -> bytes:
    """The workbook's bytes."""
    book = Workbook(write_only=True)
    for name, table in _sheets(result):
        _write(book.create_sheet(name), table.columns, table.table.rows)
    _write(book.create_sheet("Provenance"), ("field", "value"), about.rows())
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheets(result: Result) -> list[tuple[str, Result]]:
    """A "Data" sheet (unless the answer is only sections), then "Section 1", "Section 2",
    and a section's own sections after it ("Section 3.1": an area report's board members)."""
    main = [("Data", result)] if result.columns or not result.sections else []
    return main + _section_sheets(result, "Section ")


def _section_sheets(result: Result, prefix: str) -> list[tuple[str, Result]]:
    sheets = []
    for n, section in enumerate(result.sections, 1):
        sheets += [(f"{prefix}{n}", section), *_section_sheets(section, f"{prefix}{n}.")]
    return sheets


def _write(sheet: WriteOnlyWorksheet, head: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    sheet.append([_heading(sheet, h) for h in head])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])


def _heading(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = _text(sheet, text)
    cell.font = _BOLD
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A plain value, or, for text that starts like a formula, a cell that holds it as text."""
    value = _value(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return _text(sheet, value)
    return value


def _text(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never "f" (a formula), whatever the text starts with
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def _value(value: Any) -> Any:
    """What a cell holds: numbers, booleans and dates as themselves, anything else as text."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if value is None or isinstance(value, (bool, int, float, str)):
        return plain(value) if isinstance(value, float) else value
    if hasattr(value, "isoformat"):
        return value
    return str(value)
