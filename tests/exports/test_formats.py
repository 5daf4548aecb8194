"""Each download format gives back the table it was given, says where it came from, and
never hands a spreadsheet a formula (issue 12, defect 4: `=cmd|' /C calc'!A0` was written
as imported; OWASP CSV injection guidance: prefix text starting = + - @ tab CR)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pyarrow.parquet as pq
import pytest

from icsatlas import exports
from icsatlas.errors import InputError
from icsatlas.exports.meta import OGL
from icsatlas.provenance import Provenance
from icsatlas.results import Result, Table

ATTACK = "=cmd|' /C calc'!A0"
ROWS = (
    (ATTACK, -5, date(2026, 4, 1), True, 1),
    ("@SUM(A1)", 1.5, None, False, "two"),
    ("Leeds", None, date(2022, 7, 1), None, None),
    ("+44 113", 0, None, None, 3),
)
PROVENANCE = Provenance(
    data={"register": "icsatlas register, change 3", "icb_36_aug2026": "2026-08"},
    reform="blueprint-2025",
    parameters="parameters@abc123",
    notes=("register: shipped reference data",),
)


@pytest.fixture
def result() -> Result:
    table = Table(("supplier", "value", "since", "joint", "mixed"), ROWS)
    return Result(table, PROVENANCE, "Contracts in Leeds", notes=("values in GBP",))


@pytest.fixture
def about(result) -> exports.About:
    return exports.About.of(result, release="0.1.0.3.deadbeef")


def test_csv_round_trips_with_formulas_neutralised_and_numbers_kept(result, about):
    rows = list(csv.reader(io.StringIO(exports.encode(result, "csv", about).decode())))
    assert rows == [
        ["supplier", "value", "since", "joint", "mixed"],
        ["'" + ATTACK, "-5", "2026-04-01", "True", "1"],
        ["'@SUM(A1)", "1.5", "", "False", "two"],
        ["Leeds", "", "2022-07-01", "", ""],
        ["'+44 113", "0", "", "", "3"],
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_in_csv(start):
    result = Result(Table(("text",), ((f"{start}1+1",),)))
    body = exports.encode(result, "csv").decode()
    assert next(csv.reader(io.StringIO(body.split("\r\n", 1)[1])))[0] == f"'{start}1+1"


def test_csvw_metadata_carries_the_provenance_and_column_types(result, about):
    document = json.loads(exports.encode(result, "csvw", about, url="contracts.csv"))
    assert document["@context"] == "http://www.w3.org/ns/csvw"
    assert document["url"] == "contracts.csv"
    assert document["dc:title"] == "Contracts in Leeds"
    assert document["dc:license"] == {"@id": OGL}
    assert document["schema:version"] == "0.1.0.3.deadbeef"
    assert document["dc:created"] == date.today().isoformat()
    assert "reform=blueprint-2025" in document["dc:description"]
    assert "parameters=parameters@abc123" in document["dc:description"]
    assert "register: icsatlas register, change 3" in document["dc:source"]
    # cited in full from the shipped sources.yaml entry icb_36_aug2026
    assert (
        "NHS England (derived), The 36 ICBs (from 1 April 2026) with registered patients "
        "(2026-08-01); OGL v3" in document["dc:source"]
    )
    assert "values in GBP" in document["rdfs:comment"]
    types = [(c["titles"], c["datatype"]) for c in document["tableSchema"]["columns"]]
    assert types == [
        ("supplier", "string"),
        ("value", "number"),
        ("since", "date"),
        ("joint", "boolean"),
        ("mixed", "string"),
    ]


def test_xlsx_has_the_data_and_a_provenance_sheet_and_no_formula(result, about):
    book = openpyxl.load_workbook(io.BytesIO(exports.encode(result, "xlsx", about)))
    assert book.sheetnames == ["Data", "Provenance"]
    data = book["Data"]
    assert [c.value for c in data[1]] == ["supplier", "value", "since", "joint", "mixed"]
    attack = data["A2"]
    assert attack.value == ATTACK and attack.data_type == "s" and attack.quotePrefix
    assert data["B2"].value == -5 and data["B2"].data_type == "n"
    assert data["C2"].value.date() == date(2026, 4, 1) and data["D2"].value is True
    assert data["A4"].value == "Leeds" and data["B4"].value is None
    fields = {r[0]: r[1] for r in book["Provenance"].iter_rows(min_row=2, values_only=True)}
    assert fields["title"] == "Contracts in Leeds"
    assert fields["reform"] == "blueprint-2025"
    assert fields["parameters"] == "parameters@abc123"
    assert fields["release"] == "0.1.0.3.deadbeef"
    assert fields["licence"] == OGL
    assert fields["data: icb_36_aug2026"] == "2026-08"
    assert fields["note"] == "values in GBP"
    formulas = [c for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_xlsx_writes_each_section_on_a_sheet_of_its_own():
    parts = [Result(Table(("n",), ((i,),)), title=f"part {i}") for i in (1, 2)]
    book = openpyxl.load_workbook(
        io.BytesIO(exports.encode(Result(Table(()), sections=parts), "xlsx"))
    )
    assert book.sheetnames == ["Section 1", "Section 2", "Provenance"]
    assert book["Section 2"]["A2"].value == 2


def test_xlsx_writes_a_sections_own_sections_after_it():
    """An area report's boards section holds each board's members as its own section."""
    members = Result(Table(("person",), (("Rt Hon Paul Burstow",),)), title="members")
    boards = Result(Table(("board",), (("QM7",),)), title="boards", sections=[members])
    report = Result(Table(("name",), (("QM7",),)), sections=[Result(Table(("n",))), boards])
    book = openpyxl.load_workbook(io.BytesIO(exports.encode(report, "xlsx")))
    assert book.sheetnames == ["Data", "Section 1", "Section 2", "Section 2.1", "Provenance"]
    assert book["Section 2.1"]["A2"].value == "Rt Hon Paul Burstow"


def test_json_is_the_one_shape_with_release_and_licence(result, about):
    document = json.loads(exports.encode(result, "json", about))
    assert set(document) == {"title", "data", "provenance", "notes", "release"}
    assert document["data"][0] == {
        "supplier": ATTACK,  # JSON is data, not a spreadsheet: kept exactly
        "value": -5,
        "since": "2026-04-01",
        "joint": True,
        "mixed": 1,
    }
    assert document["provenance"]["reform"] == "blueprint-2025"
    assert document["provenance"]["licence"] == OGL
    assert document["release"] == "0.1.0.3.deadbeef"


def test_parquet_round_trips_with_its_provenance_in_the_schema(result, about):
    table = pq.read_table(io.BytesIO(exports.encode(result, "parquet", about)))
    assert table.column_names == ["supplier", "value", "since", "joint", "mixed"]
    assert table.column("supplier").to_pylist()[0] == ATTACK
    assert table.column("value").to_pylist() == [-5, 1.5, None, 0]
    assert table.column("since").to_pylist() == [date(2026, 4, 1), None, date(2022, 7, 1), None]
    assert table.column("mixed").to_pylist() == ["1", "two", None, "3"]  # mixed: as text
    document = json.loads(table.schema.metadata[b"icsatlas"])
    assert document["title"] == "Contracts in Leeds"
    assert document["provenance"]["parameters"] == "parameters@abc123"
    assert document["provenance"]["release"] == "0.1.0.3.deadbeef"
    assert document["notes"] == ["values in GBP"]


def test_an_unknown_format_is_refused_by_name():
    with pytest.raises(InputError, match="'docx' is not one of csv, xlsx, json, parquet"):
        exports.encode(Result(Table(("a",))), "docx")


def test_a_file_is_written_whole_with_its_sidecar_and_never_overwritten(result, tmp_path):
    target = tmp_path / "contracts.csv"
    written = exports.write(result, "csv", target)
    assert written == [target, tmp_path / "contracts.csv-metadata.json"]
    assert json.loads(written[1].read_text())["url"] == "contracts.csv"
    with pytest.raises(InputError, match="already exists"):
        exports.write(result, "csv", target)
    exports.write(result, "csv", target, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "contracts.csv",
        "contracts.csv-metadata.json",
    ]  # no temporary files left behind


def test_filenames_name_the_resource_and_the_date():
    assert exports.filename("icsatlas-who", "xlsx", date(2026, 6, 1)) == (
        "icsatlas-who-2026-06-01.xlsx"
    )
    assert exports.filename("x", "csvw", date(2026, 6, 1)) == "x-2026-06-01.csv-metadata.json"


def test_one_table_formats_say_what_they_leave_out():
    parts = [Result(Table(("n",), ((1,),)), title="Payback")]
    whole = Result(Table(("a",), ((1,),)), title="Bill", sections=parts)
    expected = (
        "this answer has 1 more tables (Payback), not in this file: "
        "download it as XLSX (a sheet each) or JSON"
    )
    metadata = json.loads(exports.encode(whole, "csvw", url="bill.csv"))
    assert expected in metadata["rdfs:comment"]
    table = pq.read_table(io.BytesIO(exports.encode(whole, "parquet")))
    assert json.loads(table.schema.metadata[b"icsatlas"])["notes"] == [expected]
    assert json.loads(exports.encode(whole, "json"))["sections"][0]["title"] == "Payback"
