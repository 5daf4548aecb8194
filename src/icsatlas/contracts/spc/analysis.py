"""SPC on KPI series as tables: every point with its limits, rule hits and point type,
and per series the Making Data Count variation and assurance icons.

    >>> result = analyse(frame, improvement="decrease", target=0.95)
    >>> result.points      # one row per point
    >>> result.summary     # one row per series: icons, mean, limits, trial limits

``frame`` has ``date`` and ``value`` columns, and optionally ``series`` to analyse many
series in one vectorised pass. Semantics: NHSRplotthedots (``ptd_spc``), with the rule
set chosen by name (see :mod:`icsatlas.contracts.spc.rules`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from icsatlas.contracts.spc import engine
from icsatlas.contracts.spc.rules import RuleSet, rule_set
from icsatlas.errors import InputError

Improvement = Literal["increase", "decrease", "neutral"]
DIRECTIONS: dict[str, int] = {"increase": 1, "decrease": -1, "neutral": 0}

RULE_NAMES = {
    engine.COMMON: "common_cause",
    engine.OUTSIDE: "outside_limits",
    engine.TREND: "trend",
    engine.TWO_OF_THREE: "two_of_three",
    engine.SHIFT: "shift",
}


@dataclass(frozen=True)
class SpcResult:
    """Points and per-series summary of one SPC run, with the rule set that made them."""

    points: pd.DataFrame
    summary: pd.DataFrame
    rules: RuleSet
    notes: tuple[str, ...] = field(default=())


def analyse(
    frame: pd.DataFrame,
    *,
    improvement: Improvement | Mapping[str, Improvement] = "increase",
    target: float | Mapping[str, float] | None = None,
    rebase: Iterable[date] | Mapping[str, Iterable[date]] = (),
    fix_after: int | None = None,
    screen_outliers: bool = True,
    rules: str | RuleSet | None = None,
) -> SpcResult:
    """Run SPC on one series (``date``, ``value``) or many (plus a ``series`` column).

    ``improvement``, ``target`` and ``rebase`` may be given per series as mappings.
    Rebasing starts a new set of limits at each given date (which must be a point's date).
    """
    chosen = rule_set(rules)
    data = _prepare(frame)
    keys = data["series"].drop_duplicates().tolist()
    data["rebase_group"] = _rebase_groups(data, keys, rebase)
    segment = data.groupby(["series", "rebase_group"], sort=False).ngroup().to_numpy()
    result = engine.classify(
        data["value"].to_numpy(), segment, chosen,
        screen_outliers=screen_outliers, fix_after=fix_after,
    )  # fmt: skip
    direction = data["series"].map({k: DIRECTIONS[_per(improvement, k)] for k in keys})
    points = _points(data, result, direction.to_numpy(), chosen)
    summary = _summary(points, improvement, target)
    notes = _notes(summary, chosen)
    return SpcResult(points=points, summary=summary, rules=chosen, notes=notes)


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    missing = {"date", "value"} - set(frame.columns)
    if missing:
        raise InputError(
            f"SPC needs columns date and value (missing: {', '.join(sorted(missing))})"
        )
    data = frame.copy()
    if "series" not in data:
        data["series"] = "series"
    data["series"] = data["series"].astype(str)
    data["date"] = pd.to_datetime(data["date"]).dt.date
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype(float)
    bad = data.index[data["value"].isna()]
    if len(bad):
        first = data.loc[bad[0]]
        raise InputError(
            f"series {first['series']!r} has no numeric value on {first['date']}",
            field="value",
        )
    duplicated = data.duplicated(["series", "date"])
    if duplicated.any():
        first = data[duplicated].iloc[0]
        raise InputError(f"series {first['series']!r} has two values on {first['date']}")
    order = pd.Categorical(data["series"], categories=data["series"].drop_duplicates())
    return data.assign(_order=order).sort_values(["_order", "date"]).drop(columns="_order")


def _per(value, key: str):
    return value.get(key) if isinstance(value, Mapping) else value


def _rebase_groups(data: pd.DataFrame, keys: list[str], rebase) -> np.ndarray:
    groups = np.zeros(len(data), dtype=int)
    for key in keys:
        dates = _per(rebase, key) if isinstance(rebase, Mapping) else rebase
        wanted = {pd.Timestamp(d).date() for d in dates or ()}
        rows = np.flatnonzero(data["series"].to_numpy() == key)
        on_date = data["date"].to_numpy()[rows]
        unknown = wanted - set(on_date)
        if unknown:
            raise InputError(
                f"rebase date {min(unknown)} is not a date of series {key!r}", field="rebase"
            )
        groups[rows] = np.cumsum([d in wanted for d in on_date])
    return groups


def _points(data: pd.DataFrame, result: engine.Classified, direction, rules: RuleSet):
    limits = result.limits
    points = data[["series", "date", "value", "rebase_group"]].reset_index(drop=True)
    points = points.assign(
        mean=limits.mean, lpl=limits.lpl, upl=limits.upl,
        near_lpl=limits.nlpl, near_upl=limits.nupl,
        outside_limits=result.outside_limits, trend=result.trend,
        two_of_three=result.two_of_three, shift=result.shift,
        rule=[RULE_NAMES[c] for c in result.rule],
        special_cause_type=_labels(result, rules),
        point_type=_point_types(result.sign, direction),
        trial_limits=result.segment_size < rules.trial_limits_below,
    )  # fmt: skip
    return points


def _labels(result: engine.Classified, rules: RuleSet) -> list[str]:
    """The texts NHSRplotthedots gives ``special_cause_type`` (run lengths from the rules)."""
    up = result.sign > 0
    texts = {
        (engine.OUTSIDE, True): "Above UCL",
        (engine.OUTSIDE, False): "Below LCL",
        (engine.TREND, True): f"{rules.trend_points} Point Trend (Increasing)",
        (engine.TREND, False): f"{rules.trend_points} Point Trend (Decreasing)",
        (engine.TWO_OF_THREE, True): "2 in 3 Above CL",
        (engine.TWO_OF_THREE, False): "2 in 3 Below CL",
        (engine.SHIFT, True): f"{rules.shift_points} Points Above CL",
        (engine.SHIFT, False): f"{rules.shift_points} Points Below CL",
    }
    return [
        texts.get((code, bool(u)), "Common Cause") for code, u in zip(result.rule, up, strict=True)
    ]


def _point_types(sign: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """``ptd_point_type``: improvement/concern by direction, or neutral high/low."""
    oriented = sign * direction
    return np.select(
        [(direction == 0) & (sign > 0), (direction == 0) & (sign < 0), oriented > 0, oriented < 0],
        ["special_cause_neutral_high", "special_cause_neutral_low",
         "special_cause_improvement", "special_cause_concern"],
        "common_cause",
    )  # fmt: skip


def variation_icon(point_type: str, improvement: Improvement) -> str:
    """The Making Data Count variation icon for a series' latest point."""
    if point_type == "common_cause":
        return "common_cause"
    if point_type.startswith("special_cause_neutral_"):
        return "neutral_" + point_type.rsplit("_", 1)[1]
    up = improvement == "increase"
    if point_type == "special_cause_improvement":
        return "improvement_high" if up else "improvement_low"
    return "concern_low" if up else "concern_high"


def assurance(target: float | None, lpl: float, upl: float, improvement: Improvement) -> str | None:
    """``ptd_calculate_assurance_type`` on the latest limits."""
    if target is None or improvement == "neutral" or pd.isna(target):
        return None
    increasing = improvement == "increase"
    if target > upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def _summary(points: pd.DataFrame, improvement, target) -> pd.DataFrame:
    """One row per series, in input order (``ptd_spc`` summary plus the icons)."""
    rows = []
    for key, group in points.groupby("series", sort=False):
        counts = group.point_type.value_counts()
        last = group.iloc[-1]
        latest = group[group.rebase_group == last.rebase_group]
        direction = _per(improvement, key)
        goal = _per(target, key)
        rows.append({
            "series": key, "n": len(group), "from": group.date.iloc[0], "to": last.date,
            "latest_value": last.value, "mean": last["mean"], "lpl": last.lpl, "upl": last.upl,
            "improvement": direction, "target": goal,
            "special_cause_improvement": int(counts.get("special_cause_improvement", 0)),
            "special_cause_concern": int(counts.get("special_cause_concern", 0)),
            "latest_point_type": last.point_type,
            "variation": variation_icon(last.point_type, direction),
            "assurance": assurance(goal, last.lpl, last.upl, direction),
            "trial_limits": bool(last.trial_limits), "points_in_latest_limits": len(latest),
        })  # fmt: skip
    summary = pd.DataFrame(rows)
    summary["assurance"] = pd.Series([r["assurance"] for r in rows], dtype=object)
    return summary


def _notes(summary: pd.DataFrame, rules: RuleSet) -> tuple[str, ...]:
    notes = [f"rules: {rules.label} ({rules.id})"]
    trial = summary[summary.trial_limits]
    if len(trial):
        notes.append(
            f"{len(trial)} series ha{'s' if len(trial) == 1 else 've'} fewer than "
            f"{rules.trial_limits_below} points in the latest limits: these are trial limits, "
            "revised with each new point"
        )
    return tuple(notes)
