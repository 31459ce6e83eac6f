"""Compiling measures to SQL, in constructs DuckDB and Spark SQL both read.

Each measure becomes one query over tables registered as ``t_<name>``. The SQL keeps to
what the two dialects share (``year()``/``month()``/``day()`` for ages, ``substring`` for
code prefixes, ``SEMI``/``ANTI JOIN`` for related rows, window functions for episodes and
tiers), so the Spark engine only has to change the syntax (SQLGlot), not the logic (ADR
0009). Sources (the rows, their periods, ages and related rows) are in ``sql_sources``.
"""

from __future__ import annotations

from collections.abc import Sequence

from onebudget.outcomes.calendar import AGE_BANDS, Period
from onebudget.outcomes.engines.sql_expressions import (
    Scope,
    ages_sql,
    ident,
    literal,
    uses_age,
    where_sql,
)
from onebudget.outcomes.engines.sql_sources import SourceCompiler
from onebudget.outcomes.model import (
    Highest,
    Measure,
    Persons,
    Population,
    Spend,
    Sum,
    Total,
)


def dimension_sql(name: str, age: str) -> str:
    if name == "sex":
        return "CASE pe.sex WHEN 1 THEN 'male' WHEN 2 THEN 'female' END"
    if name == "age_band":
        cases = " ".join(
            f"WHEN {age} >= {low} THEN '{label}'" for low, label in reversed(AGE_BANDS)
        )
        return f"CASE {cases} ELSE {literal(AGE_BANDS[0][1])} END"  # as calendar.age_band
    if name == "esp_band":
        return f"least(CAST(floor({age} / 5) AS INTEGER) * 5, 90)"
    if name == "imd_quintile":
        return "CAST(floor((pe.imd_decile + 1) / 2) AS INTEGER)"
    return f"pe.{ident(name)}"


def periods_cte(periods: Sequence[Period]) -> str:
    """The ``periods`` table every query joins to: label, start, stop (exclusive), mid,
    last_day and mid_year (see ``calendar.Period``)."""
    rows = ", ".join(
        f"({literal(p.label)}, {literal(p.start)}, {literal(p.end)}, {literal(p.mid)}, "
        f"{literal(p.last_day)}, {literal(p.mid_year)})"
        for p in periods
    )
    return (
        f"periods AS (SELECT * FROM (VALUES {rows}) AS v(label, start, stop, mid, last_day, "
        "mid_year))"
    )


def spend_sql(spend: Spend) -> str:
    """Whole pence per row, as ``calendar.prorated_pence``: integers only, because DuckDB
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

    def __init__(self) -> None:
        self.sources = SourceCompiler()

    def compile(self, measure: Measure, periods: Sequence[Period], by: Sequence[str]) -> str:
        head = f"WITH {periods_cte(periods)} "
        if isinstance(measure, Population):
            return head + self._population(measure, by)
        if isinstance(measure, Total):
            parts = " UNION ALL ".join(self._select(p, by) for p in measure.parts)
            dims = "".join(f", d{i}" for i in range(len(by)))
            return f"{head}SELECT label{dims}, sum(v) FROM ({parts}) t GROUP BY ALL"
        if isinstance(measure, Highest):
            return head + self._highest(measure, by)
        return head + self._select(measure, by)

    def _select(self, measure: Measure, by: Sequence[str]) -> str:
        """One grouped query: the period label, the breakdowns as d0.., the value as v."""
        if isinstance(measure, Population | Total | Highest):
            raise TypeError("populations, totals and tiers are compiled by compile()")
        source = measure.source
        age = self.sources.ages(source)[0]
        dims = "".join(f", {dimension_sql(d, age)} AS d{i}" for i, d in enumerate(by))
        person = bool(by) or uses_age(source.where)
        return (
            f"SELECT per.label AS label{dims}, {self._value(measure)} AS v "
            f"{self.sources.rows(source, person)} GROUP BY ALL"
        )

    def _highest(self, measure: Highest, by: Sequence[str]) -> str:
        """Each person's best tier in each period (then earliest date, then youngest age),
        counted where that tier is one of ``counted``."""
        source = measure.source
        scope = self.sources.scope(source, *measure.tiers)
        ages = scope.ages
        tiers = " ".join(
            f"WHEN {where_sql(t, scope)} THEN {i}" for i, t in enumerate(measure.tiers)
        )
        tier = f"CASE {tiers} ELSE {len(measure.tiers)} END" if tiers else "0"
        dims = "".join(f", {dimension_sql(d, ages[0])} AS d{i}" for i, d in enumerate(by))
        order = f"{tier}, e.{ident(source.date)}, {ages[0]}"
        counted = ", ".join(str(int(i)) for i in measure.counted) or "-1"
        names = "".join(f", d{i}" for i in range(len(by)))
        return (
            f"SELECT label{names}, count(*) FROM (SELECT per.label AS label{dims}, {tier} AS "
            f"tier, row_number() OVER (PARTITION BY per.label, e.person_id ORDER BY {order}) "
            f"AS pick {self.sources.rows(source, True, scope)}) t WHERE pick = 1 AND tier IN "
            f"({counted}) GROUP BY ALL"
        )

    def person_spend(self, parts: Sequence[Spend]) -> str:
        """Each person's money in each period, one row per costed record (period, person_id,
        pence): the same arithmetic as the measure, for per-person analyses such as the
        segmentation. Needs the ``periods`` CTE."""
        return " UNION ALL ".join(
            f"SELECT per.label AS period, e.person_id, {spend_sql(part)} AS pence "
            f"{self.sources.rows(part.source, uses_age(part.source.where))}"
            for part in parts
        )

    @staticmethod
    def _value(measure: Measure) -> str:
        if isinstance(measure, Sum) and measure.days_from is not None:
            since, until = ident(measure.days_from), ident(measure.column)
            return f"sum(date_diff('day', e.{since}, e.{until}))"
        if isinstance(measure, Sum):
            return f"sum(e.{ident(measure.column)})"
        if isinstance(measure, Spend):
            return f"sum({spend_sql(measure)})"
        if isinstance(measure, Persons):
            return "count(DISTINCT e.person_id)"
        return "count(*)"

    @staticmethod
    def _population(measure: Population, by: Sequence[str]) -> str:
        """People alive on the ONS mid-year date, their age taken then."""
        ages = ages_sql("pe.date_of_birth", "per.mid_year")
        dims = "".join(f", {dimension_sql(d, ages[0])}" for d in by)
        alive = (
            "pe.date_of_birth <= per.mid_year AND "
            "(pe.date_of_death IS NULL OR pe.date_of_death > per.mid_year)"
        )
        return (
            f"SELECT per.label{dims}, count(*) FROM t_persons pe JOIN periods per ON {alive} "
            f"WHERE {where_sql(measure.where, Scope('pe', ages))} GROUP BY ALL"
        )
