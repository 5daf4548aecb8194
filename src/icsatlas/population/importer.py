"""``icsatlas population import``: an ICB's own de-identified extract, checked row by row.

The file (CSV with a header row, or Parquet) must follow the population schema
(docs/reference/population-schema.md). Every row is checked - types, ranges, allowed values,
practice codes known on the extract date, LSOA codes, duplicate ids - and every problem is
reported as ``file:row: field: message`` (CSV rows are line numbers, the header being line 1;
Parquet rows count from 1). If anything is wrong nothing is stored: the file is read in
batches into a temporary directory that is deleted on the first error found.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from icsatlas import __version__
from icsatlas.errors import InputError, InputErrors
from icsatlas.population import dataset, schema, sources
from icsatlas.population.schema import Column
from icsatlas.register import geography
from icsatlas.store.base import Store

BATCH_ROWS = 1 << 20
MAX_ERRORS = 1000
_TRUE = {"1", "true", "t", "y", "yes"}
_FALSE = {"0", "false", "f", "n", "no"}


@dataclass
class _Checked:
    """Errors so far, ids seen, and rows written per ICB."""

    errors: list[InputError] = field(default_factory=list)
    ids: list[np.ndarray] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    by_icb: dict[str, int] = field(default_factory=dict)
    sub_icbs: set[str] = field(default_factory=set)
    parts: int = 0

    def add(self, error: InputError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)


def import_population(
    file: str | Path,
    name: str,
    *,
    extract_date: date,
    replace: bool = False,
    store: Store | None = None,
) -> dataset.Dataset:
    """Check ``file`` whole and store it as population ``name`` (partitioned by the ICB of
    each person's practice on ``extract_date``); raise :class:`InputErrors` and store
    nothing if any row is wrong."""
    dataset.check_free(name, replace=replace)
    path = Path(file)
    if not path.exists():
        raise InputError("no such file", file=path)
    practices = geography.practice_lookup(extract_date)[["practice_code", "sub_icb_ods", "icb_ods"]]
    imd = _imd_by_lsoa()
    checked = _Checked()
    reason = f"imported {path.name} as population {name!r}"
    with dataset.writing(name, replace=replace, store=store, reason=reason) as directory:
        for first_row, batch in _batches(path):
            frame = _check_batch(batch, first_row, path, practices, imd, checked)
            if not checked.errors:
                _write(frame, directory, checked)
        _check_duplicates(path, checked)
        if checked.errors:
            raise InputErrors(checked.errors)
        rows = sum(checked.by_icb.values())
        if rows == 0:
            raise InputError("the file has no rows", file=path)
        dataset.write_manifest(directory, _manifest(name, path, extract_date, checked, practices))
    return dataset.open_dataset(name)


def _batches(path: Path) -> Iterator[tuple[int, pd.DataFrame]]:
    """(number of the batch's first row as reported in errors, batch as strings)."""
    if path.suffix.lower() == ".parquet":
        try:
            parquet = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as error:
            raise InputError(f"not a readable Parquet file ({error})", file=path) from None
        _check_header(parquet.schema_arrow.names, path)
        row = 1
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            frame = batch.to_pandas(types_mapper=lambda _: pd.StringDtype())
            yield row, frame.astype("string")
            row += len(frame)
        return
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=64 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types=_all_strings(path), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"not a readable CSV file ({error})", file=path) from None
    _check_header(reader.schema.names, path)
    line = 2
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as error:
            raise InputError(f"malformed CSV near line {line}: {error}", file=path) from None
        frame = batch.to_pandas().astype("string")
        yield line, frame
        line += len(frame)


def _all_strings(path: Path) -> dict[str, pa.DataType]:
    with path.open(newline="") as handle:
        header = handle.readline().strip().split(",")
    return {name.strip().strip('"'): pa.string() for name in header}


def _check_header(names: list[str], path: Path) -> None:
    known = set(schema.BY_NAME)
    problems = []
    for name in names:
        if name not in known and name != schema.PARTITION_COLUMN:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(InputError(f"unknown column{hint}", file=path, row=1, field=name))
    for column in schema.COLUMNS:
        if column.required and column.name not in names:
            problems.append(
                InputError("required column is missing", file=path, row=1, field=column.name)
            )
    if problems:
        raise InputErrors(problems)


def _check_batch(batch, first_row, path, practices, imd, checked) -> pd.DataFrame:
    row_numbers = np.arange(first_row, first_row + len(batch))
    out = pd.DataFrame(index=batch.index)
    for column in schema.COLUMNS:
        raw = (
            batch[column.name]
            if column.name in batch.columns
            else pd.Series(pd.NA, index=batch.index, dtype="string")
        )
        values, bad = _parse(column, raw.str.strip())
        for i in np.flatnonzero(bad):
            checked.add(
                InputError(
                    _problem(column, raw.iloc[i]),
                    file=path,
                    row=int(row_numbers[i]),
                    field=column.name,
                )
            )
        out[column.name] = values
    _check_places(out, batch, row_numbers, path, practices, imd, checked)
    checked.ids.append(out.person_id.to_numpy(dtype="int64", na_value=-1))
    checked.rows.append(row_numbers)
    return out


def _parse(column: Column, text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Typed values and a mask of values that are wrong for ``column``."""
    empty = text.isna() | (text == "")
    missing = empty & (not column.nullable)
    if pa.types.is_boolean(column.type):
        lowered = text.str.lower()
        values = pd.Series(pd.NA, index=text.index, dtype="boolean")
        values[lowered.isin(_TRUE).fillna(False).to_numpy()] = True
        values[lowered.isin(_FALSE).fillna(False).to_numpy()] = False
        bad = (~empty & values.isna()) | missing
        return values, bad.to_numpy()
    if pa.types.is_integer(column.type):
        numbers = pd.to_numeric(text.where(~empty), errors="coerce")
        whole = numbers.notna() & (numbers == np.floor(numbers))
        bad = (~empty & ~whole) | missing
        if column.low is not None:
            bad |= whole & ((numbers < column.low) | (numbers > column.high))
        return numbers.where(whole & ~bad).astype("Int64"), bad.to_numpy()
    values = text.where(~empty)
    bad = missing.copy()
    if column.allowed:
        bad |= ~empty & ~text.isin(column.allowed).fillna(False)
    return values.astype("string"), bad.to_numpy()


def _problem(column: Column, value) -> str:
    if pd.isna(value) or str(value).strip() == "":
        return "a value is required"
    if pa.types.is_boolean(column.type):
        return f"{value!r} is not a yes/no value (use true/false, 1/0 or y/n)"
    if pa.types.is_integer(column.type):
        bounds = f" from {column.low} to {column.high}" if column.low is not None else ""
        return f"{value!r} is not a whole number{bounds}"
    return f"{value!r} is not one of {', '.join(column.allowed)}"


def _check_places(out, batch, row_numbers, path, practices, imd, checked) -> None:
    """Known practices (on the extract date), sub-ICB consistent with the practice, known LSOAs;
    fill sub-ICB, ICB and IMD decile from them where absent."""
    known = practices.set_index("practice_code")
    practice = out.practice_code
    unknown = practice.notna() & ~practice.isin(known.index)
    for i in np.flatnonzero(unknown.to_numpy()):
        checked.add(
            InputError(
                f"unknown practice code {practice.iloc[i]!r} on the extract date",
                file=path,
                row=int(row_numbers[i]),
                field="practice_code",
            )
        )
    sub_icb = practice.map(known.sub_icb_ods)
    given = out.sub_icb_code
    clash = given.notna() & sub_icb.notna() & (given != sub_icb)
    for i in np.flatnonzero(clash.to_numpy()):
        checked.add(
            InputError(
                f"{given.iloc[i]!r} is not the sub-ICB location of practice "
                f"{practice.iloc[i]} ({sub_icb.iloc[i]})",
                file=path,
                row=int(row_numbers[i]),
                field="sub_icb_code",
            )
        )
    out["sub_icb_code"] = sub_icb.astype("string")
    out[schema.PARTITION_COLUMN] = practice.map(known.icb_ods).astype("string")
    lsoa = out.lsoa_code
    bad_lsoa = lsoa.notna() & ~lsoa.isin(imd.index)
    for i in np.flatnonzero(bad_lsoa.to_numpy()):
        checked.add(
            InputError(
                f"unknown LSOA (2011) code {lsoa.iloc[i]!r}",
                file=path,
                row=int(row_numbers[i]),
                field="lsoa_code",
            )
        )
    fill = out.imd_decile.isna() & lsoa.notna() & ~bad_lsoa
    out.loc[fill, "imd_decile"] = lsoa[fill].map(imd).astype("Int64")


def _check_duplicates(path: Path, checked: _Checked) -> None:
    if not checked.ids:
        return
    ids = np.concatenate(checked.ids)
    rows = np.concatenate(checked.rows)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    repeat = np.flatnonzero((sorted_ids[1:] == sorted_ids[:-1]) & (sorted_ids[1:] >= 0)) + 1
    for k in repeat[:MAX_ERRORS]:
        first = k
        while first > 0 and sorted_ids[first - 1] == sorted_ids[k]:
            first -= 1
        checked.add(
            InputError(
                f"duplicate person_id {int(sorted_ids[k])} "
                f"(first at row {int(rows[order[first]])})",
                file=path,
                row=int(rows[order[k]]),
                field="person_id",
            )
        )
    checked.errors.sort(key=lambda e: (e.row or 0, e.field or ""))


def _write(frame: pd.DataFrame, directory: Path, checked: _Checked) -> None:
    arrow = schema.arrow_schema()
    for icb, rows in frame.groupby(schema.PARTITION_COLUMN, sort=True):
        table = pa.Table.from_pandas(
            rows[[c.name for c in schema.COLUMNS]], schema=arrow, preserve_index=False
        )
        target = dataset.partition_dir(directory, str(icb)) / f"part-{checked.parts:05d}.parquet"
        pq.write_table(table, target, compression="snappy")
        checked.parts += 1
        checked.by_icb[str(icb)] = checked.by_icb.get(str(icb), 0) + len(rows)
        checked.sub_icbs.update(rows.sub_icb_code.dropna().unique())


def _imd_by_lsoa() -> pd.Series:
    lsoas = sources.lsoas()
    return pd.Series(lsoas.imd_decile.to_numpy(), index=lsoas.lsoa11)


def _manifest(name, path: Path, extract_date: date, checked: _Checked, practices) -> dict:
    return {
        "name": name,
        "kind": "imported",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "generator": f"icsatlas {__version__}",
        "source": path.name,
        "sha256": _sha256(path),
        "extract_date": extract_date.isoformat(),
        "rows": sum(checked.by_icb.values()),
        "rows_by_icb": dict(sorted(checked.by_icb.items())),
        "sub_icbs": sorted(checked.sub_icbs),
        "icbs": sorted(checked.by_icb),
        "assumptions": [f"Imported extract {path.name}: figures are the data provider's."],
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
