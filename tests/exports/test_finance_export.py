"""`--export` files of the finance commands are spreadsheet-safe too (issue 12, defect 4:
text such as a scenario name `=cmd|' /C calc'!A0` must not reach a spreadsheet as a formula)."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd

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
