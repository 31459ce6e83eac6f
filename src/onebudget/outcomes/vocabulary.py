"""The YAML vocabulary of indicator definitions, parsed into the query model.

Conditions: ``column`` (or ``any_column``, a group such as ``diagnoses``) with ``is``,
``is_not``, ``in``, ``not_in``, ``starts_with``, ``at_least``, ``below`` or ``is_empty``;
``age_at_least``/``age_below`` (completed years) and ``cld_age_at_least``/``cld_age_below``
(DHSC's CLD age); ``all``, ``any``, ``not``. Sources: ``table``, ``date``, optional ``end``,
``snapshot``, ``age_on``, ``where``, ``related`` (``has`` or ``has_no`` sources, ``when``
relations such as ``"date <= Event_Start_Date + 30"``) and ``cluster``. Measures: ``count``,
``sum`` (of a column, or with ``days_from`` of the days between two dates), ``persons``,
``population``, ``followed_by``, ``spend`` and ``highest``. Every table and column is checked
against ``population.schema``; every problem is collected with its path.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, get_args

from onebudget.outcomes import model as m
from onebudget.outcomes.vocabulary_values import ValueParser
from onebudget.population import schema

COLUMNS = {t.name: {c.name for c in t.columns} for t in schema.TABLES}
MONEY = {t.name: {c.name for c in t.columns if c.type == schema.MONEY} for t in schema.TABLES}
DATES = {t.name: {c.name for c in t.columns if c.type == schema.DATE} for t in schema.TABLES}
AGES = {
    "age_at_least": (m.AGE, ">="),
    "age_below": (m.AGE, "<"),
    "cld_age_at_least": (m.AGE_CLD, ">="),
    "cld_age_below": (m.AGE_CLD, "<"),
}
RELATION = re.compile(r"^(\w+) (<|<=|>|>=|=) (\w+)(?: ([+-]) (\d+))?$")
SOURCE_KEYS = {
    "table",
    "date",
    "end",
    "where",
    "snapshot",
    "age_on",
    "related",
    "cluster",
    "values",
    "carry",
}


class Parser(ValueParser):
    """Turns the YAML vocabulary into model nodes, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.named: dict[str, m.Value] = {}  # the values of the source being read
        self.carried: frozenset[str] = frozenset()  # the columns it carries

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def column(self, table: str, name: Any, path: str) -> m.Col:
        known = COLUMNS.get(table, set()) | self.carried
        if not isinstance(name, str) or (name not in (m.AGE, m.AGE_CLD) and name not in known):
            self.problem(path, f"{table} has no column {name!r}")
        return m.Col(str(name))

    def condition(self, table: str, spec: Any, path: str) -> m.Expr:
        if isinstance(spec, list):
            return m.All(
                tuple(self.condition(table, s, f"{path}[{i}]") for i, s in enumerate(spec))
            )
        if not isinstance(spec, dict):
            self.problem(path, f"a condition is a mapping, not {spec!r}")
            return m.TRUE
        if "all" in spec or "any" in spec:
            parts = spec.get("all", spec.get("any")) or []
            exprs = tuple(self.condition(table, s, f"{path}[{i}]") for i, s in enumerate(parts))
            return m.All(exprs) if "all" in spec else m.AnyOf(exprs)
        if "not" in spec:
            return m.Not(self.condition(table, spec["not"], f"{path}.not"))
        for key, (age, op) in AGES.items():
            if key in spec:
                if not isinstance(spec[key], int):
                    self.problem(f"{path}.{key}", "an age is a whole number of years")
                return m.Compare(op, m.Col(age), m.Const(spec[key]))  # type: ignore[arg-type]
        if "any_column" in spec:
            return self._any_column(table, spec, path)
        return self._column_test(table, spec, path)

    def columns(self, table: str, group: Any, path: str) -> tuple[str, ...]:
        """A named group of positional columns (``schema.COLUMN_GROUPS``) or a list."""
        groups = schema.COLUMN_GROUPS.get(table, {})
        if isinstance(group, str) and group in groups:
            return groups[group]
        if isinstance(group, list) and group:
            return tuple(self.column(table, c, f"{path}[{i}]").name for i, c in enumerate(group))
        self.problem(path, f"a group of {table} columns ({', '.join(groups)}) or a list")
        return ()

    def _any_column(self, table: str, spec: dict[str, Any], path: str) -> m.Expr:
        """True when any filled column of the group passes the test: an empty position is
        never a match, so ``not`` of this is definite (no unknowns from empty positions)."""
        names = self.columns(table, spec["any_column"], f"{path}.any_column")
        test = {k: v for k, v in spec.items() if k != "any_column"}
        return m.AnyOf(
            tuple(
                m.All(
                    (
                        m.Not(m.IsNull(m.Col(c))),
                        self._column_test(table, {"column": c, **test}, path),
                    )
                )
                for c in names
            )
        )

    def _column_test(self, table: str, spec: dict[str, Any], path: str) -> m.Expr:
        col: m.Value
        if "value" in spec:
            col = self.value(table, {"value": spec["value"]}, f"{path}.value")
        else:
            col = self.column(table, spec.get("column"), f"{path}.column")
        tests = {k: v for k, v in spec.items() if k not in ("column", "value")}
        if len(tests) != 1:
            self.problem(path, f"give one test for the column, not {sorted(map(str, tests))}")
            return m.TRUE
        ((test, value),) = tests.items()
        simple = {"is": "=", "is_not": "!=", "at_least": ">=", "below": "<"}
        if test in simple:
            other = self.value(table, value, path) if isinstance(value, dict) else m.Const(value)
            return m.Compare(simple[test], col, other)  # type: ignore[arg-type]
        if test in ("in", "not_in", "starts_with") and isinstance(value, list):
            if test == "starts_with":
                return m.StartsWith(col, tuple(str(v) for v in value))
            found = m.In(col, tuple(value))
            return found if test == "in" else m.Not(found)
        if test == "is_empty" and isinstance(value, bool):
            return m.IsNull(col) if value else m.Not(m.IsNull(col))
        self.problem(path, f"unknown test {test!r} with {value!r}")
        return m.TRUE

    def source(self, spec: Any, path: str, *, extra: frozenset[str] = frozenset()) -> m.Source:
        if not isinstance(spec, dict) or not isinstance(spec.get("table"), str):
            spec = {}
        if spec.get("table") not in COLUMNS:
            self.problem(path, f"a source names a table of {sorted(COLUMNS)}")
            return m.Source("persons", "date_of_birth")
        unknown = sorted(set(spec) - SOURCE_KEYS - extra)
        if unknown:
            self.problem(path, f"a source has no {unknown}")
        table = spec["table"]
        outer_carried = self.carried
        carry = self._carry(table, spec.get("carry"), f"{path}.carry")
        self.carried = outer_carried | {c.name for c in carry}
        date_col = self.column(table, spec.get("date"), f"{path}.date").name
        end = spec.get("end")
        if end is not None:
            self.column(table, end, f"{path}.end")
        age_on = spec.get("age_on")
        if age_on is not None and age_on not in get_args(m.AgeDay):
            self.problem(f"{path}.age_on", f"one of {get_args(m.AgeDay)}")
        if spec.get("snapshot") and end is None:
            self.problem(f"{path}.snapshot", "a snapshot needs an end date")
        outside, self.named = self.named, {}
        self.named = self.values(table, spec.get("values", {}), f"{path}.values")
        where = self.condition(table, spec.get("where", []), f"{path}.where")
        self.named = outside
        source = m.Source(
            table,
            date_col,
            where,
            end,
            bool(spec.get("snapshot", False)),
            age_on,
            self._related_list(table, spec.get("related", []), f"{path}.related"),
            self._cluster(table, spec.get("cluster"), f"{path}.cluster"),
            carry,
        )
        self.carried = outer_carried
        return source

    def _carry(self, table: str, specs: Any, path: str) -> tuple[m.Carried, ...]:
        """Columns carried onto the rows: each a ``first_related`` value whose relations
        name the row's own columns (its ``date`` may be the carried one)."""
        if specs is None:
            return ()
        if not isinstance(specs, dict):
            self.problem(path, "carry is a mapping of names to first_related values")
            return ()
        found = []
        for name, spec in specs.items():
            where = f"{path}.{name}"
            related = isinstance(spec, dict) and "first_related" in spec
            value = self.first_related(table, spec, where) if related else None
            if not isinstance(value, m.RelatedValue):
                self.problem(where, "a carried column is a first_related value")
                continue
            if any(r.outer in ("date", "end") for r in value.when):
                self.problem(where, "name the row's columns, not date or end, in when")
            found.append(m.Carried(str(name), value))
        return tuple(found)

    def _related_list(self, table: str, specs: Any, path: str) -> tuple[m.Related, ...]:
        if not isinstance(specs, list):
            self.problem(path, "related is a list of has / has_no tests")
            return ()
        return tuple(self._related(table, s, f"{path}[{i}]") for i, s in enumerate(specs))

    def _related(self, table: str, spec: Any, path: str) -> m.Related:
        if not isinstance(spec, dict) or len({"has", "has_no"} & set(spec)) != 1:
            self.problem(path, "give has or has_no (a list of sources) and when")
            return m.Related((), ())
        negate = "has_no" in spec
        found = spec["has_no" if negate else "has"]
        sources = tuple(
            self.source(s, f"{path}.has[{i}]")
            for i, s in enumerate(found if isinstance(found, list) else [])
        )
        if not all(s.plain for s in sources):
            self.problem(path, m.PLAIN)
            sources = tuple(replace(s, related=(), cluster=None) for s in sources)
        when = tuple(
            self.relation(table, r, f"{path}.when[{i}]", inner=sources)
            for i, r in enumerate(spec.get("when") or [])
        )
        if not sources or not when:
            self.problem(path, "a related test names at least one source and one relation")
        return m.Related(sources, when, negate)

    def relation(
        self, table: str, text: Any, path: str, inner: tuple[m.Source, ...] = ()
    ) -> m.Relation:
        match = RELATION.match(str(text).strip())
        if not match:
            self.problem(path, f"{text!r}: write like 'date <= Event_Start_Date + 30'")
            return m.Relation("date", "=", "date")
        mine, op, outer, sign, days = match.groups()
        dated = mine in ("date", "end")
        for source in inner if not dated else ():
            self.column(source.table, mine, path)
        if outer not in ("date", "end"):
            self.column(table, outer, path)
        if days and not dated:
            self.problem(path, f"{text!r}: only dates move by days")
        shift = int(days or 0) * (-1 if sign == "-" else 1)
        return m.Relation(mine, op, outer, shift)  # type: ignore[arg-type]

    def _cluster(self, table: str, spec: Any, path: str) -> m.Cluster | None:
        if spec is None:
            return None
        if not isinstance(spec, dict) or not isinstance(spec.get("gap_days"), int):
            self.problem(path, "a cluster has start, end, gap_days, members and row_id")
            return None
        names = {k: spec.get(k) for k in ("start", "end", "row_id")}
        for key, name in names.items():
            self.column(table, name, f"{path}.{key}")
        rank_column = spec.get("rank_column")
        if rank_column is not None:
            self.column(table, rank_column, f"{path}.rank_column")
        return m.Cluster(
            str(names["start"]),
            str(names["end"]),
            spec["gap_days"],
            self.condition(table, spec.get("members", []), f"{path}.members"),
            str(names["row_id"]),
            rank_column,
            tuple(str(v) for v in spec.get("rank") or []),
        )

    def spend(self, body: Any, path: str) -> m.Measure:
        """A list of money columns, each a source with ``column`` and optional ``per_days``."""
        if not isinstance(body, list) or not body:
            self.problem(path, "spend is a list of sources, each with a money column")
            return m.Population()
        parts = []
        for i, spec in enumerate(body):
            where = f"{path}.spend[{i}]"
            source = self.source(spec, where, extra=frozenset({"column", "per_days"}))
            column = self.column(source.table, spec.get("column"), f"{where}.column").name
            if column in COLUMNS.get(source.table, ()) and column not in MONEY[source.table]:
                self.problem(f"{where}.column", f"{column!r} is not a money column")
            per_days = spec.get("per_days")
            if per_days is not None and (source.end is None or not isinstance(per_days, int)):
                self.problem(f"{where}.per_days", "a whole number of days, with an end date")
            parts.append(m.Spend(source, column, per_days))
        return m.Total(tuple(parts)) if len(parts) > 1 else parts[0]

    def sum(self, body: dict[str, Any], path: str) -> m.Measure:
        """A column summed; with ``days_from`` (a date column), the days from it to
        ``column`` (a date too), summed."""
        source = self.source(body, path, extra=frozenset({"column", "days_from"}))
        column = self.column(source.table, body.get("column"), f"{path}.column").name
        since = body.get("days_from")
        if since is None:
            return m.Sum(source, column)
        since = self.column(source.table, since, f"{path}.days_from").name
        dates = DATES.get(source.table, set())
        for key, name in (("column", column), ("days_from", since)):
            if name in COLUMNS.get(source.table, ()) and name not in dates:
                self.problem(
                    f"{path}.{key}", f"{name!r} is not a date: days are counted between dates"
                )
        return m.Sum(source, column, since)

    def highest(self, body: dict[str, Any], path: str) -> m.Measure:
        """People by their highest tier: ``tiers`` (each a ``name`` and a ``where``, the
        first highest) and ``count`` (the names of the tiers counted)."""
        source = self.source(body, path, extra=frozenset({"tiers", "count"}))
        tiers = body.get("tiers") or []
        names = [t.get("name") if isinstance(t, dict) else None for t in tiers]
        if not tiers or None in names or len(set(names)) != len(names):
            self.problem(f"{path}.tiers", "a list of tiers, each with its own name and a where")
        counted = body.get("count") or []
        missing = [c for c in counted if c not in names]
        if not counted or missing:
            self.problem(f"{path}.count", f"names of tiers to count; not tiers: {missing}")
        exprs = tuple(
            self.condition(
                source.table,
                t.get("where", []) if isinstance(t, dict) else [],
                f"{path}.tiers[{i}].where",
            )
            for i, t in enumerate(tiers)
        )
        return m.Highest(source, exprs, tuple(names.index(c) for c in counted if c in names))

    def followed_by(self, body: dict[str, Any], path: str) -> m.Measure:
        outcomes = tuple(
            self.source(s, f"{path}.outcomes[{i}]") for i, s in enumerate(body.get("outcomes", []))
        )
        return m.followed_by(
            self.source(body.get("index"), f"{path}.index"),
            outcomes,
            int(body.get("days", 0)),
            body.get("after"),
            bool(body.get("negate", False)),
        )

    def measure(self, spec: dict[str, Any], path: str) -> m.Measure:
        kinds = "count, sum, spend, persons, population, followed_by, highest"
        if len(spec) != 1:
            self.problem(path, f"a measure is one of {kinds}")
            return m.Population()
        ((kind, body),) = spec.items()
        body = body or {}
        if kind == "population":
            return m.Population(self.condition("persons", body.get("where", []), f"{path}.where"))
        if kind == "followed_by":
            return self.followed_by(body, path)
        if kind == "spend":
            return self.spend(body, path)
        if kind == "highest":
            return self.highest(body, path)
        if kind == "sum":
            return self.sum(body, path)
        if kind in ("count", "persons"):
            source = self.source(body, path)
            return m.Count(source) if kind == "count" else m.Persons(source)
        self.problem(path, f"unknown measure {kind!r}: one of {kinds}")
        return m.Population()
