"""Checking a located YAML document against a JSON Schema, every problem located.

YAML gives dates and keys of any type; a schema sees the document as JSON would (dates as
``YYYY-MM-DD`` text, every key as text), and each problem is traced back to the key as
written, for its line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, relevance
from referencing import Registry, Resource

from icsatlas.errors import InputError
from icsatlas.schemas import NAMES, filename, load
from icsatlas.schemas.wording import NonFinite, messages
from icsatlas.yamlio import Located, Path_


def problems(located: Located, schema: str | Mapping[str, Any], at: Path_ = ()) -> list[InputError]:
    """Every way ``located`` (or its part at ``at``) fails ``schema``: the best match first
    (jsonschema's relevance: the shallowest, strongest problem; the earliest in the file
    among equals), then all the others in the order of the file."""
    data = _part(located.data, at)
    validator = _named(schema) if isinstance(schema, str) else _validator(dict(schema))
    found = [
        (_rank(error), located.error((*at, *_as_written(data, path)), message))
        for error in validator.iter_errors(_as_json(data))
        for path, message in messages(error)
    ]
    if not found:
        return []
    top = max(rank for rank, _ in found)
    best = min((e for rank, e in found if rank == top), key=_position)
    ordered = [best, *sorted((e for _, e in found if e is not best), key=_position)]
    return list({(e.row, e.field, e.message): e for e in ordered}.values())


def _rank(error: ValidationError) -> tuple:
    """jsonschema's relevance, without its preference among sibling paths."""
    depth, _, *strength = relevance(error)
    return (depth, *strength)


def _position(error: InputError) -> tuple[int, str]:
    return error.row or 0, error.field or ""


def _part(data: Any, at: Path_) -> Any:
    for key in at:
        data = data[key]
    return data


def _as_json(value: Any) -> Any:
    """``value`` as JSON would hold it: dates as ISO text, keys as text, and no number for
    YAML's .inf or .nan (JSON has none)."""
    if isinstance(value, dict):
        return {_key(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return NonFinite(value)
    return value


def _key(key: Any) -> str:
    return key.isoformat() if isinstance(key, date) else str(key)


def _as_written(data: Any, path: Iterable[str | int]) -> Path_:
    """A path into the JSON view, with each key as written in the YAML (for its line)."""
    found: list[str | int] = []
    for part in path:
        if isinstance(data, dict):
            key = next((k for k in data if _key(k) == part), part)
            found.append(key)
            data = data.get(key)
        else:
            found.append(part)
            data = data[part] if isinstance(data, list) and isinstance(part, int) else None
    return tuple(found)


@cache
def _registry() -> Registry:
    shipped = [(filename(n), Resource.from_contents(load(n))) for n in NAMES]
    return Registry().with_resources(shipped)


@cache
def _named(name: str) -> Any:
    return _validator({"$ref": filename(name)})


def _validator(schema: dict[str, Any]) -> Any:
    dates = FormatChecker(("date",))  # the only format the schemas assert
    return Draft202012Validator(schema, registry=_registry(), format_checker=dates)
