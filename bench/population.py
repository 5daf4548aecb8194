"""Benchmark: the synthetic population of England and the population health pipeline.

    python bench/population.py                  # all of England (63 million people)
    python bench/population.py --fraction 0.1   # a quicker look
    python bench/population.py --reuse          # skip generation if the population exists

Measures, in one run and on one machine:

1. generating the population (wall time, and peak resident memory of the generator's whole
   process tree, sampled every 0.1 s);
2. the same segmentation + scoring + aggregation three ways, checked to give identical
   results, and printed as ratios: icsatlas's pipeline on DuckDB, one hand-written DuckDB
   SQL query, and a straightforward vectorised pandas implementation.

The work: for every person, Cambridge Multimorbidity Score, eFI category, Bridges to Health
segment and unplanned-admission risk; then, per ICB (August 2026 geography), totals, by
segment, and by segment x age band x sex: people, summed Cambridge score, people with 2+
long-term conditions, moderate and severe frailty, high and very high risk, admitted in the
last 12 months, expected admissions. Targets (issue 3): pipeline <= 10 s on 2 cores, >= 10x
faster than pandas, within 2x of the hand-written SQL; generation <= 60 s within 4 GiB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ON = date(2026, 8, 1)
BREAKDOWNS = [(), ("segment",), ("segment", "age_band", "sex")]
MEASURES = (
    "people",
    "cms_x100",
    "multimorbid",
    "frailty_moderate",
    "frailty_severe",
    "risk_high",
    "risk_very_high",
    "admitted_12m",
    "expected_admissions_sum",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="reuse a generated population")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    home = args.out / "home"
    os.environ["ICSATLAS_HOME"] = str(home)
    name = f"bench-{round(args.fraction * 1000):04d}"  # per mille of England

    from icsatlas.population import dataset

    if not (args.reuse and (dataset.root() / name / dataset.MANIFEST).exists()):
        seconds, peak = generate(name, args.fraction, args.jobs)
        rows = dataset.open_dataset(name).rows
        print(
            f"generation            {seconds:8.1f} s   {rows:,} people, "
            f"{rows / seconds / 1e6:.2f} M/s"
        )
        print(f"generation peak RSS   {peak / 2**30:8.2f} GiB (whole process tree)")
    population = dataset.open_dataset(name)
    print(f"population            {population.rows:,} people ({population.path})")
    run_pipelines(population, skip_pandas=args.skip_pandas)


def generate(name: str, fraction: float, jobs: int) -> tuple[float, int]:
    """Generate in a child process; return wall time and peak RSS of its process tree."""
    code = (
        "from icsatlas.parameters import ParameterSet;"
        "from icsatlas.population import generate as g;"
        f"g.run(g.plan(fraction={fraction}), {name!r}, params=ParameterSet.shipped(),"
        f" replace=True, jobs={jobs})"
    )
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code])
    peak = _watch_memory(child)
    if child.wait() != 0:
        raise SystemExit("generation failed")
    return time.perf_counter() - started, peak.value


class _Peak:
    value = 0


def _watch_memory(child: subprocess.Popen) -> _Peak:
    peak = _Peak()

    def sample() -> None:
        while child.poll() is None:
            peak.value = max(peak.value, _tree_rss(child.pid))
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    child.wait()
    thread.join()
    return peak


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat[1])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1]) * 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += [p for p, parent in parents.items() if parent == pid]
    return total


def run_pipelines(population, skip_pandas: bool) -> None:
    icsatlas, t_ours = best_of(2, lambda: pipeline_icsatlas(population))
    handwritten, t_sql = best_of(2, lambda: pipeline_handwritten_sql(population))
    same(icsatlas, handwritten, "hand-written SQL")
    print(f"pipeline (icsatlas, duckdb) {t_ours:8.2f} s")
    print(
        f"hand-written DuckDB SQL     {t_sql:8.2f} s   "
        f"icsatlas / hand-written = {t_ours / t_sql:.2f}"
    )
    if not skip_pandas:
        started = time.perf_counter()
        frame = pipeline_pandas(population)
        t_pandas = time.perf_counter() - started
        same(icsatlas, frame, "pandas")
        print(
            f"pandas (vectorised)         {t_pandas:8.2f} s   "
            f"pandas / icsatlas = {t_pandas / t_ours:.1f}"
        )
    calibration(population)


def best_of(n: int, work):
    best, result = float("inf"), None
    for _ in range(n):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return result, best


@cache
def geography():
    """The register's geography on ON (the workspace in ``--out``, built on first use)."""
    import icsatlas

    return icsatlas.open().geography(ON)


@cache
def params():
    from icsatlas.parameters import ParameterSet

    return ParameterSet.shipped()


def pipeline_icsatlas(population) -> pd.DataFrame:
    from icsatlas.population.summary import summarise

    summary = summarise(
        population, "icb", BREAKDOWNS, params=params(), geography=geography(), measures=MEASURES
    )
    return tidy(summary.frame)


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """One layout for all three implementations, sorted."""
    out = frame.copy()
    for column in ("segment", "age_band", "sex"):
        if column not in out.columns:
            out[column] = None
    out = out[["area_code", "segment", "age_band", "sex", *MEASURES]]
    out = out.astype({c: "int64" for c in MEASURES if c != "expected_admissions_sum"})
    keys = out[["area_code", "segment", "age_band", "sex"]].astype(object).fillna("").astype(str)
    order = np.lexsort([keys[c].to_numpy() for c in reversed(keys.columns)])
    return out.iloc[order].reset_index(drop=True)


def same(ours: pd.DataFrame, theirs: pd.DataFrame, what: str) -> None:
    exact = [c for c in ours.columns if c != "expected_admissions_sum"]
    left = ours[exact].astype(object).where(ours[exact].notna(), None)
    right = theirs[exact].astype(object).where(theirs[exact].notna(), None)
    if not left.equals(right):
        raise SystemExit(f"{what} disagrees with icsatlas")
    np.testing.assert_allclose(
        ours.expected_admissions_sum, theirs.expected_admissions_sum, rtol=1e-9
    )


def pipeline_handwritten_sql(population) -> pd.DataFrame:
    """The same work as one DuckDB query written by hand for this benchmark (independent of
    icsatlas's SQL builder; only the parameter values are read from icsatlas)."""
    import duckdb

    from icsatlas.population import areas, pipeline

    settings = pipeline.Settings.load(ON, params())
    r, hr, w = settings.risk, settings.hazard_ratios, settings.cms_weights
    high, very_high = settings.risk_bands["high"], settings.risk_bands["very_high"]
    cms = " + ".join(f"CASE WHEN {c} THEN {round(100 * v)} ELSE 0 END" for c, v in w.items())
    ltc = " + ".join(f"CASE WHEN {c} THEN 1 ELSE 0 END" for c in HAND_LTC)
    icbs = areas.level_lookup("icb", geography()).table[["practice_code", "area_code"]]
    con = duckdb.connect()
    con.register("icbs", icbs)
    sql = f"""
    WITH p AS (
      SELECT i.area_code, sex,
             CAST(LEAST(FLOOR(age / 5.0), 18) AS INT) AS age_band,
             CASE WHEN imd_decile <= 2 THEN 1 ELSE 0 END AS core20,
             {cms} AS cms,
             {ltc} AS ltc,
             CASE WHEN frailty_deficits IS NULL THEN -1
                  WHEN frailty_deficits <= 4 THEN 0 WHEN frailty_deficits <= 8 THEN 1
                  WHEN frailty_deficits <= 13 THEN 2 ELSE 3 END AS frailty,
             end_of_life, dementia, heart_failure, copd, chronic_kidney_disease,
             learning_disability, pregnant, frailty_deficits,
             unplanned_admissions_12m AS admissions
      FROM read_parquet('{population.glob}', hive_partitioning = true)
      JOIN icbs i USING (practice_code)
    ),
    s AS (
      SELECT *,
             CASE WHEN end_of_life THEN 0
                  WHEN dementia OR frailty_deficits > 8 THEN 1
                  WHEN heart_failure
                       OR ((copd OR chronic_kidney_disease) AND admissions >= 1) THEN 2
                  WHEN learning_disability THEN 3
                  WHEN ltc >= 1 THEN 4
                  WHEN pregnant THEN 5 ELSE 6 END AS segment,
             EXP({r["intercept"]}E0 + {r["cms"] / 100}E0 * cms
                 + {r["prior_admission"]}E0 * LEAST(admissions, {int(r["prior_admission_cap"])})
                 + {r["core20"]}E0 * core20)
             * CASE frailty WHEN 0 THEN {hr[0]}E0 WHEN 1 THEN {hr[1]}E0
                            WHEN 2 THEN {hr[2]}E0 WHEN 3 THEN {hr[3]}E0 ELSE 1E0 END AS rate
      FROM p
    )
    SELECT area_code, segment, age_band, sex,
           COUNT(*) AS people, SUM(cms) AS cms_x100,
           COUNT_IF(ltc >= 2) AS multimorbid,
           COUNT_IF(frailty = 2) AS frailty_moderate, COUNT_IF(frailty = 3) AS frailty_severe,
           COUNT_IF(1 - EXP(-rate) >= {high}E0 AND 1 - EXP(-rate) < {very_high}E0) AS risk_high,
           COUNT_IF(1 - EXP(-rate) >= {very_high}E0) AS risk_very_high,
           COUNT_IF(admissions >= 1) AS admitted_12m,
           SUM(rate) AS expected_admissions_sum
    FROM s
    GROUP BY GROUPING SETS (
      (area_code), (area_code, segment), (area_code, segment, age_band, sex))
    """
    frame = con.execute(sql).df()
    return tidy(_labels(frame))


# Long-term conditions as the pipeline documents them (the Cambridge score's conditions plus
# peripheral arterial disease and osteoporosis), listed by hand.
HAND_LTC = (
    "atrial_fibrillation",
    "asthma",
    "cancer",
    "coronary_heart_disease",
    "chronic_kidney_disease",
    "copd",
    "dementia",
    "depression",
    "diabetes",
    "epilepsy",
    "heart_failure",
    "hypertension",
    "severe_mental_illness",
    "osteoporosis",
    "peripheral_arterial_disease",
    "rheumatoid_arthritis",
    "stroke_tia",
    "alcohol_problems",
    "hearing_loss",
    "irritable_bowel_syndrome",
    "constipation",
    "painful_condition",
)


def _labels(frame: pd.DataFrame) -> pd.DataFrame:
    from icsatlas.population import pipeline

    out = frame.copy()
    out["segment"] = out.segment.map(
        lambda v: pipeline.SEGMENT_IDS[int(v)] if pd.notna(v) else None
    )
    out["age_band"] = out.age_band.map(
        lambda v: pipeline.age_band_label(int(v)) if pd.notna(v) else None
    )
    return out.fillna({c: 0 for c in MEASURES if c != "expected_admissions_sum"})


def pipeline_pandas(population) -> pd.DataFrame:
    """The same work in a straightforward vectorised pandas implementation."""
    from icsatlas.population import areas, pipeline

    settings = pipeline.Settings.load(ON, params())
    r, hr, w = settings.risk, settings.hazard_ratios, settings.cms_weights
    bands = settings.risk_bands
    needed = sorted(
        {*w, *pipeline.LONG_TERM_CONDITIONS, "practice_code", "age", "sex", "imd_decile"}
        | {"end_of_life", "learning_disability", "pregnant", "frailty_deficits"}
        | {"unplanned_admissions_12m"}
    )
    files = [str(f) for f in population.files]
    df = pd.read_parquet(files, columns=needed, dtype_backend="pyarrow")
    icb = areas.level_lookup("icb", geography()).table.set_index("practice_code").area_code
    out = pd.DataFrame({"area_code": df.practice_code.astype(str).map(icb)})
    flag = {c: df[c].fillna(False).astype(bool).to_numpy() for c in pipeline.LONG_TERM_CONDITIONS}
    for c in ("end_of_life", "learning_disability", "pregnant"):
        flag[c] = df[c].fillna(False).astype(bool).to_numpy()
    cms = sum(round(100 * weight) * flag[c].astype(np.int64) for c, weight in w.items())
    ltc = sum(flag[c].astype(np.int64) for c in pipeline.LONG_TERM_CONDITIONS)
    deficits = df.frailty_deficits.astype("float64").to_numpy()
    frailty = np.select(
        [np.isnan(deficits), deficits <= 4, deficits <= 8, deficits <= 13], [-1, 0, 1, 2], 3
    )
    admissions = df.unplanned_admissions_12m.astype("int64").to_numpy()
    decile = df.imd_decile.astype("float64").to_numpy()
    core20 = (decile <= 2).astype(np.int64)
    segment = np.select(
        [
            flag["end_of_life"],
            flag["dementia"] | (np.nan_to_num(deficits, nan=-1) > 8),
            flag["heart_failure"]
            | ((flag["copd"] | flag["chronic_kidney_disease"]) & (admissions >= 1)),
            flag["learning_disability"],
            ltc >= 1,
            flag["pregnant"],
        ],
        [0, 1, 2, 3, 4, 5],
        6,
    )
    hazard = np.select([frailty == k for k in range(4)], list(hr), 1.0)
    rate = (
        np.exp(
            r["intercept"]
            + r["cms"] / 100 * cms
            + r["prior_admission"] * np.minimum(admissions, r["prior_admission_cap"])
            + r["core20"] * core20
        )
        * hazard
    )
    risk = 1 - np.exp(-rate)
    out["segment"] = pd.Categorical.from_codes(segment, pipeline.SEGMENT_IDS)
    age = df.age.astype("int64").to_numpy()
    labels = [pipeline.age_band_label(i) for i in range(len(pipeline.AGE_BANDS))]
    out["age_band"] = pd.Categorical.from_codes(np.minimum(age // 5, 18), labels)
    out["sex"] = df.sex.astype(str).to_numpy()
    out["people"] = 1
    out["cms_x100"] = cms
    out["multimorbid"] = (ltc >= 2).astype(np.int64)
    out["frailty_moderate"] = (frailty == 2).astype(np.int64)
    out["frailty_severe"] = (frailty == 3).astype(np.int64)
    out["risk_high"] = ((risk >= bands["high"]) & (risk < bands["very_high"])).astype(np.int64)
    out["risk_very_high"] = (risk >= bands["very_high"]).astype(np.int64)
    out["admitted_12m"] = (admissions >= 1).astype(np.int64)
    out["expected_admissions_sum"] = rate
    parts = []
    for keys in (
        ["area_code"],
        ["area_code", "segment"],
        ["area_code", "segment", "age_band", "sex"],
    ):
        grouped = out.groupby(keys, observed=True)[list(MEASURES)].sum().reset_index()
        parts.append(grouped.astype({k: object for k in keys if k != "area_code"}))
    return tidy(pd.concat(parts, ignore_index=True))


def calibration(population) -> None:
    """Calibration-in-the-large of the risk score: expected / observed admissions."""
    from icsatlas.population.summary import rows, summarise

    totals = rows(summarise(population, "country", params=params(), geography=geography()))
    expected = float(totals.expected_admissions_sum.sum())
    observed = float(totals.admissions_12m.sum())
    print(
        f"risk calibration      expected / observed admissions = {expected / observed:.4f} "
        f"(intercept shift to calibrate: {np.log(observed / expected):+.4f})"
    )


if __name__ == "__main__":
    main()
