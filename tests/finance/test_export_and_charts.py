"""Exports carry provenance; charts are real PNG/SVG files."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from icsatlas.errors import InputError
from icsatlas.finance import allocation, charts, convergence, export, outputs
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.results import Result

PARAMS = ParameterSet.shipped()
RESULT = Result(
    pd.DataFrame({"area": ["A", "B"], "gbp": [1.5, 2.5]}),
    Provenance(data={"x": "Source X"}, parameters="parameters@abc", seed=3),
    "A small table",
    ("a note",),
)


def test_excel_has_one_sheet_per_table_and_a_provenance_sheet(tmp_path):
    written = export.write({"first": RESULT, "second": RESULT}, tmp_path / "out.xlsx")
    assert written.files == [tmp_path / "out.xlsx"]
    sheets = pd.read_excel(tmp_path / "out.xlsx", sheet_name=None)
    assert list(sheets) == ["first", "second", "provenance"]
    provenance = sheets["provenance"]
    assert "seed" in set(provenance["item"]) and "Source X" in set(provenance["value"])
    assert written.describe() == f"wrote 2 tables (first, second) to {tmp_path / 'out.xlsx'}"


def test_parquet_keeps_provenance_in_its_metadata(tmp_path):
    [path] = export.write(RESULT, tmp_path / "out.parquet").files
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"icsatlas"])
    assert meta["provenance"]["seed"] == 3 and meta["notes"] == ["a note"]
    assert table.to_pandas().gbp.tolist() == [1.5, 2.5]


def test_several_csv_tables_get_full_names_and_one_provenance_file(tmp_path):
    """Issue 9, section 5: `--export bill.csv` wrote 12 files with names cut at 40 characters
    (a numbered slug of each title, and a provenance file for each); now one file per table
    named by the table, and one provenance file that says which file is which."""
    written = export.write(
        {"national": RESULT, "sensitivity": RESULT, "icbs": RESULT}, tmp_path / "bill.csv"
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "bill-icbs.csv", "bill-national.csv", "bill-sensitivity.csv", "bill.provenance.json",
    ]  # fmt: skip
    assert written.files[-1] == tmp_path / "bill.provenance.json"
    sidecar = json.loads((tmp_path / "bill.provenance.json").read_text())
    assert [t["file"] for t in sidecar["tables"]] == [
        "bill-national.csv", "bill-sensitivity.csv", "bill-icbs.csv",
    ]  # fmt: skip
    assert sidecar["tables"][0]["title"] == "A small table"
    assert "wrote 3 tables: " in written.describe()
    assert written.describe().endswith(f"provenance in {tmp_path / 'bill.provenance.json'}")


def test_one_csv_table_goes_to_the_path_given(tmp_path):
    written = export.write(RESULT, tmp_path / "out.csv")
    assert written.files == [tmp_path / "out.csv", tmp_path / "out.provenance.json"]
    assert pd.read_csv(tmp_path / "out.csv").gbp.tolist() == [1.5, 2.5]


def test_unknown_export_format_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"cannot export to \.txt"):
        export.write(RESULT, tmp_path / "out.txt")


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_waterfall_and_convergence_charts_are_written(tmp_path, suffix, b42):
    path = charts.save(
        charts.waterfall(allocation.waterfall(PARAMS, b42, "QHM")), tmp_path / f"w{suffix}"
    )
    head = path.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head or b"<?xml" in head
    charts.save(charts.convergence(convergence.paths(PARAMS, b42, 2)), tmp_path / f"c{suffix}")


def test_chart_suffix_is_checked(tmp_path, b42):
    with pytest.raises(InputError, match=r"charts are written as \.png or \.svg"):
        charts.save(charts.waterfall(allocation.waterfall(PARAMS, b42, "QHM")), tmp_path / "w.pdf")


def test_a_result_draws_the_chart_its_table_holds(tmp_path, b42):
    waterfall = allocation.waterfall(PARAMS, b42, "QHM")
    said = outputs.write(waterfall, export=tmp_path / "w.xlsx", chart=tmp_path / "w.svg")
    assert said == f"wrote {tmp_path / 'w.xlsx'}; wrote {tmp_path / 'w.svg'}"
    assert "Target waterfall" in (tmp_path / "w.svg").read_text()
    with pytest.raises(InputError, match="no chart for 'A small table'"):
        outputs.write(RESULT, chart=tmp_path / "small.png")
    with pytest.raises(InputError, match="has no sensitivity ranking to draw"):
        outputs.write(RESULT, tornado=tmp_path / "small.png")


def test_nothing_is_written_when_a_file_name_is_wrong(tmp_path, b42):
    waterfall = allocation.waterfall(PARAMS, b42, "QHM")
    with pytest.raises(InputError, match=r"cannot write w\.pdf"):
        outputs.write(waterfall, export=tmp_path / "w.csv", chart=tmp_path / "w.pdf")
    assert list(tmp_path.iterdir()) == []


def test_sections_are_written_by_their_labels(tmp_path):
    sections = [
        Result(RESULT.frame, RESULT.provenance, "Payback: share of draws"),
        Result(RESULT.frame, RESULT.provenance, "Payback: again"),
    ]
    whole = Result(RESULT.frame, RESULT.provenance, "National: net savings", (), sections)
    outputs.write(whole, export=tmp_path / "bill.xlsx")
    sheets = pd.read_excel(tmp_path / "bill.xlsx", sheet_name=None)
    assert list(sheets) == ["national", "payback", "payback-2", "provenance"]
