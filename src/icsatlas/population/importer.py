"""``icsatlas population import``: an ICB's own de-identified extract, checked row by row.

The file (CSV with a header row, or Parquet) must follow the population schema
(docs/reference/population-schema.md). Every row is checked - types, ranges, allowed values,
practice codes known on the extract date, LSOA codes, duplicate ids - and every problem is
reported as ``file:row: field: message`` (CSV rows are line numbers, the header being line 1;
Parquet rows count from 1). If anything is wrong nothing is stored: the file is read in
batches into a temporary directory that is deleted on the first error found.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from icsatlas import __version__
from icsatlas.errors import InputError, InputErrors
from icsatlas.inputs import columns as cells
from icsatlas.inputs.rows import Allow, Placing, match_header
from icsatlas.inputs.text import SAVE_AS, check_utf8, sniff
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
    folder: Path | None = None,
    actor: str | None = None,
    source: str | None = None,
    allow: Allow | None = None,
) -> dataset.Dataset:
    """Check ``file`` whole and store it as population ``name`` (partitioned by the ICB of
    each person's practice on ``extract_date``); raise :class:`InputErrors` and store
    nothing if any row is wrong. ``allow`` sees the ICBs of the population it replaces,
    then of each batch of rows, before they are written; ``actor`` and ``source`` go into
    the audit log."""
    final = dataset.check_free(name, replace=replace, folder=folder)
    if allow is not None and final.exists():
        allow(_stored_placings(name, folder))
    path = Path(file)
    if not path.exists():
        raise InputError("no such file", file=path)
    practices = geography.practice_lookup(extract_date)[["practice_code", "sub_icb_ods", "icb_ods"]]
    imd = _imd_by_lsoa()
    checked = _Checked()
    reason = f"imported {path.name} as population {name!r}"
    with dataset.writing(
        name,
        replace=replace,
        store=store,
        reason=reason,
        folder=folder,
        actor=actor,
        source=source,
    ) as directory:
        for row_numbers, batch in _batches(path, checked):
            frame = _check_batch(batch, row_numbers, path, practices, imd, checked)
            if allow is not None:
                allow(_placings(frame, row_numbers))
            if not checked.errors:
                _write(frame, directory, checked)
        _check_duplicates(path, checked)
        if checked.errors:
            raise InputErrors(checked.errors)
        rows = sum(checked.by_icb.values())
        if rows == 0:
            raise InputError("the file has no rows", file=path)
        dataset.write_manifest(directory, _manifest(name, path, extract_date, checked, practices))
    return dataset.open_dataset(name, folder)


def _stored_placings(name: str, folder: Path | None) -> list[Placing]:
    """The ICBs of the stored population ``name`` (which an import would replace)."""
    stored = dataset.open_dataset(name, folder)
    where = f"the stored population {name}"
    icbs = sorted(stored.manifest.get("rows_by_icb") or {}) or [""]
    return [Placing(where, (icb,) if icb else (), "name") for icb in icbs]


def _placings(frame: pd.DataFrame, row_numbers: np.ndarray) -> list[Placing]:
    """Each row's ICB (that of its practice); rows whose practice is unknown are already
    errors, so are left out."""
    icbs = frame[schema.PARTITION_COLUMN].to_numpy(dtype=object, na_value=None)
    return [
        Placing(int(row), (str(icb),), "practice_code")
        for row, icb in zip(row_numbers, icbs, strict=True)
        if icb is not None
    ]


def _batches(path: Path, checked: _Checked) -> Iterator[tuple[np.ndarray, pd.DataFrame]]:
    """(the rows' numbers as errors report them, the rows as strings named by the schema)."""
    if path.suffix.lower() == ".parquet":
        yield from _parquet_batches(path)
        return
    encoding = sniff(path)
    if encoding == "utf-8":
        check_utf8(path)  # here, not in pyarrow, to name the line
    names = _csv_header(path, encoding)
    renames = _header(names, path)
    lines = _Lines(_blank_lines(path) if encoding == "utf-8" else np.array([], dtype=int))
    wrong_width: list[pacsv.InvalidRow] = []
    reader = _open_csv(path, encoding, names, wrong_width, threads=True)
    done = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as error:
            message = f"malformed CSV near line {lines.of(done)}: {error}"
            raise InputError(message, file=path) from None
        numbers = lines.of(np.arange(done, done + batch.num_rows))
        done += batch.num_rows
        filled = _filled(batch)
        if filled is not None:
            batch, numbers = batch.filter(filled), numbers[filled.to_numpy(zero_copy_only=False)]
        yield numbers, batch.to_pandas().astype("string").rename(columns=renames)
    if wrong_width:  # found in threads, which do not count rows: count them, one by one
        _report_wrong_widths(path, encoding, names, lines, checked)


def _open_csv(path: Path, encoding: str, names: list[str], invalid: list, threads: bool):
    def skip(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    try:
        return pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                block_size=64 << 20, encoding=encoding, use_threads=threads
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names}, strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"not a readable CSV file ({error})", file=path) from None


def _report_wrong_widths(path, encoding, names, lines: _Lines, checked: _Checked) -> None:
    invalid: list[pacsv.InvalidRow] = []
    for _ in _open_csv(path, encoding, names, invalid, threads=False):
        pass
    for row in invalid:
        message = f"{row.actual_columns} cells where the header has {row.expected_columns}"
        checked.add(InputError(message, file=path, row=int(lines.of(row.number - 2))))


def _filled(batch: pa.RecordBatch) -> pa.BooleanArray | None:
    """Which rows have a value in some cell (None: all of them); rows of empty cells, as
    spreadsheets write, are skipped like empty lines."""
    empty = pc.equal(batch.column(0), "")
    if not pc.any(empty).as_py():
        return None
    for column in batch.columns[1:]:
        empty = pc.and_(empty, pc.equal(column, ""))
    return pc.invert(empty)


def _parquet_batches(path: Path) -> Iterator[tuple[np.ndarray, pd.DataFrame]]:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"not a readable Parquet file ({error})", file=path) from None
    renames = _header(parquet.schema_arrow.names, path)
    row = 1
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        frame = batch.to_pandas(types_mapper=lambda _: pd.StringDtype())
        yield np.arange(row, row + len(frame)), frame.astype("string").rename(columns=renames)
        row += len(frame)


def _csv_header(path: Path, encoding: str) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as f:
            names = next(csv.reader(f), None)
    except csv.Error as error:  # a cell over the field limit: a quote left open?
        raise InputError(f"the header is not readable as CSV ({error})", file=path, row=1) from None
    except UnicodeDecodeError as error:
        message = f"not {encoding.upper()} text (byte {error.start} of the header): {SAVE_AS}"
        raise InputError(message, file=path, row=1) from None
    if not names:
        raise InputError("the file is empty: its first row must name the columns", file=path)
    return names


_HEADER = (
    *(cells.Column(c.name, present=c.required) for c in schema.COLUMNS),
    cells.Column(schema.PARTITION_COLUMN),
)


def _header(names: list[str], path: Path) -> dict[str, str]:
    """Names in the file -> the schema's (matched as every input file's header is)."""
    positions = match_header(names, _HEADER, file=path)
    return {names[i]: name for name, i in positions.items()}


class _Lines:
    """Line numbers of data rows, which pyarrow counts without the empty lines it skips."""

    def __init__(self, blank: np.ndarray) -> None:
        self._after = blank - 2 - np.arange(len(blank))  # data rows before each empty line

    def of(self, index):
        """The line of the data row(s) at 0-based ``index`` (the header is line 1)."""
        return index + 2 + np.searchsorted(self._after, index, side="right")


_EMPTY_LINE = re.compile(rb"\n\r?\n")  # a regular expression finds it fastest


def _blank_lines(path: Path) -> np.ndarray:
    """Line numbers of the file's empty lines (looked for line by line only if it has any)."""
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            if _EMPTY_LINE.search(tail + chunk):
                break
            tail = chunk[-2:]
        else:
            return np.array([], dtype=int)
    with path.open("rb") as handle:
        found = [n for n, line in enumerate(handle, 1) if not line.strip(b"\r\n") and n > 1]
    return np.array(found, dtype=int)


def _check_batch(batch, row_numbers, path, practices, imd, checked) -> pd.DataFrame:
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
        whole = numbers.notna() & (numbers.abs() < 2**63) & (numbers == np.floor(numbers))
        bad = (~empty & ~whole) | missing
        if column.low is not None:
            bad |= whole & (numbers < column.low)
        if column.high is not None:
            bad |= whole & (numbers > column.high)
        return numbers.where(whole & ~bad).astype("Int64"), bad.to_numpy()
    values = text.where(~empty)
    bad = missing.copy()
    if column.allowed:  # in any case, stored as the schema spells them
        values = text.str.lower().map({a.lower(): a for a in column.allowed})
        bad |= ~empty & values.isna()
    return values.astype("string"), bad.to_numpy()


def _problem(column: Column, value) -> str:
    if pd.isna(value) or str(value).strip() == "":
        return "a value is required"
    if pa.types.is_boolean(column.type):
        return f"{value!r} is not a yes/no value (use true/false, 1/0 or y/n)"
    if pa.types.is_integer(column.type):
        bounds = (
            f" from {column.low} to {column.high}"
            if column.high is not None
            else f" of {column.low} or more"
            if column.low is not None
            else ""
        )
        return f"{value!r} is not a whole number{bounds}"
    return f"{value!r} is not one of {', '.join(column.allowed)}"


def _check_places(out, batch, row_numbers, path, practices, imd, checked) -> None:
    """Known practices (on the extract date), sub-ICB consistent with the practice, known LSOAs;
    fill sub-ICB, ICB and IMD decile from them where absent."""
    known = practices.set_index("practice_code")
    practice = out.practice_code
    unknown = practice.notna() & ~_among(practice, known.index)
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
    bad_lsoa = lsoa.notna() & ~_among(lsoa, imd.index)
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


def _among(values: pd.Series, known: pd.Index) -> pd.Series:
    """``values.isin(known)`` by hashing (pandas' Arrow strings compare against a large
    ``known`` value by value: a third of a second for England's LSOAs, batch after batch)."""
    return values.astype(object).isin(known)


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
