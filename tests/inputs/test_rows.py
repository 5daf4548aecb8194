"""The one CSV reader: typed records, every problem of a file at once as file:row: field,
and whatever a spreadsheet or a person writes either read or refused with a reason."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icsatlas.errors import InputError, InputErrors
from icsatlas.inputs.columns import Column
from icsatlas.inputs.numbers import Bounds
from icsatlas.inputs.rows import MAX_CELL, Unique, parse_rows, read_header, read_rows

COLUMNS = (
    Column("code", "code", required=True),
    Column("name", headers=("title",)),
    Column(
        "role", "enum", choices=("chair", "chief-executive"), aliases={"ceo": "chief-executive"}
    ),
    Column("amount", "money", bounds=Bounds(low=0)),
    Column("share", "fraction"),
    Column("rate", "percent"),
    Column("staff", "int"),
    Column("start", "date"),
    Column("month", "month"),
)


def errors(text: str | bytes, columns=COLUMNS, **options) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        parse_rows(text, columns, file="f.csv", **options)
    return [str(e) for e in caught.value.errors]


def test_cells_are_read_by_their_columns():
    text = (
        "code,name,role,amount,share,rate,staff,start,month\n"
        'qwo, West Yorkshire ,Chief Executive,"£1,234.50",86.1%,86.1%,"1,200",'
        "01/06/2026,Jan-24\n"
    )
    [record] = parse_rows(text, COLUMNS)
    assert record.row == 2
    assert record.values == {
        "code": "QWO",
        "name": "West Yorkshire",
        "role": "chief-executive",
        "amount": 1234.5,
        "share": pytest.approx(0.861),
        "rate": 86.1,
        "staff": 1200,
        "start": date(2026, 6, 1),
        "month": date(2024, 1, 1),
    }


def test_blank_cells_and_absent_optional_columns_take_the_default():
    columns = (Column("code", required=True), Column("flag", "enum", choices=("yes", "no"),
                                                     default="no"))  # fmt: skip
    assert parse_rows("code\nA\n", columns)[0].values == {"code": "A", "flag": "no"}
    assert parse_rows("code,flag\nA,\n", columns)[0]["flag"] == "no"


def test_header_names_ignore_case_spaces_and_order_and_accept_other_names():
    [record] = parse_rows("Title,CODE,Role\nX,a,CEO\n", COLUMNS)
    assert (record["code"], record["name"], record["role"]) == ("A", "X", "chief-executive")


def test_every_bad_cell_of_every_row_is_reported_at_once():
    text = (
        "code,amount,share,staff,start,role\n"
        "A,lots,120%,1.5,2026-02-30,boss\n"
        ",−5,0.5,3,yesterday,chair\n"
        "C,-5,86.1,,,\n"
    )
    assert errors(text) == [
        "f.csv:2: amount: not an amount of money: 'lots'",
        "f.csv:2: share: must be from 0 to 1, got 1.2",
        "f.csv:2: staff: not a whole number: '1.5'",
        "f.csv:2: start: not a date: '2026-02-30' (February 2026 has 28 days)",
        "f.csv:2: role: unknown role 'boss'; use chair, chief-executive",
        "f.csv:3: code: required",
        "f.csv:3: amount: not an amount of money: '−5'",
        "f.csv:3: start: not a date: 'yesterday' (use YYYY-MM-DD, or DD/MM/YYYY, day first)",
        "f.csv:4: amount: must be 0 or more, got -5",
        "f.csv:4: share: must be from 0 to 1, got 86.1 (a fraction: write 86.1% for a percentage)",
    ]


def test_a_misspelt_choice_is_suggested():
    assert errors("code,role\nA,chiar\n") == [
        "f.csv:2: role: unknown role 'chiar' (did you mean 'chair'?); use chair, chief-executive"
    ]


def test_header_problems_are_reported_together_on_row_1():
    assert errors("name,amount,amount,colour,stat\nx,1,2,red,3\n") == [
        "f.csv:1: amount: the column appears twice in the header",
        "f.csv:1: colour: unknown column; the columns are code, name, role, amount, share, "
        "rate, staff, start, month",
        "f.csv:1: stat: unknown column (did you mean 'start'?)",
        "f.csv:1: missing column: code",
    ]


def test_other_columns_may_be_ignored_but_not_misspellings():
    assert parse_rows("code,notes\nA,anything\n", COLUMNS, others="ignore")[0]["code"] == "A"
    assert errors("code,strat\nA,x\n", others="ignore") == [
        "f.csv:1: strat: unknown column (did you mean 'start'?)"
    ]


def test_a_column_may_be_needed_in_the_header_though_blank_in_rows():
    columns = (Column("code", required=True), Column("valid_to", "date", present=True))
    assert errors("code\nA\n", columns) == ["f.csv:1: missing column: valid_to"]
    assert parse_rows("code,valid_to\nA,\n", columns)[0]["valid_to"] is None


def test_blank_lines_and_empty_rows_are_skipped_and_rows_keep_their_numbers():
    records = parse_rows("code,name\n\nA,x\n,\n\r\nB,y\n", COLUMNS)
    assert [(r.row, r["code"]) for r in records] == [(3, "A"), (6, "B")]
    assert errors("code,staff\n\n\nA,x\n") == ["f.csv:4: staff: not a number: 'x'"]


def test_a_cell_over_several_lines_is_one_row():
    records = parse_rows('code,name\nA,"two\nlines"\nB,z\n', COLUMNS)
    assert [(r.row, r["name"]) for r in records] == [(2, "two\nlines"), (3, "z")]


def test_short_rows_have_blank_cells_and_trailing_empty_cells_are_ignored():
    records = parse_rows("code,name,staff\nA\nB,y,3,,\n", COLUMNS)
    assert [r.values["staff"] for r in records] == [None, 3]


def test_values_beyond_the_last_column_are_refused():
    assert errors("code,name\nSmith, John,x\n") == [
        "f.csv:2: a value outside the named columns (an unquoted comma?)"
    ]
    assert errors("code,,name\nA,x,y\n") == [
        "f.csv:2: a value outside the named columns (an unquoted comma?)"
    ]


def test_a_huge_cell_is_a_clear_error_not_a_csv_module_message():
    text = 'code,name\nA,"' + "x" * (MAX_CELL + 1) + '"\n'
    assert errors(text) == [
        f"f.csv:2: a cell longer than {MAX_CELL:,} characters (is a quote left open?)"
    ]


def test_an_empty_file_says_so():
    assert errors("") == ["f.csv:1: the file is empty: its first row must name the columns"]
    assert errors("\n\n") == ["f.csv:1: the file is empty: its first row must name the columns"]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_name():
    assert parse_rows(codecs.BOM_UTF8 + b"code\nA\n", COLUMNS)[0]["code"] == "A"


def test_utf16_with_a_byte_order_mark_as_excel_saves_unicode_text():
    data = "code\tname\nA\tZoë\n".encode("utf-16")  # BOM + tab-separated, as Excel writes
    assert parse_rows(data, COLUMNS)[0].values["name"] == "Zoë"


def test_semicolon_separated_files_are_read():
    assert parse_rows("code;staff\nA;3\n", COLUMNS)[0]["staff"] == 3


def test_windows_1252_is_refused_naming_the_file_and_line():
    data = "code,amount\nA,1\nB,£5\n".encode("cp1252")
    assert errors(data) == [
        "f.csv: not UTF-8 (byte 0xa3 on line 3: Windows-1252 or Latin-1?): save it as CSV UTF-8"
    ]


def test_a_workbook_is_refused_as_not_csv():
    # "PK\x03\x04": a zip local file header (PKWARE APPNOTE.TXT); .xlsx files are zip files
    assert errors(b"PK\x03\x04rest of a zip") == [
        "f.csv: a zip file (an Excel .xlsx workbook?), not CSV: save it as CSV UTF-8"
    ]


def test_a_check_adds_its_problems_to_the_same_report_and_may_resolve_values():
    known = {"QWO": "West Yorkshire"}

    def check(record):
        if record["code"] and record["code"] not in known:
            yield "code", f"no ICB with code {record['code']!r}"
        record.values["icb_name"] = known.get(record["code"])

    assert errors("code,staff\nQZZ,x\n", check=check) == [
        "f.csv:2: staff: not a number: 'x'",
        "f.csv:2: code: no ICB with code 'QZZ'",
    ]
    assert parse_rows("code\nqwo\n", COLUMNS, check=check)[0]["icb_name"] == "West Yorkshire"


def test_repeated_keys_are_reported_with_the_first_row():
    unique = [Unique(("code", "start"), "a second row for {code} on {start}")]
    text = "code,start\nA,2026-01-01\nA,01/01/2026\nA,bad\nA,bad\nB,2026-01-01\n"
    assert errors(text, unique=unique) == [
        "f.csv:3: start: a second row for A on 2026-01-01 (first at row 2)",
        "f.csv:4: start: not a date: 'bad' (use YYYY-MM-DD, or DD/MM/YYYY, day first)",
        "f.csv:5: start: not a date: 'bad' (use YYYY-MM-DD, or DD/MM/YYYY, day first)",
    ]


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path):
    missing = tmp_path / "gone.csv"
    with pytest.raises(InputErrors, match=r"gone\.csv: cannot read file: No such file"):
        read_rows(missing, COLUMNS)


def test_read_rows_reads_a_file(tmp_path: Path):
    path = tmp_path / "ok.csv"
    path.write_bytes(b"code,staff\r\nA,1\r\n")
    assert [r.values["staff"] for r in read_rows(path, COLUMNS)] == [1]


def test_a_column_spec_is_checked_when_written():
    with pytest.raises(ValueError, match="choices go with kind 'enum'"):
        Column("x", "enum")
    with pytest.raises(ValueError, match="differ only in case"):
        Column("x", "enum", choices=("a-b", "A_B"))
    with pytest.raises(ValueError, match="aliases for no choice"):
        Column("x", "enum", choices=("a",), aliases={"b": "c"})


def test_a_custom_parser_reports_in_the_same_shape():
    def route(text: str) -> str:
        if text.lower() not in ("open", "direct"):
            raise ValueError(text)
        return text.lower()

    def year(text: str) -> str:
        raise InputError(f"not a financial year: {text!r}", field="year")

    columns = (Column("route", parse=route, what="a route (open or direct)"),
               Column("year", parse=year))  # fmt: skip
    assert errors("route,year\nhandshake,2025\n", columns) == [
        "f.csv:2: route: not a route (open or direct): 'handshake'",
        "f.csv:2: year: not a financial year: '2025'",
    ]


CSV_TEXT = st.text(alphabet=st.sampled_from(list(',;\t"\n\r x1£%-/\ufeff\x00é')), max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_records_or_input_errors(data):
    try:
        parse_rows(data, COLUMNS, file="f.csv")
    except InputErrors as caught:
        assert caught.errors and all(isinstance(e, InputError) for e in caught.errors)


@settings(max_examples=300, deadline=None)
@given(st.lists(CSV_TEXT, max_size=3).map(lambda parts: "code,name,staff,start\n".join(parts)))
def test_any_csv_like_text_gives_records_or_input_errors(text):
    try:
        for record in parse_rows(text, COLUMNS, file="f.csv"):
            assert record.row >= 2
    except InputErrors as caught:
        assert all(str(e).startswith("f.csv") for e in caught.errors)


def test_a_field_a_check_refuses_is_not_compared_for_repeats():
    def check(record):
        if record["code"] == "BAD":
            yield "code", "no such code"

    unique = [Unique(("code",), "{code} again")]
    assert errors("code\nBAD\nBAD\nA\nA\n", check=check, unique=unique) == [
        "f.csv:2: code: no such code",
        "f.csv:3: code: no such code",
        "f.csv:5: code: A again (first at row 4)",
    ]


def test_a_check_knows_which_columns_the_file_has():
    def check(record):
        if "staff" in record.given and record["staff"] is None:
            yield "staff", "required when the column is given"

    assert parse_rows("code\nA\n", COLUMNS, check=check)[0]["staff"] is None
    assert errors("code,staff\nA,\n", check=check) == [
        "f.csv:2: staff: required when the column is given"
    ]


def test_repeats_are_looked_for_only_in_columns_the_file_has():
    unique = [Unique(("name",), "{name} again"), Unique(("code",), "{code} again")]
    assert [r["code"] for r in parse_rows("code\nA\nB\n", COLUMNS, unique=unique)] == ["A", "B"]


def test_a_header_alone_is_read_as_read_rows_reads_it(tmp_path: Path):
    path = tmp_path / "h.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"\n Contract ID ,title\nx,y\n")
    assert read_header(path) == ["Contract ID", "title"]
    path.write_bytes(b"")
    with pytest.raises(InputErrors, match=r"h.csv:1: the file is empty"):
        read_header(path)
