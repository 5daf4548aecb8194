"""The shipped OCDS schemas (never fetched at run time) and validation against them.

OCDS 1.1 data is validated against the 1.1.2 release schema shipped in
``data/reference`` (patch releases of 1.1 are backwards compatible); the release
package schema's reference to the release schema resolves to the same file.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

SUPPORTED = "1.1"
RELEASE_SCHEMA = "ocds_release_schema_1_1_2.json"
PACKAGE_SCHEMA = "ocds_release_package_schema_1_1_5.json"


def _load(name: str) -> dict[str, Any]:
    path = resources.files("icsatlas.data") / "reference" / name
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def release_schema() -> dict[str, Any]:
    """The OCDS 1.1 release schema (for validation and ocdsmerge's merge rules)."""
    return _load(RELEASE_SCHEMA)


@cache
def release_validator() -> Draft4Validator:
    return Draft4Validator(release_schema())


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
