"""Encodings: UTF-8 with or without its byte-order mark, UTF-16/32 with one; everything
else refused with what to do about it, naming the file."""

from __future__ import annotations

import codecs

import pytest

from icsatlas.errors import InputError
from icsatlas.inputs.text import decode, read_text

TEXT = "code,name\nA,Zoë £5\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
)
def test_accepted_encodings(data):
    assert decode(data) == TEXT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            TEXT.encode("cp1252"),
            "f.csv: not UTF-8 (byte 0xeb on line 2: Windows-1252 or Latin-1?): "
            "save it as CSV UTF-8",
        ),
        (
            TEXT.encode("utf-16-le"),
            "f.csv: not text: a NUL byte on line 1 (UTF-16 without a byte-order mark?): "
            "save it as CSV UTF-8",
        ),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "f.csv: not UTF-16-LE (byte 0x00): save it as"),
        (b"\xd0\xcf\x11\xe0", "f.csv: an Excel .xls workbook, not CSV: save it as CSV UTF-8"),
        (b"PAR1", "f.csv: a Parquet file, not CSV"),
    ],
)
def test_refused_encodings_say_what_to_do(data, message):
    with pytest.raises(InputError) as caught:
        decode(data, file="f.csv")
    assert str(caught.value).startswith(message)


def test_an_unreadable_path_is_named(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(InputError, match=r"folder: cannot read file: Is a directory"):
        read_text(folder)
