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

A value may be a number, a string or a mapping (e.g. an SPC rule set).

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from icsatlas import yamlio
from icsatlas.errors import InputError, NotFoundError

CERTAINTIES = ("verified", "reported", "derived", "estimate", "assumption")
REQUIRED = ("label", "unit", "values", "reference")


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
    extra: Mapping[str, Any] = field(default_factory=dict)
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
    """Check one parameter file's shape and build it; errors name file, line and field."""
    raw = located.data
    if not isinstance(raw, dict):
        raise located.error((), "a parameter file must be a mapping")
    for key in REQUIRED:
        if key not in raw:
            raise located.error((), f"missing {key!r}")
    values = raw["values"]
    if not isinstance(values, dict) or not values:
        raise located.error(("values",), "values must map dates to values")
    dated: dict[date, Any] = {}
    for key, value in values.items():
        try:
            day = yamlio.as_date(key)
        except ValueError:
            day = None
        if day is None:
            raise located.error(("values", key), f"not a date: {key!r}")
        dated[day] = value
    references = raw["reference"]
    if not isinstance(references, list) or not references:
        raise located.error(("reference",), "reference must be a non-empty list")
    refs = []
    for i, ref in enumerate(references):
        if not isinstance(ref, dict) or not ref.get("title"):
            raise located.error(("reference", i), "each reference needs a title")
        refs.append(Reference(str(ref["title"]), str(ref.get("href", ""))))
    certainty = raw.get("certainty", "verified")
    if certainty not in CERTAINTIES:
        raise located.error(("certainty",), f"certainty must be one of {', '.join(CERTAINTIES)}")
    known = {*REQUIRED, "description", "certainty"}
    return Parameter(
        name=name,
        label=str(raw["label"]),
        unit=str(raw["unit"]),
        values=dated,
        references=tuple(refs),
        description=str(raw.get("description", "")),
        certainty=certainty,
        extra={k: v for k, v in raw.items() if k not in known},
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
    if not isinstance(located.data, dict) or not located.data:
        raise located.error((), "a parameters file maps parameter names to new values")
    for name, new in located.data.items():
        if name not in shipped:
            raise located.error((name,), f"unknown parameter {name!r}{_close(name, shipped)}")
        if _is_dated(new):
            for day, value in new.items():
                _check_like(located, (name, day), value, shipped[name].at())
        else:
            _check_like(located, (name,), new, shipped[name].at())
    return dict(located.data)


def _is_dated(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, date) for k in value)


def _check_like(located: yamlio.Located, path: tuple, new: Any, current: Any) -> None:
    """``new`` must have the shape of ``current``: a number for a number, the same keys
    (each checked alike) for a mapping."""
    if isinstance(current, bool):
        if not isinstance(new, bool):
            raise located.error(path, f"expected true or false, got {new!r}")
    elif isinstance(current, (int, float)):
        if isinstance(new, bool) or not isinstance(new, (int, float)) or new != new:
            raise located.error(path, f"expected a number, got {new!r}")
        if new in (float("inf"), float("-inf")):
            raise located.error(path, "expected a finite number")
    elif isinstance(current, dict):
        if not isinstance(new, dict):
            keys = ", ".join(map(str, current))
            raise located.error(path, f"expected a mapping with keys {keys}")
        for key, value in new.items():
            if key not in current:
                raise located.error((*path, key), f"unknown key {key!r}{_close(str(key), current)}")
            _check_like(located, (*path, key), value, current[key])
    elif isinstance(current, str) and not isinstance(new, str):
        raise located.error(path, f"expected text, got {new!r}")


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


# -- transitional: module-level access to the shipped set, kept only until every domain
# takes a ParameterSet (issue "One atlas underneath", section 3); new code must not use it.
def get(name: str) -> Parameter:
    return ParameterSet.shipped().get(name)


def value(name: str, on: date | None = None) -> Any:
    return ParameterSet.shipped().value(name, on)


def load_all() -> Mapping[str, Parameter]:
    return ParameterSet.shipped().parameters


def version() -> str:
    return ParameterSet.shipped().fingerprint


__all__ = ["InputError", "Parameter", "ParameterSet", "Reference", "parse", "root"]
