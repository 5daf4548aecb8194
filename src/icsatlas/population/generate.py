"""``icsatlas population generate``: a synthetic population of England calibrated to published
figures, streamed to Parquet one sub-ICB location at a time, in bounded memory.

For each sub-ICB location (August 2026):

1. people by single year of age and sex exactly as registered (scaled by ``fraction`` with
   largest-remainder rounding, so every count stays an exact function of the source);
2. spread over the sub-ICB's practices in proportion to their 2025/26 allocation list sizes
   (no practice-level age/sex is shipped, so practices share their sub-ICB's age mix);
3. an LSOA drawn for each person from the sub-ICB's LSOAs by mid-2015 population in the
   person's age group (0-15, 16-59, 60+), giving IMD decile and Core20;
4. QOF conditions, pregnancy, frailty deficits and unplanned admissions from the model.

Each sub-ICB has its own random stream derived from the seed and its code, so a run restricted
to some ICBs draws exactly the same people for them as a run over all of England.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from icsatlas import __version__
from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, draw, schema, sources
from icsatlas.population.conditions import CONDITIONS, QOF_CONDITIONS
from icsatlas.population.model import Model, build_model, cell_weights
from icsatlas.provenance import Provenance
from icsatlas.store.base import Store

ID_BITS = 40
_SUB_ICB_STRIDE = 1 << 24  # more than the largest sub-ICB location (2.9 million)

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Plan:
    """What one generation run covers."""

    sub_icbs: tuple[str, ...]
    fraction: float
    seed: int


@dataclass(frozen=True)
class Generated:
    dataset: dataset.Dataset
    provenance: Provenance


NATIONAL_ASSUMPTIONS = (
    "Practice age/sex: no practice-level age/sex is shipped; each sub-ICB location's exact "
    "counts are spread over its practices in proportion to 2025/26 allocation list sizes.",
    "Deprivation: each person's LSOA is drawn from their sub-ICB location's LSOAs by mid-2015 "
    "population of their age group (no practice catchments are shipped).",
    "Condition age gradients: diabetes, hypertension and COPD from HSE 2019 / PHE COPD model "
    "bands; the others from an ecological fit across sub-ICB locations (same for both sexes).",
    "Pregnancy: national assumption - England's share of ONS 2023 live births (England and "
    "Wales) x 40/52, spread by NHS England's maternity need-weighted practice population.",
    "Frailty deficits: national assumption - deficits beyond those implied by QOF conditions "
    "drawn to reproduce the national eFI category shares of people aged 65+.",
    "Unplanned admissions: national assumption - 2024/25 England emergency admissions (A&E "
    "collection) spread by Cambridge score, eFI hazard ratios and Core20 (assumed weights).",
    "Ethnicity: null - no local ethnicity source is shipped.",
    "Alcohol problems, hearing loss, IBS, constipation, painful condition: null - no QOF register.",
)


def plan(sub_icbs: Sequence[str] = (), fraction: float = 1.0, seed: int = 42) -> Plan:
    """A run over these sub-ICB locations (ODS codes of 1 August 2026, the geography of the
    figures the population is calibrated to; all of England if none)."""
    if not 0 < fraction <= 1:
        raise InputError("must be more than 0 and at most 1", field="fraction")
    known = list(_tree().sub_icb_ods)
    unknown = sorted(set(sub_icbs) - set(known))
    if unknown:
        raise InputError(
            f"not sub-ICB locations of {sources.EXTRACT_DATE}: {', '.join(unknown)}",
            field="area",
        )
    chosen = tuple(dict.fromkeys(sub_icbs)) if sub_icbs else tuple(known)
    return Plan(chosen, fraction, seed)


def _tree() -> pd.DataFrame:
    from icsatlas.register import geography

    return geography.sub_icb_tree(sources.EXTRACT_DATE)


def run(
    chosen: Plan,
    name: str = dataset.DEFAULT_NAME,
    *,
    params: ParameterSet,
    replace: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    store: Store | None = None,
    folder: Path | None = None,
) -> Generated:
    """Generate, write atomically under ``<folder>/<name>/`` (default
    ``$ICSATLAS_HOME/population``; recorded in
    ``store`` with an audit-log entry, if given), and describe. An existing population of
    that name is refused (unless ``replace``) before any work is done."""
    dataset.check_free(name, replace=replace, folder=folder)
    started = time.perf_counter()
    inputs = _Inputs.build(chosen, params)
    expected = {code: int(inputs.scaled_counts(code).sum()) for code in chosen.sub_icbs}
    rows_by_icb: dict[str, int] = {}
    reason = f"generated synthetic population (fraction {chosen.fraction}, seed {chosen.seed})"
    with dataset.writing(
        name, replace=replace, store=store, reason=reason, folder=folder
    ) as directory:
        for code, rows in _generate_all(inputs, directory, jobs):
            icb = inputs.icb_of[code]
            rows_by_icb[icb] = rows_by_icb.get(icb, 0) + rows
            if progress:
                progress(code, expected[code])
        elapsed = time.perf_counter() - started
        manifest = _manifest(name, chosen, inputs.model, rows_by_icb, elapsed, params)
        dataset.write_manifest(directory, manifest)
    generated = dataset.open_dataset(name, folder)
    return Generated(generated, provenance_of(generated, params))


def expected_rows(chosen: Plan) -> dict[str, int]:
    """Rows each sub-ICB location will get (for progress bars)."""
    counts = sources.count_matrix(sources.registered_counts())
    return {
        code: int(scale_counts(counts[code], chosen.fraction).sum()) for code in chosen.sub_icbs
    }


def scale_counts(counts: np.ndarray, fraction: float) -> np.ndarray:
    """``counts`` x ``fraction`` in whole people: the total is rounded, and cells get their
    floors plus one each for the largest remainders (ties to the earlier cell)."""
    if fraction == 1:
        return counts.copy()
    exact = counts.reshape(-1) * fraction
    floors = np.floor(exact).astype(np.int64)
    short = round(exact.sum()) - int(floors.sum())
    order = np.argsort(-(exact - floors), kind="stable")
    floors[order[:short]] += 1
    return floors.reshape(counts.shape)


def split(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split in proportion to ``weights`` by largest remainders."""
    exact = total * weights / weights.sum()
    floors = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - floors), kind="stable")
    floors[order[: total - int(floors.sum())]] += 1
    return floors


def scramble(sequence: np.ndarray, seed: int) -> np.ndarray:
    """A seed-dependent bijection of [0, 2^40): pseudonymous ids that reveal no order."""
    mask = (1 << ID_BITS) - 1
    multiplier = (0x9E3779B97F4A7C15 ^ (seed * 0x632BE59BD9B4E019)) & mask | 1
    offset = (seed * 0xD1B54A32D192ED03) & mask
    x = (sequence.astype(np.uint64) * np.uint64(multiplier) + np.uint64(offset)) & np.uint64(mask)
    x ^= x >> np.uint64(17)
    return x.astype(np.int64)


@dataclass(frozen=True)
class _Inputs:
    """Everything the workers read: built once in the parent, inherited by forked workers."""

    plan: Plan
    model: Model
    counts: dict[str, np.ndarray]
    practices: pd.DataFrame
    targets: pd.DataFrame  # practice x QOF code prevalence
    sub_icb_prevalence: pd.DataFrame  # sub-ICB x QOF code pooled prevalence
    lsoas: pd.DataFrame
    icb_of: dict[str, str]
    ordinal: dict[str, int]
    pregnancies_per_maternity_weight: float
    mother_age: tuple[float, float]

    @classmethod
    def build(cls, chosen: Plan, params: ParameterSet) -> _Inputs:
        model = build_model(params)
        practices = sources.practices()
        prevalence = sources.qof_prevalence().pivot(
            index="practice_code", columns="group_code", values="prevalence"
        )
        tree = _tree()
        births = params.value("population.national.live_births_england_wales")
        share = params.value("population.national.england_share_of_england_wales_population")
        duration = params.value("population.national.pregnancy_share_of_year")
        mother = params.value("population.national.mother_age")
        pregnancies = births * share * duration
        return cls(
            plan=chosen,
            model=model,
            counts=sources.count_matrix(sources.registered_counts()),
            practices=practices,
            targets=prevalence[[c.qof_code for c in QOF_CONDITIONS]],
            sub_icb_prevalence=sources.qof_sub_icb_prevalence()[
                [c.qof_code for c in QOF_CONDITIONS]
            ],
            lsoas=sources.lsoas(),
            icb_of=dict(zip(tree.sub_icb_ods, tree.icb_ods, strict=True)),
            ordinal={code: i for i, code in enumerate(sorted(tree.sub_icb_ods))},
            pregnancies_per_maternity_weight=pregnancies / practices.maternity_weight.sum(),
            mother_age=(float(mother["mean"]), float(mother["sd"])),
        )

    def scaled_counts(self, code: str) -> np.ndarray:
        return scale_counts(self.counts[code], self.plan.fraction)


_WORKER_INPUTS: _Inputs | None = None


def _generate_all(inputs: _Inputs, directory, jobs: int | None):
    """Yield (sub-ICB code, rows) as each sub-ICB's file is written, largest first."""
    global _WORKER_INPUTS
    order = sorted(inputs.plan.sub_icbs, key=lambda c: -int(inputs.counts[c].sum()))
    for code in order:
        dataset.partition_dir(directory, inputs.icb_of[code])
    workers = max(1, min(jobs or os.cpu_count() or 1, len(order)))
    if workers == 1:
        for code in order:
            yield code, _write_sub_icb(inputs, code, directory)
        return
    _WORKER_INPUTS = inputs
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [pool.submit(_worker, code, directory) for code in order]
            for code, future in zip(order, futures, strict=True):
                yield code, future.result()
    finally:
        _WORKER_INPUTS = None


def _worker(code: str, directory) -> int:
    assert _WORKER_INPUTS is not None
    return _write_sub_icb(_WORKER_INPUTS, code, directory)


def _write_sub_icb(inputs: _Inputs, code: str, directory) -> int:
    table = generate_sub_icb(inputs, code)
    target = dataset.partition_dir(directory, inputs.icb_of[code]) / f"{code}.parquet"
    pq.write_table(table, target, compression="snappy", row_group_size=1 << 20)
    return table.num_rows


def generate_sub_icb(inputs: _Inputs, code: str) -> pa.Table:
    """Every person of one sub-ICB location, as an Arrow table in the population schema."""
    model = inputs.model
    rng = np.random.default_rng([inputs.plan.seed, zlib.crc32(code.encode())])
    counts = inputs.scaled_counts(code)
    sex, age = _people_by_age_sex(counts, rng)
    practices = inputs.practices[inputs.practices.sub_icb_ods == code]
    sizes = split(age.size, practices.weight.to_numpy(dtype=float))
    practice = np.repeat(np.arange(len(practices), dtype=np.int32), sizes)
    lsoa, decile = _places(inputs.lsoas[inputs.lsoas.sub_icb_ods == code], age, rng)
    core20 = (decile <= 2).astype(np.int8)
    latent = rng.integers(0, model.latent.size, age.size, dtype=np.int8)
    people = draw.People(sex, age, core20, latent, model.cell_index(sex, age, core20, latent))
    core_by_age = _core20_share_by_age(counts, age, core20)
    targets = matched_targets(
        inputs.targets.loc[practices.practice_code].to_numpy(dtype=float),
        sizes,
        eligible_share(model, counts),
        inputs.sub_icb_prevalence.loc[code].to_numpy(dtype=float),
    )
    levels = model.levels(cell_weights(model, counts, core_by_age), targets)
    flags = draw.conditions(
        model,
        model.probability_table(levels),
        practice.astype(np.int64) * model.cells + people.cell,
        rng,
    )
    pregnant = _pregnancies(inputs, practices, practice, people, rng)
    deficits = draw.frailty_deficits(model, people, draw.implied_deficits(model, flags), rng)
    admitted = draw.admissions(model, flags, people, deficits, rng)
    sequence = inputs.ordinal[code] * _SUB_ICB_STRIDE + np.arange(age.size, dtype=np.int64)
    return _table(
        ids=scramble(sequence, inputs.plan.seed),
        practice_codes=practices.practice_code.to_numpy(dtype=str),
        practice=practice,
        sub_icb=code,
        lsoa=lsoa,
        people=people,
        decile=decile,
        flags=flags,
        pregnant=pregnant,
        deficits=deficits,
        admissions=admitted,
    )


def eligible_share(model: Model, counts: np.ndarray) -> np.ndarray:
    """(C,) share of the sub-ICB's people old enough for each register."""
    by_age = counts.sum(axis=0)
    return np.array([by_age[m:].sum() for m in model.min_age]) / max(by_age.sum(), 1)


def matched_targets(
    practice: np.ndarray, sizes: np.ndarray, eligible: np.ndarray, pooled: np.ndarray
) -> np.ndarray:
    """Practice prevalences (P, C) shifted by one logit step per condition so that, over the
    practices' people here, they reproduce the sub-ICB's pooled QOF prevalence. Practices
    here share their sub-ICB's age mix, so without this an older practice's high prevalence
    would apply to too few people; the shift keeps every practice's rank and spread."""
    out = practice.copy()
    people = sizes[:, None] * eligible[None, :]
    for c in range(practice.shape[1]):
        has = (practice[:, c] > 0) & (practice[:, c] < 1)
        if not has.any() or not np.isfinite(pooled[c]) or people[:, c].sum() == 0:
            continue
        logit = np.log(practice[has, c] / (1 - practice[has, c]))
        weights = people[has, c]
        fixed = (people[~has, c] * practice[~has, c]).sum()
        target = pooled[c] * people[:, c].sum()
        low, high = -10.0, 10.0
        for _ in range(50):
            shift = (low + high) / 2
            if fixed + (weights / (1 + np.exp(-(logit + shift)))).sum() > target:
                high = shift
            else:
                low = shift
        out[has, c] = 1 / (1 + np.exp(-(logit + shift)))
    return out


def _people_by_age_sex(
    counts: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Exactly ``counts`` (2 x 96) people, in random order."""
    flat = np.repeat(np.arange(counts.size, dtype=np.int32), counts.reshape(-1))
    rng.shuffle(flat)
    sex, age = np.divmod(flat, sources.MAX_AGE + 1)
    return sex.astype(np.int8), age.astype(np.int16)


def _places(lsoas: pd.DataFrame, age: np.ndarray, rng: np.random.Generator):
    """An LSOA for each person, by population of their age group; returns (codes as a
    dictionary array, IMD decile)."""
    index = np.empty(age.size, dtype=np.int32)
    groups = sources.age_group_of(age)
    for g, column in enumerate(sources.AGE_GROUPS):
        weights = lsoas[column].to_numpy(dtype=float)
        members = np.flatnonzero(groups == g)
        cumulative = np.cumsum(weights / weights.sum())
        index[members] = np.minimum(
            np.searchsorted(cumulative, rng.random(members.size), side="right"), len(lsoas) - 1
        )
    codes = pa.DictionaryArray.from_arrays(
        pa.array(index), pa.array(lsoas.lsoa11.to_numpy(dtype=str))
    )
    return codes, lsoas.imd_decile.to_numpy(dtype=np.int8)[index]


def _core20_share_by_age(counts: np.ndarray, age: np.ndarray, core20: np.ndarray) -> np.ndarray:
    """Share in Core20 at each age among the people drawn (falls back to the overall share)."""
    total = np.bincount(age, minlength=sources.MAX_AGE + 1).astype(float)
    core = np.bincount(age, weights=core20, minlength=sources.MAX_AGE + 1)
    overall = core20.mean() if core20.size else 0.0
    return np.where(total > 0, core / np.maximum(total, 1), overall)


def _pregnancies(
    inputs: _Inputs, practices: pd.DataFrame, practice: np.ndarray, people: draw.People, rng
) -> np.ndarray:
    """Pregnant women: each practice's expected number (national pregnancies spread by
    maternity need-weighted population) over its women aged 15-49 by a normal age curve."""
    mean, sd = inputs.mother_age
    expected = (
        practices.maternity_weight.to_numpy(dtype=float)
        * inputs.pregnancies_per_maternity_weight
        * inputs.plan.fraction
    )
    woman = (people.sex == 0) & (people.age >= 15) & (people.age <= 49)
    curve = np.where(woman, np.exp(-0.5 * ((people.age - mean) / sd) ** 2), 0.0)
    per_practice = np.bincount(practice, weights=curve, minlength=len(practices))
    scale = np.divide(expected, per_practice, out=np.zeros_like(expected), where=per_practice > 0)
    probability = np.minimum(curve * scale[practice], 0.95)
    return rng.random(people.age.size) < probability


def _table(**parts) -> pa.Table:
    people: draw.People = parts["people"]
    n = len(people)
    practice = pa.DictionaryArray.from_arrays(
        pa.array(parts["practice"]), pa.array(parts["practice_codes"])
    )
    sub_icb = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(n, dtype=np.int32)), pa.array([parts["sub_icb"]])
    )
    sex = pa.DictionaryArray.from_arrays(
        pa.array(people.sex.astype(np.int32)), pa.array(list(schema.SEXES))
    )
    columns = {
        "person_id": pa.array(parts["ids"]),
        "practice_code": practice,
        "sub_icb_code": sub_icb,
        "lsoa_code": parts["lsoa"],
        "age": pa.array(people.age),
        "sex": sex,
        "imd_decile": pa.array(parts["decile"]),
        "ethnicity": pa.nulls(n, pa.string()),
    }
    by_code = {c.qof_code: i for i, c in enumerate(QOF_CONDITIONS)}
    for condition in CONDITIONS:
        if condition.from_qof:
            columns[condition.column] = pa.array(parts["flags"][by_code[condition.qof_code]])
        else:
            columns[condition.column] = pa.nulls(n, pa.bool_())
    deficits = parts["deficits"]
    columns["pregnant"] = pa.array(parts["pregnant"])
    columns["frailty_deficits"] = pa.array(deficits.astype(np.int8), mask=deficits < 0)
    columns["unplanned_admissions_12m"] = pa.array(parts["admissions"].astype(np.int16))
    return pa.table(columns)


def _manifest(
    name: str,
    chosen: Plan,
    model: Model,
    rows_by_icb: dict[str, int],
    elapsed: float,
    params: ParameterSet,
) -> dict:
    return {
        "name": name,
        "kind": "synthetic",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "generator": f"icsatlas {__version__}",
        "extract_date": sources.EXTRACT_DATE.isoformat(),
        "seed": chosen.seed,
        "fraction": chosen.fraction,
        "sub_icbs": list(chosen.sub_icbs),
        "rows": sum(rows_by_icb.values()),
        "rows_by_icb": dict(sorted(rows_by_icb.items())),
        "elapsed_s": round(elapsed, 2),
        "parameters": params.fingerprint,
        "sources": sources.cited(),
        "assumptions": list(NATIONAL_ASSUMPTIONS),
        "model": {
            "co_occurrence_loading": model.loading,
            "frailty_level": round(model.frailty_level, 6),
            "frailty_loading": model.frailty_loading,
            "admissions_level": round(model.admissions_level, 6),
        },
    }


def provenance_of(population: dataset.Dataset, params: ParameterSet) -> Provenance:
    """What made a stored population: its sources, seed and assumptions (its size published,
    as every count about people is)."""
    manifest = population.manifest
    return Provenance(
        data={**manifest.get("sources", {}), "population": _describe(population, params)},
        parameters=manifest.get("parameters"),
        seed=manifest.get("seed"),
        notes=tuple(manifest.get("assumptions", ())),
    )


def _describe(population: dataset.Dataset, params: ParameterSet) -> str:
    from icsatlas.population import publish

    people = publish.published_value(population.rows, publish.Rule.of(params))
    size = "fewer than 8 people" if people is None else f"about {people:,} people"
    manifest = population.manifest
    if population.kind == "synthetic":
        return (
            f"synthetic population {population.label} ({size}, "
            f"fraction {manifest.get('fraction')}, seed {manifest.get('seed')}, "
            f"as at {population.extract_date})"
        )
    return f"imported extract {population.label} ({size}, as at {population.extract_date})"


def on_date(population: dataset.Dataset) -> date:
    return date.fromisoformat(population.extract_date)
