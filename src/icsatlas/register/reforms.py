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
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icsatlas import schemas, yamlio
from icsatlas.errors import InputError, InputErrors, NotFoundError
from icsatlas.register.model import ORG_TYPES, worst_certainty

UNCERTAIN = (
    "the operation's certainty or its date_certainty is 'uncertain', or its destination is disputed"
)


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


STAGES: dict[str, str] = {
    "in-force": "in force",
    "bill": "a bill before Parliament; not law",
    "policy": "announced policy; not law",
    "proposal": "a proposal; not law",
}


@dataclass(frozen=True)
class Status:
    """A reform's legal status on a date, with where that is stated."""

    stage: str = "proposal"
    as_of: date | None = None
    source: str = ""
    detail: str = ""
    law: str = ""

    @property
    def in_force(self) -> bool:
        return self.stage == "in-force"

    @property
    def text(self) -> str:
        """'committee stage, June 2026; not law' (a bill), 'in force' (law), ..."""
        when = self.as_of.strftime("%B %Y") if self.as_of else ""
        if self.in_force:
            return f"in force{f' ({self.law})' if self.law else ''}"
        what = self.detail or {"bill": "a bill", "policy": "policy"}.get(self.stage, self.stage)
        return f"{', '.join(p for p in (what, when) if p)}; not law"


@dataclass(frozen=True)
class BodyChange:
    """What a reform does to a body the register holds no functions for (e.g. Healthwatch),
    and where each of its functions goes, as the sources say (``unknown``: a gap)."""

    body: str
    change: str
    source: str
    into: str = ""
    functions: tuple[tuple[str, str, str], ...] = ()  # (what, to, source)
    effective: date | None = None
    note: str = ""

    @property
    def gaps(self) -> list[str]:
        """Functions whose destination the sources do not state."""
        return [what for what, to, _ in self.functions if to == "unknown"]


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
    status: Status = field(default_factory=Status)
    bodies: tuple[BodyChange, ...] = ()

    @property
    def under(self) -> str:
        """How outputs name it: 'under the Health Bill (committee stage, June 2026; not law)'."""
        return f"under the {self.title} ({self.status.text})"

    @property
    def first_effective(self) -> date:
        """The date of its earliest dated operation (a stack applies reforms in this order)."""
        return min((op.effective for op in self.operations if op.effective), default=date.max)

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
    if _is_file(path):
        return path
    known = shipped()
    if str(name_or_path) not in known:
        close = difflib.get_close_matches(str(name_or_path), list(known), n=2)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise NotFoundError(
            f"no reform {_clipped(str(name_or_path))!r}: give a shipped reform "
            f"({', '.join(known)}) or a path to a YAML file{hint}"
        )
    return known[str(name_or_path)]


def _is_file(path: Path) -> bool:
    """Whether ``path`` names a file; a name the system cannot take (too long, a NUL) names none."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _clipped(name: str, width: int = 80) -> str:
    return name if len(name) <= width else name[:width] + "…"


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
                "status": reform.status.stage,
                "status_detail": reform.status.text,
                "status_as_of": reform.status.as_of,
                "operations": len(reform.operations),
                "uncertain_operations": len(reform.uncertain),
                "source": reform.source,
            }
        )
    note = (
        f"uncertain_operations: operations where {UNCERTAIN}; "
        "`icsatlas impact` counts the moves they make the same way"
    )
    law = (
        "status: in-force (law), bill (before Parliament), policy (announced), proposal; "
        "--reforms law asks the register as the law stands, --reforms announced adds every "
        "shipped bill and policy"
    )
    return Result(pd.DataFrame(rows), title="Shipped reforms", notes=(note, law))


def load(name_or_path: str | Path, function_ids: set[str] | None = None) -> Reform:
    """A shipped reform by name, or a reform file by path, fully checked."""
    return parse(yamlio.load(locate(name_or_path)), function_ids)


def parse(located: yamlio.Located, function_ids: set[str] | None = None) -> Reform:
    """Check a reform against its schema (``reform.schema.json``), then what a schema cannot
    say: that each function exists, that each operation has a date, that a disputed
    destination differs from ``to``. Errors carry file, line and field; all are reported."""
    schemas.validate(located, "reform")
    raw = located.data
    defaults = {
        "effective": yamlio.as_date(raw.get("effective")),
        "certainty": raw.get("certainty", "verified"),
        "source": str(raw["source"]),
    }
    named_sources = {str(k): str(v) for k, v in (raw.get("sources") or {}).items()}
    operations, errors = [], []
    for index, item in enumerate(raw["operations"]):
        try:
            operations.append(_operation(located, index, item, defaults, named_sources))
            _check_function(located, operations[-1], function_ids)
        except InputError as error:
            errors.append(error)
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return Reform(
        name=raw["name"],
        title=str(raw["title"]),
        source=str(raw["source"]),
        operations=tuple(operations),
        published=yamlio.as_date(raw.get("published")),
        description=str(raw.get("description", "")),
        notes=tuple(str(n) for n in raw.get("notes") or ()),
        located=located,
        status=_status(raw.get("status"), named_sources),
        bodies=tuple(_body(item, defaults, named_sources) for item in raw.get("bodies") or ()),
    )


def _status(raw: dict[str, Any] | None, named_sources: dict[str, str]) -> Status:
    if raw is None:
        return Status()
    source = str(raw["source"])
    return Status(
        stage=raw["stage"],
        as_of=yamlio.as_date(raw["as_of"]),
        source=named_sources.get(source, source),
        detail=str(raw.get("detail", "")),
        law=str(raw.get("law", "")),
    )


def _body(
    item: dict[str, Any], defaults: dict[str, Any], named_sources: dict[str, str]
) -> BodyChange:
    def cite(value: Any) -> str:
        return named_sources.get(str(value), str(value))

    return BodyChange(
        body=str(item["body"]),
        change=str(item["change"]),
        source=cite(item["source"]),
        into=str(item.get("into", "")),
        functions=tuple(
            (str(f["what"]), str(f["to"]), cite(f["source"])) for f in item.get("functions") or ()
        ),
        effective=yamlio.as_date(item.get("effective")) or defaults["effective"],
        note=str(item.get("note", "")),
    )


def _operation(
    located: yamlio.Located,
    index: int,
    item: dict[str, Any],
    defaults: dict[str, Any],
    named_sources: dict[str, str],
) -> Operation:
    [(kind, spec)] = item.items()
    path = ("operations", index, kind)
    spec = dict(spec)
    spec["effective"] = yamlio.as_date(spec.get("effective")) or defaults["effective"]
    if spec["effective"] is None and kind != "cost-target":
        raise located.error(path, "missing 'effective' (here or at the top of the file)")
    spec["certainty"] = spec.get("certainty", defaults["certainty"])
    source = str(spec.get("source", defaults["source"]))
    spec["source"] = named_sources.get(source, source)
    for key in ("until", "by"):
        if key in spec:
            spec[key] = yamlio.as_date(spec[key])
    if "disputed" in spec:
        spec["disputed"] = _alternatives(located, (*path, "disputed"), spec, named_sources)
    return Operation(kind=kind, spec=spec, index=index)


def _check_function(
    located: yamlio.Located, operation: Operation, function_ids: set[str] | None
) -> None:
    function = operation.spec.get("function")
    if function is not None and function_ids is not None and function not in function_ids:
        hint = _hint(str(function), function_ids)
        path = (*operation.path, "function")
        raise located.error(path, f"unknown function {function!r}{hint}")


def _alternatives(
    located: yamlio.Located, path: tuple, spec: dict[str, Any], named_sources: dict[str, str]
) -> tuple[Alternative, ...]:
    """``disputed:``: other destinations, each with its source (a URL or a key of
    ``sources``) and an optional note; none may be the transfer's own ``to``."""
    found = []
    for i, item in enumerate(spec["disputed"]):
        if item["to"] == spec["to"]:
            raise located.error((*path, i, "to"), f"the same destination as to: {spec['to']!r}")
        source = str(item["source"])
        found.append(
            Alternative(item["to"], named_sources.get(source, source), str(item.get("note", "")))
        )
    return tuple(found)


def destination_label(holder: str) -> str:
    """How a destination reads: a holder type's label, a code as given, or 'not named'."""
    if holder == "unknown":
        return "destination not named"
    return ORG_TYPES.get(holder, holder)


def _hint(value: str, options) -> str:
    close = difflib.get_close_matches(value, [str(o) for o in options], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
