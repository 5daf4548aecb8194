"""Benchmark: the reorganisation-bill Monte Carlo, vectorised vs a plain Python loop.

    python bench/finance.py                      # 100,000 draws over all 42 ICBs of 2025/26
    python bench/finance.py --draws 20000 --loop-draws 200

The vectorised engine runs the full ``--draws``; the plain-loop baseline (the same model
written independently, ``tests/finance/loop_oracle.py``) runs ``--loop-draws`` draws in the
same process and its time is scaled to the full count (it is linear in draws). Both compute
the same national net savings by year; the benchmark checks they agree before printing.
Run it from the repository root (the oracle lives with the tests).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import icsatlas
from icsatlas.finance import bill, blueprint, scenario
from icsatlas.parameters import ParameterSet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.finance.loop_oracle import Oracle  # a test module, not the package

BUDGET_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--loop-draws", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    plan = scenario.default(ParameterSet.shipped()).with_options(draws=args.draws)
    geography = icsatlas.open().geography(plan.geography_day)  # the register's ICBs then
    model = blueprint.build_model(plan, geography)
    icbs = len(model.icb_codes)

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        inputs = blueprint.draw_inputs(plan)
        outcome = blueprint.simulate(model, inputs)
        timings.append(time.perf_counter() - started)
    vectorised = min(timings)

    small = plan.with_options(draws=args.loop_draws)
    small_inputs = blueprint.draw_inputs(small)
    started = time.perf_counter()
    oracle = Oracle(small, model)
    looped = np.array(
        [oracle.national_net_by_year(small_inputs, d) for d in range(args.loop_draws + 1)]
    )
    loop_per_draw = (time.perf_counter() - started) / (args.loop_draws + 1)
    loop_scaled = loop_per_draw * (args.draws + 1)
    agree = np.allclose(outcome.net_by_year[: args.loop_draws + 1], looped, rtol=1e-6, atol=10)

    started = time.perf_counter()
    bill.report(blueprint.Bill(plan, model, inputs, outcome, vectorised, geography))
    reporting = time.perf_counter() - started

    width = 52
    print(f"reorganisation bill: {args.draws:,} draws + run 0 over {icbs} ICBs, {plan.years} years")
    print(f"{'vectorised numpy (draw + simulate, first run)':<{width}} {timings[0]:8.3f} s")
    best = f"vectorised numpy (draw + simulate, best of {args.repeat})"
    loop = f"plain Python loop ({args.loop_draws:,} draws, scaled)"
    print(f"{best:<{width}} {vectorised:8.3f} s")
    print(f"{loop:<{width}} {loop_scaled:8.1f} s   ratio {loop_scaled / vectorised:,.0f}x slower")
    print(f"{'report: percentiles, payback, tornado re-runs':<{width}} {reporting:8.3f} s")
    print(f"results agree on the loop's draws: {'yes' if agree else 'NO'}")
    verdict = "within" if vectorised <= BUDGET_S else "OVER"
    print(
        f"budget {BUDGET_S:.1f} s for the simulation: {verdict} ({vectorised / BUDGET_S:.0%} of it)"
    )
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
