"""Streaming OCDS input: JSON or JSON Lines; releases, release packages, records and
record packages; one item at a time so a national file never sits in memory whole.

Every release comes out with its *position* (``releases[12]`` or ``line 40``) so an
error names the file and the place, and with the OCDS version it declares.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson
from ocdskit.exceptions import UnknownFormatError
from ocdskit.util import Format, detect_format

from icsatlas.errors import InputError
from icsatlas.inputs.text import read_lines

JSON_LINES = (".jsonl", ".jsonlines", ".ndjson")
MAX_DEPTH = 32  # nesting of objects and arrays in a release; OCDS 1.1's deepest is under 10
NESTED = f"nested more than {MAX_DEPTH} levels deep: not an OCDS release"


@dataclass(frozen=True)
class Item:
    """One release read from a file, with where it was and the OCDS version it declares."""

    release: Any
    position: str
    version: str
    line: int | None = None


@dataclass(frozen=True)
class Source:
    """What kind of OCDS file this is."""

    path: Path
    format: str


def detect(path: Path) -> Source:
    """The OCDS format of a file (``ocdskit.util.detect_format``), or a clear error."""
    if path.suffix.lower() in JSON_LINES:
        return Source(path, "json lines")
    try:
        _check_nesting(path)
        found, concatenated, array = detect_format(str(path))
    except (UnknownFormatError, ijson.JSONError, StopIteration) as error:
        raise InputError(f"not an OCDS file: {error or 'empty'}", file=path) from None
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", file=path) from None
    if found == Format.versioned_release or found == Format.empty_package:
        raise InputError(f"{found} files cannot be imported; use releases or records", file=path)
    shape = " (array)" if array else " (concatenated)" if concatenated else ""
    return Source(path, f"{found}{shape}")


def _check_nesting(path: Path) -> None:
    """Refuse a file nested deeper than any OCDS data, before ijson reads it by path (a path
    per value: a deep enough nest takes it hours, as a bomb intends)."""
    depth = 0
    with path.open("rb") as stream:
        for event, _ in ijson.basic_parse(stream, multiple_values=True):
            if event in ("start_map", "start_array"):
                depth += 1
                if depth > MAX_DEPTH + 2:  # a package and its releases array around a release
                    raise InputError(NESTED, file=path)
            elif event in ("end_map", "end_array"):
                depth -= 1


def items(source: Source) -> Iterator[Item]:
    """Every release in the file, in file order."""
    path = source.path
    try:
        for item in _read(source):
            if _deeper_than(item.release, MAX_DEPTH):
                raise InputError(NESTED, file=path, row=item.line, field=item.position)
            yield item
    except ijson.JSONError as error:
        raise InputError(f"not valid JSON: {error}", file=path) from None
    except InputError as error:
        if error.file is not None:
            raise
        raise InputError(error.message, file=path, row=error.row, field=error.field) from None


def _read(source: Source) -> Iterator[Item]:
    path = source.path
    if source.format == "json lines":
        return _json_lines(path)
    if source.format == "release package":
        return _package(path, "releases")
    if source.format == "record package":
        return _package(path, "records")
    return _values(path)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest in ``value`` more than ``limit`` deep (counted
    without recursion, so a bomb cannot exhaust the stack)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            stack.extend((child, depth + 1) for child in children)
    return False


def _json_lines(path: Path) -> Iterator[Item]:
    for number, text in read_lines(path, fix="save it as UTF-8"):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"not valid JSON: {error.msg}", file=path, row=number) from None
        except RecursionError:
            raise InputError(NESTED, file=path, row=number) from None
        yield from _unpack(value, f"line {number}", number)


def _package(path: Path, key: str) -> Iterator[Item]:
    version = _package_version(path)
    with path.open("rb") as stream:
        for index, value in enumerate(ijson.items(stream, f"{key}.item", use_float=True)):
            if key == "releases":
                yield Item(value, f"releases[{index}]", version)
            else:
                yield from _record(value, f"records[{index}]", version, None)


def _package_version(path: Path) -> str:
    """A package's ``version`` (OCDS 1.0 packages had none)."""
    with path.open("rb") as stream:
        for prefix, event, value in ijson.parse(stream):
            if prefix == "version" and event == "string":
                return value
            if prefix in ("releases", "records") and event == "start_array":
                break
    with path.open("rb") as stream:
        versions = list(ijson.items(stream, "version"))
    return versions[0] if versions else "1.0"


def _values(path: Path) -> Iterator[Item]:
    with path.open("rb") as stream:
        head = stream.read(64).lstrip()
    array = head.startswith(b"[")
    with path.open("rb") as stream:
        values = ijson.items(stream, "item" if array else "", multiple_values=True, use_float=True)
        for index, value in enumerate(values):
            yield from _unpack(value, f"[{index}]" if array else f"value {index + 1}", None)


def _unpack(value: Any, position: str, line: int | None) -> Iterator[Item]:
    """A value that is a release, a record, or a package of either."""
    if not isinstance(value, dict):
        yield Item(value, position, "1.1", line)
    elif "records" in value:
        version = value.get("version", "1.0")
        for index, record in enumerate(value.get("records") or []):
            yield from _record(record, f"{position}.records[{index}]", version, line)
    elif "releases" in value and "ocid" not in value:
        version = value.get("version", "1.0")
        for index, release in enumerate(value.get("releases") or []):
            yield Item(release, f"{position}.releases[{index}]", version, line)
    elif "releases" in value:
        yield from _record(value, position, "1.1", line)
    else:
        yield Item(value, position, _release_version(value), line)


def _record(record: Any, position: str, version: str, line: int | None) -> Iterator[Item]:
    """A record's embedded releases, or its compiled release if they are only linked."""
    releases = (record.get("releases") or []) if isinstance(record, dict) else []
    embedded = [r for r in releases if isinstance(r, dict) and "tag" in r and "url" not in r]
    if embedded:
        for index, release in enumerate(embedded):
            yield Item(release, f"{position}.releases[{index}]", version, line)
    elif isinstance(record, dict) and isinstance(record.get("compiledRelease"), dict):
        yield Item(record["compiledRelease"], f"{position}.compiledRelease", version, line)
    else:
        raise InputError(
            "record has neither embedded releases nor a compiledRelease", field=position
        )


def _release_version(release: dict) -> str:
    """An individual release declares no version; OCDS 1.1 added ``parties``."""
    return "1.1" if "parties" in release else "1.0"
