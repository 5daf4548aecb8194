"""Encodings: UTF-8 with or without its byte-order mark, UTF-16/32 with one; everything
else refused with what to do about it, naming the file.

File signatures as their formats define them: zip (so .xlsx) starts "PK\x03\x04" (PKWARE
APPNOTE.TXT, local file header), an old .xls "D0 CF 11 E0" ([MS-CFB] compound file header),
Parquet "PAR1" (Apache Parquet file format)."""

from __future__ import annotations

import codecs

import pytest

from icsatlas.errors import InputError
from icsatlas.inputs.text import check_utf8, decode, read_lines, read_text, sniff

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


def test_a_big_file_is_sniffed_from_its_start(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(("x" * 65535 + "é\n").encode())  # a character cut by the block's end
    assert sniff(path) == "utf-8"
    path.write_bytes(codecs.BOM_UTF8 + b"a,b\n")
    assert sniff(path) == "utf-8"
    path.write_bytes("a,b\n".encode("utf-16"))
    assert sniff(path) == "utf-16"
    path.write_bytes("a,b\n".encode("utf-32"))
    assert sniff(path) == "utf-32"
    path.write_bytes(b"a,b\n\xa3\n")
    with pytest.raises(InputError, match=r"big.csv: not UTF-8 \(byte 0xa3 on line 2"):
        sniff(path)
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match=r"an Excel .xlsx workbook"):
        sniff(path)


def test_the_rest_of_a_big_file_is_checked_block_by_block(tmp_path):
    path = tmp_path / "big.csv"
    good = b"a,b\n" + b"1,2\n" * 10 + "é".encode() + b"\n"
    path.write_bytes(good)
    check_utf8(path, block=7)  # blocks that cut characters and lines
    path.write_bytes(good + b"\xe9\n")
    with pytest.raises(InputError, match=r"big.csv: not UTF-8 \(byte 0xe9 on line 13"):
        check_utf8(path)
    with pytest.raises(InputError, match=r"not UTF-8 \(byte 0xe9 on line 13"):
        check_utf8(path, block=5)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_lines_are_read_one_by_one_in_any_accepted_encoding(tmp_path, encoding):
    path = tmp_path / "x.jsonl"
    path.write_bytes(TEXT.encode(encoding))
    assert list(read_lines(path)) == [(1, "code,name\n"), (2, "A,Zoë £5\n")]


def test_a_line_that_is_not_utf8_is_named(tmp_path):
    """Issue 12 defect 7: a Latin-1 JSON Lines file crashed with UnicodeDecodeError."""
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": "\xa35"}\n')
    with pytest.raises(InputError) as caught:
        list(read_lines(path, fix="save it as UTF-8"))
    assert str(caught.value) == (
        f"{path}: not UTF-8 (byte 0xa3 on line 2: Windows-1252 or Latin-1?): save it as UTF-8"
    )
