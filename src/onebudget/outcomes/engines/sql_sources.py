"""Compiling sources to SQL: the rows of a table (or of its episodes) in a period, with
their conditions, ages and related rows, in constructs DuckDB and Spark SQL both read.

Identifiers come from reviewed definitions but are still checked against a strict pattern,
and literals are quoted here, so no definition can inject SQL.
"""

from __future__ import annotations

import re
from datetime import date

from onebudget.outcomes.model import (
    AGE,
    AGE_CLD,
    All,
    Cluster,
    Col,
    Compare,
    Const,
    Expr,
    In,
    IsNull,
    Not,
    Related,
    Relation,
    Scalar,
    Source,
    StartsWith,
    Value,
)
from onebudget.population import schema

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OPEN_END = date(9000, 1, 1)  # an empty end date compares as this (memory.OPEN_END)
Ages = tuple[str, str]  # SQL for (completed years, CLD years) on the source's age day


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
    """Completed years, as ``calendar.age_on``: year difference less one before the
    birthday."""
    return (
        f"(year({on}) - year({born}) - CASE WHEN month({on}) * 100 + day({on}) < "
        f"month({born}) * 100 + day({born}) THEN 1 ELSE 0 END)"
    )


def ages_sql(born: str, on: str) -> Ages:
    """Both ages; the CLD one as ``calendar.age_cld`` (whole days since the 1st of the birth
    month over 365.25, rounded down; the float division is exact enough, as a quotient
    that is not whole is at least 1/1461 from one)."""
    days = f"date_diff('day', {born} - CAST(day({born}) - 1 AS INTEGER), {on})"
    return age_sql(born, on), f"CAST(floor(4 * {days} / 1461.0) AS INTEGER)"


def value_sql(v: Value, alias: str, ages: Ages) -> str:
    if isinstance(v, Const):
        return literal(v.value)
    if v.name == AGE:
        return ages[0]
    return ages[1] if v.name == AGE_CLD else f"{alias}.{ident(v.name)}"


def where_sql(e: Expr, alias: str, ages: Ages) -> str:
    if isinstance(e, Compare):
        return f"({value_sql(e.left, alias, ages)} {e.op} {value_sql(e.right, alias, ages)})"
    if isinstance(e, In):
        values = ", ".join(literal(v) for v in e.values) or "NULL"
        return f"({value_sql(e.column, alias, ages)} IN ({values}))"
    if isinstance(e, StartsWith):
        column = value_sql(e.column, alias, ages)
        tests = (f"substring({column}, 1, {len(p)}) = {literal(p)}" for p in e.prefixes)
        return "(" + " OR ".join(tests) + ")"
    if isinstance(e, IsNull):
        return f"({value_sql(e.column, alias, ages)} IS NULL)"
    if isinstance(e, Not):
        return f"(NOT {where_sql(e.expr, alias, ages)})"
    if not e.exprs:
        return "TRUE" if isinstance(e, All) else "FALSE"
    joiner = " AND " if isinstance(e, All) else " OR "
    return "(" + joiner.join(where_sql(x, alias, ages) for x in e.exprs) + ")"


def uses_age(e: Expr) -> bool:
    if isinstance(e, Compare):
        return any(isinstance(v, Col) and v.name in (AGE, AGE_CLD) for v in (e.left, e.right))
    if isinstance(e, In | StartsWith | IsNull):
        return e.column.name in (AGE, AGE_CLD)
    if isinstance(e, Not):
        return uses_age(e.expr)
    return any(uses_age(x) for x in e.exprs)


def _columns(table: str) -> list[str]:
    return [c.name for t in schema.TABLES if t.name == table for c in t.columns]


def episodes_sql(table: str, cluster: Cluster) -> str:
    """Each person's episodes as rows of the table (see ``model.Cluster``): a running
    maximum of earlier ends starts a new episode after a longer gap, and the member that
    ends last (then ranks best, then has the greatest id) gives the episode's columns."""
    start, end, rid = ident(cluster.start), ident(cluster.end), ident(cluster.row_id)
    place = "0"
    if cluster.rank_column and cluster.rank:
        rank = " ".join(f"WHEN {literal(v)} THEN {i}" for i, v in enumerate(cluster.rank))
        place = f"CASE {ident(cluster.rank_column)} {rank} ELSE {len(cluster.rank)} END"
    ages = ages_sql("cp.date_of_birth", f"c.{start}")
    person = f"PARTITION BY person_id ORDER BY {start}, {rid}"
    earlier = f"max(x_end) OVER ({person} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    cols = ", ".join(
        f"x_first AS {ident(c)}"
        if c == cluster.start
        else f"CASE WHEN x_last = {literal(OPEN_END)} THEN NULL ELSE x_last END AS {ident(c)}"
        if c == cluster.end
        else ident(c)
        for c in _columns(table)
    )
    return (
        f"(SELECT {cols} FROM (SELECT k.*, min({start}) OVER (PARTITION BY person_id, x_ep) AS "
        f"x_first, max(x_end) OVER (PARTITION BY person_id, x_ep) AS x_last, row_number() OVER "
        f"(PARTITION BY person_id, x_ep ORDER BY x_end DESC, {place} ASC, {rid} DESC) AS x_pick "
        f"FROM (SELECT s.*, sum(x_new) OVER ({person} ROWS UNBOUNDED PRECEDING) AS x_ep FROM "
        f"(SELECT m.*, CASE WHEN date_diff('day', {earlier}, {start}) <= {int(cluster.gap_days)} "
        f"THEN 0 ELSE 1 END AS x_new FROM (SELECT c.*, coalesce(c.{end}, "
        f"{literal(OPEN_END)}) AS x_end FROM {ident('t_' + table)} c JOIN t_persons cp ON "
        f"cp.person_id = c.person_id WHERE c.{start} IS NOT NULL AND "
        f"{where_sql(cluster.members, 'c', ages)}) m) s) k) r WHERE x_pick = 1)"
    )


class SourceCompiler:
    """The FROM and WHERE of a source's rows in each period of the ``periods`` CTE (alias
    ``e`` for the row, ``pe`` for its person, ``per`` for the period)."""

    def table(self, source: Source) -> str:
        if source.cluster is None:
            return ident("t_" + source.table)
        return episodes_sql(source.table, source.cluster)

    @staticmethod
    def age_day(source: Source) -> str:
        rule = source.age_day
        if rule == "date":
            return f"e.{ident(source.date)}"
        if rule == "end":
            return f"coalesce(e.{ident(source.column('end'))}, per.last_day)"
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

    def rows(self, source: Source, person: bool) -> str:
        """FROM .. WHERE .. of the source's rows in each period."""
        join = "JOIN t_persons pe ON pe.person_id = e.person_id " if person else ""
        related = "".join(self.related(r, source, i) for i, r in enumerate(source.related))
        return (
            f"FROM {self.table(source)} e {join}"
            f"JOIN periods per ON {self.in_period(source)} {related}"
            f"WHERE e.{ident(source.date)} IS NOT NULL AND "
            f"{where_sql(source.where, 'e', self.ages(source))}"
        )

    def related(self, related: Related, outer: Source, i: int) -> str:
        """A semi join (has such a row) or anti join (has none) to the related rows, each
        as (person_id, d: its date, n: its end)."""
        rows = " UNION ALL ".join(self._related_rows(s) for s in related.sources)
        tests = "".join(f" AND {self._relation(r, outer, f'r{i}')}" for r in related.when)
        join = "ANTI JOIN" if related.negate else "SEMI JOIN"
        return f"{join} ({rows}) r{i} ON r{i}.person_id = e.person_id{tests} "

    @staticmethod
    def _related_rows(source: Source) -> str:
        if source.cluster is not None or source.related:
            raise ValueError("a related source is a plain table's rows")
        d, n = ident(source.date), ident(source.column("end"))
        ages = ages_sql("op.date_of_birth", f"o.{d}")
        person = (
            "JOIN t_persons op ON op.person_id = o.person_id " if uses_age(source.where) else ""
        )
        return (
            f"SELECT o.person_id, o.{d} AS d, o.{n} AS n FROM {ident('t_' + source.table)} o "
            f"{person}WHERE o.{d} IS NOT NULL AND {where_sql(source.where, 'o', ages)}"
        )

    @staticmethod
    def _relation(r: Relation, outer: Source, alias: str) -> str:
        if r.inner not in ("date", "end"):
            raise ValueError(f"{r.inner!r}: a related row is compared by its date or end")
        inner = f"{alias}.d" if r.inner == "date" else f"coalesce({alias}.n, {literal(OPEN_END)})"
        column = outer.column(r.outer)
        other = f"e.{ident(column)}"
        if column == outer.end or r.outer == "end":
            other = f"coalesce({other}, {literal(OPEN_END)})"
        shift = f" + {r.days}" if r.days >= 0 else f" - {-r.days}"
        return f"{inner} {r.op} {other}{shift}"
