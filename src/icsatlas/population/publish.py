"""The population layer's one publishing boundary: nothing leaves it unprotected.

Domain code (:func:`icsatlas.population.summary.summarise` and the modules that shape its
output) works on raw totals and never returns them. A public function builds a
:class:`Table`: raw totals go in through :meth:`Table.count`, which applies disclosure
control; every rate, share, per-1,000 figure, mean and index is then derived *from the
published columns only* - :meth:`Table.ratio` and friends take column names, not numbers -
so no derived figure can carry more than the published counts it came from. This is
ehrQL's design (``measures/disclosure_control.py``: the ratio of a measure is recomputed
from the rounded numerator and denominator), applied to every figure.

The rule (OpenSAFELY's, as in ehrQL's measures; parameters ``population.disclosure.*``):

1. a total from 1 to 7 is suppressed (null); 0 is shown. Nulls, unlike ehrQL's zeros, let
   a reader tell "none" from "too few to show";
2. every other total is rounded to the nearest 5 (halves up);
3. a derived figure is null when any of its inputs is null, or a denominator is 0.

"Totals" are counts of people or events and the additive model totals that are sums over
people - expected unplanned admissions and Cambridge Multimorbidity Score points - which
are published like counts (a small total of score points would reveal that few people have
a condition). So a mean over people is a ratio of two published totals, like any rate: no
figure is computed from raw values, and none needs an argument that it is safe.

Each published frame records what each column is in ``frame.attrs["published"]`` (counts,
and the inputs of every derived column), so tests - and a reader - can check that every
derived figure is a function of published columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from icsatlas.parameters import ParameterSet

ROLES = "published"


@dataclass(frozen=True)
class Rule:
    """Suppress totals of 1 to ``threshold``, round the rest to the nearest ``base``."""

    threshold: int
    base: int

    @classmethod
    def of(cls, params: ParameterSet) -> Rule:
        """The rule in force now: an output is published today, whatever date it describes
        (so a profile of the 2022 geography is protected by today's rule)."""
        return cls(
            int(params.value("population.disclosure.suppress_at_or_below")),
            int(params.value("population.disclosure.rounding_base")),
        )

    def describe(self) -> str:
        return (
            f"Disclosure control: totals of 1-{self.threshold} suppressed (shown empty), others "
            f"rounded to the nearest {self.base}; every rate, mean and index from the rounded "
            "totals."
        )


def count(values: pd.Series | np.ndarray | list, rule: Rule) -> pd.Series:
    """Suppressed and rounded totals (nullable integers). A model total that is not a
    whole number is suppressed below ``threshold + 1`` (7.4 would round to 5)."""
    raw = pd.Series(values, dtype="Float64")
    rounded = (np.floor(raw / rule.base + 0.5) * rule.base).astype("Int64")
    return rounded.mask((raw > 0) & (raw < rule.threshold + 1))


def ratio(numerator: pd.Series, denominator: pd.Series, scale: float, digits: int) -> pd.Series:
    """``scale`` x numerator / denominator of published figures, rounded to ``digits``; null
    if either is null or the denominator is 0."""
    top = pd.Series(numerator, dtype="Float64")
    bottom = pd.Series(denominator, dtype="Float64")
    return (scale * top / bottom.where(bottom != 0)).round(digits).astype("Float64")


class Table:
    """A frame being published: labels, then totals (protected on the way in), then figures
    derived from the published columns."""

    def __init__(self, labels: pd.DataFrame, rule: Rule) -> None:
        self._frame = labels.reset_index(drop=True).copy()
        self.rule = rule
        self._roles: dict[str, Any] = {"counts": [], "derived": {}}

    def count(self, name: str, raw: pd.Series | np.ndarray | list) -> Table:
        """Publish raw totals as column ``name``."""
        published = count(np.asarray(raw, dtype=float), self.rule)
        self._frame[name] = published.set_axis(self._frame.index)  # stays nullable integer
        self._roles["counts"].append(name)
        return self

    def ratio(
        self, name: str, numerator: str, denominator: str, *, scale: float = 1.0, digits: int = 3
    ) -> Table:
        """``scale`` x ``numerator`` / ``denominator`` (published columns)."""
        self._frame[name] = ratio(
            self._published(numerator), self._published(denominator), scale, digits
        ).to_numpy()
        return self._derived(name, "ratio", [numerator, denominator], scale=scale, digits=digits)

    def index(
        self,
        name: str,
        numerator: str,
        denominator: str,
        comparator: tuple[Any, Any],
        *,
        digits: int = 4,
    ) -> Table:
        """(``numerator`` / ``denominator``) over the comparator's (published totals)."""
        if not all(self._is_published(c) for c in comparator):
            raise ValueError(f"the comparator of {name!r} must be published totals: {comparator}")
        own = ratio(self._published(numerator), self._published(denominator), 1.0, 15)
        base = _scalar_ratio(*comparator)
        value = own / base if base else pd.Series(pd.NA, index=own.index, dtype="Float64")
        self._frame[name] = value.round(digits).astype("Float64").to_numpy()
        return self._derived(
            name,
            "index",
            [numerator, denominator],
            comparator=[_plain(c) for c in comparator],
            digits=digits,
        )

    def weighted(self, name: str, weights: Mapping[str, float], *, digits: int = 4) -> Table:
        """Sum of published columns times ``weights`` (normalised to sum to 1)."""
        total = sum(float(w) for w in weights.values())
        shares = {column: float(w) / total for column, w in weights.items()}
        value = sum(share * self._published(c).astype("Float64") for c, share in shares.items())
        self._frame[name] = pd.Series(value, dtype="Float64").round(digits).to_numpy()
        return self._derived(name, "weighted", list(shares), weights=shares, digits=digits)

    def quotient(self, name: str, numerator: str, denominator: str, *, digits: int = 4) -> Table:
        """``numerator`` / ``denominator`` of two published figures (e.g. two indices)."""
        return self.ratio(name, numerator, denominator, scale=1.0, digits=digits)

    def difference(self, name: str, first: str, second: str, *, digits: int = 4) -> Table:
        """``first`` - ``second`` of two published figures."""
        value = self._published(first).astype("Float64") - self._published(second)
        self._frame[name] = value.astype("Float64").round(digits).to_numpy()
        return self._derived(name, "difference", [first, second], digits=digits)

    def standardised(
        self,
        name: str,
        counts: pd.DataFrame,
        people: pd.Series,
        standard: pd.Series,
        strata: pd.Series,
        *,
        scale: float = 100.0,
        digits: int = 3,
    ) -> Table:
        """Directly standardised rate of each row from *published* cells: ``counts`` (raw,
        one row per output row, one column per cell), ``people`` (raw, per cell),
        ``standard`` (the standard population per cell) and ``strata`` (e.g. sex, per cell;
        cells in age order within each). Within a stratum, a cell whose cases or people
        would be suppressed is merged with the next older one (the last with the one
        before) until every cell has 0 or more than ``threshold`` of each, as small areas'
        age bands are pooled in public health statistics; each merged cell's published
        rate then applies to its bands' standard population. A stratum too small to
        publish at all gives no rate. Only the merged totals, each published, enter the
        rate; which bands were merged says no more than suppressed cells would."""
        values = [
            _standardised(
                raw, people.to_numpy(float), standard.to_numpy(float), strata.to_numpy(), self.rule
            )
            for raw in counts.to_numpy(dtype=float)
        ]
        self._frame[name] = pd.Series(
            [None if v is None else round(scale * v, digits) for v in values], dtype="Float64"
        ).to_numpy()
        return self._derived(
            name, "standardised", [], cells=list(map(str, counts.columns)), digits=digits
        )

    def figure(self, name: str, values: pd.Series | np.ndarray | list, *, source: str) -> Table:
        """A figure published elsewhere - by another published table, or by its own source
        (e.g. NHS England's need index) - shown as it is; ``source`` says where."""
        self._frame[name] = pd.Series(values, dtype="Float64").to_numpy()
        return self._derived(name, "published elsewhere", [], source=source)

    def drop(self, *names: str) -> Table:
        """Remove helper columns from the output (their roles stay recorded)."""
        self._frame = self._frame.drop(columns=list(names))
        return self

    @property
    def frame(self) -> pd.DataFrame:
        out = self._frame.copy()
        out.attrs[ROLES] = {
            "rule": {"threshold": self.rule.threshold, "base": self.rule.base},
            "counts": list(self._roles["counts"]),
            "derived": dict(self._roles["derived"]),
        }
        return out

    def _is_published(self, value: Any) -> bool:
        if value is None or pd.isna(value):
            return True
        return float(value) % self.rule.base == 0 and not 0 < float(value) <= self.rule.threshold

    def _published(self, column: str) -> pd.Series:
        if column not in self._roles["counts"] and column not in self._roles["derived"]:
            raise ValueError(f"{column!r} is not a published column")
        return self._frame[column]

    def _derived(self, name: str, kind: str, inputs: list[str], **detail: Any) -> Table:
        self._roles["derived"][name] = {"kind": kind, "inputs": inputs, **detail}
        return self


def attach(
    frame: pd.DataFrame, rule: Rule, *, counts: list[str], derived: dict[str, Any]
) -> pd.DataFrame:
    """Record the roles of a frame built row by row from :func:`published_value` and
    :func:`ratio_value` (for tables whose rows differ in kind)."""
    frame.attrs[ROLES] = {
        "rule": {"threshold": rule.threshold, "base": rule.base},
        "counts": counts,
        "derived": derived,
    }
    return frame


def roles(frame: pd.DataFrame) -> dict[str, Any]:
    """What each column of a published frame is (see the module docstring)."""
    return frame.attrs[ROLES]


def published_value(raw: float, rule: Rule) -> int | None:
    """One raw total, published."""
    value = count([raw], rule).iloc[0]
    return None if pd.isna(value) else int(value)


def ratio_value(numerator: Any, denominator: Any, scale: float, digits: int) -> float | None:
    """One ratio of published figures (None if either is None or the denominator is 0)."""
    value = _scalar_ratio(numerator, denominator)
    return None if value is None else round(scale * value, digits)


def _standardised(
    cases: np.ndarray, people: np.ndarray, standard: np.ndarray, strata: np.ndarray, rule: Rule
) -> float | None:
    merged: list[list[float]] = []  # [cases, people, standard] of each published cell
    for stratum in dict.fromkeys(strata):
        cells = _merged_cells(
            cases[strata == stratum],
            people[strata == stratum],
            standard[strata == stratum],
            rule.threshold,
        )
        if cells is None:
            return None
        merged += cells
    if not merged:
        return None
    top = count([c for c, _, _ in merged], rule).to_numpy(dtype=float)
    bottom = count([p for _, p, _ in merged], rule).to_numpy(dtype=float)
    weights = np.array([w for _, _, w in merged])
    return float((top / bottom * weights).sum() / weights.sum())


def _merged_cells(
    cases: np.ndarray, people: np.ndarray, standard: np.ndarray, threshold: int
) -> list[list[float]] | None:
    """Adjacent cells pooled until each has 0 or more than ``threshold`` cases and more
    than ``threshold`` people (empty cells are left out); None if nothing can be shown."""
    closed: list[list[float]] = []
    current = [0.0, 0.0, 0.0]
    for cell in zip(cases, people, standard, strict=True):
        if cell[1] == 0 and current[1] == 0:
            continue
        current = [a + b for a, b in zip(current, cell, strict=True)]
        if current[1] > threshold and (current[0] == 0 or current[0] > threshold):
            closed.append(current)
            current = [0.0, 0.0, 0.0]
    if current[1] > 0:
        if not closed:
            return None
        closed[-1] = [a + b for a, b in zip(closed[-1], current, strict=True)]
    return closed


def _scalar_ratio(numerator: Any, denominator: Any) -> float | None:
    if numerator is None or denominator is None or pd.isna(numerator) or pd.isna(denominator):
        return None
    if float(denominator) == 0:
        return None
    return float(numerator) / float(denominator)


def _plain(value: Any) -> Any:
    return None if value is None or pd.isna(value) else float(value)
