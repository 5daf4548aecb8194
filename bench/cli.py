"""What a user waits for: whole `icsatlas` commands, each beside the bare interpreter.

Every command runs as a fresh process (as a user runs it) on a workspace built once before
timing, after one warm-up run (so the register snapshot exists). The baseline is the same
Python starting and exiting (`python -c pass`), measured interleaved in the same run, because
this machine is shared and noisy: only same-run figures compare. Targets (issue "One atlas
underneath"): `--help` <= 0.3 s, `who` and `areas` <= 0.5 s warm.

    python bench/cli.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "icsatlas --help": ["--help"],
    'icsatlas who "GP IT" --area QWO': ["who", "GP IT", "--area", "QWO", "--on", "2026-06-01"],
    'icsatlas who "GP IT" --area Leeds': ["who", "GP IT", "--area", "Leeds", "--on", "2026-06-01"],
    "icsatlas areas": ["areas", "--on", "2026-06-01"],
    "icsatlas where B86002": ["where", "B86002", "--on", "2026-06-01"],
    "icsatlas who ... --reform blueprint-2025": [
        "who",
        "workforce planning",
        "--area",
        "QYG",
        "--on",
        "2026-06-01",
        "--reform",
        "blueprint-2025",
    ],
}
TARGETS = {"icsatlas --help": 0.3}
DEFAULT_TARGET = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ICSATLAS_HOME": home}
        env.pop("ICSATLAS_DATABASE_URL", None)
        icsatlas = [sys.executable, "-c", "from icsatlas.cli import main; main()"]
        _run([*icsatlas, "build"], env)
        for args in COMMANDS.values():
            _run([*icsatlas, *args], env)  # warm-up: snapshots, stamps, what-if caches
        baseline, timings = [], {name: [] for name in COMMANDS}
        for _ in range(runs):
            baseline.append(_time([sys.executable, "-c", "pass"], env))
            for name, args in COMMANDS.items():
                timings[name].append(_time([*icsatlas, *args], env))
    base = statistics.median(baseline)
    print(f"{'command':44} {'median':>8} {'min':>7} {'max':>7} {'- python':>9}  target")
    print(f"{'python -c pass (baseline)':44} {base:8.3f} {min(baseline):7.3f} {max(baseline):7.3f}")
    for name, values in timings.items():
        median = statistics.median(values)
        target = TARGETS.get(name, DEFAULT_TARGET)
        verdict = "ok" if median <= target else "OVER"
        print(
            f"{name:44} {median:8.3f} {min(values):7.3f} {max(values):7.3f} "
            f"{median - base:9.3f}  <= {target} s {verdict}"
        )
    print(f"\n{runs} runs each, seconds, fresh processes; Python {sys.version.split()[0]}")


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    _run(command, env)
    return time.perf_counter() - start


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, cwd=Path(__file__).parent)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")


if __name__ == "__main__":
    main()
