"""A user's file as text: UTF-8 (with or without a byte-order mark), or UTF-16/32 with one.

Anything else is refused with what to do about it, naming the file: most often a CSV saved
by Excel as "CSV (Comma delimited)", which is Windows-1252, where "CSV UTF-8" is needed.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
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

Where = str | PathLike[str] | None


def read_text(path: str | PathLike[str]) -> str:
    """The text of the file at ``path``; an InputError naming it if unreadable or not text."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", file=path) from None
    return decode(data, file=path)


def decode(data: bytes, *, file: Where = None, fix: str = SAVE_AS) -> str:
    """``data`` as text, by its byte-order mark or else as UTF-8 (see the module)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, file, fix)
    _refuse_binary(data, file)
    return _decode(data, "utf-8", file, fix)


def sniff(path: str | PathLike[str], size: int = 1 << 16, fix: str = SAVE_AS) -> str:
    """The encoding of a file too big to read whole, judged from its first ``size`` bytes:
    ``"utf-8"`` (a byte-order mark is left in place), ``"utf-16"`` or ``"utf-32"`` (whose
    codecs read their mark); the same InputError as :func:`decode` if they are not text.
    The rest of a UTF-8 file is checked as it is read (see :func:`check_utf8`)."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(size)
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", file=path) from None
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding if encoding == "utf-8" else encoding[:6]  # utf-16-le: utf-16
    _refuse_binary(head, path)
    try:  # the block may end part-way through a character: not final
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as error:
        raise InputError(_not_utf8(head, error.start, fix=fix), file=path) from None
    return "utf-8"


def read_lines(path: str | PathLike[str], fix: str = SAVE_AS) -> Iterator[tuple[int, str]]:
    """Each line of the file at ``path`` with its number (from 1), read as :func:`sniff`
    says, one line at a time; an InputError naming the file and line at the first that is
    not text in that encoding (``fix``: what to do about it)."""
    encoding = sniff(path, fix=fix)
    number = 0
    with Path(path).open(encoding="utf-8-sig" if encoding == "utf-8" else encoding) as handle:
        try:
            for number, line in enumerate(handle, start=1):
                yield number, line
        except UnicodeDecodeError as error:
            byte = error.object[error.start]
            where = f"byte 0x{byte:02x} on line {number + 1}"
            hint = ": Windows-1252 or Latin-1?" if encoding == "utf-8" else ""
            raise InputError(f"not {encoding.upper()} ({where}{hint}): {fix}", file=path) from None


def check_utf8(path: str | PathLike[str], block: int = 1 << 24) -> None:
    """Read the file at ``path`` through, raising :func:`decode`'s InputError at its first
    byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with Path(path).open("rb") as handle:
        while chunk := handle.read(block):
            if not (chunk.isascii() and not decoder.getstate()[0]):  # ASCII: quick, and usual
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:  # error.object: any bytes carried over, chunk
                    at = offset - (len(error.object) - len(chunk)) + error.start
                    raise InputError(_not_utf8_in(path, at), file=path) from None
            offset += len(chunk)


def _not_utf8_in(path: str | PathLike[str], offset: int) -> str:
    with Path(path).open("rb") as handle:
        lines = sum(handle.read(block).count(b"\n") for block in _blocks(offset))
        return _not_utf8(handle.read(1), 0, lines)


def _blocks(size: int, block: int = 1 << 24) -> list[int]:
    return [block] * (size // block) + [size % block]


def _refuse_binary(data: bytes, file: Where) -> None:
    for magic, what in _NOT_TEXT.items():
        if data.startswith(magic):
            raise InputError(what, file=file)
    if b"\x00" in data:
        where = _line_of(data, data.index(b"\x00"))
        raise InputError(
            f"not text: a NUL byte on line {where} (UTF-16 without a byte-order mark?): {SAVE_AS}",
            file=file,
        )


def _decode(data: bytes, encoding: str, file: Where, fix: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-8":
            raise InputError(_not_utf8(data, error.start, fix=fix), file=file) from None
        byte = data[error.start]
        message = f"not {encoding.upper()} (byte 0x{byte:02x}): {fix}"
        raise InputError(message, file=file) from None


def _not_utf8(data: bytes, offset: int, lines_before: int = 0, fix: str = SAVE_AS) -> str:
    line = lines_before + _line_of(data, offset)
    return f"not UTF-8 (byte 0x{data[offset]:02x} on line {line}: Windows-1252 or Latin-1?): {fix}"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
