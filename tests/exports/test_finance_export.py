"""`--export` files of the finance commands are spreadsheet-safe too (issue 12, defect 4:
text such as a scenario name `=cmd|' /C calc'!A0` must not reach a spreadsheet as a formula),
their provenance is real JSON, and they follow the rule for output files (defect 11)."""

from __future__ import annotations

import csv
import json

import openpyxl
import pandas as pd
import pytest

from icsatlas.errors import InputError
from icsatlas.finance import export
from icsatlas.provenance import Provenance
from icsatlas.results import Result

ATTACK = "=cmd|' /C calc'!A0"
RESULT = Result(
    pd.DataFrame({"scenario": [ATTACK, "baseline"], "gbp": [-1.5, 2.5]}),
    Provenance(data={"scenario": ATTACK}, parameters="parameters@abc"),
    "Savings by scenario",
    (f"scenario {ATTACK}",),
)


def test_finance_xlsx_export_holds_no_formula(tmp_path):
    export.write(RESULT, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert book["out"]["A2"].value == "'" + ATTACK and book["out"]["B2"].value == -1.5
    assert "'" + ATTACK in {c.value for c in cells if c.parent.title == "provenance"}


def test_finance_csv_export_neutralises_formulas(tmp_path):
    export.write(RESULT, tmp_path / "out.csv")
    rows = list(csv.reader((tmp_path / "out.csv").open()))
    assert rows[1] == ["'" + ATTACK, "-1.5"]


def test_provenance_sidecar_is_json_whatever_the_scenario_is_called(tmp_path):
    """Issue 12, defect 4: scenario names went unescaped into `.provenance.json`."""
    name = 'a "quoted", \\ back-slashed\nand } braced scenario'
    named = Result(RESULT.frame, Provenance(data={"scenario": name}), name, (name,))
    export.write(named, tmp_path / "out.csv")
    [table] = json.loads((tmp_path / "out.provenance.json").read_text())["tables"]
    assert table["title"] == name and table["provenance"]["data"]["scenario"] == name


def test_a_csv_export_is_refused_whole_if_its_provenance_file_exists(tmp_path):
    """Issue 12, defect 11: every file of an export is checked before the first is written."""
    sidecar = tmp_path / "out.provenance.json"
    sidecar.write_bytes(b"mine")
    with pytest.raises(InputError, match=r"^--export: .*out\.provenance\.json: already exists"):
        export.write(RESULT, tmp_path / "out.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["out.provenance.json"]
    assert sidecar.read_bytes() == b"mine"
    export.write(RESULT, tmp_path / "out.csv", force=True)
    assert json.loads(sidecar.read_text())["tables"][0]["file"] == "out.csv"


def test_an_export_into_a_missing_folder_is_refused_and_the_folder_not_made(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        export.write(RESULT, tmp_path / "new" / "out.xlsx")
    assert list(tmp_path.iterdir()) == []
