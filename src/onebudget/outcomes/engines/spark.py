"""The Apache Spark engine, for national-scale person-level data (an optional extra).

The same SQL the DuckDB engine runs, from the same compiler, transpiled to Spark SQL by
SQLGlot (ADR 0009). Local mode by default; pass a session to use a cluster.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.engines import Key
from onebudget.outcomes.engines.sql import SqlCompiler
from onebudget.outcomes.model import Measure

MISSING = (
    "The Spark engine needs the spark extra: pip install 'onebudget[spark]' (and Java 17 or later)."
)


@cache
def local_session() -> Any:
    """A local Spark session with two cores, no web UI, and dates in UTC."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # it logs while the interpreter exits
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise RuntimeError(MISSING) from error
    return (
        SparkSession.builder.master("local[2]")
        .appName("onebudget")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


class SparkEngine:
    name = "spark"

    def __init__(self, tables: Mapping[str, pa.Table | Path], session: Any = None) -> None:
        """Tables as Arrow (small data) or as Parquet paths, which Spark reads itself."""
        import sqlglot

        self.spark = session or local_session()
        self.transpile = sqlglot.transpile
        self.compiler = SqlCompiler()
        for name, table in tables.items():
            frame = (
                self.spark.read.parquet(str(table))
                if isinstance(table, Path)
                else self.spark.createDataFrame(table)
            )
            frame.createOrReplaceTempView(f"t_{name}")

    def sql(self, measure: Measure, periods: Sequence[Period], by: Sequence[str]) -> str:
        duck = self.compiler.compile(measure, periods, by)
        return str(self.transpile(duck, read="duckdb", write="spark")[0])

    def evaluate(
        self, measure: Measure, periods: Sequence[Period], by: Sequence[str]
    ) -> dict[Key, Any]:
        rows = self.spark.sql(self.sql(measure, periods, by)).collect()
        return {tuple(row[:-1]): row[-1] for row in rows}
