"""Fuzzing ``ws.population.import_extract`` (``population import``) with bad extracts made
from a valid one: the property is in conftest.holds, with the population folder compared
too (and no half-built ``.NAME.*.tmp`` folder left)."""

from __future__ import annotations

from functools import partial

import pyarrow.parquet as pq
from hypothesis import given

from icsatlas.parameters import ParameterSet
from icsatlas.population import generate
from tests.fuzz.conftest import FUZZ, Fingerprint, holds
from tests.fuzz.mutations import csv_files


def _seed(folder) -> str:
    """Four people of a small synthetic population, as an ICB would send them (no
    sub_icb_code: the importer derives it from the practice)."""
    plan = generate.plan(["M2L0M"], fraction=0.001, seed=7)
    made = generate.run(plan, "seed", params=ParameterSet.shipped(), jobs=1, folder=folder)
    frame = pq.read_table(made.dataset.files[0]).to_pandas().drop(columns=["sub_icb_code"])
    return frame.head(4).to_csv(index=False)


def test_population_extract_csv(ws, tmp_path):
    seed = _seed(tmp_path / "seed")
    path = tmp_path / "extract.csv"
    folder = ws.home / "population"
    fingerprint = Fingerprint(ws.store, folder)
    folder.mkdir(parents=True, exist_ok=True)

    @FUZZ
    @given(csv_files(seed))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        load = partial(
            ws.population.import_extract, path, "fuzzed", extract_date="2026-08-01", replace=True
        )
        holds(fingerprint, path, load)

    run()
