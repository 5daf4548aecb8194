"""A Result as CSV, and the CSV on the Web (W3C CSVW) metadata that travels beside it.

The CSV is the table alone (a header row, then one row per record, text made safe for
spreadsheets by :mod:`icsatlas.exports.cells`); its title, sources, licence, reform,
parameters, release and notes go in the sidecar ``<name>.csv-metadata.json``, the name
CSVW tools look for next to ``<name>.csv``.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import orjson

from icsatlas.exports.cells import safe
from icsatlas.exports.meta import About, left_out
from icsatlas.results import Result

MEDIA_TYPE = "text/csv; charset=utf-8"
METADATA_MEDIA_TYPE = "application/csvm+json"


def to_csv(result: Result) -> bytes:
    """The table as UTF-8 CSV; missing values are empty cells."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([safe(c) for c in result.columns])
    for row in result.table.rows:
        writer.writerow(["" if v is None else v for v in map(safe, row)])
    return text.getvalue().encode()


def metadata(result: Result, about: About, url: str) -> dict[str, Any]:
    """The CSVW metadata document describing the CSV at ``url``."""
    described = "; ".join(
        f"{k}={v}" for k, v in about.provenance.items() if k not in ("data", "notes")
    )
    data = [f"{k}: {v}" for k, v in about.provenance.get("data", {}).items()]
    document: dict[str, Any] = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": url,
        "dc:title": about.title,
        "dc:created": about.created,
        "dc:license": {"@id": about.licence},
        "dc:source": [*data, *about.sources],
        "dc:description": described,
        "rdfs:comment": [*about.provenance.get("notes", []), *about.notes, *left_out(result)],
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {"columns": _columns(result)},
    }
    if about.release:
        document["schema:version"] = about.release
    return document


def to_metadata(result: Result, about: About, url: str) -> bytes:
    return orjson.dumps(metadata(result, about, url), option=orjson.OPT_INDENT_2)


def _columns(result: Result) -> list[dict[str, str]]:
    return [
        {"titles": name, "datatype": _datatype([row[i] for row in result.table.rows])}
        for i, name in enumerate(result.columns)
    ]


def _datatype(values: list[Any]) -> str:
    """The CSVW datatype every value of a column fits (``string`` when they differ)."""
    present = [v for v in values if v is not None]
    kinds = {_kind(v) for v in present}
    if len(kinds) == 1:
        return kinds.pop()
    return "number" if present and kinds <= {"integer", "number"} else "string"


def _kind(value: Any) -> str:
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "string"
