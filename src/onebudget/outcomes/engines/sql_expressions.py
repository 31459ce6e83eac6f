"""Compiling expressions to SQL: identifiers, literals, ages, conditions and values, in
constructs DuckDB and Spark SQL both read.

Identifiers come from reviewed definitions but are still checked against a strict pattern,
and literals are quoted here, so no definition can inject SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from onebudget.outcomes.model import (
    AGE,
    AGE_CLD,
    All,
    AnyOf,
    BestOf,
    Col,
    Compare,
    Const,
    Expr,
    FirstOf,
    In,
    IsNull,
    Not,
    RelatedValue,
    Scalar,
    StartsWith,
    Value,
    When,
)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
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


@dataclass(frozen=True)
class Scope:
    """What an expression is compiled in: the row's alias, its ages, and the aliases of the
    joins that carry its related values."""

    alias: str
    ages: Ages
    derived: Mapping[RelatedValue, str] = field(default_factory=dict)


def value_sql(v: Value, scope: Scope) -> str:
    if isinstance(v, Const):
        return literal(v.value)
    if isinstance(v, Col):
        if v.name == AGE:
            return scope.ages[0]
        return scope.ages[1] if v.name == AGE_CLD else f"{scope.alias}.{ident(v.name)}"
    if isinstance(v, RelatedValue):
        return f"{scope.derived[v]}.v"
    if isinstance(v, When):
        return f"(CASE WHEN {where_sql(v.condition, scope)} THEN {value_sql(v.value, scope)} END)"
    if isinstance(v, FirstOf):
        return "coalesce(" + ", ".join(value_sql(x, scope) for x in v.values) + ")"
    return best_of_sql(v, scope)


def rank_sql(value: str, rank: Sequence[str]) -> str:
    """A value's place in ``rank``; unlisted and empty values come last."""
    cases = " ".join(f"WHEN {literal(r)} THEN {i}" for i, r in enumerate(rank))
    return f"(CASE {value} {cases} ELSE {len(rank)} END)" if rank else "0"


def best_of_sql(v: BestOf, scope: Scope) -> str:
    places = ", ".join(rank_sql(value_sql(x, scope), v.rank) for x in v.values)
    best = f"least({places})" if len(v.values) > 1 else places
    cases = " ".join(f"WHEN {i} THEN {literal(r)}" for i, r in enumerate(v.rank))
    return f"(CASE {best} {cases} END)"


def where_sql(e: Expr, scope: Scope) -> str:
    if isinstance(e, Compare):
        return f"({value_sql(e.left, scope)} {e.op} {value_sql(e.right, scope)})"
    if isinstance(e, In):
        values = ", ".join(literal(v) for v in e.values) or "NULL"
        return f"({value_sql(e.column, scope)} IN ({values}))"
    if isinstance(e, StartsWith):
        column = value_sql(e.column, scope)
        tests = (f"substring({column}, 1, {len(p)}) = {literal(p)}" for p in e.prefixes)
        return "(" + " OR ".join(tests) + ")"
    if isinstance(e, IsNull):
        return f"({value_sql(e.column, scope)} IS NULL)"
    if isinstance(e, Not):
        return f"(NOT {where_sql(e.expr, scope)})"
    if not e.exprs:
        return "TRUE" if isinstance(e, All) else "FALSE"
    joiner = " AND " if isinstance(e, All) else " OR "
    return "(" + joiner.join(where_sql(x, scope) for x in e.exprs) + ")"


def values_in(e: Expr | Value) -> Iterator[Value]:
    """Every value an expression reads, nested ones included (depth first)."""
    if isinstance(e, Col | Const | RelatedValue):
        yield e
    elif isinstance(e, Compare):
        yield from values_in(e.left)
        yield from values_in(e.right)
    elif isinstance(e, In | StartsWith | IsNull):
        yield from values_in(e.column)
    elif isinstance(e, Not):
        yield from values_in(e.expr)
    elif isinstance(e, All | AnyOf):
        for x in e.exprs:
            yield from values_in(x)
    elif isinstance(e, When):
        yield from values_in(e.condition)
        yield from values_in(e.value)
    else:
        yield e
        for part in e.values:
            yield from values_in(part)


def uses_age(e: Expr) -> bool:
    return any(isinstance(v, Col) and v.name in (AGE, AGE_CLD) for v in values_in(e))


def related_values(e: Expr) -> list[RelatedValue]:
    """The related values an expression reads, each once, in order."""
    return list(dict.fromkeys(v for v in values_in(e) if isinstance(v, RelatedValue)))
