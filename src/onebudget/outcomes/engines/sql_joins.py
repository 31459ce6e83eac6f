"""Compiling the joins a source needs: its episodes (window functions), its related rows
(semi and anti joins) and its related values (a left join to the first matching row)."""

from __future__ import annotations

from collections.abc import Callable

from onebudget.outcomes.engines.sql_expressions import (
    Scope,
    ages_sql,
    ident,
    literal,
    rank_sql,
    uses_age,
    where_sql,
)
from onebudget.outcomes.model import (
    OPEN_END,
    Carried,
    Cluster,
    Order,
    Related,
    RelatedValue,
    Relation,
    Source,
)
from onebudget.population import schema


def episodes_sql(table: str, cluster: Cluster) -> str:
    """Each person's episodes as rows of the table (see ``model.Cluster``): a running
    maximum of earlier ends starts a new episode after a longer gap, and the member that
    ends last (then ranks best, then has the greatest id) gives the episode's columns."""
    start, end, rid = ident(cluster.start), ident(cluster.end), ident(cluster.row_id)
    place = rank_sql(ident(cluster.rank_column), cluster.rank) if cluster.rank_column else "0"
    ages = ages_sql("cp.date_of_birth", f"c.{start}")
    person = f"PARTITION BY person_id ORDER BY {start}, {rid}"
    earlier = f"max(x_end) OVER ({person} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    cols = ", ".join(
        f"x_first AS {ident(c)}"
        if c == cluster.start
        else f"CASE WHEN x_last = {literal(OPEN_END)} THEN NULL ELSE x_last END AS {ident(c)}"
        if c == cluster.end
        else ident(c)
        for c in (column.name for column in schema.BY_NAME[table].columns)
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
        f"{where_sql(cluster.members, Scope('c', ages))}) m) s) k) r WHERE x_pick = 1)"
    )


def related_join(related: Related, outer: Source, alias: str) -> str:
    """A semi join (has such a row) or anti join (has none) to the related rows."""
    extra = tuple(sorted({r.inner for r in related.when} - {"date", "end"}))

    def extra_of(column: str) -> str:
        return f"{alias}.{ident('x_' + column)}"

    rows = " UNION ALL ".join(_plain_rows(s, "d", "n", extra) for s in related.sources)
    tests = "".join(
        f" AND {relation_sql(r, outer, 'e', f'{alias}.d', f'{alias}.n', extra_of)}"
        for r in related.when
    )
    join = "ANTI JOIN" if related.negate else "SEMI JOIN"
    return f"{join} ({rows}) {alias} ON {alias}.person_id = e.person_id{tests} "


def carried_sql(table: str, carried: Carried, outer: Source) -> str:
    """The rows of ``table`` with the carried column added (``model.Carried``)."""
    join = value_join(carried.value, "c", outer, table, row="b")
    return f"(SELECT b.*, c.v AS {ident(carried.name)} FROM {table} b {join})"


def value_join(v: RelatedValue, alias: str, outer: Source, table: str, row: str = "e") -> str:
    """A left join to each outer row's first matching related row (``model.RelatedValue``),
    keyed by the outer row's (alias ``row``) person and row id."""
    key = ident(schema.BY_NAME[outer.table].row_id)
    inner = v.source
    d, n = (f"r.{ident(inner.date)}", f"r.{ident(inner.column('end'))}")
    tests = "".join(
        f" AND {relation_sql(r, outer, 'o', d, n, lambda c: f'r.{ident(c)}')}" for r in v.when
    )
    order = ", ".join([*(_order_sql(k, inner) for k in v.order), _row_id_order(inner)])
    return (
        f"LEFT JOIN (SELECT o.person_id AS p, o.{key} AS k, r.{ident(v.column)} AS v, "
        f"row_number() OVER (PARTITION BY o.person_id, o.{key} ORDER BY {order}) AS n "
        f"FROM {table} o JOIN ({_plain_rows(inner)}) r ON r.person_id = o.person_id{tests}) "
        f"{alias} ON {alias}.p = {row}.person_id AND {alias}.k = {row}.{key} AND {alias}.n = 1 "
    )


def _order_sql(key: Order, source: Source) -> str:
    column = source.column(key.column)
    if key.first:
        listed = ", ".join(literal(v) for v in key.first)
        return f"CASE WHEN r.{ident(column)} IN ({listed}) THEN 0 ELSE 1 END ASC"
    if key.rank:
        return f"{rank_sql(f'r.{ident(column)}', key.rank)} ASC"
    value = f"r.{ident(column)}"
    if column == source.end:
        value = f"coalesce({value}, {literal(OPEN_END)})"
    return f"{value} {'DESC' if key.descending else 'ASC'} NULLS LAST"


def _row_id_order(source: Source) -> str:
    return f"r.{ident(schema.BY_NAME[source.table].row_id)} DESC NULLS LAST"


def _plain_rows(
    source: Source, date_as: str = "", end_as: str = "", extra: tuple[str, ...] = ()
) -> str:
    """A related source's rows (every column, or person_id, its date and end as
    ``date_as``/``end_as`` and each ``extra`` column as ``x_<name>``), not cut to any
    period."""
    d, n = ident(source.date), ident(source.column("end"))
    scope = Scope("o", ages_sql("op.date_of_birth", f"o.{d}"))
    person = "JOIN t_persons op ON op.person_id = o.person_id " if uses_age(source.where) else ""
    more = "".join(f", o.{ident(c)} AS {ident('x_' + c)}" for c in extra)
    columns = f"o.person_id, o.{d} AS {date_as}, o.{n} AS {end_as}{more}" if date_as else "o.*"
    return (
        f"SELECT {columns} FROM {ident('t_' + source.table)} o "
        f"{person}WHERE o.{d} IS NOT NULL AND {where_sql(source.where, scope)}"
    )


def relation_sql(
    r: Relation, outer: Source, alias: str, date: str, end: str, column_of: Callable[[str], str]
) -> str:
    """``inner op outer + days``; an empty end compares as a row still running. Another
    column of the related row is read where ``column_of`` says."""
    if r.inner == "date":
        inner = date
    elif r.inner == "end":
        inner = f"coalesce({end}, {literal(OPEN_END)})"
    else:
        inner = column_of(r.inner)
    column = outer.column(r.outer)
    other = f"{alias}.{ident(column)}"
    if column == outer.end or r.outer == "end":
        other = f"coalesce({other}, {literal(OPEN_END)})"
    shift = "" if not r.days else f" + {r.days}" if r.days > 0 else f" - {-r.days}"
    return f"{inner} {r.op} {other}{shift}"
