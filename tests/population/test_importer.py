"""Importing an ICB's own extract: every bad row named by file, row and field; nothing
half-imported (no files, no registry row, no audit entry)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from icsatlas.errors import InputError, InputErrors
from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, registry
from icsatlas.population.importer import import_population
from icsatlas.population.summary import rows, summarise
from icsatlas.store.audit import changes

PARAMS = ParameterSet.shipped()

EXTRACT = date(2026, 8, 1)


@pytest.fixture
def extract(small, tmp_path) -> pd.DataFrame:
    """The small synthetic population as an ICB would send it (strings, as in a CSV)."""
    frame = pq.read_table(small.files[0]).to_pandas()
    frame = frame.drop(columns=["sub_icb_code"]).head(400)
    return frame


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def _errors(file: Path, name: str = "bad") -> list[str]:
    with pytest.raises((InputErrors, InputError)) as raised:
        import_population(file, name, extract_date=EXTRACT)
    error = raised.value
    return [str(e) for e in getattr(error, "errors", [error])]


def test_a_clean_extract_imports_and_aggregates_like_the_original(
    population_home, extract, tmp_path, geography
):
    file = _csv(extract, tmp_path / "extract.csv")
    imported = import_population(file, "imported", extract_date=EXTRACT)
    assert imported.rows == 400 and imported.kind == "imported"
    summary = rows(summarise(imported, "icb", params=PARAMS, geography=geography(EXTRACT)))
    assert summary.people.iloc[0] == 400
    assert summary.diabetes.iloc[0] == int(extract.diabetes.sum())
    assert imported.manifest["sha256"] and imported.manifest["source"] == "extract.csv"


def test_parquet_works_too(population_home, extract, tmp_path):
    file = tmp_path / "extract.parquet"
    extract.to_parquet(file, index=False)
    assert import_population(file, "from-parquet", extract_date=EXTRACT).rows == 400


def test_imd_decile_is_filled_from_the_lsoa(population_home, extract, tmp_path):
    file = _csv(extract.assign(imd_decile=None), tmp_path / "no-imd.csv")
    imported = import_population(file, "filled", extract_date=EXTRACT)
    table = pd.concat(pq.read_table(f).to_pandas() for f in imported.files)
    assert table.imd_decile.notna().all()
    assert sorted(table.imd_decile.unique()) == sorted(extract.imd_decile.unique())


def test_bad_values_are_named_by_file_row_and_field(population_home, extract, tmp_path):
    bad = extract.astype(object)
    bad.loc[0, "age"] = "forty"  # line 2 of the file
    bad.loc[3, "age"] = 130  # line 5
    bad.loc[5, "practice_code"] = "Z99999"  # line 7
    bad.loc[6, "sex"] = "X"  # line 8
    bad.loc[7, "diabetes"] = "maybe"  # line 9
    bad.loc[9, "person_id"] = bad.loc[1, "person_id"]  # line 11 repeats line 3
    file = _csv(bad, tmp_path / "bad.csv")
    messages = _errors(file)
    assert messages == [
        f"{file}:2: age: 'forty' is not a whole number from 0 to 120",
        f"{file}:5: age: '130' is not a whole number from 0 to 120",
        f"{file}:7: practice_code: unknown practice code 'Z99999' on the extract date",
        f"{file}:8: sex: 'X' is not one of F, M",
        f"{file}:9: diabetes: 'maybe' is not a yes/no value (use true/false, 1/0 or y/n)",
        f"{file}:11: person_id: duplicate person_id {bad.loc[1, 'person_id']} (first at row 3)",
    ]


def test_a_missing_or_misspelt_column_is_reported_on_the_header_line(
    population_home, extract, tmp_path
):
    file = _csv(extract.rename(columns={"diabetes": "diabtes"}), tmp_path / "header.csv")
    assert _errors(file) == [
        f"{file}:1: diabtes: unknown column (did you mean 'diabetes'?)",
        f"{file}:1: missing column: diabetes",
    ]


def test_header_names_and_choices_are_read_in_any_case(population_home, extract, tmp_path):
    """Issue 9 section 3: one way in - headers and enumerations as every input file reads
    them (``Person ID``, ``sex`` ``f``), and a UTF-8 byte-order mark as Excel writes it."""
    renamed = extract.rename(columns={"person_id": "Person ID", "practice_code": "PRACTICE_CODE"})
    file = tmp_path / "excel.csv"
    file.write_bytes(b"\xef\xbb\xbf" + renamed.assign(sex=extract.sex.str.lower()).to_csv(
        index=False).encode())  # fmt: skip
    imported = import_population(file, "any-case", extract_date=EXTRACT)
    table = pd.concat(pq.read_table(f).to_pandas() for f in imported.files)
    assert imported.rows == 400
    assert sorted(table.sex.unique()) == sorted(extract.sex.unique())


def test_several_bad_rows_keep_their_line_numbers_past_empty_lines(
    population_home, extract, tmp_path
):
    lines = _csv(extract, tmp_path / "x.csv").read_text().splitlines()
    header, body = lines[0], lines[1:]
    columns = header.split(",")
    age = columns.index("age")
    bad = body[2].split(",")
    bad[age] = "inf"
    short = ",".join(body[4].split(",")[:3])
    text = "\n".join([header, body[0], "", body[1], ",".join(bad), "", "", body[3], short,
                      ",".join([*body[5].split(","), "extra"]), "," * (len(columns) - 1),
                      *body[6:]]) + "\n"  # fmt: skip
    file = tmp_path / "gaps.csv"
    file.write_text(text)
    assert _errors(file) == [
        f"{file}:5: age: 'inf' is not a whole number from 0 to 120",
        f"{file}:9: 3 cells where the header has {len(columns)}",
        f"{file}:10: {len(columns) + 1} cells where the header has {len(columns)}",
    ]


def test_a_file_that_is_not_utf8_is_refused_naming_its_line(population_home, extract, tmp_path):
    file = _csv(extract, tmp_path / "latin.csv")
    good = file.read_bytes()
    file.write_bytes(good.replace(b"\n", b"\n\xa3", 1))
    assert _errors(file) == [
        f"{file}: not UTF-8 (byte 0xa3 on line 2: Windows-1252 or Latin-1?): save it as CSV UTF-8"
    ]
    file.write_bytes(good + b"\xa3\n")
    assert _errors(file) == [
        f"{file}: not UTF-8 (byte 0xa3 on line 402: Windows-1252 or Latin-1?): save it as CSV UTF-8"
    ]


def test_a_wrong_sub_icb_is_caught(population_home, extract, tmp_path):
    file = _csv(extract.assign(sub_icb_code="01F"), tmp_path / "sub.csv")
    assert "is not the sub-ICB location of practice" in _errors(file)[0]


def test_a_rejected_file_leaves_nothing_behind(store, population_home, extract, tmp_path):
    bad = extract.astype(object)
    bad.loc[10, "age"] = -1
    file = _csv(bad, tmp_path / "rejected.csv")
    before = len(changes(store))
    with pytest.raises(InputErrors):
        import_population(file, "rejected", extract_date=EXTRACT, store=store)
    assert not (dataset.root() / "rejected").exists()
    assert not list(dataset.root().glob(".rejected*"))
    assert "rejected" not in set(registry.recorded(store).name)
    assert len(changes(store)) == before


def test_an_accepted_file_is_recorded_with_an_audit_entry(
    store, population_home, extract, tmp_path
):
    file = _csv(extract, tmp_path / "accepted.csv")
    import_population(file, "accepted", extract_date=EXTRACT, store=store, replace=True)
    recorded = registry.recorded(store).set_index("name")
    assert recorded.loc["accepted", "people"] == 400
    last = changes(store)[-1]
    assert last.kind == "population.import" and last.detail["name"] == "accepted"
    assert last.change_id == recorded.loc["accepted", "change_id"]


def test_a_header_longer_than_a_cell_may_be_is_refused_naming_the_file(population_home, tmp_path):
    """Issue 12 defect 9 (fuzzing): a header cell of 200,000 characters crashed with the csv
    module's 'field larger than field limit'."""
    file = tmp_path / "huge.csv"
    file.write_text("person_id,practice_code," + "x" * 200_000 + "\n1,M81001\n")
    assert _errors(file) == [
        f"{file}:1: the header is not readable as CSV (field larger than field limit (131072))"
    ]


def test_a_negative_person_id_is_refused(population_home, extract, tmp_path):
    """Issue 12: person_id -1 was accepted."""
    extract.loc[3, "person_id"] = -1
    assert _errors(_csv(extract, tmp_path / "negative.csv")) == [
        f"{tmp_path / 'negative.csv'}:5: person_id: '-1' is not a whole number of 0 or more"
    ]
