"""Writing results to CSV, Parquet or Excel, with their provenance alongside.

One table goes to the path given. Several go by name (``{"national": ..., "payback": ...}``):

* ``.xlsx``: one workbook, a sheet per table named by its name, plus a ``provenance``
  sheet (title, notes, sources, seed, parameters) - one file a journalist can open and cite;
* ``.csv``: ``<stem>-<name>.csv`` per table;
* ``.parquet``: ``<stem>-<name>.parquet`` per table, provenance in each file's metadata.

CSV files get one ``<stem>.provenance.json`` beside them saying, for each table, its file,
title, notes and provenance. Every file is made in memory first (:func:`outputs`) and then
written by the one rule for output files (:mod:`icsatlas.exports.files`): no existing file
replaced unless forced, no folder created. :func:`write` returns what it wrote, so an
interface can say.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from icsatlas.errors import InputError
from icsatlas.exports.files import Output, write_outputs
from icsatlas.results import Result

FORMATS = (".csv", ".parquet", ".xlsx")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,30}$")


@dataclass(frozen=True)
class Written:
    """The files an export wrote: one per table (or one workbook) and any provenance file."""

    tables: dict[str, Path]
    provenance: Path | None = None

    @property
    def files(self) -> list[Path]:
        return [
            *dict.fromkeys(self.tables.values()),
            *([self.provenance] if self.provenance else []),
        ]

    def describe(self) -> str:
        """One line for a person: which tables went to which files."""
        files = list(dict.fromkeys(self.tables.values()))
        if len(files) == 1 and len(self.tables) > 1:
            text = f"wrote {len(self.tables)} tables ({', '.join(self.tables)}) to {files[0]}"
        elif len(files) == 1:
            text = f"wrote {files[0]}"
        else:
            text = f"wrote {len(files)} tables: {', '.join(str(f) for f in files)}"
        return text + (f"; provenance in {self.provenance}" if self.provenance else "")


def write(results: Result | Mapping[str, Result], path: str | Path, force: bool = False) -> Written:
    """Write one result, or several by name, to ``path`` (format from its suffix); an
    existing file is refused unless ``force``."""
    files, written = outputs(results, path)
    write_outputs(files, force)
    return written


def outputs(
    results: Result | Mapping[str, Result], path: str | Path, option: str = "--export"
) -> tuple[list[Output], Written]:
    """The files an export of ``results`` to ``path`` makes, in memory, and their summary."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"cannot export to {suffix or 'a file without a suffix'}: use {', '.join(FORMATS)}",
            file=str(target),
        )
    tables = {target.stem: results} if isinstance(results, Result) else _named(results)
    if suffix == ".xlsx":
        return [Output(target, _excel(tables), option)], Written(dict.fromkeys(tables, target))
    files = {name: _file(target, name, len(tables)) for name in tables}
    if suffix == ".parquet":
        made = [Output(files[name], _parquet(tables[name]), option) for name in tables]
        return made, Written(files)
    made = [Output(files[name], _csv(tables[name]), option) for name in tables]
    sidecar = target.with_name(target.stem + ".provenance.json")
    document = {
        "tables": [
            {"name": name, "file": files[name].name, **_metadata(result)}
            for name, result in tables.items()
        ]
    }
    text = json.dumps(document, indent=2, default=str) + "\n"  # JSON-escaped, never formatted
    return [*made, Output(sidecar, text.encode(), option)], Written(files, sidecar)


def _named(results: Mapping[str, Result]) -> dict[str, Result]:
    for name in results:
        if not _NAME.match(name):
            raise ValueError(f"table name {name!r} is not a short lower-case file name")
    return dict(results)


def _file(target: Path, name: str, count: int) -> Path:
    return target if count == 1 else target.with_name(f"{target.stem}-{name}{target.suffix}")


def _metadata(result: Result) -> dict:
    return {
        "title": result.title,
        "notes": list(result.notes),
        "provenance": result.provenance.to_dict(),
    }


def _csv(result: Result) -> bytes:
    return _spreadsheet_safe(result.frame).to_csv(index=False).encode()


def _parquet(result: Result) -> bytes:
    table = pa.Table.from_pandas(_plain(result.frame), preserve_index=False)
    extra = {b"icsatlas": json.dumps(_metadata(result), default=str).encode()}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _excel(tables: dict[str, Result]) -> bytes:
    sheets = {_sheet(name): result for name, result in tables.items()}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, result in sheets.items():
            _spreadsheet_safe(_plain(result.frame)).to_excel(writer, sheet_name=sheet, index=False)
        provenance = _spreadsheet_safe(_provenance_sheet(sheets))
        provenance.to_excel(writer, sheet_name="provenance", index=False)
    return buffer.getvalue()


def _sheet(name: str) -> str:
    """A valid Excel sheet name (at most 31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip() or "table"


def _provenance_sheet(tables: dict[str, Result]) -> pd.DataFrame:
    rows = []
    for name, result in tables.items():
        rows.append({"sheet": name, "item": "title", "value": result.title})
        rows += [{"sheet": name, "item": "note", "value": note} for note in result.notes]
        for key, value in result.provenance.to_dict().items():
            if isinstance(value, dict):
                rows += [
                    {"sheet": name, "item": f"{key}: {k}", "value": str(v)}
                    for k, v in value.items()
                ]
            elif isinstance(value, (list, tuple)):
                rows += [{"sheet": name, "item": key, "value": str(v)} for v in value]
            else:
                rows.append({"sheet": name, "item": key, "value": str(value)})
    return pd.DataFrame(rows)


def _spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text that a spreadsheet would run as a formula (a scenario named ``=cmd|...``) gets a
    leading apostrophe, as in every download (:mod:`icsatlas.exports.cells`)."""
    from icsatlas.exports.cells import safe_text

    clean = frame.copy()
    for column in clean.columns:
        if not pd.api.types.is_numeric_dtype(clean[column]):  # object or str columns
            clean[column] = clean[column].map(lambda v: safe_text(v) if isinstance(v, str) else v)
    return clean


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as strings, so mixed cells (e.g. parameter mappings) serialise."""
    clean = frame.copy()
    for column in clean.columns:
        if clean[column].dtype == object:
            clean[column] = clean[column].map(
                lambda v: v if v is None or isinstance(v, str) else str(v)
            )
    return clean
