"""The shipped OCDS schemas (never fetched at run time) and validation against them.

OCDS 1.1 data is validated against the 1.1.2 release schema shipped in
``data/reference`` (patch releases of 1.1 are backwards compatible); the release
package schema's reference to the release schema resolves to the same file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

SUPPORTED = "1.1"
LARGEST = 1e15  # a number beyond this is no amount, count or quantity (NHS budgets: ~1e11)
RELEASE_SCHEMA = "ocds_release_schema_1_1_2.json"
PACKAGE_SCHEMA = "ocds_release_package_schema_1_1_5.json"


def _load(name: str) -> dict[str, Any]:
    path = resources.files("icsatlas.data") / "reference" / name
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def release_schema() -> dict[str, Any]:
    """The OCDS 1.1 release schema (for validation and ocdsmerge's merge rules)."""
    return _load(RELEASE_SCHEMA)


DATES = FormatChecker(formats=())


@DATES.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """An ISO 8601 date and time that exists (``2024-02-30T00:00:00Z`` does not)."""
    return not isinstance(value, str) or bool(datetime.fromisoformat(value))


@cache
def release_validator() -> Draft4Validator:
    """Validates a release against the schema, its date-times included."""
    return Draft4Validator(release_schema(), format_checker=DATES)


def bad_numbers(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, message) of each number in ``value`` that is not finite or is too large to
    be one (JSON allows ``1e400``; Python reads ``NaN`` and ``Infinity``), walked without
    recursion."""
    stack: list[tuple[str, object]] = [(path, value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            stack += [(f"{where}.{k}" if where else str(k), v) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(f"{where}[{i}]", v) for i, v in enumerate(node)]
        elif _not_a_figure(node):
            shown = str(node) if len(str(node)) < 20 else f"a number of {len(str(node))} digits"
            yield where, f"{shown} is not a finite number up to {LARGEST:.0e}"


def _not_a_figure(node: object) -> bool:
    if isinstance(node, bool) or not isinstance(node, int | float):
        return False
    return abs(node) > LARGEST or (isinstance(node, float) and math.isnan(node))


@cache
def package_validator() -> Draft4Validator:
    """The release package schema without its ``releases`` items (validated one by one)."""
    schema = _load(PACKAGE_SCHEMA)
    release_url = schema["properties"]["releases"]["items"]["$ref"]
    resource = DRAFT4.create_resource(release_schema())
    registry = Registry().with_resource(release_url, resource)
    shell = json.loads(json.dumps(schema))
    shell["properties"]["releases"] = {"type": "array"}
    return Draft4Validator(shell, registry=registry)


def errors(validator: Draft4Validator, instance: Any, limit: int = 5) -> list[tuple[str, str]]:
    """Up to ``limit`` (path, message) pairs, most specific first."""
    found = sorted(
        validator.iter_errors(instance), key=lambda e: (list(e.absolute_path), e.message)
    )
    return [(_path(e.absolute_path), _message(e)) for e in found[:limit]]


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return error.message if len(error.message) < 160 else error.message[:157] + "..."
