"""SPC on KPI series as tables: every point with its limits, rule hits and point type,
and per series the Making Data Count variation and assurance icons.

    >>> rules = rule_set(ParameterSet.shipped(), "mdc-2023")
    >>> result = analyse(frame, rules, improvement="decrease", target=0.95)
    >>> result.points      # one row per point
    >>> result.summary     # one row per series: icons, mean, limits, trial limits

``frame`` has ``date`` and ``value`` columns, and optionally ``series`` to analyse many
series in one vectorised pass. Semantics: NHSRplotthedots (``ptd_spc``), under a rule
set built from the parameters (see :mod:`icsatlas.contracts.spc.rules`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from icsatlas.contracts.spc import engine
from icsatlas.contracts.spc.rules import RuleSet
from icsatlas.errors import InputError

Improvement = Literal["increase", "decrease", "neutral"]
DIRECTIONS: dict[str, int] = {"increase": 1, "decrease": -1, "neutral": 0}

ONE_SERIES = "series"  # the series' name when the frame has no ``series`` column

# indexed by the engine's rule codes (COMMON, OUTSIDE, TREND, TWO_OF_THREE, SHIFT)
RULE_NAMES = np.array(["common_cause", "outside_limits", "trend", "two_of_three", "shift"])


@dataclass(frozen=True)
class SpcResult:
    """Points and per-series summary of one SPC run, with the rule set that made them."""

    points: pd.DataFrame
    summary: pd.DataFrame
    rules: RuleSet
    notes: tuple[str, ...] = field(default=())


def analyse(
    frame: pd.DataFrame,
    rules: RuleSet,
    *,
    improvement: Improvement | Mapping[str, Improvement] = "increase",
    target: float | Mapping[str, float] | None = None,
    rebase: Iterable[date] | Mapping[str, Iterable[date]] = (),
    fix_after: int | None = None,
    screen_outliers: bool | None = None,
) -> SpcResult:
    """Run SPC on one series (``date``, ``value``) or many (plus a ``series`` column)
    under ``rules`` (see :func:`~icsatlas.contracts.spc.rules.rule_set`).

    ``improvement``, ``target`` and ``rebase`` may be given per series as mappings.
    Rebasing starts a new set of limits at each given date; a date that is not the date
    of a point is ignored, with a note (as NHSRplotthedots ignores it). ``screen_outliers``
    overrides the rule set's choice of screening moving-range outliers.
    """
    notes = []
    if screen_outliers is not None and screen_outliers != rules.screen_outliers:
        rules = replace(rules, screen_outliers=screen_outliers)
        notes.append(_screening_note(rules))
    data = _prepare(frame)
    keys = data["series"].drop_duplicates().tolist()
    data["rebase_group"], ignored = _rebase_groups(data, keys, rebase)
    segment = data.groupby(["series", "rebase_group"], sort=False).ngroup().to_numpy()
    result = engine.classify(data["value"].to_numpy(), segment, rules, fix_after=fix_after)
    direction = data["series"].map({k: DIRECTIONS[_per(improvement, k)] for k in keys})
    points = _points(data, result, direction.to_numpy(), rules)
    summary = _summary(points, keys, improvement, target)
    notes = [*_notes(summary, rules), *notes, *ignored]
    return SpcResult(points=points, summary=summary, rules=rules, notes=tuple(notes))


def _screening_note(rules: RuleSet) -> str:
    done = "screened out of" if rules.screen_outliers else "kept in"
    return f"moving-range outliers {done} the limits, unlike the {rules.name} rule set"


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    missing = {"date", "value"} - set(frame.columns)
    if missing:
        raise InputError(
            f"SPC needs columns date and value (missing: {', '.join(sorted(missing))})"
        )
    data = frame.copy()
    if "series" not in data:
        data["series"] = ONE_SERIES
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


def _rebase_groups(data: pd.DataFrame, keys: list[str], rebase) -> tuple[np.ndarray, list[str]]:
    """0 before a series' first rebase date, 1 from it, 2 from the next, ...; and a note
    for each rebase date that is not the date of a point (ignored)."""
    wanted = _rebase_dates(keys, rebase)
    if wanted.empty:
        return np.zeros(len(data), dtype=int), []
    found = wanted.merge(data[["series", "date"]], how="left", indicator=True)
    missing = found[found["_merge"] == "left_only"]
    notes = [_ignored(day, list(group.series), keys) for day, group in missing.groupby("date")]
    marks = pd.MultiIndex.from_frame(data[["series", "date"]]).isin(
        pd.MultiIndex.from_frame(wanted)
    )
    groups = pd.Series(marks.astype(int), index=data.index).groupby(data["series"]).cumsum()
    return groups.to_numpy(), notes


def _rebase_dates(keys: list[str], rebase) -> pd.DataFrame:
    """(series, date) pairs to rebase at; a mapping naming an unknown series is an error
    (as NHSRplotthedots' ``ptd_validate_spc_options``)."""
    if isinstance(rebase, Mapping):
        unknown = sorted(set(map(str, rebase)) - set(keys))
        if unknown:
            raise InputError(f"no series {', '.join(map(repr, unknown))} to rebase", field="rebase")
    pairs = [
        (key, pd.Timestamp(d).date())
        for key in keys
        for d in (_per(rebase, key) if isinstance(rebase, Mapping) else rebase) or ()
    ]
    return pd.DataFrame(pairs, columns=["series", "date"]).drop_duplicates()


def _ignored(day: date, series: list[str], keys: list[str]) -> str:
    if keys == [ONE_SERIES]:
        where = "the series"
    elif len(series) <= 3:
        where = "series " + ", ".join(map(repr, series))
    else:
        where = f"{len(series)} series"
    return f"rebase date {day} ignored: it is not the date of a point in {where}"


def _points(data: pd.DataFrame, result: engine.Classified, direction, rules: RuleSet):
    limits = result.limits
    points = data[["series", "date", "value", "rebase_group"]].reset_index(drop=True)
    points = points.assign(
        mean=limits.mean,
        lpl=limits.lpl,
        upl=limits.upl,
        near_lpl=limits.nlpl,
        near_upl=limits.nupl,
        outside_limits=result.outside_limits,
        trend=result.trend,
        two_of_three=result.two_of_three,
        shift=result.shift,
        rule=pd.Categorical.from_codes(result.rule, RULE_NAMES),
        special_cause_type=_labels(result, rules),
        point_type=_point_types(result.sign, direction),
        trial_limits=result.segment_size < rules.trial_limits_below,
    )
    return points


def _labels(result: engine.Classified, rules: RuleSet) -> pd.Categorical:
    """The texts NHSRplotthedots gives ``special_cause_type`` (run lengths from the rules)."""
    trend, shift = rules.trend_points, rules.shift_points
    texts = np.array(
        [
            "Common Cause",
            "Below LCL",
            "Above UCL",
            f"{trend} Point Trend (Decreasing)",
            f"{trend} Point Trend (Increasing)",
            "2 in 3 Below CL",
            "2 in 3 Above CL",
            f"{shift} Points Below CL",
            f"{shift} Points Above CL",
        ]
    )
    codes = np.where(result.rule == engine.COMMON, 0, result.rule * 2 - 1 + (result.sign > 0))
    return pd.Categorical.from_codes(codes, texts)


POINT_TYPES = np.array(
    [
        "common_cause",
        "special_cause_neutral_high",
        "special_cause_neutral_low",
        "special_cause_improvement",
        "special_cause_concern",
    ]
)


def _point_types(sign: np.ndarray, direction: np.ndarray) -> pd.Categorical:
    """``ptd_point_type``: improvement/concern by direction, or neutral high/low."""
    oriented = sign * direction
    codes = np.select(
        [(direction == 0) & (sign > 0), (direction == 0) & (sign < 0), oriented > 0, oriented < 0],
        [1, 2, 3, 4],
        0,
    )
    return pd.Categorical.from_codes(codes, POINT_TYPES)


def variation_icon(point_type: str, improvement: Improvement) -> str:
    """The Making Data Count variation icon for a series' latest point."""
    return str(_variation_icons(np.array([point_type]), np.array([improvement]))[0])


def _variation_icons(point_type: np.ndarray, improvement: np.ndarray) -> np.ndarray:
    """geom_ptd_icon.R: concern when higher is better is the "low" icon, and so on."""
    up = improvement == "increase"
    return np.select(
        [
            point_type == "special_cause_neutral_high",
            point_type == "special_cause_neutral_low",
            (point_type == "special_cause_improvement") & up,
            point_type == "special_cause_improvement",
            (point_type == "special_cause_concern") & up,
            point_type == "special_cause_concern",
        ],
        [
            "neutral_high",
            "neutral_low",
            "improvement_high",
            "improvement_low",
            "concern_low",
            "concern_high",
        ],
        "common_cause",
    )


def assurance(target: float | None, lpl: float, upl: float, improvement: Improvement) -> str | None:
    """``ptd_calculate_assurance_type`` on the latest limits."""
    return _assurance(np.array([target], dtype=float), lpl, upl, np.array([improvement]))[0]


def _assurance(target: np.ndarray, lpl, upl, improvement: np.ndarray) -> np.ndarray:
    up = improvement == "increase"
    known = ~np.isnan(target) & (improvement != "neutral")
    with np.errstate(invalid="ignore"):
        verdict = np.select(
            [target > upl, target < lpl],
            [
                np.where(up, "consistent_fail", "consistent_pass"),
                np.where(up, "consistent_pass", "consistent_fail"),
            ],
            "inconsistent",
        )
    return np.where(known, verdict.astype(object), np.array(None, dtype=object))


def _summary(points: pd.DataFrame, keys: list[str], improvement, target) -> pd.DataFrame:
    """One row per series, in input order (``ptd_spc`` summary plus the icons)."""
    by_series = points.groupby("series", sort=False)
    last = by_series.tail(1).set_index("series").loc[keys]
    latest = points.groupby(["series", "rebase_group"], sort=False).size()
    direction = np.array([_per(improvement, k) for k in keys], dtype=object)
    goal = np.array([_per(target, k) for k in keys], dtype=float)
    counts = pd.crosstab(points.series, points.point_type).reindex(keys)
    summary_assurance = _assurance(goal, last.lpl.to_numpy(), last.upl.to_numpy(), direction)
    summary = pd.DataFrame(
        {
            "series": keys,
            "n": by_series.size().loc[keys].to_numpy(),
            "from": by_series.date.first().loc[keys].to_numpy(),
            "to": last.date.to_numpy(),
            "latest_value": last.value.to_numpy(),
            "mean": last["mean"].to_numpy(),
            "lpl": last.lpl.to_numpy(),
            "upl": last.upl.to_numpy(),
            "improvement": direction,
            "target": goal,
            "special_cause_improvement": _count(counts, "special_cause_improvement"),
            "special_cause_concern": _count(counts, "special_cause_concern"),
            "latest_point_type": last.point_type.to_numpy(),
            "variation": _variation_icons(last.point_type.to_numpy(), direction),
            "trial_limits": last.trial_limits.to_numpy(),
            "points_in_latest_limits": latest.loc[
                list(zip(keys, last.rebase_group, strict=True))
            ].to_numpy(),
        }
    )
    summary["assurance"] = pd.Series(summary_assurance, dtype=object)
    return summary


def _count(counts: pd.DataFrame, column: str) -> np.ndarray:
    return counts[column].to_numpy() if column in counts else np.zeros(len(counts), dtype=int)


def _notes(summary: pd.DataFrame, rules: RuleSet) -> list[str]:
    notes = [f"rules: {rules.describe()}"]
    trial = summary[summary.trial_limits]
    if len(trial):
        notes.append(
            f"{len(trial)} series ha{'s' if len(trial) == 1 else 've'} fewer than "
            f"{rules.trial_limits_below} points in the latest limits: these are trial limits, "
            "revised with each new point"
        )
    return notes
