"""SPC rule sets as versioned parameters (``parameters/contracts/spc/rule_sets/*.yaml``).

A rule set fixes the limit multiplier, the outlier screen, the run lengths of the trend
and shift tests and whether the 2-of-3 test counts points beyond the process limits.
``nhsrplotthedots`` is the default; ``mdc-2023``, ``mdc-six-point`` and ``trend6-shift8``
ship too, and a version is chosen by date (``mdc-2023@2023-11-06``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from icsatlas import parameters
from icsatlas.errors import NotFoundError

PREFIX = "contracts.spc.rule_sets."
DEFAULT = "nhsrplotthedots"


@dataclass(frozen=True)
class RuleSet:
    """The constants and run lengths one SPC convention uses."""

    name: str
    version: date
    label: str
    limit_sigma_multiplier: float = 2.66
    near_limit_fraction: float = 2 / 3
    outlier_screen_multiplier: float = 3.267
    trend_points: int = 7
    shift_points: int = 7
    two_of_three_counts_beyond_limits: bool = False
    trial_limits_below: int = 13

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version.isoformat()}"


def names() -> list[str]:
    """The shipped rule sets."""
    return sorted(n.removeprefix(PREFIX) for n in parameters.load_all() if n.startswith(PREFIX))


def rule_set(spec: str | RuleSet | None = None) -> RuleSet:
    """A rule set by ``name`` (its latest version) or ``name@YYYY-MM-DD``."""
    if isinstance(spec, RuleSet):
        return spec
    name, _, when = (spec or DEFAULT).partition("@")
    if name not in names():
        raise NotFoundError(f"no SPC rule set {name!r}; choose from {', '.join(names())}")
    parameter = parameters.get(PREFIX + name)
    try:
        on = date.fromisoformat(when) if when else None
    except ValueError:
        raise NotFoundError(f"rule set version must be a date (YYYY-MM-DD), not {when!r}") from None
    values = parameter.at(on)
    version = max(d for d in parameter.values if on is None or d <= on)
    return RuleSet(name=name, version=version, label=parameter.label, **values)
