"""Where the pipeline's SQL runs: DuckDB in-process (default) or Apache Spark.

Both engines see the same three things - a ``population`` view over the Parquet files,
small lookup tables registered from DataFrames, and the pipeline's portable SQL - and both
return pandas DataFrames, so the pipeline is written once.
"""

from __future__ import annotations

import os
import warnings
from abc import ABC, abstractmethod
from functools import cache

import pandas as pd

from icsatlas.errors import InputError
from icsatlas.population.dataset import Dataset

ENGINES = ("duckdb", "spark")


class Engine(ABC):
    """A SQL engine holding one population and any lookup tables."""

    name: str

    @abstractmethod
    def use_population(self, population: Dataset) -> None:
        """Make ``population`` queryable as the view ``population``."""

    @abstractmethod
    def register(self, name: str, frame: pd.DataFrame) -> None:
        """Make a (small) DataFrame queryable as table ``name``."""

    @abstractmethod
    def query(self, sql: str) -> pd.DataFrame: ...

    @abstractmethod
    def close(self) -> None:
        """Release the engine's resources (Spark sessions are shared and stay up)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        import duckdb

        self.connection = duckdb.connect(":memory:")
        if threads:
            self.connection.execute(f"SET threads = {int(threads)}")

    def use_population(self, population: Dataset) -> None:
        files = population.glob.replace("'", "''")
        self.connection.execute(
            "CREATE OR REPLACE VIEW population AS SELECT * FROM read_parquet("  # noqa: S608 - view/table names from code; the dataset path is quoted
            f"'{files}', hive_partitioning = true, union_by_name = true)"
        )

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.connection.register(f"_{name}_frame", frame)
        self.connection.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _{name}_frame")  # noqa: S608 - view/table names from code; the dataset path is quoted
        self.connection.unregister(f"_{name}_frame")

    def query(self, sql: str) -> pd.DataFrame:
        return self.connection.execute(sql).df()

    def close(self) -> None:
        self.connection.close()


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        self.session = spark_session(master or os.environ.get("ICSATLAS_SPARK_MASTER", "local[2]"))

    def use_population(self, population: Dataset) -> None:
        frame = self.session.read.option("basePath", str(population.path)).parquet(population.glob)
        frame.createOrReplaceTempView("population")

    def register(self, name: str, frame: pd.DataFrame) -> None:
        from pyspark.sql import types as T

        fields = [T.StructField(c, _spark_type(frame[c]), True) for c in frame.columns]
        rows = [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False)]
        self.session.createDataFrame(rows, T.StructType(fields)).createOrReplaceTempView(name)

    def query(self, sql: str) -> pd.DataFrame:
        result = self.session.sql(sql)
        rows = result.collect()
        return pd.DataFrame([r.asDict() for r in rows], columns=result.columns)

    def close(self) -> None:
        """The session is shared by every engine in the process and stays up."""


@cache
def spark_session(master: str):
    """One Spark session per master URL for the life of the process."""
    from pyspark.sql import SparkSession

    local = master.startswith("local")
    builder = (
        SparkSession.builder.master(master)
        .appName("icsatlas-population")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4" if local else "200")
    )
    if local:
        builder = builder.config("spark.driver.memory", "2g")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pandas >= 3.0.0.*")
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _spark_type(series: pd.Series):
    from pyspark.sql import types as T

    if pd.api.types.is_bool_dtype(series):
        return T.BooleanType()
    if pd.api.types.is_integer_dtype(series):
        return T.LongType()
    if pd.api.types.is_float_dtype(series):
        return T.DoubleType()
    return T.StringType()


def _plain(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def open_engine(name: str = "duckdb", *, spark_master: str | None = None) -> Engine:
    """An engine by name: ``duckdb`` or ``spark`` (``spark_master``: a cluster URL or
    ``local[N]``)."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine(spark_master)
    raise InputError(f"unknown engine {name!r} (use duckdb or spark)", field="engine")
