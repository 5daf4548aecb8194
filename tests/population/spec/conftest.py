"""The spec suite runs every test on each query engine (DuckDB and Spark local mode), as
ehrQL's spec suite runs on every query engine; one Spark session serves the whole run."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, pipeline, schema
from icsatlas.population.conditions import CONDITIONS
from icsatlas.population.engine import open_engine

PARAMS = ParameterSet.shipped()

ON = date(2026, 8, 1)
PRACTICE = ("A81001", "16C", "QHM")  # a practice, its sub-ICB and ICB (practice map, Aug 2026)


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine_name(request) -> str:
    return request.param


@pytest.fixture
def people(population_home, engine_name):
    """``people(rows)``: the derived columns of hand-made people, one row each, in order."""
    counter = iter(range(10**6))

    def run(rows: list[dict], hierarchy: tuple[str, ...] | None = None) -> pd.DataFrame:
        name = f"spec-{next(counter)}-{engine_name}"
        population = write_population(name, rows)
        params = (
            PARAMS.override({"population.segmentation.hierarchy": list(hierarchy)})
            if hierarchy
            else PARAMS
        )
        settings = pipeline.Settings.load(ON, params)
        engine = open_engine(engine_name)
        try:
            engine.use_population(population)
            return engine.query(pipeline.person_sql(settings) + " ORDER BY person_id")
        finally:
            engine.close()

    return run


def person(**values) -> dict:
    """A person aged 40, female, IMD decile 5, with nothing recorded unless given."""
    row = {c.name: None for c in schema.COLUMNS}
    row.update(
        {
            "practice_code": PRACTICE[0],
            "sub_icb_code": PRACTICE[1],
            "age": 40,
            "sex": "F",
            "imd_decile": 5,
            "pregnant": False,
            "unplanned_admissions_12m": 0,
        }
    )
    for condition in CONDITIONS:
        row[condition.column] = False if condition.from_qof else None
    row.update(values)
    return row


def write_population(name: str, rows: list[dict]) -> dataset.Dataset:
    with dataset.writing(name, replace=True) as directory:
        frame = pd.DataFrame(
            [{**r, "person_id": r.get("person_id", i + 1)} for i, r in enumerate(rows)]
        )
        table = pa.Table.from_pandas(
            frame[schema.names()], schema=schema.arrow_schema(), preserve_index=False
        )
        pq.write_table(table, dataset.partition_dir(directory, PRACTICE[2]) / "part.parquet")
        dataset.write_manifest(
            directory,
            {
                "name": name,
                "kind": "imported",
                "extract_date": ON.isoformat(),
                "rows": len(rows),
                "sub_icbs": [PRACTICE[1]],
            },
        )
    return dataset.open_dataset(name)
