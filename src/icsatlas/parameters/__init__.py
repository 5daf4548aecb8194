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
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
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
    """One labelled, sourced parameter whose value can change over time."""

    name: str
    label: str
    unit: str
    values: dict[date, Any]
    references: tuple[Reference, ...]
    description: str = ""
    certainty: str = "verified"
    extra: dict[str, Any] = field(default_factory=dict)

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
    dated = {}
    for key, value in values.items():
        try:
            dated[yamlio.as_date(key)] = value
        except ValueError:
            raise located.error(("values", key), f"not a date: {key!r}") from None
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
def load_all() -> dict[str, Parameter]:
    """Every shipped parameter, by dotted name."""
    base = root()
    found = {}
    for file in sorted(base.rglob("*.yaml")):
        name = ".".join(file.relative_to(base).with_suffix("").parts)
        found[name] = parse(yamlio.load(file), name)
    return found


def get(name: str) -> Parameter:
    try:
        return load_all()[name]
    except KeyError:
        raise NotFoundError(f"no parameter named {name!r}") from None


def value(name: str, on: date | None = None) -> Any:
    return get(name).at(on)


def version() -> str:
    """A short fingerprint of every shipped parameter file, for provenance."""
    digest = hashlib.sha256()
    for file in sorted(root().rglob("*.yaml")):
        digest.update(file.read_bytes())
    return f"parameters@{digest.hexdigest()[:10]}"


def load_overrides(file: str | Path) -> dict[str, Any]:
    """A user's overrides: a YAML mapping of parameter name to value, checked against the
    shipped parameters (unknown names and non-numeric values for numeric ones are errors)."""
    located = yamlio.load(file)
    if not isinstance(located.data, dict):
        raise located.error((), "an overrides file must map parameter names to values")
    shipped = load_all()
    for name, new in located.data.items():
        if name not in shipped:
            raise located.error((name,), f"unknown parameter {name!r}")
        current = shipped[name].at()
        if isinstance(current, (int, float)) and not isinstance(new, (int, float)):
            raise located.error((name,), f"expected a number ({shipped[name].unit}), got {new!r}")
    return dict(located.data)


__all__ = ["InputError", "Parameter", "Reference", "get", "load_all", "value", "version"]
