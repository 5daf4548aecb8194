"""SPC rule sets as versioned parameters (``parameters/contracts/spc/rule_sets/*.yaml``).

A rule set fixes the limit multiplier, whether and how moving-range outliers are
screened, the run lengths of the trend and shift tests and whether the 2-of-3 test counts
points beyond the process limits. Every constant lives in the YAML only: a
:class:`RuleSet` is built from a :class:`~icsatlas.parameters.ParameterSet`, so
``--parameters FILE`` can change any of them. ``nhsrplotthedots`` is the default;
``mdc-2023`` and ``trend6-shift8`` ship too, and a version is chosen by date
(``mdc-2023@2023-11-06``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from icsatlas.errors import NotFoundError
from icsatlas.parameters import ParameterSet

PREFIX = "contracts.spc.rule_sets."
DEFAULT = "nhsrplotthedots"
WITHDRAWN = {
    "mdc-six-point": "it rested on one unconfirmed user report that the Making Data Count "
    "Excel tool offers 6-point runs (NHSRplotthedots issue 202); to use 6-point runs, "
    "override trend_points and shift_points of mdc-2023 with --parameters",
}


@dataclass(frozen=True)
class RuleSet:
    """The constants and run lengths one SPC convention uses, as of one version."""

    name: str
    version: date
    label: str
    limit_sigma_multiplier: float
    near_limit_fraction: float
    screen_outliers: bool
    outlier_screen_multiplier: float
    trend_points: int
    shift_points: int
    two_of_three_counts_beyond_limits: bool
    trial_limits_below: int
    certainty: str
    overridden_by: str | None
    parameters: str

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version.isoformat()}"

    def describe(self) -> str:
        """The label and id, how certain the source is unless verified, and where the values
        were overridden from if they were."""
        about = [self.id]
        if self.certainty != "verified":
            about.append(f"certainty: {self.certainty}")
        if self.overridden_by:
            about.append(f"overridden from {self.overridden_by}")
        return f"{self.label} ({'; '.join(about)})"


def names(params: ParameterSet) -> list[str]:
    """The rule sets in ``params``."""
    return [n.removeprefix(PREFIX) for n in params.names(PREFIX)]


def rule_set(params: ParameterSet, spec: str | None = None) -> RuleSet:
    """A rule set by ``name`` (its latest version) or ``name@YYYY-MM-DD``."""
    name, _, when = (spec or DEFAULT).partition("@")
    if name not in names(params):
        why = f" (withdrawn: {WITHDRAWN[name]})" if name in WITHDRAWN else ""
        choices = ", ".join(names(params))
        raise NotFoundError(f"no SPC rule set {name!r}{why}; choose from {choices}")
    parameter = params.get(PREFIX + name)
    try:
        on = date.fromisoformat(when) if when else None
    except ValueError:
        raise NotFoundError(f"rule set version must be a date (YYYY-MM-DD), not {when!r}") from None
    values = parameter.at(on)  # raises, naming the parameter, if none is in force by then
    return RuleSet(
        name=name,
        version=parameter.version_on(on),
        label=parameter.label,
        certainty=parameter.certainty,
        overridden_by=parameter.overridden_by,
        parameters=params.fingerprint,
        **values,
    )
