"""The in-memory engine: plain Python over rows, small and obviously right.

It is the reference the other engines are tested against, so it favours clarity over
speed: one loop per measure, SQL's three-valued logic written out.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from onebudget.money import to_pence
from onebudget.outcomes.engines import Key
from onebudget.outcomes.model import (
    AGE,
    All,
    Compare,
    Const,
    Count,
    Expr,
    FollowedBy,
    In,
    IsNull,
    Measure,
    Not,
    Period,
    Persons,
    Population,
    Source,
    Spend,
    StartsWith,
    Sum,
    Total,
    Value,
    age_band,
    age_on,
    esp_band,
    prorated_pence,
)

Row = Mapping[str, Any]
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SEX = {1: "male", 2: "female"}


def value(v: Value, row: Row, age: int) -> Any:
    if isinstance(v, Const):
        return v.value
    return age if v.name == AGE else row[v.name]


def truth(e: Expr, row: Row, age: int) -> bool | None:
    """SQL's three-valued logic: None where SQL would give NULL."""
    if isinstance(e, Compare):
        left, right = value(e.left, row, age), value(e.right, row, age)
        return None if left is None or right is None else OPERATORS[e.op](left, right)
    if isinstance(e, In | StartsWith | IsNull):
        v = value(e.column, row, age)
        if isinstance(e, IsNull):
            return v is None
        if v is None:
            return None
        return v in e.values if isinstance(e, In) else any(v.startswith(p) for p in e.prefixes)
    if isinstance(e, Not):
        inner = truth(e.expr, row, age)
        return None if inner is None else not inner
    results = [truth(x, row, age) for x in e.exprs]
    decisive, other = (False, True) if isinstance(e, All) else (True, False)
    if decisive in results:
        return decisive
    return None if None in results else other


def dimension(name: str, person: Row, age: int) -> Any:
    if name == "sex":
        return SEX.get(person["sex"])
    if name == "age_band":
        return age_band(age)
    if name == "esp_band":
        return esp_band(age)
    if name == "imd_quintile":
        return (person["imd_decile"] + 1) // 2
    return person[name]


class MemoryEngine:
    name = "memory"

    def __init__(self, tables: Mapping[str, Sequence[Row]]) -> None:
        self.tables = tables
        self.persons = {p["person_id"]: p for p in tables["persons"]}

    def _person(self, source: Source, row: Row) -> Row:
        return row if source.table == "persons" else self.persons[row["person_id"]]

    def rows(self, source: Source, period: Period | None) -> Iterator[tuple[Row, Row, int]]:
        """(row, person, age) for each row of the source in the period (all if None)."""
        for row in self.tables[source.table]:
            start = row[source.date]
            if start is None:
                continue
            on = start
            if period is not None and source.end is not None:
                end = row[source.end]
                if not (start < period.end and (end is None or end >= period.start)):
                    continue
                on = period.mid
            elif period is not None and not period.start <= start < period.end:
                continue
            person = self._person(source, row)
            age = age_on(person["date_of_birth"], on)
            if truth(source.where, row, age) is True:
                yield row, person, age

    def evaluate(
        self, measure: Measure, periods: Sequence[Period], by: Sequence[str]
    ) -> dict[Key, Any]:
        result: dict[Key, Any] = {}
        for period in periods:
            for key, v in self._one_period(measure, period, by).items():
                result[(period.label, *key)] = v
        return result

    def _one_period(self, measure: Measure, period: Period, by: Sequence[str]) -> dict[Key, Any]:
        def key(person: Row, age: int) -> Key:
            return tuple(dimension(d, person, age) for d in by)

        totals: dict[Key, Any] = defaultdict(int)
        if isinstance(measure, Population):
            for person in self.tables["persons"]:
                alive = person["date_of_death"] is None or person["date_of_death"] > period.mid
                if person["date_of_birth"] <= period.mid and alive:
                    age = age_on(person["date_of_birth"], period.mid)
                    if truth(measure.where, person, age) is True:
                        totals[key(person, age)] += 1
        elif isinstance(measure, Count | Sum):
            for row, person, age in self.rows(measure.source, period):
                add = 1 if isinstance(measure, Count) else row[measure.column]
                if add is not None:
                    totals[key(person, age)] += add
        elif isinstance(measure, Spend | Total):
            for part in measure.parts if isinstance(measure, Total) else (measure,):
                for row, person, age in self.rows(part.source, period):
                    pence = self._pence(part, row, period)
                    if pence is not None:
                        totals[key(person, age)] += pence
        elif isinstance(measure, Persons):
            people: dict[Key, set[Any]] = defaultdict(set)
            for row, person, age in self.rows(measure.source, period):
                people[key(person, age)].add(row["person_id"])
            totals.update({k: len(v) for k, v in people.items()})
        else:
            totals.update(self._followed(measure, period, key))
        return dict(totals)

    @staticmethod
    def _pence(part: Spend, row: Row, period: Period) -> int | None:
        price = row[part.column]
        if price is None:
            return None
        pence = to_pence(price)
        if part.per_days is None or part.source.end is None:
            return pence
        start = max(row[part.source.date], period.start)
        end = row[part.source.end]
        stop = period.end if end is None else min(end + timedelta(days=1), period.end)
        return prorated_pence(pence, (stop - start).days, part.per_days)

    def _followed(
        self, measure: FollowedBy, period: Period, key: Callable[[Row, int], Key]
    ) -> dict[Key, int]:
        outcomes: dict[Any, list[date]] = defaultdict(list)
        for source in measure.outcomes:
            for row, person, _ in self.rows(source, None):
                outcomes[person["person_id"]].append(row[source.date])
        totals: dict[Key, int] = defaultdict(int)
        for row, person, age in self.rows(measure.index, period):
            anchor = row[measure.after or measure.index.date]
            last = anchor + timedelta(days=measure.days)
            followed = any(anchor < d <= last for d in outcomes[person["person_id"]])
            if followed != measure.negate:
                totals[key(person, age)] += 1
        return dict(totals)
