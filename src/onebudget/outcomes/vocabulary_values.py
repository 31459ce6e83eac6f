"""The YAML vocabulary of derived values: a source's ``values``, named and read in its
conditions as ``{value: name, in: [...]}``.

A value is ``{column: C}``, ``{const: V}``, ``{value: name}`` (one defined above it),
``{first_column: GROUP, starting: [...]}`` (the first column of a group of positions whose
code starts so), ``{first_related: SOURCE, when: [...], column: C, order: [...]}`` (the
column of the first of the person's rows meeting the relations; ``order`` items are
``{column, descending}``, ``{column, rank: [...]}`` or ``{column, first: [...]}``),
``{best_of: [...], rank: [...]}``, ``{when: CONDITION, then: VALUE}`` or ``{first_of:
[...]}``; see ``model``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from onebudget.outcomes import model as m

KINDS = (
    "first_related",
    "best_of",
    "first_of",
    "first_column",
    "when",
    "value",
    "const",
    "column",
)


class _Parsing(Protocol):
    named: dict[str, m.Value]

    def problem(self, path: str, message: str) -> None: ...
    def column(self, table: str, name: Any, path: str) -> m.Col: ...
    def columns(self, table: str, group: Any, path: str) -> tuple[str, ...]: ...
    def condition(self, table: str, spec: Any, path: str) -> m.Expr: ...
    def source(self, spec: Any, path: str, *, extra: frozenset[str] = ...) -> m.Source: ...
    def relation(
        self, table: str, text: Any, path: str, inner: tuple[m.Source, ...] = ...
    ) -> m.Relation: ...


class ValueParser:
    """Parses a source's named values; mixed into ``vocabulary.Parser``."""

    def values(self: _Parsing, table: str, specs: Any, path: str) -> dict[str, m.Value]:
        if not isinstance(specs, dict):
            self.problem(path, "values is a mapping of names to values")
            return {}
        found: dict[str, m.Value] = {}
        for name, spec in specs.items():
            self.named = {**self.named, **found}
            found[str(name)] = ValueParser.value(self, table, spec, f"{path}.{name}")
        return found

    def value(self: _Parsing, table: str, spec: Any, path: str) -> m.Value:
        kind = next((k for k in KINDS if isinstance(spec, dict) and k in spec), None)
        if kind is None:
            self.problem(path, f"a value is one of {', '.join(KINDS)}")
            return m.Const(None)
        if kind == "column":
            return self.column(table, spec["column"], f"{path}.column")
        if kind == "const":
            return m.Const(spec["const"])
        if kind == "value":
            if spec["value"] not in self.named:
                self.problem(path, f"no value {spec['value']!r} is defined before this")
                return m.Const(None)
            return self.named[spec["value"]]
        if kind == "first_related":
            return ValueParser.first_related(self, table, spec, path)
        if kind == "first_column":
            return ValueParser.first_column(self, table, spec, path)
        if kind == "when":
            then = ValueParser.value(self, table, spec.get("then"), f"{path}.then")
            return m.When(self.condition(table, spec["when"], f"{path}.when"), then)
        parts = spec[kind] if isinstance(spec[kind], list) else []
        values = tuple(
            ValueParser.value(self, table, v, f"{path}.{kind}[{i}]") for i, v in enumerate(parts)
        )
        if kind == "first_of":
            return m.FirstOf(values)
        return m.BestOf(values, tuple(str(r) for r in spec.get("rank") or []))

    def first_column(self: _Parsing, table: str, spec: dict[str, Any], path: str) -> m.Value:
        """The first column of a group, in position order, whose code starts with one of
        ``starting`` (as HES derives CAUSE, the first external cause among the diagnoses)."""
        names = self.columns(table, spec["first_column"], f"{path}.first_column")
        prefixes = spec.get("starting")
        if not isinstance(prefixes, list) or not prefixes:
            self.problem(f"{path}.starting", "a list of code prefixes")
            prefixes = []
        start = tuple(str(p) for p in prefixes)
        return m.FirstOf(tuple(m.When(m.StartsWith(m.Col(c), start), m.Col(c)) for c in names))

    def first_related(self: _Parsing, table: str, spec: dict[str, Any], path: str) -> m.Value:
        inner = self.source(spec["first_related"], f"{path}.first_related")
        if not inner.plain:
            self.problem(path, m.PLAIN)
            inner = replace(inner, related=(), cluster=None)
        when = tuple(
            self.relation(table, r, f"{path}.when[{i}]", inner=(inner,))
            for i, r in enumerate(spec.get("when") or [])
        )
        order = []
        keys = spec.get("order") or []
        flat = [k for key in keys for k in (key if isinstance(key, list) else [key])]
        for i, key in enumerate(flat):
            where = f"{path}.order[{i}]"
            if not isinstance(key, dict):
                self.problem(where, "an order is {column, descending}, {column, rank} or first")
                continue
            name = str(key.get("column"))
            if name not in ("date", "end"):
                self.column(inner.table, name, f"{where}.column")
            rank = tuple(str(r) for r in key.get("rank") or [])
            first = tuple(str(r) for r in key.get("first") or [])
            order.append(m.Order(name, bool(key.get("descending", False)), rank, first))
        column = self.column(inner.table, spec.get("column"), f"{path}.column").name
        return m.RelatedValue(inner, when, column, tuple(order))
