"""JSON Schemas (draft 2020-12) of every YAML input, and the one check of a file against them.

    located = yamlio.load("wave-2027.yaml")
    schemas.validate(located, "reform")      # InputError, or InputErrors listing every problem

Each problem names the file, line and field:
``wave-2027.yaml:9: operations[0].transfer.to: unknown holder type 'nhs-regon' (did you mean
'nhs-region'?)``. The schemas ship with the package, are published unchanged under
``docs/reference/schemas/`` and printed by ``icsatlas schema NAME``; editors can use them to
check a file as it is written. What a schema cannot say (a function that must exist in the
register, dates in order, probabilities adding up to 1) is checked in code after it.

``jsonschema`` is imported on the first validation only, so the command line starts fast.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from icsatlas.errors import InputErrors, NotFoundError
from icsatlas.yamlio import Located, Path_

if TYPE_CHECKING:
    from icsatlas.results import Result

NAMES = ("reform", "parameter", "parameter-overrides", "scenario", "uncertainty")


def filename(name: str) -> str:
    """``reform`` -> ``reform.schema.json``, the name under which schemas refer to each other."""
    return f"{known(name)}.schema.json"


def known(name: str) -> str:
    """``name`` if a schema has it, else a NotFoundError naming the schemas."""
    if name in NAMES:
        return name
    close = difflib.get_close_matches(name, NAMES, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise NotFoundError(f"no schema {name!r}: use {', '.join(NAMES)}{hint}")


def text(name: str) -> str:
    """The schema file, exactly as shipped."""
    return (resources.files(__package__) / filename(name)).read_text(encoding="utf-8")


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads(text(name))


def listing() -> Result:
    """Each schema: its name, the kind of file it describes, and what that file is for."""
    from icsatlas.results import Result, Table

    rows = [(n, filename(n), load(n)["title"], _first_sentence(n)) for n in NAMES]
    return Result(
        Table(("name", "file", "describes", "what for"), tuple(rows)),
        title="JSON Schemas of the YAML inputs",
        notes=("icsatlas schema NAME prints one; icsatlas schema NAME FILE checks a file",),
    )


def _first_sentence(name: str) -> str:
    return load(name)["description"].split(". ")[0].rstrip(".") + "."


def validate(located: Located, schema: str | Mapping[str, Any], at: Path_ = ()) -> None:
    """Check ``located`` (or the part of it at ``at``) against a schema, given by name or as
    a schema that may refer to the shipped ones (``{"$ref": "scenario.schema.json#/..."}``).

    Raises one InputError, or InputErrors with the most relevant problem first and every
    other one after it in the order of the file.
    """
    from icsatlas.schemas.check import problems

    found = problems(located, schema, at)
    if len(found) == 1:
        raise found[0]
    if found:
        raise InputErrors(found)


__all__ = ["NAMES", "filename", "listing", "load", "text", "validate"]
