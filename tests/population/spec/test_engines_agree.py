"""The whole pipeline gives identical results on DuckDB and Spark.

Counts and integer sums must be equal; the two floating-point sums (expected admissions and
summed risk) add the same per-person values in a different order, so they must agree to
1e-9 relative."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population.pipeline import DIMENSIONS
from icsatlas.population.summary import Options, summarise

PARAMS = ParameterSet.shipped()

BREAKDOWNS = [
    (),
    ("segment",),
    ("age_band", "sex"),
    ("core20", "frailty"),
    ("risk_band", "imd_decile"),
]


def _run(population, engine: str, level: str, on: date) -> pd.DataFrame:
    summary = summarise(
        population, level, BREAKDOWNS, params=PARAMS, options=Options(on=on, engine=engine)
    )
    keys = ["breakdown", "area_code", *(d for d in DIMENSIONS if d in summary.frame.columns)]
    text = summary.frame[keys].astype(object).fillna("").astype(str)
    order = sorted(range(len(text)), key=lambda i: tuple(text.iloc[i]))
    return summary.frame.iloc[order].reset_index(drop=True)


@pytest.mark.spark
@pytest.mark.parametrize(
    ("level", "on"), [("sub-icb", date(2026, 8, 1)), ("pcn", date(2025, 6, 1))]
)
def test_duckdb_and_spark_agree(small, level, on):
    duck, spark = _run(small, "duckdb", level, on), _run(small, "spark", level, on)
    assert list(duck.columns) == list(spark.columns)
    assert len(duck) == len(spark) > 50
    floats = [c for c in duck.columns if c.endswith("_sum")]
    exact = [c for c in duck.columns if c not in floats]
    pd.testing.assert_frame_equal(duck[exact], spark[exact], check_dtype=False)
    np.testing.assert_allclose(duck[floats], spark[floats], rtol=1e-9)
