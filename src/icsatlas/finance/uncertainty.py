"""Uncertain inputs: a distribution per input, checked on the way in, sampled in bulk.

A distribution is written as a mapping, in a parameter file or a user's scenario file:

    {distribution: triangular, low: 0.05, mode: 0.2, high: 0.4}
    {distribution: uniform, low: 1, high: 6}
    {distribution: fixed, value: 0.0}            # or just the number
    {distribution: choice, options: {linear: 0.6, step: 0.4}, central: linear}

Every draw array starts with the *central* value (run 0: the mode, midpoint, fixed value or
named central option), then ``n`` random draws from a numpy Generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from icsatlas import yamlio

KINDS = ("fixed", "triangular", "uniform", "choice")


@dataclass(frozen=True)
class Bounds:
    """Values an input can physically take (e.g. a share lies in [0, 1])."""

    low: float | None = 0.0
    high: float | None = None
    what: str = "a number"

    def problem(self, value: float) -> str | None:
        if self.low is not None and value < self.low:
            return f"{self.what} must be {self.low:g} or more, got {value:g}"
        if self.high is not None and value > self.high:
            return f"{self.what} must be at most {self.high:g}, got {value:g}"
        return None


SHARE = Bounds(0.0, 1.0, "a share (0-1)")
NON_NEGATIVE = Bounds(0.0, None, "this value")


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
            draws = rng.uniform(self.low, self.high, size=n)
        else:
            draws = rng.triangular(self.low, self.mode, self.high, size=n)
        return np.concatenate([[float(self.central)], draws])

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
    raw: Any,
    located: yamlio.Located,
    path: yamlio.Path_,
    bounds: Bounds = NON_NEGATIVE,
    choices: tuple[str, ...] = (),
) -> Distribution:
    """A distribution from YAML, with every problem located (file:line: field: message)."""
    if isinstance(raw, bool) or (not isinstance(raw, (int, float, dict))):
        raise located.error(path, "expected a number or a mapping with 'distribution'")
    if isinstance(raw, (int, float)):
        raw = {"distribution": "fixed", "value": raw}
    kind = raw.get("distribution")
    if kind not in KINDS:
        raise located.error(
            (*path, "distribution"), f"distribution must be one of {', '.join(KINDS)}, got {kind!r}"
        )
    allowed = {
        "fixed": {"value"},
        "uniform": {"low", "high"},
        "triangular": {"low", "mode", "high"},
        "choice": {"options", "central"},
    }[kind]
    for key in raw:
        if key != "distribution" and key not in allowed:
            raise located.error((*path, key), f"unexpected key {key!r} for a {kind} distribution")
    if kind == "choice":
        return _parse_choice(raw, located, path, choices)
    if choices:
        raise located.error(path, f"this input takes a choice of {', '.join(choices)}")
    numbers = {key: _number(raw, key, located, path, bounds) for key in sorted(allowed)}
    if kind == "fixed":
        return Distribution("fixed", mode=numbers["value"])
    low, high = numbers["low"], numbers["high"]
    if low > high:
        raise located.error((*path, "low"), f"low ({low:g}) is above high ({high:g})")
    if kind == "uniform":
        return Distribution("uniform", low=low, high=high)
    mode = numbers["mode"]
    if not low <= mode <= high:
        raise located.error(
            (*path, "mode"), f"mode ({mode:g}) must lie between low ({low:g}) and high ({high:g})"
        )
    return Distribution("triangular", low=low, mode=mode, high=high)


def _number(
    raw: dict, key: str, located: yamlio.Located, path: yamlio.Path_, bounds: Bounds
) -> float:
    if key not in raw:
        raise located.error(path, f"missing {key!r}")
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise located.error((*path, key), f"expected a number, got {value!r}")
    problem = bounds.problem(float(value))
    if problem:
        raise located.error((*path, key), problem)
    return float(value)


def _parse_choice(
    raw: dict, located: yamlio.Located, path: yamlio.Path_, choices: tuple[str, ...]
) -> Distribution:
    if not choices:
        raise located.error(path, "this input is a number, not a choice")
    options = raw.get("options")
    if not isinstance(options, dict) or not options:
        raise located.error((*path, "options"), "options must map names to probabilities")
    for name, probability in options.items():
        if name not in choices:
            raise located.error(
                (*path, "options", name), f"unknown option {name!r}: use {', '.join(choices)}"
            )
        problem = (
            SHARE.problem(float(probability))
            if isinstance(probability, (int, float))
            else "expected a probability"
        )
        if problem:
            raise located.error(
                (*path, "options", name), problem.replace("a share", "a probability")
            )
    total = sum(float(p) for p in options.values())
    if abs(total - 1) > 1e-6:
        raise located.error(
            (*path, "options"), f"probabilities must add up to 100%, got {total:.1%}"
        )
    central = raw.get("central", max(options, key=options.get))
    if central not in options:
        raise located.error(
            (*path, "central"), f"central must be one of the options, got {central!r}"
        )
    return Distribution(
        "choice", options={k: float(v) for k, v in options.items()}, central_option=central
    )
