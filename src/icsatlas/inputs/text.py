"""A user's file as text: UTF-8 (with or without a byte-order mark), or UTF-16/32 with one.

Anything else is refused with what to do about it, naming the file: most often a CSV saved
by Excel as "CSV (Comma delimited)", which is Windows-1252, where "CSV UTF-8" is needed.
"""

from __future__ import annotations

import codecs
from os import PathLike
from pathlib import Path

from icsatlas.errors import InputError

SAVE_AS = "save it as CSV UTF-8"

_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NOT_TEXT = {
    b"PK\x03\x04": f"a zip file (an Excel .xlsx workbook?), not CSV: {SAVE_AS}",
    b"\xd0\xcf\x11\xe0": f"an Excel .xls workbook, not CSV: {SAVE_AS}",
    b"PAR1": "a Parquet file, not CSV",
    b"%PDF": "a PDF, not CSV",
}


def read_text(path: str | PathLike[str]) -> str:
    """The text of the file at ``path``; an InputError naming it if unreadable or not text."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", file=path) from None
    return decode(data, file=path)


def decode(data: bytes, *, file: str | PathLike[str] | None = None) -> str:
    """``data`` as text, by its byte-order mark or else as UTF-8 (see the module)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, file)
    for magic, what in _NOT_TEXT.items():
        if data.startswith(magic):
            raise InputError(what, file=file)
    if b"\x00" in data:
        where = _line_of(data, data.index(b"\x00"))
        raise InputError(
            f"not text: a NUL byte on line {where} (UTF-16 without a byte-order mark?): {SAVE_AS}",
            file=file,
        )
    return _decode(data, "utf-8", file)


def _decode(data: bytes, encoding: str, file) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        byte = data[error.start]
        line = _line_of(data, error.start) if encoding == "utf-8" else None
        where = f" on line {line}: Windows-1252 or Latin-1?" if line else ""
        raise InputError(
            f"not {encoding.upper()} (byte 0x{byte:02x}{where}): {SAVE_AS}", file=file
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
