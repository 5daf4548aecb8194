"""Reforms as data: YAML files of dated operations, checked before they touch a register.

A reform reads like the documents it encodes (see ``reforms/*.yaml`` in the package)::

    name: blueprint-2025
    title: Model ICB Blueprint
    published: 2025-05-02
    source: https://...
    operations:
      - transfer:
          function: strategic-workforce-planning
          from: icb
          to: nhs-region
          effective: 2026-04-01
          certainty: reported

Errors name the file, line and field:
``blueprint-2025.yaml:9: operations[0].transfer.to: unknown holder type 'nhs-regon'
(did you mean 'nhs-region'?)``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icsatlas import yamlio
from icsatlas.errors import InputError, NotFoundError
from icsatlas.register.model import AREA_TYPES, BASES, CERTAINTIES, ORG_TYPES, worst_certainty

# Fields each operation accepts; those in REQUIRED must be present.
COMMON = {"effective", "certainty", "source", "note"}
FIELDS: dict[str, set[str]] = {
    "establish": COMMON
    | {
        "type",
        "ods",
        "ons",
        "id",
        "name",
        "region",
        "parent",
        "sub_icbs",
        "functions",
        "icp",
        "predecessor_ccgs",
        "areas",
    },
    "abolish": COMMON | {"org", "successors"},
    "merge": COMMON | {"from", "into", "sub_icbs", "icp"},
    "change-boundary": COMMON | {"icb", "ons", "name", "sub_icbs", "gains_from"},
    "transfer": COMMON | {"function", "from", "to", "areas", "basis", "date_certainty", "disputed"},
    "delegate": COMMON | {"function", "from", "to", "areas", "basis", "date_certainty", "disputed"},
    "review": COMMON | {"function", "destination"},
    "cost-target": COMMON | {"measure", "value", "unit", "applies_to", "by"},
    "assign": COMMON | {"function", "areas", "holder", "basis", "joint", "until"},
}
REQUIRED: dict[str, set[str]] = {
    "establish": {"type", "name"},
    "abolish": {"org"},
    "merge": {"from", "into", "sub_icbs"},
    "change-boundary": {"icb", "ons", "sub_icbs"},
    "transfer": {"function", "from", "to"},
    "delegate": {"function", "from", "to"},
    "review": {"function"},
    "cost-target": {"measure", "value", "unit", "applies_to"},
    "assign": {"function", "areas", "holder", "basis"},
}
TOP_LEVEL = {
    "name",
    "title",
    "published",
    "source",
    "description",
    "effective",
    "certainty",
    "operations",
    "sources",
    "notes",
}
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UNCERTAIN = (
    "the operation's certainty or its date_certainty is 'uncertain', or its destination is disputed"
)
DISPUTED_FIELDS = {"to", "source", "note"}


@dataclass(frozen=True)
class Alternative:
    """A destination another source gives for a move (``disputed:`` in a transfer)."""

    to: str
    source: str
    note: str = ""


if TYPE_CHECKING:
    from icsatlas.results import Result


@dataclass(frozen=True)
class Operation:
    """One dated operation of a reform, with where it was written."""

    kind: str
    spec: dict[str, Any]
    index: int

    @property
    def path(self) -> tuple[str | int, ...]:
        return ("operations", self.index, self.kind)

    @property
    def effective(self) -> date:
        return self.spec["effective"]

    @property
    def certainty(self) -> str:
        """How certain the operation itself is (verified | reported | uncertain)."""
        return self.spec["certainty"]

    @property
    def date_certainty(self) -> str:
        """How certain its effective date is (a transfer's ``date_certainty``)."""
        return self.spec.get("date_certainty", "verified")

    @property
    def disputed(self) -> tuple[Alternative, ...]:
        """Other destinations other sources give for this move."""
        return tuple(self.spec.get("disputed", ()))

    @property
    def overall_certainty(self) -> str:
        """The least certain of the operation and its date ('uncertain' if its destination
        is disputed): the certainty of every record it makes, and the one test of whether
        an operation (or a move) is uncertain."""
        dispute = "uncertain" if self.disputed else "verified"
        return worst_certainty(self.certainty, self.date_certainty, dispute)

    def dispute_note(self) -> str:
        """'Destination disputed: X (source) or Y (source: what it says).', or ''."""
        if not self.disputed:
            return ""
        options = [f"{destination_label(self.spec['to'])} ({self.spec['source']})"]
        options += [
            f"{destination_label(a.to)} ({a.source}{': ' + a.note if a.note else ''})"
            for a in self.disputed
        ]
        return f"Destination disputed: {' or '.join(options)}."

    @property
    def uncertain(self) -> bool:
        return self.overall_certainty == "uncertain"


@dataclass(frozen=True)
class Reform:
    """A reorganisation as data: metadata plus operations in the order they apply."""

    name: str
    title: str
    source: str
    operations: tuple[Operation, ...]
    published: date | None = None
    description: str = ""
    notes: tuple[str, ...] = ()
    located: yamlio.Located | None = field(default=None, compare=False, repr=False)

    def error(self, operation: Operation, key: str | None, message: str) -> InputError:
        """An error pointing at ``key`` of ``operation`` in the reform's file."""
        path = (*operation.path, key) if key else operation.path
        if self.located is None:
            return InputError(message, file=self.name, field=yamlio.dotted(path))
        return self.located.error(path, message)

    @property
    def uncertain(self) -> list[Operation]:
        """Operations whose certainty or date certainty is 'uncertain'."""
        return [op for op in self.operations if op.uncertain]


def shipped() -> dict[str, Path]:
    """The reforms shipped with the package, by name."""
    folder = Path(str(resources.files("icsatlas") / "reforms"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def locate(name_or_path: str | Path) -> Path:
    """The file of a shipped reform (by name) or of a reform file (by path)."""
    path = Path(name_or_path)
    if path.exists():
        return path
    known = shipped()
    if str(name_or_path) not in known:
        close = difflib.get_close_matches(str(name_or_path), list(known), n=2)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise NotFoundError(
            f"no reform {str(name_or_path)!r}: give a shipped reform "
            f"({', '.join(known)}) or a path to a YAML file{hint}"
        )
    return known[str(name_or_path)]


def digest(path: Path) -> str:
    """A fingerprint of a reform file's content (what-if caches are keyed by it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def listing() -> Result:
    """The shipped reforms, each with its operations and how many are uncertain."""
    import pandas as pd

    from icsatlas.results import Result

    rows = []
    for name in shipped():
        reform = load(name)
        rows.append(
            {
                "name": name,
                "title": reform.title,
                "operations": len(reform.operations),
                "uncertain_operations": len(reform.uncertain),
                "source": reform.source,
            }
        )
    note = (
        f"uncertain_operations: operations where {UNCERTAIN}; "
        "`icsatlas impact` counts the moves they make the same way"
    )
    return Result(pd.DataFrame(rows), title="Shipped reforms", notes=(note,))


def load(name_or_path: str | Path, function_ids: set[str] | None = None) -> Reform:
    """A shipped reform by name, or a reform file by path, fully checked."""
    return parse(yamlio.load(locate(name_or_path)), function_ids)


def parse(located: yamlio.Located, function_ids: set[str] | None = None) -> Reform:
    """Check a reform's structure and return it; errors carry file, line and field."""
    raw = located.data
    if not isinstance(raw, dict):
        raise located.error(
            (), "a reform file must be a mapping with name, title, source and operations"
        )
    _check_keys(located, (), raw, TOP_LEVEL, {"name", "title", "source", "operations"})
    if not isinstance(raw["name"], str) or not NAME.match(raw["name"]):
        raise located.error(("name",), "name must be lower-case letters, digits and hyphens")
    defaults = {
        "effective": _date(located, ("effective",), raw.get("effective")),
        "certainty": _choice(
            located, ("certainty",), raw.get("certainty", "verified"), CERTAINTIES, "certainty"
        ),
        "source": raw["source"],
    }
    named_sources = raw.get("sources") or {}
    operations = raw["operations"]
    if not isinstance(operations, list) or not operations:
        raise located.error(("operations",), "operations must be a non-empty list")
    ops = tuple(
        _operation(located, i, item, defaults, named_sources, function_ids)
        for i, item in enumerate(operations)
    )
    return Reform(
        name=raw["name"],
        title=str(raw["title"]),
        source=str(raw["source"]),
        operations=ops,
        published=_date(located, ("published",), raw.get("published")),
        description=str(raw.get("description", "")),
        notes=tuple(raw.get("notes") or ()),
        located=located,
    )


def _operation(
    located: yamlio.Located,
    index: int,
    item: Any,
    defaults: dict[str, Any],
    named_sources: dict[str, str],
    function_ids: set[str] | None,
) -> Operation:
    where = ("operations", index)
    if not isinstance(item, dict) or len(item) != 1:
        raise located.error(where, f"each operation is one of {', '.join(FIELDS)} with its fields")
    kind, spec = next(iter(item.items()))
    if kind not in FIELDS:
        raise located.error(where, f"unknown operation {kind!r}{_hint(kind, FIELDS)}")
    path = (*where, kind)
    if not isinstance(spec, dict):
        raise located.error(path, f"{kind} needs a mapping of fields")
    _check_keys(located, path, spec, FIELDS[kind], REQUIRED[kind])
    spec = dict(spec)
    spec["effective"] = _date(located, (*path, "effective"), spec.get("effective"))
    spec["effective"] = spec["effective"] or defaults["effective"]
    if spec["effective"] is None and kind != "cost-target":
        raise located.error(path, "missing 'effective' (here or at the top of the file)")
    spec["certainty"] = _choice(
        located,
        (*path, "certainty"),
        spec.get("certainty", defaults["certainty"]),
        CERTAINTIES,
        "certainty",
    )
    source = spec.get("source", defaults["source"])
    spec["source"] = named_sources.get(source, source)
    if "disputed" in spec:
        spec["disputed"] = _alternatives(located, (*path, "disputed"), spec, named_sources)
    _check_values(located, path, kind, spec, function_ids)
    return Operation(kind=kind, spec=spec, index=index)


def _check_values(
    located: yamlio.Located,
    path: tuple,
    kind: str,
    spec: dict[str, Any],
    function_ids: set[str] | None,
) -> None:
    function = spec.get("function")
    if function is not None and function_ids is not None and function not in function_ids:
        hint = _hint(str(function), function_ids)
        raise located.error((*path, "function"), f"unknown function {function!r}{hint}")
    holder_types = {**ORG_TYPES, "unknown": ""}
    if kind in ("transfer", "delegate"):
        _choice(located, (*path, "from"), spec["from"], holder_types, "holder type")
        if not _looks_like_code(spec["to"]):
            _choice(located, (*path, "to"), spec["to"], holder_types, "holder type")
    if kind == "cost-target":
        _choice(located, (*path, "applies_to"), spec["applies_to"], holder_types, "holder type")
        if not isinstance(spec["value"], (int, float)) or isinstance(spec["value"], bool):
            raise located.error((*path, "value"), f"value must be a number, got {spec['value']!r}")
        if spec["value"] < 0:
            raise located.error((*path, "value"), "a cost target cannot be negative")
    if kind == "establish":
        _choice(located, (*path, "type"), spec["type"], {**ORG_TYPES, **AREA_TYPES}, "type")
    if "basis" in spec:
        _choice(located, (*path, "basis"), spec["basis"], BASES, "basis")
    if "date_certainty" in spec:
        _choice(
            located, (*path, "date_certainty"), spec["date_certainty"], CERTAINTIES, "certainty"
        )
    for key in ("until", "by"):
        if key in spec:
            spec[key] = _date(located, (*path, key), spec[key])
    for key in ("successors", "gains_from", "sub_icbs"):
        if key in spec and not isinstance(spec[key], list):
            raise located.error((*path, key), f"{key} must be a list")
    if kind == "merge" and not isinstance(spec["from"], list):
        raise located.error((*path, "from"), "from must be a list of ICB codes")
    if "areas" in spec and spec["areas"] != "all" and not isinstance(spec["areas"], list):
        raise located.error((*path, "areas"), "areas must be 'all' or a list of area codes")


def _alternatives(
    located: yamlio.Located, path: tuple, spec: dict[str, Any], named_sources: dict[str, str]
) -> tuple[Alternative, ...]:
    """``disputed:``: a list of other destinations, each with ``to``, ``source`` and an
    optional ``note``, in the same form as the transfer's own ``to``."""
    items = spec["disputed"]
    if not isinstance(items, list) or not items:
        raise located.error(path, "disputed must be a list of {to, source, note}")
    found = []
    for i, item in enumerate(items):
        where = (*path, i)
        if not isinstance(item, dict):
            raise located.error(where, "each disputed destination is a mapping: to, source, note")
        _check_keys(located, where, item, DISPUTED_FIELDS, {"to", "source"})
        if not _looks_like_code(item["to"]):
            _choice(
                located, (*where, "to"), item["to"], {**ORG_TYPES, "unknown": ""}, "holder type"
            )
        if item["to"] == spec["to"]:
            raise located.error((*where, "to"), f"the same destination as to: {spec['to']!r}")
        source = str(item["source"])
        found.append(
            Alternative(item["to"], named_sources.get(source, source), item.get("note", ""))
        )
    return tuple(found)


def destination_label(holder: str) -> str:
    """How a destination reads: a holder type's label, a code as given, or 'not named'."""
    if holder == "unknown":
        return "destination not named"
    return ORG_TYPES.get(holder, holder)


def _looks_like_code(value: Any) -> bool:
    return isinstance(value, str) and (value.isupper() or ":" in value)


def _check_keys(located, path, spec, allowed, required) -> None:
    for key in spec:
        if key not in allowed:
            raise located.error((*path, key), f"unknown field {key!r}{_hint(str(key), allowed)}")
    for key in sorted(required):
        if key not in spec:
            raise located.error(path, f"missing {key!r}")


def _choice(located, path, value, options, what: str) -> Any:
    if value not in options:
        raise located.error(path, f"unknown {what} {value!r}{_hint(str(value), options)}")
    return value


def _date(located, path, value) -> date | None:
    try:
        return yamlio.as_date(value)
    except ValueError:
        raise located.error(path, f"not a date (YYYY-MM-DD): {value!r}") from None


def _hint(value: str, options) -> str:
    close = difflib.get_close_matches(value, [str(o) for o in options], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
