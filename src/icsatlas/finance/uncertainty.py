"""Uncertain inputs: a distribution per input, checked on the way in, sampled in bulk.

A distribution is written as a mapping, in a parameter file or a user's scenario file
(``uncertainty.schema.json`` describes it):

    {distribution: triangular, low: 0.05, mode: 0.2, high: 0.4}
    {distribution: uniform, low: 1, high: 6}
    {distribution: fixed, value: 0.0}            # or just the number
    {distribution: choice, options: {linear: 0.6, step: 0.4}, central: linear}

Every draw array starts with the *central* value (run 0: the mode, midpoint, fixed value or
named central option), then ``n`` random draws from a numpy Generator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from icsatlas import schemas, yamlio


@dataclass(frozen=True)
class Distribution:
    """One input's distribution; ``options`` only for ``choice``."""

    kind: str
    low: float = 0.0
    mode: float = 0.0
    high: float = 0.0
    options: dict[str, float] = field(default_factory=dict)
    central_option: str = ""

    @property
    def central(self) -> float | str:
        if self.kind == "choice":
            return self.central_option
        if self.kind == "uniform":
            return (self.low + self.high) / 2
        return self.mode

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"fixed {self.mode:g}"
        if self.kind == "uniform":
            return f"uniform {self.low:g} to {self.high:g}"
        if self.kind == "triangular":
            return f"triangular {self.low:g} / {self.mode:g} / {self.high:g}"
        shown = ", ".join(f"{k} {v:.0%}" for k, v in self.options.items())
        return f"choice: {shown} (central {self.central_option})"

    def sample(self, rng: np.random.Generator, n: int, order: tuple[str, ...] = ()) -> np.ndarray:
        """Run 0 (central) followed by ``n`` draws.

        Choices come back as positions in ``order`` (default: the options as written).
        """
        if self.kind == "choice":
            names = list(self.options)
            positions = np.array([(order or tuple(names)).index(k) for k in names])
            probabilities = np.array([self.options[k] for k in names])
            draws = rng.choice(len(names), size=n, p=probabilities / probabilities.sum())
            central = names.index(self.central_option)
            return positions[np.concatenate([[central], draws])]
        if self.kind == "fixed" or self.low == self.high:
            return np.full(n + 1, float(self.mode if self.kind != "uniform" else self.low))
        if self.kind == "uniform":
            spread = rng.uniform(self.low, self.high, size=n)
        else:
            spread = rng.triangular(self.low, self.mode, self.high, size=n)
        return np.concatenate([[float(self.central)], spread])

    def quantile(self, q: float) -> float:
        """Inverse CDF (numeric kinds), for one-at-a-time sensitivity."""
        if self.kind == "fixed" or self.low == self.high:
            return self.mode
        if self.kind == "uniform":
            return self.low + q * (self.high - self.low)
        width = self.high - self.low
        split = (self.mode - self.low) / width
        if q < split:
            return self.low + np.sqrt(q * width * (self.mode - self.low))
        return self.high - np.sqrt((1 - q) * width * (self.high - self.mode))


def parse(
    located: yamlio.Located,
    path: yamlio.Path_,
    schema: str | Mapping[str, Any] | None = "uncertainty",
) -> Distribution:
    """The distribution at ``path`` of a YAML document, every problem located.

    It is checked against ``schema``: ``uncertainty.schema.json`` by default, or the schema of
    one input of ``scenario.schema.json``, which adds that input's bounds and choices (None:
    checked already). Then what a schema cannot say: low <= mode <= high, probabilities
    adding up to 1, the central option one of the options.
    """
    if schema is not None:
        schemas.validate(located, schema, at=path)
    raw: Any = located.data
    for key in path:
        raw = raw[key]
    if not isinstance(raw, dict):
        return Distribution("fixed", mode=float(raw))
    if raw["distribution"] == "choice":
        return _choice(raw, located, path)
    if raw["distribution"] == "fixed":
        return Distribution("fixed", mode=float(raw["value"]))
    low, high = float(raw["low"]), float(raw["high"])
    if low > high:
        raise located.error((*path, "low"), f"low ({low:g}) is above high ({high:g})")
    if raw["distribution"] == "uniform":
        return Distribution("uniform", low=low, high=high)
    mode = float(raw["mode"])
    if not low <= mode <= high:
        raise located.error(
            (*path, "mode"), f"mode ({mode:g}) must lie between low ({low:g}) and high ({high:g})"
        )
    return Distribution("triangular", low=low, mode=mode, high=high)


def _choice(raw: dict, located: yamlio.Located, path: yamlio.Path_) -> Distribution:
    options = {str(name): float(p) for name, p in raw["options"].items()}
    total = sum(options.values())
    if abs(total - 1) > 1e-6:
        raise located.error(
            (*path, "options"), f"probabilities must add up to 100%, got {total:.1%}"
        )
    central = str(raw.get("central", max(options, key=options.__getitem__)))
    if central not in options:
        raise located.error(
            (*path, "central"), f"central must be one of the options, got {central!r}"
        )
    return Distribution("choice", options=options, central_option=central)
