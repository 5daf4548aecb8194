"""Which inputs move the answer most: rank correlation over the draws, and a tornado.

* Spearman rank correlation between each input's draws and the outcome (ties are rare
  with continuous draws; fixed inputs get 0). Phasing enters by its order from fastest
  (step) to slowest (back-loaded).
* One at a time ("tornado"): every input at its central value except one, set to its 10th
  and then 90th percentile (for phasing: each shape), recording the outcome's swing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from icsatlas.finance.scenario import INPUTS, Scenario


def ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 (ties broken by position: fine for continuous draws)."""
    order = np.argsort(values, kind="stable")
    result = np.empty(len(values))
    result[order] = np.arange(len(values))
    return result


def spearman(inputs: dict[str, np.ndarray], outcome: np.ndarray) -> pd.Series:
    """Rank correlation of each input with the outcome, over the random draws (not run 0)."""
    target = ranks(outcome[1:])
    target -= target.mean()
    scale = np.sqrt((target**2).sum())
    found = {}
    for name, values in inputs.items():
        drawn = values[1:]
        if np.ptp(drawn) == 0:
            found[name] = 0.0
            continue
        ranked = ranks(drawn)
        ranked -= ranked.mean()
        found[name] = float((ranked * target).sum() / (np.sqrt((ranked**2).sum()) * scale))
    return pd.Series(found, name="rank_correlation")


def tornado(
    plan: Scenario,
    outcome_of: Callable[[dict[str, np.ndarray]], np.ndarray],
    low: float = 0.1,
    high: float = 0.9,
) -> pd.DataFrame:
    """Outcome with each input moved alone to its ``low`` and ``high`` quantile."""
    central = {name: _central_value(plan, name) for name in INPUTS}
    rows, cases = [], []
    for name, (_, choices) in INPUTS.items():
        distribution = plan.inputs[name].distribution
        if choices:
            settings = [(option, float(choices.index(option))) for option in distribution.options]
        else:
            settings = [
                (f"p{low * 100:g}", distribution.quantile(low)),
                (f"p{high * 100:g}", distribution.quantile(high)),
            ]
        for label, value in settings:
            cases.append((name, label, value))
    batch = {name: np.full(len(cases) + 1, value) for name, value in central.items()}
    for row, (name, _, value) in enumerate(cases, start=1):
        batch[name][row] = value
    results = outcome_of(batch)
    base = float(results[0])
    for row, (name, label, value) in enumerate(cases, start=1):
        rows.append(
            {"input": name, "setting": label, "value": value, "outcome": float(results[row])}
        )
    frame = pd.DataFrame(rows)
    summary = frame.groupby("input", sort=False).agg(
        low_outcome=("outcome", "min"), high_outcome=("outcome", "max")
    )
    summary["swing"] = summary.high_outcome - summary.low_outcome
    summary["central_outcome"] = base
    return summary.reset_index()


def _central_value(plan: Scenario, name: str) -> float:
    distribution = plan.inputs[name].distribution
    choices = INPUTS[name][1]
    if choices:
        return float(choices.index(distribution.central_option))
    return float(distribution.central)


def ranking(
    plan: Scenario, inputs: dict[str, np.ndarray], outcome: np.ndarray, outcome_of
) -> pd.DataFrame:
    """Both measures side by side, most influential input first (by tornado swing)."""
    table = tornado(plan, outcome_of).set_index("input")
    table["rank_correlation"] = spearman(inputs, outcome)
    table["label"] = [plan.inputs[name].label for name in table.index]
    table["distribution"] = [plan.inputs[name].distribution.describe() for name in table.index]
    table = table.sort_values("swing", ascending=False).reset_index()
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table
