"""Register benchmarks: building the database from shipped data, and `who` latency.

Each figure is printed beside a baseline measured in the same run, as a ratio (this
machine is shared and noisy, so only same-run ratios are comparable):

* build: `icsatlas build` (shipped data + history reforms, saved with the audit log) vs
  loading the same shipped CSV files into DuckDB tables with `read_csv` and nothing else;
* who: median and p99 over N look-ups of (function, area, date) with the indexed
  in-memory register vs (a) the same question as one SQL query per look-up on the built
  DuckDB store and (b) a linear scan over every assignment.

    python bench/register.py [--lookups 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from icsatlas import data
from icsatlas.register import build, persist, queries
from icsatlas.store import connect

FILES = [
    "sicbl_icb_region_2023",
    "sicbl_aug2026",
    "gp_practice_map_aug2026",
    "gp_registered_patients_age_sex_aug2026",
    "nhs_trusts_etr_nov2023",
    "icb_partner_trusts_2023",
    "icb_partner_local_authorities_2023",
    "utla_current_to_icb_2023_population_shares",
    "lad19_to_icb_2023_population_shares",
    "lsoa11_sicbl_icb_region",
    "imd2019_lsoa11",
    "allocation_weighted_population_practice_2023_24_to_2025_26",
    "icb_allocation_need_indices_2023_24_to_2025_26",
]

SQL_WHO = """
WITH RECURSIVE lineage(area_id, depth) AS (
    SELECT ?, 0
    UNION ALL
    SELECT l.parent_id, lineage.depth + 1 FROM register_area_link l
    JOIN lineage ON l.child_id = lineage.area_id
    WHERE l.retracted_in IS NULL AND (l.valid_from IS NULL OR l.valid_from <= ?)
      AND (l.valid_to IS NULL OR ? < l.valid_to)
)
SELECT a.holder_id FROM register_assignment a JOIN lineage ON a.area_id = lineage.area_id
WHERE a.retracted_in IS NULL AND a.function_id = ?
  AND (a.valid_from IS NULL OR a.valid_from <= ?) AND (a.valid_to IS NULL OR ? < a.valid_to)
  AND lineage.depth = (
    SELECT min(lineage.depth) FROM register_assignment b JOIN lineage ON b.area_id = lineage.area_id
    WHERE b.retracted_in IS NULL AND b.function_id = ?
      AND (b.valid_from IS NULL OR b.valid_from <= ?) AND (b.valid_to IS NULL OR ? < b.valid_to))
"""


def time_build(folder: Path) -> tuple[float, float]:
    started = time.perf_counter()
    with connect(f"duckdb:///{folder / 'build.duckdb'}") as store:
        for _ in build.run(store):
            pass
    built = time.perf_counter() - started
    started = time.perf_counter()
    with connect(f"duckdb:///{folder / 'raw.duckdb'}", upgrade=False) as raw:
        for key in FILES:
            raw.execute(f"CREATE TABLE {key} AS SELECT * FROM read_csv('{data.path(key)}')")
    return built, time.perf_counter() - started


def lookups(register, n: int, seed: int) -> list[tuple[str, object, date]]:
    rng = random.Random(seed)
    functions = sorted(register.functions)
    areas = [a for a in register.areas.values() if a.area_type in ("icb", "sub-icb")]
    found = []
    while len(found) < n:
        area = rng.choice(areas)
        start = area.valid_from or date(2022, 7, 1)
        end = area.valid_to or date(2027, 3, 31)
        day = start + timedelta(days=rng.randrange(max((end - start).days, 1)))
        found.append((rng.choice(functions), area, day))
    return found


def latencies(ask, questions) -> list[float]:
    times = []
    for question in questions:
        started = time.perf_counter()
        ask(*question)
        times.append(time.perf_counter() - started)
    return times


def linear_scan(register):
    assignments = list(register.assignments.values())

    def ask(function_id, area, day):
        for level in [area, *register.ancestors(area.area_id, day)]:
            held = [
                a
                for a in assignments
                if a.function_id == function_id and a.area_id == level.area_id and a.in_force(day)
            ]
            if held:
                return held
        return []

    return ask


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1e6, ordered[int(0.99 * (len(ordered) - 1))] * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        built, raw = time_build(Path(folder))
        print(f"build register (icsatlas build)        {built:7.2f} s")
        print(f"baseline: load the shipped CSVs only   {raw:7.2f} s   ratio {built / raw:5.2f}")
        with connect(f"duckdb:///{folder}/build.duckdb") as store:
            register = persist.load(store)
            questions = lookups(register, args.lookups, args.seed)
            indexed = latencies(lambda f, a, d: queries.who_holds(register, f, a, d), questions)

            def sql(function_id, area, day):
                return store.fetchall(
                    SQL_WHO, (area.area_id, day, day, function_id, day, day, function_id, day, day)
                )

            for question in questions[:200]:  # the baselines answer the same question
                expected = {h.holder.org_id for h in queries.who_holds(register, *question)}
                assert {r[0] for r in sql(*question)} == expected, question
                assert {a.holder_id for a in linear_scan(register)(*question)} == expected
            by_sql = latencies(sql, questions[: max(args.lookups // 10, 100)])
            scanned = latencies(linear_scan(register), questions[: max(args.lookups // 10, 100)])
    median, p99 = summary(indexed)
    print(f"\nwho, {args.lookups:,} look-ups (seed {args.seed}), microseconds")
    print(f"icsatlas (indexed register)  median {median:9.1f}   p99 {p99:9.1f}")
    for label, times in (("baseline: SQL per look-up", by_sql), ("baseline: linear scan", scanned)):
        base_median, base_p99 = summary(times)
        print(
            f"{label:28s} median {base_median:9.1f}   p99 {base_p99:9.1f}   "
            f"ratio (median) {base_median / median:7.1f}x slower ({len(times):,} look-ups)"
        )


if __name__ == "__main__":
    main()
