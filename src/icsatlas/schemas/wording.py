"""A JSON Schema error in words a person can act on, with where it is.

A schema's ``title`` names the kind of value it describes, and the message uses it:
an ``enum`` titled "holder type" gives "unknown holder type 'nhs-regon' (did you mean
'nhs-region'?)", bounds titled "share" give "a share must be from 0 to 1, got 1.2",
and a ``pattern`` or ``const`` titled "lower-case letters, digits and hyphens" gives
"expected lower-case letters, digits and hyphens, got 'My Reform'".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

Where = tuple[str | int, ...]
TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "nothing",
}
BOUNDS = {  # worded as the CSV readers word them (icsatlas.inputs.numbers)
    "minimum": "{} or more",
    "maximum": "{} or less",
    "exclusiveMinimum": "more than {}",
    "exclusiveMaximum": "less than {}",
}


class NonFinite:
    """YAML's .inf, -.inf or .nan: a float, but no JSON number."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __repr__(self) -> str:
        return {"inf": ".inf", "-inf": "-.inf"}.get(str(self.value), ".nan")


def messages(error: ValidationError) -> Iterator[tuple[Where, str]]:
    """Each problem ``error`` stands for, as (path in the JSON view, message)."""
    path: Where = tuple(error.absolute_path)
    if "propertyNames" in error.absolute_schema_path:
        path = (*path, error.instance)  # the key itself is at fault
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword, value, title = error.validator, error.instance, schema.get("title")
    if keyword == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in _extra_keys(value, schema):
            yield (*path, key), f"unknown field {key!r}{hint(key, allowed)}"
    elif keyword == "required":
        for key in error.validator_value:
            if key not in value:
                yield path, f"missing {key!r}"
    elif keyword == "dependentRequired":
        for key, needed in error.validator_value.items():
            for other in (n for n in needed if key in value and n not in value):
                yield path, f"missing {other!r} (needed with {key!r})"
    elif keyword in ("anyOf", "oneOf"):
        yield from _alternatives(error, path)
    else:
        yield path, _message(error, title, root=not path)


def _message(error: ValidationError, title: str | None, root: bool) -> str:
    keyword, expected, value = error.validator, error.validator_value, error.instance
    if keyword == "type" and error.schema.get("format") == "date":
        return f"not a date (YYYY-MM-DD): {shown(value)}"
    if keyword == "type":
        return _type(expected, value, title if root else None)
    if keyword == "enum":
        return f"unknown {title or 'value'} {shown(value)}{hint(value, expected)}"
    if keyword == "const":
        return f"expected {title or shown(expected)}, got {shown(value)}"
    if keyword in BOUNDS:
        return _bounds(error.schema, keyword, value, title)
    if keyword == "pattern":
        return f"expected {title or 'text matching ' + repr(expected)}, got {shown(value)}"
    if keyword == "format" and expected == "date":
        return f"not a date (YYYY-MM-DD): {shown(value)}"
    if keyword in ("minItems", "maxItems", "minProperties", "maxProperties"):
        return _count(keyword, expected, value)
    return error.message  # a keyword the shipped schemas do not use


def _bounds(schema: dict, keyword: str, value: Any, title: str | None) -> str:
    subject = f"{article(title)} " if title else ""
    if "minimum" in schema and "maximum" in schema:
        limit = f"from {number(schema['minimum'])} to {number(schema['maximum'])}"
    else:
        limit = BOUNDS[keyword].format(number(schema[keyword]))
    return f"{subject}must be {limit}, got {number(value)}"


def _type(expected: str | list[str], value: Any, file_title: str | None) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(TYPES.get(n, n) for n in names)
    if set(TYPES) - set(names) <= {"null", "integer"}:
        wanted = "a value"  # anything but nothing
    if file_title:
        return f"expected {article(file_title)} ({wanted}), got {shown(value)}"
    if isinstance(value, NonFinite) and "number" in names:
        return f"expected a finite number, got {shown(value)}"
    quote = " (put it in quotes)" if "string" in names and _scalar(value) else ""
    return f"expected {wanted}, got {shown(value)}{quote}"


def _count(keyword: str, limit: int, value: Any) -> str:
    noun = "item" if keyword.endswith("Items") else "key"
    least = keyword.startswith("min")
    have = ", ".join(map(str, value)) if isinstance(value, dict) else ""
    return (
        f"expected {'at least' if least else 'at most'} {limit} {noun}{'s' * (limit != 1)}, "
        f"got {len(value)}{': ' + have if have and not least else ''}"
    )


def _alternatives(error: ValidationError, path: Where) -> Iterator[tuple[Where, str]]:
    """anyOf / oneOf: "missing 'ons' or 'id'" when each branch asks for a key; otherwise
    the branch that came closest."""
    branches = list(error.context or ())
    if branches and all(b.validator == "required" for b in branches):
        keys = [k for b in branches for k in b.validator_value if k not in b.instance]
        yield path, "missing " + " or ".join(repr(k) for k in dict.fromkeys(keys))
    elif branches:
        yield from messages(best_match(branches))
    else:
        yield path, error.message


def _extra_keys(value: dict, schema: dict) -> list[str]:
    known, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
    return [
        key for key in value if key not in known and not any(re.search(p, key) for p in patterns)
    ]


def hint(value: Any, options: Any) -> str:
    """' (did you mean 'x'?)', or ' (use a, b or c)' when there are few options."""
    names = [str(o) for o in options]
    close = difflib.get_close_matches(str(value), names, n=1) if isinstance(value, str) else []
    if close:
        return f" (did you mean {close[0]!r}?)"
    if 1 < len(names) <= 8:
        return f" (use {', '.join(names[:-1])} or {names[-1]})"
    return f" (use {names[0]})" if len(names) == 1 else ""


def shown(value: Any) -> str:
    """A value as the file's writer would recognise it, kept short."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "...'"


def number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _scalar(value: Any) -> bool:
    return isinstance(value, (bool, int, float))
