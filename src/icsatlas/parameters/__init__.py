"""Parameters as data: each YAML file under this folder is one parameter with a label,
unit, dated values and references (the PolicyEngine shape).

    # parameters/finance/redundancy/earnings_cap.yaml -> "finance.redundancy.earnings_cap"
    label: Annual earnings cap used in Section 16 redundancy pay
    unit: GBP
    values:
      2015-04-01: 80000
    reference:
      - title: NHS Terms and Conditions of Service Handbook, Section 16
        href: https://www.nhsemployers.org/...
    certainty: verified        # verified | reported | derived | estimate | assumption

A value may be a number, a string or a mapping (e.g. an SPC rule set). The file's JSON Schema
is ``icsatlas/schemas/parameter.schema.json``; an overrides file's is
``parameter-overrides.schema.json``.

Code never reads a parameter from a global: it is given a :class:`ParameterSet` (the
shipped values plus any overrides, immutable and fingerprinted) and asks it, as
PolicyEngine's formulas ask ``parameters(period)``::

    params = ParameterSet.shipped().override("my-params.yaml")
    params.value("finance.redundancy.earnings_cap", on=date(2026, 4, 1))
    params.fingerprint          # 'parameters@3f1c2a9b0d+overrides@77aa01c2'
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from icsatlas import schemas, yamlio
from icsatlas.errors import InputError, NotFoundError

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CERTAINTIES = ("verified", "reported", "derived", "estimate", "assumption")


@dataclass(frozen=True)
class Reference:
    title: str
    href: str = ""


@dataclass(frozen=True)
class Parameter:
    """One labelled, sourced parameter whose value can change over time (read-only)."""

    name: str
    label: str
    unit: str
    values: Mapping[date, Any]
    references: tuple[Reference, ...]
    description: str = ""
    certainty: str = "verified"
    overridden_by: str | None = None

    def at(self, on: date | None = None) -> Any:
        """The value in force on ``on`` (default: the latest)."""
        dated = sorted(self.values)
        if on is None:
            return self.values[dated[-1]]
        in_force = [d for d in dated if d <= on]
        if not in_force:
            raise NotFoundError(
                f"parameter {self.name} has no value before {dated[0]} (asked {on})"
            )
        return self.values[in_force[-1]]

    def version_on(self, on: date | None = None) -> date:
        """The date of the value in force on ``on`` (default: the latest)."""
        return max(d for d in self.values if on is None or d <= on)


def root() -> Path:
    return Path(str(resources.files("icsatlas.parameters")))


def parse(located: yamlio.Located, name: str) -> Parameter:
    """Check one parameter file against ``parameter.schema.json`` and build it; errors name
    file, line and field."""
    schemas.validate(located, "parameter")
    raw = located.data
    return Parameter(
        name=name,
        label=str(raw["label"]),
        unit=str(raw["unit"]),
        values={_day(day): value for day, value in raw["values"].items()},
        references=tuple(Reference(str(r["title"]), r.get("href", "")) for r in raw["reference"]),
        description=str(raw.get("description", "")),
        certainty=raw.get("certainty", "verified"),
    )


@cache
def _shipped_parameters() -> Mapping[str, Parameter]:
    base = root()
    found = {}
    for file in sorted(base.rglob("*.yaml")):
        name = ".".join(file.relative_to(base).with_suffix("").parts)
        found[name] = parse(yamlio.load(file), name)
    return found


@cache
def _shipped_digest() -> str:
    digest = hashlib.sha256()
    for file in sorted(root().rglob("*.yaml")):
        digest.update(file.relative_to(root()).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:10]


@dataclass(frozen=True, eq=False)
class ParameterSet:
    """Every parameter a computation may read: the shipped ones, with overrides on top.

    Immutable: :meth:`override` returns a new set. :attr:`fingerprint` identifies the
    exact values (shipped files and overrides), so it goes into every result's provenance;
    two sets with the same fingerprint are equal (and hash alike, for caches).
    """

    parameters: Mapping[str, Parameter]
    overrides: Mapping[str, Any] = field(default_factory=dict)
    override_sources: tuple[str, ...] = ()

    @classmethod
    def shipped(cls) -> ParameterSet:
        """The parameters shipped with icsatlas, without overrides."""
        return _shipped_set()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParameterSet) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    # -- asking ------------------------------------------------------------------------
    def get(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            hint = _close(name, self.parameters)
            raise NotFoundError(f"no parameter named {name!r}{hint}") from None

    def value(self, name: str, on: date | None = None) -> Any:
        """The value of ``name`` in force on ``on`` (default: the latest)."""
        return self.get(name).at(on)

    def names(self, prefix: str = "") -> list[str]:
        """Parameter names, optionally those under a dotted ``prefix``."""
        return sorted(n for n in self.parameters if n.startswith(prefix))

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters[n] for n in sorted(self.parameters))

    def __len__(self) -> int:
        return len(self.parameters)

    # -- identity ----------------------------------------------------------------------
    @cached_property
    def fingerprint(self) -> str:
        """``parameters@<shipped digest>``, plus ``+overrides@<digest>`` when overridden."""
        text = f"parameters@{_shipped_digest()}"
        if self.overrides:
            canonical = json.dumps(_keyed_by_text(self.overrides), sort_keys=True, default=str)
            text += f"+overrides@{hashlib.sha256(canonical.encode()).hexdigest()[:8]}"
        return text

    def describe(self) -> str:
        """The fingerprint and, if any, which parameters were overridden from where."""
        if not self.overrides:
            return f"{self.fingerprint} (shipped values)"
        names = ", ".join(sorted(self.overrides))
        return f"{self.fingerprint}: {names} overridden from {', '.join(self.override_sources)}"

    # -- overriding --------------------------------------------------------------------
    def override(self, source: str | Path | Mapping[str, Any]) -> ParameterSet:
        """A new set with the values of a YAML file (or a mapping) on top.

        A file maps dotted parameter names to a value, which then holds on every date,
        or to a mapping of dates to values, which are added to the shipped dates::

            finance.redundancy.earnings_cap: 90000
            finance.blueprint.inputs.vr_share:
              2026-04-01: {distribution: triangular, low: 0.5, mode: 0.7, high: 0.9}
        """
        if isinstance(source, Mapping):
            located = yamlio.Located(data=dict(source), file="overrides")
            label = "overrides"
        else:
            located = yamlio.load(source)
            label = str(source)
        changes = _checked_overrides(located, self.parameters)
        parameters = dict(self.parameters)
        for name, new in changes.items():
            parameters[name] = _overridden(parameters[name], new, label)
        return replace(
            self,
            parameters=parameters,
            overrides={**self.overrides, **changes},
            override_sources=tuple(dict.fromkeys((*self.override_sources, label))),
        )


class _Shipped(Mapping[str, Parameter]):
    """The shipped parameters, parsed on first use (a fingerprint alone needs no parsing)."""

    def __getitem__(self, name: str) -> Parameter:
        return _shipped_parameters()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_shipped_parameters())

    def __len__(self) -> int:
        return len(_shipped_parameters())


def _keyed_by_text(value: Any) -> Any:
    """``value`` with every mapping key as text (JSON keys cannot be dates)."""
    if isinstance(value, Mapping):
        return {str(k): _keyed_by_text(v) for k, v in value.items()}
    return value


@cache
def _shipped_set() -> ParameterSet:
    return ParameterSet(parameters=_Shipped())


def _checked_overrides(located: yamlio.Located, shipped: Mapping[str, Parameter]) -> dict[str, Any]:
    """The overrides of a file checked against ``parameter-overrides.schema.json``, then
    against what it overrides: a shipped parameter, each value shaped like its latest one
    (a number for a number, known keys for a mapping). Dates as keys become dates."""
    schemas.validate(located, "parameter-overrides")
    schemas.validate(located, _shapes(located.data, shipped))
    return {
        name: {_day(day): v for day, v in new.items()} if _is_dated(new) else new
        for name, new in located.data.items()
    }


def _shapes(overrides: Mapping[str, Any], shipped: Mapping[str, Parameter]) -> dict[str, Any]:
    """A schema: the names of ``shipped``, and for each name overridden the shape its new
    value (or its values by date) must have."""
    shapes = {
        name: {
            "if": {"$ref": "parameter-overrides.schema.json#/$defs/by-date"},
            "then": {"additionalProperties": _shape(shipped[name].at())},
            "else": _shape(shipped[name].at()),
        }
        for name in overrides
        if name in shipped
    }
    return {"propertyNames": {"title": "parameter", "enum": list(shipped)}, "properties": shapes}


def _shape(value: Any) -> dict[str, Any]:
    """A schema for values like ``value``: of its type; for a mapping, any of its keys."""
    if isinstance(value, dict):
        known = {str(k): _shape(v) for k, v in value.items()}
        return {"type": "object", "properties": known, "additionalProperties": False}
    if isinstance(value, date):
        return {"type": "string", "format": "date"}
    for kind, types in (("boolean", bool), ("number", (int, float)), ("string", str)):
        if isinstance(value, types):
            return {"type": kind}
    return {}


def _day(key: date | str) -> date:
    """A date key, written as a date or as ISO text (the schema has checked it is one)."""
    return key if isinstance(key, date) else date.fromisoformat(key)


def _is_dated(value: Any) -> bool:
    """Values by date, as the schema's ``by-date`` tells them from a mapping value."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, date) or _ISO_DATE.fullmatch(str(k)) for k in value)
    )


def _overridden(parameter: Parameter, new: Any, source: str) -> Parameter:
    if _is_dated(new):
        first = min(parameter.values)
        values = {
            **parameter.values,
            **{d: _merged(parameter.at(max(d, first)), v) for d, v in new.items()},
        }
    else:
        values = {d: _merged(v, new) for d, v in parameter.values.items()}
    return replace(parameter, values=values, overridden_by=source)


def _merged(current: Any, new: Any) -> Any:
    """A partial mapping overrides only the keys it names."""
    if isinstance(current, dict) and isinstance(new, dict):
        return {**current, **new}
    return new


def _close(name: str, options: Mapping[str, Any]) -> str:
    import difflib

    found = difflib.get_close_matches(name, list(map(str, options)), n=1)
    return f" (did you mean {found[0]!r}?)" if found else ""


__all__ = ["InputError", "Parameter", "ParameterSet", "Reference", "parse", "root"]
