"""SPC over many KPI series: the vectorised engine against the per-point port.

    python bench/contracts.py --series 10000 --points 60

Prints each figure beside a baseline measured in the same run (machines are shared).
The baseline is the per-point Python port of NHSRplotthedots
(:mod:`icsatlas.contracts.spc.reference`), timed on a sample and scaled to the full run;
both give identical rule codes on the sample, which the benchmark checks.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from icsatlas.contracts.spc import analyse, engine, reference, rule_set
from icsatlas.parameters import ParameterSet


def make_series(series: int, points: int, seed: int = 7) -> np.ndarray:
    """Random KPI-like series: noise, some shifts and trends, so every rule fires."""
    rng = np.random.default_rng(seed)
    y = rng.normal(100, 5, size=(series, points))
    shifted = rng.random(series) < 0.3
    y[shifted, points // 2 :] += 8
    trending = rng.random(series) < 0.2
    y[trending, -8:] += np.arange(8) * 4
    return np.round(y, 1)


def run_engine(y: np.ndarray, rules) -> tuple[np.ndarray, float]:
    segment = np.repeat(np.arange(y.shape[0]), y.shape[1])
    start = time.perf_counter()
    result = engine.classify(y.ravel(), segment, rules)
    return result.rule, time.perf_counter() - start


def run_analyse(y: np.ndarray, rules) -> float:
    """The whole table pipeline: points with limits, labels and point types, icons."""
    series, points = y.shape
    frame = pd.DataFrame(
        {
            "series": np.repeat(np.arange(series), points).astype(str),
            "date": np.tile(pd.date_range("2020-01-01", periods=points, freq="MS"), series),
            "value": y.ravel(),
        }
    )
    start = time.perf_counter()
    analyse(frame, rules)
    return time.perf_counter() - start


def run_reference(y: np.ndarray, rules) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    codes = [code for row in y for code, _ in reference.special_cause(row.tolist(), rules)[0]]
    return np.array(codes), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--sample", type=int, default=500, help="series timed for the baseline")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rules = rule_set(ParameterSet.shipped())
    y = make_series(args.series, args.points)

    run_engine(y[:10], rules)  # warm-up
    best = min(run_engine(y, rules)[1] for _ in range(args.repeat))
    table = min(run_analyse(y, rules) for _ in range(2))
    sample = y[: args.sample]
    codes, seconds = run_reference(sample, rules)
    assert np.array_equal(codes, run_engine(sample, rules)[0]), "engine and port disagree"
    baseline = seconds * args.series / len(sample)

    total = args.series * args.points
    print(
        f"SPC, {args.series:,} series x {args.points} points ({total:,} points), rules {rules.id}"
    )
    print(f"vectorised engine (numpy)        {best:8.3f} s   {total / best:12,.0f} points/s")
    print(f"analyse() with tables and icons  {table:8.3f} s   {total / table:12,.0f} points/s")
    print(
        f"per-point Python port (baseline) {baseline:8.3f} s   {total / baseline:12,.0f} points/s"
        f"   (timed on {len(sample)} series, scaled)"
    )
    print(f"speed-up: engine {baseline / best:.1f} x, analyse() {baseline / table:.1f} x")
    print(
        f"target <= 1 s: engine {'met' if best <= 1 else 'NOT met'}, "
        f"analyse() {'met' if table <= 1 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
