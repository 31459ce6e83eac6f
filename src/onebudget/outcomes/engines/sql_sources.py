"""Compiling sources to SQL: the rows of a table (or of its episodes) in each period, with
their ages, conditions, related rows and related values."""

from __future__ import annotations

from onebudget.outcomes.engines.sql_expressions import (
    Ages,
    Scope,
    ages_sql,
    ident,
    related_values,
    where_sql,
)
from onebudget.outcomes.engines.sql_joins import (
    carried_sql,
    episodes_sql,
    related_join,
    value_join,
)
from onebudget.outcomes.model import All, Expr, Source


class SourceCompiler:
    """The FROM and WHERE of a source's rows in each period of the ``periods`` CTE (alias
    ``e`` for the row, ``pe`` for its person, ``per`` for the period)."""

    @staticmethod
    def table(source: Source) -> str:
        if source.cluster is None:
            table = ident("t_" + source.table)
        else:
            table = episodes_sql(source.table, source.cluster)
        for carried in source.carry:
            table = carried_sql(table, carried, source)
        return table

    @staticmethod
    def age_day(source: Source) -> str:
        rule = source.age_day
        if rule == "date":
            return f"e.{ident(source.date)}"
        if rule == "end":
            return f"least(coalesce(e.{ident(source.column('end'))}, per.last_day), per.last_day)"
        return "per.mid" if rule == "period_mid" else "per.last_day"

    def ages(self, source: Source) -> Ages:
        return ages_sql("pe.date_of_birth", self.age_day(source))

    @staticmethod
    def in_period(source: Source) -> str:
        start = f"e.{ident(source.date)}"
        if source.end is None:
            return f"{start} >= per.start AND {start} < per.stop"
        end = f"e.{ident(source.end)}"
        if source.snapshot:
            return f"{start} <= per.last_day AND ({end} IS NULL OR {end} >= per.last_day)"
        return f"{start} < per.stop AND ({end} IS NULL OR {end} >= per.start)"

    def scope(self, source: Source, *more: Expr) -> Scope:
        """The row's scope, with a join alias for each related value its conditions read."""
        values = related_values(All((source.where, *more)))
        return Scope("e", self.ages(source), {v: f"v{i}" for i, v in enumerate(values)})

    def rows(self, source: Source, person: bool, scope: Scope | None = None) -> str:
        """FROM .. WHERE .. of the source's rows in each period."""
        scope = scope or self.scope(source)
        join = "JOIN t_persons pe ON pe.person_id = e.person_id " if person else ""
        table = self.table(source)
        related = "".join(related_join(r, source, f"r{i}") for i, r in enumerate(source.related))
        values = "".join(value_join(v, alias, source, table) for v, alias in scope.derived.items())
        return (
            f"FROM {table} e {join}"
            f"JOIN periods per ON {self.in_period(source)} {related}{values}"
            f"WHERE e.{ident(source.date)} IS NOT NULL AND {where_sql(source.where, scope)}"
        )
