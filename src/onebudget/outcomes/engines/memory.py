"""The in-memory engine: plain Python over rows, small and obviously right.

It is the reference the other engines are tested against, so it favours clarity over
speed: one loop per measure, SQL's three-valued logic written out.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from onebudget.money import to_pence
from onebudget.outcomes.calendar import (
    Period,
    age_band,
    age_cld,
    age_on,
    esp_band,
    prorated_pence,
)
from onebudget.outcomes.engines import Key
from onebudget.outcomes.engines.clusters import cluster_rows
from onebudget.outcomes.model import (
    AGE,
    AGE_CLD,
    OPEN_END,
    All,
    Cluster,
    Col,
    Compare,
    Const,
    Count,
    Expr,
    FirstOf,
    Highest,
    In,
    IsNull,
    Measure,
    Not,
    Order,
    Persons,
    Population,
    Related,
    RelatedValue,
    Relation,
    Source,
    Spend,
    StartsWith,
    Sum,
    Total,
    Value,
    When,
    rank_place,
)
from onebudget.population import schema

Row = Mapping[str, Any]
Ages = tuple[int, int]  # (completed years, CLD years) on the source's age day
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SEX = {1: "male", 2: "female"}


Derive = Callable[[RelatedValue, Row], Any]


def _no_related(v: RelatedValue, row: Row) -> Any:
    raise ValueError("a related value is read only in a source's conditions")


def value(v: Value, row: Row, ages: Ages, derive: Derive = _no_related) -> Any:
    if isinstance(v, Const):
        return v.value
    if isinstance(v, Col):
        if v.name == AGE:
            return ages[0]
        return ages[1] if v.name == AGE_CLD else row[v.name]
    if isinstance(v, RelatedValue):
        return derive(v, row)
    if isinstance(v, When):
        return value(v.value, row, ages, derive) if truth(v.condition, row, ages, derive) else None
    found = [value(x, row, ages, derive) for x in v.values]
    if isinstance(v, FirstOf):
        return next((x for x in found if x is not None), None)
    ranked = [x for x in found if x in v.rank]
    return min(ranked, key=v.rank.index, default=None)


def truth(e: Expr, row: Row, ages: Ages, derive: Derive = _no_related) -> bool | None:
    """SQL's three-valued logic: None where SQL would give NULL."""
    if isinstance(e, Compare):
        left, right = value(e.left, row, ages, derive), value(e.right, row, ages, derive)
        return None if left is None or right is None else OPERATORS[e.op](left, right)
    if isinstance(e, In | StartsWith | IsNull):
        v = value(e.column, row, ages, derive)
        if isinstance(e, IsNull):
            return v is None
        if v is None:
            return None
        return v in e.values if isinstance(e, In) else any(v.startswith(p) for p in e.prefixes)
    if isinstance(e, Not):
        inner = truth(e.expr, row, ages, derive)
        return None if inner is None else not inner
    results = [truth(x, row, ages, derive) for x in e.exprs]
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


def ages_on(born: date, day: date) -> Ages:
    return age_on(born, day), age_cld(born, day)


def _day(row: Row, source: Source, name: str) -> Any:
    """A date (or other value) of a row for a relation; an empty end is a row still
    running."""
    found = row[source.column(name)]
    if found is None and name in ("end", source.end):
        return OPEN_END
    return found


def first_by(rows: list[Row], order: Sequence[Order], source: Source) -> Row:
    """The first row by ``order`` then the greatest row id, empty values last in every key
    (as the SQL engines' ``NULLS LAST``): stable sorts from the last key to the first."""
    row_id = schema.BY_NAME[source.table].row_id
    rows = sorted(rows, key=lambda r: (r[row_id] is not None, r[row_id]), reverse=True)
    for key in reversed(order):
        if key.rank or key.first:
            rows.sort(key=partial(_place, key))
            continue
        column = source.column(key.column)

        def sort_value(r: Row, c: str = column) -> Any:
            found = r[c]
            return OPEN_END if found is None and c == source.end else found

        if key.descending:
            rows.sort(key=lambda r: (sort_value(r) is not None, sort_value(r)), reverse=True)
        else:
            rows.sort(key=lambda r: (sort_value(r) is None, sort_value(r)))
    return rows[0]


def _place(key: Order, row: Row) -> int:
    found = row[key.column]
    if key.first:
        return 0 if found in key.first else 1
    return rank_place(found, key.rank)


def _summed(measure: Sum, row: Row) -> Any:
    """A row's part of a sum: its column, or the days to it from ``days_from``."""
    found = row[measure.column]
    if measure.days_from is None or found is None:
        return found
    since = row[measure.days_from]
    return None if since is None else (found - since).days


class MemoryEngine:
    name = "memory"

    def __init__(self, tables: Mapping[str, Sequence[Row]]) -> None:
        self.tables = tables
        self.persons = {p["person_id"]: p for p in tables["persons"]}
        self._by_person: dict[Source, dict[Any, list[Row]]] = {}
        self._episodes: dict[tuple[str, Cluster], list[dict[str, Any]]] = {}
        self._carried: dict[tuple[Any, ...], list[dict[str, Any]]] = {}

    def _table(self, source: Source) -> Sequence[Row]:
        """The source's rows: its table's, or its episodes', with any carried columns."""
        rows = self._episodes_of(source)
        if not source.carry:
            return rows
        key = (source.table, source.cluster, source.carry)
        if key not in self._carried:
            carried = [dict(row) for row in rows]
            for c in source.carry:
                for row in carried:
                    row[c.name] = self._related_value(source, c.value, row)
            self._carried[key] = carried
        return self._carried[key]

    def _episodes_of(self, source: Source) -> Sequence[Row]:
        found = source.cluster
        if found is None:
            return self.tables[source.table]
        if (source.table, found) not in self._episodes:

            def member(row: Row) -> bool:
                born = self.persons[row["person_id"]]["date_of_birth"]
                return truth(found.members, row, ages_on(born, row[found.start])) is True

            rows = cluster_rows(self.tables[source.table], found, member)
            self._episodes[(source.table, found)] = rows
        return self._episodes[(source.table, found)]

    def _person(self, source: Source, row: Row) -> Row:
        return row if source.table == "persons" else self.persons[row["person_id"]]

    def _age_day(self, source: Source, row: Row, period: Period | None) -> date:
        rule = source.age_day
        if period is None or rule == "date":
            return row[source.date]  # type: ignore[no-any-return]
        if rule == "end":
            end: date | None = row[source.column("end")]
            return min(end or period.last_day, period.last_day)
        return period.mid if rule == "period_mid" else period.last_day

    @staticmethod
    def _in_period(source: Source, row: Row, period: Period) -> bool:
        start: date = row[source.date]
        if source.end is None:
            return period.start <= start < period.end
        end = row[source.end]
        if source.snapshot:
            return start <= period.last_day and (end is None or end >= period.last_day)
        return start < period.end and (end is None or end >= period.start)

    def rows(self, source: Source, period: Period | None) -> Iterator[tuple[Row, Row, Ages]]:
        """(row, person, ages) for each row of the source in the period (all if None)."""
        derive = partial(self._related_value, source)
        for row in self._table(source):
            if row[source.date] is None:
                continue
            if period is not None and not self._in_period(source, row, period):
                continue
            person = self._person(source, row)
            ages = ages_on(person["date_of_birth"], self._age_day(source, row, period))
            if truth(source.where, row, ages, derive) is True and self._related_hold(source, row):
                yield row, person, ages

    def _related_hold(self, source: Source, row: Row) -> bool:
        return all(self._has(related, source, row) != related.negate for related in source.related)

    def _has(self, related: Related, outer: Source, row: Row) -> bool:
        for inner in related.sources:
            for other in self._rows_of(inner).get(row["person_id"], ()):
                if all(self._relation(r, inner, other, outer, row) for r in related.when):
                    return True
        return False

    def _related_value(self, outer: Source, v: RelatedValue, row: Row) -> Any:
        """The first of the person's matching rows of ``v.source``, as ``RelatedValue``."""
        found = [
            other
            for other in self._rows_of(v.source).get(row["person_id"], ())
            if all(self._relation(r, v.source, other, outer, row) for r in v.when)
        ]
        return first_by(found, v.order, v.source)[v.column] if found else None

    @staticmethod
    def _relation(r: Relation, inner: Source, other: Row, outer: Source, row: Row) -> bool:
        mine, theirs = _day(other, inner, r.inner), _day(row, outer, r.outer)
        if mine is None or theirs is None:
            return False
        shifted = theirs + timedelta(days=r.days) if r.days else theirs
        return OPERATORS[r.op](mine, shifted)

    def _rows_of(self, source: Source) -> dict[Any, list[Row]]:
        """A related source's rows (not cut to any period) by person, computed once."""
        if source not in self._by_person:
            found: dict[Any, list[Row]] = defaultdict(list)
            for row, person, _ in self.rows(source, None):
                found[person["person_id"]].append(row)
            self._by_person[source] = found
        return self._by_person[source]

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
                day = period.mid_year
                alive = person["date_of_death"] is None or person["date_of_death"] > day
                if person["date_of_birth"] <= day and alive:
                    ages = ages_on(person["date_of_birth"], day)
                    if truth(measure.where, person, ages) is True:
                        totals[key(person, ages[0])] += 1
        elif isinstance(measure, Count | Sum):
            for row, person, ages in self.rows(measure.source, period):
                add = 1 if isinstance(measure, Count) else _summed(measure, row)
                if add is not None:
                    totals[key(person, ages[0])] += add
        elif isinstance(measure, Spend | Total):
            for part in measure.parts if isinstance(measure, Total) else (measure,):
                for row, person, ages in self.rows(part.source, period):
                    pence = self._pence(part, row, period)
                    if pence is not None:
                        totals[key(person, ages[0])] += pence
        elif isinstance(measure, Persons):
            people: dict[Key, set[Any]] = defaultdict(set)
            for row, person, ages in self.rows(measure.source, period):
                people[key(person, ages[0])].add(row["person_id"])
            totals.update({k: len(v) for k, v in people.items()})
        else:
            totals.update(self._highest(measure, period, key))
        return dict(totals)

    def _highest(
        self, measure: Highest, period: Period, key: Callable[[Row, int], Key]
    ) -> dict[Key, int]:
        best: dict[Any, tuple[tuple[int, date, int], Key]] = {}
        for row, person, ages in self.rows(measure.source, period):
            tier = next(
                (i for i, t in enumerate(measure.tiers) if truth(t, row, ages) is True),
                len(measure.tiers),
            )
            order = (tier, row[measure.source.date], ages[0])
            pid = person["person_id"]
            if pid not in best or order < best[pid][0]:
                best[pid] = (order, key(person, ages[0]))
        totals: dict[Key, int] = defaultdict(int)
        for (tier, _, _), k in best.values():
            if tier in measure.counted:
                totals[k] += 1
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
