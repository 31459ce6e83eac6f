"""The DuckDB engine: each measure compiled to one SQL query over Arrow tables.

Identifiers come from reviewed definitions but are still checked against a strict pattern,
and literals are quoted here, so no definition can inject SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from onebudget.outcomes.engines import Key
from onebudget.outcomes.model import (
    AGE,
    AGE_BANDS,
    All,
    Compare,
    Const,
    Expr,
    FollowedBy,
    In,
    IsNull,
    Measure,
    Not,
    Period,
    Persons,
    Population,
    Scalar,
    Source,
    StartsWith,
    Sum,
    Value,
)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a column or table name")
    return f'"{name}"'


def literal(v: Scalar | date) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, date):
        return f"DATE '{v.isoformat()}'"
    return "'" + str(v).replace("'", "''") + "'"


def age_sql(born: str, on: str) -> str:
    """Completed years, as ``model.age_on``: year difference less one before the birthday."""
    return (
        f"(date_diff('year', {born}, {on}) - "
        f"CAST(strftime({on}, '%m%d') < strftime({born}, '%m%d') AS INTEGER))"
    )


def value_sql(v: Value, alias: str, age: str) -> str:
    if isinstance(v, Const):
        return literal(v.value)
    return age if v.name == AGE else f"{alias}.{ident(v.name)}"


def where_sql(e: Expr, alias: str, age: str) -> str:
    if isinstance(e, Compare):
        return f"({value_sql(e.left, alias, age)} {e.op} {value_sql(e.right, alias, age)})"
    if isinstance(e, In):
        values = ", ".join(literal(v) for v in e.values) or "NULL"
        return f"({value_sql(e.column, alias, age)} IN ({values}))"
    if isinstance(e, StartsWith):
        column = value_sql(e.column, alias, age)
        return "(" + " OR ".join(f"starts_with({column}, {literal(p)})" for p in e.prefixes) + ")"
    if isinstance(e, IsNull):
        return f"({value_sql(e.column, alias, age)} IS NULL)"
    if isinstance(e, Not):
        return f"(NOT {where_sql(e.expr, alias, age)})"
    if not e.exprs:
        return "TRUE" if isinstance(e, All) else "FALSE"
    joiner = " AND " if isinstance(e, All) else " OR "
    return "(" + joiner.join(where_sql(x, alias, age) for x in e.exprs) + ")"


def dimension_sql(name: str, age: str) -> str:
    if name == "sex":
        return "CASE pe.sex WHEN 1 THEN 'male' WHEN 2 THEN 'female' END"
    if name == "age_band":
        cases = " ".join(
            f"WHEN {age} >= {low} THEN '{label}'" for low, label in reversed(AGE_BANDS)
        )
        return f"CASE {cases} END"
    if name == "esp_band":
        return f"least({age} // 5 * 5, 90)"
    if name == "imd_quintile":
        return "(pe.imd_decile + 1) // 2"
    return f"pe.{ident(name)}"


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, tables: Mapping[str, pa.Table], connection: Any = None) -> None:
        self.con = connection or duckdb.connect()
        for name, table in tables.items():
            self.con.register(f"t_{name}", table)

    def evaluate(
        self, measure: Measure, periods: Sequence[Period], by: Sequence[str]
    ) -> dict[Key, Any]:
        sql = self.compile(measure, periods, by)
        return {tuple(row[:-1]): row[-1] for row in self.con.execute(sql).fetchall()}

    def compile(self, measure: Measure, periods: Sequence[Period], by: Sequence[str]) -> str:
        rows = ", ".join(
            f"({literal(p.label)}, {literal(p.start)}, {literal(p.end)}, {literal(p.mid)})"
            for p in periods
        )
        head = f"WITH periods(label, start, stop, mid) AS (VALUES {rows}) "
        if isinstance(measure, Population):
            return head + self._population(measure, by)
        source = measure.index if isinstance(measure, FollowedBy) else measure.source
        age = self._age(source)
        dims = "".join(f", {dimension_sql(d, age)}" for d in by)
        value = self._value(measure)
        return (
            f"{head}SELECT per.label{dims}, {value} {self._from(source)} "
            f"{self._followed(measure)} GROUP BY ALL"
        )

    def _age(self, source: Source) -> str:
        on = "per.mid" if source.end else f"e.{ident(source.date)}"
        return age_sql("pe.date_of_birth", on)

    def _from(self, source: Source) -> str:
        start = f"e.{ident(source.date)}"
        if source.end:
            end = f"e.{ident(source.end)}"
            in_period = f"{start} < per.stop AND ({end} IS NULL OR {end} >= per.start)"
        else:
            in_period = f"{start} >= per.start AND {start} < per.stop"
        return (
            f"FROM {ident('t_' + source.table)} e JOIN t_persons pe ON pe.person_id = e.person_id "
            f"JOIN periods per ON {in_period} "
            f"WHERE {where_sql(source.where, 'e', self._age(source))}"
        )

    @staticmethod
    def _value(measure: Measure) -> str:
        if isinstance(measure, Sum):
            return f"sum(e.{ident(measure.column)})"
        if isinstance(measure, Persons):
            return "count(DISTINCT e.person_id)"
        return "count(*)"

    def _followed(self, measure: Measure) -> str:
        if not isinstance(measure, FollowedBy):
            return ""
        anchor = f"e.{ident(measure.after or measure.index.date)}"
        outcomes = " UNION ALL ".join(
            f"SELECT o.person_id, o.{ident(s.date)} AS d FROM {ident('t_' + s.table)} o "
            f"JOIN t_persons pe ON pe.person_id = o.person_id "
            f"WHERE o.{ident(s.date)} IS NOT NULL AND "
            f"{where_sql(s.where, 'o', age_sql('pe.date_of_birth', 'o.' + ident(s.date)))}"
            for s in measure.outcomes
        )
        exists = (
            f"EXISTS (SELECT 1 FROM ({outcomes}) f WHERE f.person_id = e.person_id "
            f"AND f.d > {anchor} AND f.d <= {anchor} + {int(measure.days)})"
        )
        return f"AND {'NOT ' if measure.negate else ''}{exists}"

    def _population(self, measure: Population, by: Sequence[str]) -> str:
        age = age_sql("pe.date_of_birth", "per.mid")
        dims = "".join(f", {dimension_sql(d, age)}" for d in by)
        alive = (
            "pe.date_of_birth <= per.mid AND "
            "(pe.date_of_death IS NULL OR pe.date_of_death > per.mid)"
        )
        return (
            f"SELECT per.label{dims}, count(*) FROM t_persons pe JOIN periods per ON {alive} "
            f"WHERE {where_sql(measure.where, 'pe', age)} GROUP BY ALL"
        )
