"""YAML that remembers where each value was written, for errors like
``reforms/x.yaml:9: operations[0].transfer.to: unknown holder type``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from icsatlas.errors import InputError

Path_ = tuple[str | int, ...]


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
        try:
            text = Path(source).read_text()
        except OSError as error:
            raise InputError(f"cannot read file: {error.strerror}", file=name) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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
        located.data = _convert(node, (), located, yaml.SafeLoader(""))
    return located


def _convert(node: yaml.Node, path: Path_, located: Located, loader: yaml.SafeLoader) -> Any:
    located.lines.setdefault(path, node.start_mark.line + 1)
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


def _scalar(node: yaml.Node, path: Path_, located: Located, loader: yaml.SafeLoader) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:  # e.g. a timestamp that is no date, like 2026-02-30
        raise located.error(path, f"not a valid value: {node.value!r}") from None


def as_date(value: Any) -> date | None:
    """YAML dates come back as ``date``; ISO strings are accepted too."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
