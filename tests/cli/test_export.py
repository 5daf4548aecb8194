"""`icsatlas export register` writes the whole register on a date, whole or not at all;
and every `-f csv` output is safe to open in a spreadsheet (issue 12, defect 4)."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pyarrow.parquet as pq

ATTACK = "=cmd|' /C calc'!A0"


def test_export_register_writes_csv_with_its_csvw_sidecar(cli, tmp_path):
    out = tmp_path / "register.csv"
    code, output = cli("export", "register", "--on", "2026-06-01", "--out", str(out))
    assert code == 0, output
    assert f"wrote {out}" in output and "rows: The register on 2026-06-01" in output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {r["area_ods_code"] for r in rows if r["area_type"] == "icb"} >= {"QWO", "QYG"}
    metadata = json.loads((tmp_path / "register.csv-metadata.json").read_text())
    assert metadata["url"] == "register.csv"
    assert (
        metadata["dc:title"] == "The register on 2026-06-01: who holds every function in every area"
    )


def test_export_register_under_a_reform_in_each_format(cli, tmp_path):
    for fmt in ("xlsx", "json", "parquet"):
        out = tmp_path / f"register.{fmt}"
        code, output = cli(
            "export", "register", "--on", "2027-06-01", "-r", "blueprint-2025", "--out", str(out)
        )
        assert code == 0, output
    book = openpyxl.load_workbook(tmp_path / "register.xlsx", read_only=True)
    fields = dict(book["Provenance"].iter_rows(min_row=2, values_only=True))
    assert fields["reform"] == "blueprint-2025"
    document = json.loads((tmp_path / "register.json").read_text())
    table = pq.read_table(tmp_path / "register.parquet")
    data_rows = sum(1 for _ in book["Data"].iter_rows(min_row=2))
    assert table.num_rows == len(document["data"]) == data_rows
    assert (
        json.loads(table.schema.metadata[b"icsatlas"])["provenance"]["reform"] == "blueprint-2025"
    )


def test_export_refuses_to_overwrite_and_leaves_nothing_half_written(cli, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "register.parquet"
    out.write_bytes(b"mine")
    code, output = cli("export", "register", "--out", str(out))
    assert code == 2 and f"--out: {out}: already exists (add --force to replace it)" in output
    assert out.read_bytes() == b"mine"
    code, output = cli("export", "register", "--out", str(out), "--force")
    assert code == 0 and pq.read_table(out).num_rows > 0
    assert [p.name for p in folder.iterdir()] == ["register.parquet"]


def test_export_needs_a_known_format_and_an_existing_folder(cli, tmp_path):
    code, output = cli("export", "register", "--out", str(tmp_path / "register.txt"))
    assert code == 2 and "'txt' is not one of csv, xlsx, json, parquet" in output
    code, output = cli("export", "register", "--out", str(tmp_path / "nowhere" / "r.csv"))
    assert code == 2 and "no such folder" in output


def test_contracts_list_csv_neutralises_an_imported_formula(cli, tmp_path):
    """Issue 12, defect 4: `contracts list -f csv` wrote `=cmd|' /C calc'!A0` as imported."""
    register = tmp_path / "register.csv"
    register.write_text(
        "contract_id,title,buyer_name,buyer_code,value,start_date,end_date\n"
        f'C-1,"{ATTACK}",NHS Frimley ICB,QNQ,-1000,2024-04-01,2025-03-31\n'
    )
    assert cli("contracts", "import", str(register))[0] == 0
    code, output = cli("contracts", "list", "-f", "csv")
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(output))
    assert row["title"] == "'" + ATTACK
    assert row["value_amount"] in ("-1000", "-1000.0")  # a number stays a number
