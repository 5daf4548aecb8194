"""Writing results to CSV, Parquet or Excel, with their provenance alongside.

* ``.xlsx``: one sheet per table plus a ``provenance`` sheet (title, notes, sources, seed,
  parameter version) - one file a journalist can open and cite;
* ``.parquet``: one file per table, provenance in the file's key-value metadata;
* ``.csv``: one file per table plus ``<name>.provenance.json`` next to it.

Several tables written to a CSV or Parquet path become ``<stem>-<n>-<slug><suffix>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from icsatlas.errors import InputError
from icsatlas.results import Result

FORMATS = (".csv", ".parquet", ".xlsx")


def write(results: Result | Sequence[Result], path: str | Path) -> list[Path]:
    """Write one or more results to ``path`` (format from its suffix); returns files written."""
    target = Path(path)
    items = [results] if isinstance(results, Result) else list(results)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"cannot export to {suffix or 'a file without a suffix'}: use {', '.join(FORMATS)}",
            file=str(target),
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        return [_excel(items, target)]
    paths = _paths(items, target)
    writer = _parquet if suffix == ".parquet" else _csv
    for result, file in zip(items, paths, strict=True):
        writer(result, file)
    return paths


def _paths(items: list[Result], target: Path) -> list[Path]:
    if len(items) == 1:
        return [target]
    return [
        target.with_name(f"{target.stem}-{i}-{_slug(r.title)}{target.suffix}")
        for i, r in enumerate(items, start=1)
    ]


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "table"


def _metadata(result: Result) -> dict:
    return {
        "title": result.title,
        "notes": list(result.notes),
        "provenance": result.provenance.to_dict(),
    }


def _csv(result: Result, file: Path) -> None:
    result.frame.to_csv(file, index=False)
    sidecar = file.with_name(file.stem + ".provenance.json")
    sidecar.write_text(json.dumps(_metadata(result), indent=2, default=str) + "\n")


def _parquet(result: Result, file: Path) -> None:
    table = pa.Table.from_pandas(_plain(result.frame), preserve_index=False)
    extra = {b"icsatlas": json.dumps(_metadata(result), default=str).encode()}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    pq.write_table(table, file)


def _excel(items: list[Result], file: Path) -> Path:
    names: list[str] = []
    with pd.ExcelWriter(file, engine="openpyxl") as writer:
        for i, result in enumerate(items, start=1):
            name = _sheet_name(result.title, i, names)
            _plain(result.frame).to_excel(writer, sheet_name=name, index=False)
        _provenance_sheet(items, names).to_excel(writer, sheet_name="provenance", index=False)
    return file


def _sheet_name(title: str, index: int, taken: list[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:25].strip() or "table"
    name = f"{index} {base}"[:31]
    taken.append(name)
    return name


def _provenance_sheet(items: list[Result], names: list[str]) -> pd.DataFrame:
    rows = []
    for name, result in zip(names, items, strict=True):
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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as strings, so mixed cells (e.g. parameter mappings) serialise."""
    clean = frame.copy()
    for column in clean.columns:
        if clean[column].dtype == object:
            clean[column] = clean[column].map(
                lambda v: v if v is None or isinstance(v, str) else str(v)
            )
    return clean
