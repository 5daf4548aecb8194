"""A Result as a Parquet file, its provenance in the schema's metadata (key ``icsatlas``:
a JSON document with the title, provenance and notes), so it survives a copy of the file."""

from __future__ import annotations

import io
import math
from typing import Any

import orjson

from icsatlas.exports.meta import About, left_out
from icsatlas.results import Result

MEDIA_TYPE = "application/vnd.apache.parquet"
METADATA_KEY = b"icsatlas"


def to_parquet(result: Result, about: About) -> bytes:
    """The file's bytes: one typed column per column of the table (text where mixed)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = result.table.rows
    columns = {name: _column([row[i] for row in rows]) for i, name in enumerate(result.columns)}
    table = pa.table(columns) if columns else pa.table({})
    notes = [*about.notes, *left_out(result)]
    document = {"title": about.title, "provenance": about.to_dict(), "notes": notes}
    table = table.replace_schema_metadata({METADATA_KEY: orjson.dumps(document)})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def _column(values: list[Any]) -> Any:
    import pyarrow as pa

    cleaned = [_value(v) for v in values]
    try:
        return pa.array(cleaned)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds: every value as text
        return pa.array([None if v is None else str(v) for v in cleaned], pa.string())


def _value(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
