"""Compiling measures to SQL, in constructs DuckDB and Spark SQL both read.

Each measure becomes one query over tables registered as ``t_<name>``. The SQL keeps to
what the two dialects share (``year()``/``month()``/``day()`` for ages, ``substring`` for
code prefixes, ``SEMI``/``ANTI JOIN`` for "followed by"), so the Spark engine only has to
change the syntax (SQLGlot), not the logic (ADR 0009).

Identifiers come from reviewed definitions but are still checked against a strict pattern,
and literals are quoted here, so no definition can inject SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from onebudget.outcomes.model import (
    AGE,
    AGE_BANDS,
    All,
    Col,
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
    Spend,
    StartsWith,
    Sum,
    Total,
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
        f"(year({on}) - year({born}) - CASE WHEN month({on}) * 100 + day({on}) < "
        f"month({born}) * 100 + day({born}) THEN 1 ELSE 0 END)"
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
        tests = (f"substring({column}, 1, {len(p)}) = {literal(p)}" for p in e.prefixes)
        return "(" + " OR ".join(tests) + ")"
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
        return f"CASE {cases} ELSE {literal(AGE_BANDS[0][1])} END"  # as model.age_band
    if name == "esp_band":
        return f"least(CAST(floor({age} / 5) AS INTEGER) * 5, 90)"
    if name == "imd_quintile":
        return "CAST(floor((pe.imd_decile + 1) / 2) AS INTEGER)"
    return f"pe.{ident(name)}"


def uses_age(e: Expr) -> bool:
    if isinstance(e, Compare):
        return any(isinstance(v, Col) and v.name == AGE for v in (e.left, e.right))
    if isinstance(e, In | StartsWith | IsNull):
        return e.column.name == AGE
    if isinstance(e, Not):
        return uses_age(e.expr)
    return any(uses_age(x) for x in e.exprs)


def periods_cte(periods: Sequence[Period]) -> str:
    """The ``periods`` table every query joins to: label, start, stop (exclusive), mid."""
    rows = ", ".join(
        f"({literal(p.label)}, {literal(p.start)}, {literal(p.end)}, {literal(p.mid)})"
        for p in periods
    )
    return f"periods AS (SELECT * FROM (VALUES {rows}) AS v(label, start, stop, mid))"


def spend_sql(spend: Spend) -> str:
    """Whole pence per row, as ``model.prorated_pence``: integers only, because DuckDB
    divides decimals in floating point."""
    pence = f"CAST(e.{ident(spend.column)} * 100 AS BIGINT)"
    if spend.per_days is None or spend.source.end is None:
        return pence
    start, end = f"e.{ident(spend.source.date)}", f"e.{ident(spend.source.end)}"
    days = (
        f"date_diff('day', greatest({start}, per.start), "
        f"least(coalesce({end} + 1, per.stop), per.stop))"
    )
    per = int(spend.per_days)
    return f"((2 * {pence} * {days} + {per}) // {2 * per})"


class SqlCompiler:
    """Turns a measure, periods and breakdowns into one SQL query."""

    def compile(self, measure: Measure, periods: Sequence[Period], by: Sequence[str]) -> str:
        head = f"WITH {periods_cte(periods)} "
        if isinstance(measure, Population):
            return head + self._population(measure, by)
        if isinstance(measure, Total):
            parts = " UNION ALL ".join(self._select(p, by) for p in measure.parts)
            dims = "".join(f", d{i}" for i in range(len(by)))
            return f"{head}SELECT label{dims}, sum(v) FROM ({parts}) t GROUP BY ALL"
        return head + self._select(measure, by)

    def _select(self, measure: Measure, by: Sequence[str]) -> str:
        """One grouped query: the period label, the breakdowns as d0.., the value as v."""
        if isinstance(measure, Population | Total):
            raise TypeError("populations and totals are compiled by compile()")
        source = measure.index if isinstance(measure, FollowedBy) else measure.source
        age = self._age(source)
        dims = "".join(f", {dimension_sql(d, age)} AS d{i}" for i, d in enumerate(by))
        person = bool(by) or uses_age(source.where)
        return (
            f"SELECT per.label AS label{dims}, {self._value(measure)} AS v "
            f"{self._from(source, self._followed(measure), person)} GROUP BY ALL"
        )

    def person_spend(self, parts: Sequence[Spend]) -> str:
        """Each person's money in each period, one row per costed record (period, person_id,
        pence): the same arithmetic as the measure, for per-person analyses such as the
        segmentation. Needs the ``periods`` CTE."""
        return " UNION ALL ".join(
            f"SELECT per.label AS period, e.person_id, {spend_sql(part)} AS pence "
            f"{self._from(part.source, '', uses_age(part.source.where))}"
            for part in parts
        )

    @staticmethod
    def _age(source: Source) -> str:
        on = "per.mid" if source.end else f"e.{ident(source.date)}"
        return age_sql("pe.date_of_birth", on)

    def _from(self, source: Source, followed: str, person: bool) -> str:
        start = f"e.{ident(source.date)}"
        if source.end:
            end = f"e.{ident(source.end)}"
            in_period = f"{start} < per.stop AND ({end} IS NULL OR {end} >= per.start)"
        else:
            in_period = f"{start} >= per.start AND {start} < per.stop"
        join = "JOIN t_persons pe ON pe.person_id = e.person_id " if person else ""
        return (
            f"FROM {ident('t_' + source.table)} e {join}"
            f"JOIN periods per ON {in_period} {followed}"
            f"WHERE {where_sql(source.where, 'e', self._age(source))}"
        )

    @staticmethod
    def _value(measure: Measure) -> str:
        if isinstance(measure, Sum):
            return f"sum(e.{ident(measure.column)})"
        if isinstance(measure, Spend):
            return f"sum({spend_sql(measure)})"
        if isinstance(measure, Persons):
            return "count(DISTINCT e.person_id)"
        return "count(*)"

    @staticmethod
    def _followed(measure: Measure) -> str:
        """A semi join (followed) or anti join (not followed) to the outcome rows."""
        if not isinstance(measure, FollowedBy):
            return ""
        anchor = f"e.{ident(measure.after or measure.index.date)}"
        outcomes = " UNION ALL ".join(
            f"SELECT o.person_id, o.{ident(s.date)} AS d FROM {ident('t_' + s.table)} o "
            + ("JOIN t_persons op ON op.person_id = o.person_id " if uses_age(s.where) else "")
            + f"WHERE o.{ident(s.date)} IS NOT NULL AND "
            f"{where_sql(s.where, 'o', age_sql('op.date_of_birth', 'o.' + ident(s.date)))}"
            for s in measure.outcomes
        )
        join = "ANTI JOIN" if measure.negate else "SEMI JOIN"
        return (
            f"{join} ({outcomes}) f ON f.person_id = e.person_id AND f.d > {anchor} "
            f"AND f.d <= {anchor} + {int(measure.days)} "
        )

    @staticmethod
    def _population(measure: Population, by: Sequence[str]) -> str:
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
