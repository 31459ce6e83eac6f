"""The DuckDB engine (the default): each measure compiled to SQL and run over Arrow tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.engines import Key
from onebudget.outcomes.engines.sql import SqlCompiler
from onebudget.outcomes.model import Measure


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, tables: Mapping[str, pa.Table], connection: Any = None) -> None:
        self.con = connection or duckdb.connect()
        self.compiler = SqlCompiler()
        self.answers: dict[tuple[Any, ...], dict[Key, Any]] = {}
        for name, table in tables.items():
            self.con.register(f"t_{name}", table)

    def evaluate(
        self, measure: Measure, periods: Sequence[Period], by: Sequence[str]
    ) -> dict[Key, Any]:
        """Answers are kept: indicators often share a denominator (the data do not change)."""
        question = (measure, tuple(periods), tuple(by))
        if question not in self.answers:
            sql = self.compiler.compile(measure, periods, by)
            rows = self.con.execute(sql).fetchall()
            self.answers[question] = {tuple(row[:-1]): row[-1] for row in rows}
        return dict(self.answers[question])
