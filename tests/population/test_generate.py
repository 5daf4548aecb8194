"""The generator: exact counts, deterministic streams, schema, atomic writes."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, generate, model, schema, sources

PARAMS = ParameterSet.shipped()


def test_scaling_keeps_the_total_and_rounds_each_cell_from_its_exact_share():
    counts = np.array([[10, 3, 7], [1, 0, 9]])
    scaled = generate.scale_counts(counts, 0.5)
    assert scaled.sum() == 15  # 30 x 0.5
    assert np.all(np.abs(scaled - counts * 0.5) < 1)


def test_full_scale_is_the_source_itself():
    counts = np.array([[10, 3], [1, 0]])
    assert np.array_equal(generate.scale_counts(counts, 1.0), counts)


def test_split_by_list_size_is_exact_and_proportional():
    # 250.25, 250.25, 500.5: floors sum to 1000, the one left goes to the largest remainder
    assert generate.split(1001, np.array([1.0, 1.0, 2.0])).tolist() == [250, 250, 501]


def test_pseudonymous_ids_are_a_bijection():
    sequence = np.arange(200_000, dtype=np.int64)
    ids = generate.scramble(sequence, seed=7)
    assert np.unique(ids).size == sequence.size
    assert not np.array_equal(np.sort(ids), sequence)
    assert not np.array_equal(ids, generate.scramble(sequence, seed=8))


def test_every_person_of_the_source_is_generated_once(small):
    table = pq.read_table(small.files[0])
    counts = sources.count_matrix(sources.registered_counts())["M2L0M"]
    expected = generate.scale_counts(counts, 0.01)
    assert table.num_rows == expected.sum() == small.rows
    assert table.column("person_id").to_numpy().size == len(
        set(table.column("person_id").to_pylist())
    )


def test_files_follow_the_schema_partitioned_by_icb(small):
    # M2L0M is in NHS Shropshire, Telford and Wrekin ICB, QOC (sicbl_aug2026.csv)
    assert [f.parent.name for f in small.files] == ["icb_code=QOC"]
    stored = pq.read_schema(small.files[0])
    assert stored.names == schema.names()


def test_ethnicity_and_unregistered_conditions_are_null_not_invented(small):
    table = pq.read_table(small.files[0], columns=["ethnicity", "hearing_loss", "constipation"])
    assert all(table.column(c).null_count == table.num_rows for c in table.column_names)


def test_frailty_deficits_only_from_65(small):
    table = pq.read_table(small.files[0], columns=["age", "frailty_deficits"]).to_pandas()
    assert table.frailty_deficits[table.age < 65].isna().all()
    assert table.frailty_deficits[table.age >= 65].notna().all()


def test_same_seed_same_people_and_an_area_run_matches_the_national_run(population_home, small):
    again = generate.run(
        generate.plan(["M2L0M"], 0.01, seed=7), "again", params=PARAMS, jobs=1
    ).dataset
    first = pq.read_table(small.files[0])
    assert pq.read_table(again.files[0]).equals(first)
    other = generate.run(
        generate.plan(["M2L0M"], 0.01, seed=8), "other", params=PARAMS, jobs=1
    ).dataset
    assert not pq.read_table(other.files[0]).equals(first)


def test_manifest_says_what_made_it(small):
    manifest = small.manifest
    assert manifest["seed"] == 7 and manifest["fraction"] == 0.01
    assert manifest["rows_by_icb"] == {"QOC": small.rows}
    assert "qof_prevalence_practice_2024_25" in manifest["sources"]
    assert any("Ethnicity" in a for a in manifest["assumptions"])


def test_an_existing_population_is_not_overwritten_by_accident(population_home, small):
    """Issue 9, section 5: refused before any work (the model was built first: 6-9 s)."""
    model.build_model.cache_clear()
    with pytest.raises(InputError, match="already exists"):
        generate.run(generate.plan(["M2L0M"], 0.01, seed=7), "small", params=PARAMS, jobs=1)
    assert model.build_model.cache_info().currsize == 0


def test_a_failed_run_leaves_nothing_behind(population_home):
    with pytest.raises(RuntimeError, match="boom"), dataset.writing("broken") as directory:
        (directory / "partial.parquet").write_text("half a file")
        raise RuntimeError("boom")
    assert not (dataset.root() / "broken").exists()
    assert not list(dataset.root().glob(".broken*"))


def test_fraction_must_be_a_share():
    with pytest.raises(InputError, match="fraction"):
        generate.plan(fraction=1.5)


def test_a_plan_is_of_sub_icb_locations_of_the_calibration_geography():
    """Names are read by the workspace's resolver; the generator takes only the sub-ICB
    locations its published figures are for (August 2026: 106 of them)."""
    assert len(generate.plan(fraction=0.5).sub_icbs) == 106  # sicbl_aug2026.csv
    with pytest.raises(InputError, match="not sub-ICB locations of 2026-08-01: QOC"):
        generate.plan(["QOC"])
