"""Exports carry provenance; charts are real PNG/SVG files."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from icsatlas.errors import InputError
from icsatlas.finance import allocation, charts, convergence, export
from icsatlas.finance import weighted_population as wp
from icsatlas.provenance import Provenance
from icsatlas.results import Result

BASIS = wp.Basis("2025/26", "icb42")
RESULT = Result(
    pd.DataFrame({"area": ["A", "B"], "gbp": [1.5, 2.5]}),
    Provenance(data={"x": "Source X"}, parameters="parameters@abc", seed=3),
    "A small table",
    ("a note",),
)


def test_excel_has_one_sheet_per_table_and_a_provenance_sheet(tmp_path):
    [path] = export.write([RESULT, RESULT], tmp_path / "out.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["1 A small table", "2 A small table", "provenance"]
    provenance = sheets["provenance"]
    assert "seed" in set(provenance["item"]) and "Source X" in set(provenance["value"])


def test_parquet_keeps_provenance_in_its_metadata(tmp_path):
    [path] = export.write(RESULT, tmp_path / "out.parquet")
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"icsatlas"])
    assert meta["provenance"]["seed"] == 3 and meta["notes"] == ["a note"]
    assert table.to_pandas().gbp.tolist() == [1.5, 2.5]


def test_csv_writes_a_provenance_sidecar_and_numbers_several_tables(tmp_path):
    paths = export.write([RESULT, RESULT], tmp_path / "out.csv")
    assert [p.name for p in paths] == ["out-1-a-small-table.csv", "out-2-a-small-table.csv"]
    sidecar = json.loads((tmp_path / "out-1-a-small-table.provenance.json").read_text())
    assert sidecar["title"] == "A small table"


def test_unknown_export_format_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"cannot export to \.txt"):
        export.write(RESULT, tmp_path / "out.txt")


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_waterfall_and_convergence_charts_are_written(tmp_path, suffix):
    path = charts.save(
        charts.waterfall(allocation.waterfall(BASIS, "QHM")), tmp_path / f"w{suffix}"
    )
    head = path.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head or b"<?xml" in head
    charts.save(charts.convergence(convergence.paths(BASIS, 2)), tmp_path / f"c{suffix}")


def test_chart_suffix_is_checked(tmp_path):
    with pytest.raises(InputError, match=r"charts are written as \.png or \.svg"):
        charts.save(charts.waterfall(allocation.waterfall(BASIS, "QHM")), tmp_path / "w.pdf")
