"""YAML that remembers where each value was written, for errors like
``reforms/x.yaml:9: operations[0].transfer.to: unknown holder type``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from icsatlas.errors import InputError
from icsatlas.inputs.text import decode

Path_ = tuple[str | int, ...]
MAX_BYTES = 5_000_000  # the largest shipped YAML is under 50 kB
MAX_NODES = 200_000  # values after aliases are expanded: refuses "billion laughs" files
MAX_DEPTH = 64  # nesting of mappings and lists
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")  # plain mappings and lists


@dataclass
class Located:
    """Parsed YAML plus the line of every mapping key and sequence item."""

    data: Any
    file: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: Path_, message: str) -> InputError:
        return InputError(message, file=self.file, row=self.line(path), field=dotted(path) or None)


def dotted(path: Path_) -> str:
    """``("operations", 0, "transfer", "to")`` -> ``operations[0].transfer.to``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load(source: str | Path, text: str | None = None) -> Located:
    """Parse a YAML file (or ``text`` labelled with ``source``), keeping line numbers."""
    name = str(source)
    if text is None:
        text = _read(Path(source), name)
    if len(text) > MAX_BYTES:
        raise InputError(f"file too large for a YAML input ({len(text):,} characters)", file=name)
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except RecursionError:
        raise InputError("nested too deeply to be a YAML input", file=name) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context and start:
            problem += f" ({context} from line {start.line + 1})"
        raise InputError(f"not valid YAML: {problem}", file=name, row=line) from None
    located = Located(data=None, file=name)
    if node is not None:
        located.data = _convert(node, (), located, _Loader())
    return located


def _read(path: Path, name: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", file=name) from None
    return decode(raw, file=name, fix="save the file as UTF-8")


class _Loader(yaml.SafeLoader):
    """A SafeLoader that counts the values it builds, so aliases cannot multiply them."""

    def __init__(self) -> None:
        super().__init__("")
        self.built = 0


def _convert(node: yaml.Node, path: Path_, located: Located, loader: _Loader) -> Any:
    loader.built += 1
    if loader.built > MAX_NODES:
        raise located.error(
            path, f"more than {MAX_NODES:,} values once aliases are expanded: refused"
        )
    if len(path) > MAX_DEPTH:
        raise located.error(path, f"nested more than {MAX_DEPTH} levels deep: refused")
    located.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.CollectionNode) and node.tag not in _COLLECTIONS:
        raise located.error(path, f"a YAML tag that is not allowed here: {node.tag!r}")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, path, located, loader)
            located.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, (*path, key), located, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), located, loader) for i, item in enumerate(node.value)]
    return _scalar(node, path, located, loader)


def _scalar(node: yaml.Node, path: Path_, located: Located, loader: _Loader) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:  # e.g. a timestamp that is no date, like 2026-02-30
        raise located.error(path, f"not a valid value: {node.value!r}") from None
    except yaml.constructor.ConstructorError:  # a tag the safe loader has no type for
        raise located.error(path, f"a YAML tag that is not allowed here: {node.tag!r}") from None


def as_date(value: Any) -> date | None:
    """YAML dates come back as ``date``; ISO strings are accepted too."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
