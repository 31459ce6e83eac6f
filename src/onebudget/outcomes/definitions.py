"""Indicator definitions: reviewed YAML files, one per indicator, validated on load.

Each file names its owner, source and review date, its numerator and denominator as
measures over the linked dataset, and how its value is computed. The conditions use a small
vocabulary (``column``/``is``, ``in``, ``starts_with``, ``age_at_least``, ``all``, ``any``,
``not``...) that is parsed into the query model, and every table and column is checked
against ``population.schema``, so a typo is an error on load naming the file and place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from onebudget.outcomes import model as m
from onebudget.population import schema

Framework = Literal["BCF", "ASCOF", "NHS OF", "PHOF", "local"]
COLUMNS = {t.name: {c.name for c in t.columns} for t in schema.TABLES}
MONEY = {t.name: {c.name for c in t.columns if c.type == schema.MONEY} for t in schema.TABLES}


class DefinitionError(ValueError):
    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class IndicatorFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    framework: Framework
    reference: str = ""
    description: str
    numerator: dict[str, Any]
    denominator: dict[str, Any]
    method: m.Method
    multiplier: float = Field(gt=0)
    unit: str
    polarity: Literal["higher is better", "lower is better", "no judgement"]
    breakdowns: list[
        Literal["local_authority", "gp_practice_code", "sex", "age_band", "imd_quintile"]
    ]
    owner: str
    source: str
    reviewed: date
    review_by: date
    notes: str = ""


@dataclass(frozen=True)
class Indicator:
    """A validated indicator, its measures parsed into the query model."""

    spec: IndicatorFile
    numerator: m.Measure
    denominator: m.Measure

    @property
    def id(self) -> str:
        return self.spec.id


class _Parser:
    """Turns the YAML vocabulary into model nodes, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def column(self, table: str, name: Any, path: str) -> m.Col:
        if name != m.AGE and name not in COLUMNS.get(table, set()):
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
        if "age_at_least" in spec or "age_below" in spec:
            at_least = "age_at_least" in spec
            age = m.Const(spec["age_at_least"] if at_least else spec["age_below"])
            if at_least:
                return m.Compare(">=", m.Col(m.AGE), age)
            return m.Compare("<", m.Col(m.AGE), age)
        return self._column_test(table, spec, path)

    def _column_test(self, table: str, spec: dict[str, Any], path: str) -> m.Expr:
        col = self.column(table, spec.get("column"), f"{path}.column")
        tests = {k: v for k, v in spec.items() if k != "column"}
        if len(tests) != 1:
            self.problem(path, f"give one test for the column, not {sorted(tests)}")
            return m.TRUE
        ((test, value),) = tests.items()
        simple = {"is": "=", "is_not": "!=", "at_least": ">=", "below": "<"}
        if test in simple:
            return m.Compare(simple[test], col, m.Const(value))  # type: ignore[arg-type]
        if test in ("in", "not_in", "starts_with") and isinstance(value, list):
            if test == "starts_with":
                return m.StartsWith(col, tuple(str(v) for v in value))
            found = m.In(col, tuple(value))
            return found if test == "in" else m.Not(found)
        if test == "is_empty" and isinstance(value, bool):
            return m.IsNull(col) if value else m.Not(m.IsNull(col))
        self.problem(path, f"unknown test {test!r} with {value!r}")
        return m.TRUE

    def source(self, spec: Any, path: str) -> m.Source:
        if not isinstance(spec, dict) or spec.get("table") not in COLUMNS:
            self.problem(path, f"a source names a table of {sorted(COLUMNS)}")
            return m.Source("persons", "date_of_birth")
        table = spec["table"]
        date_col = self.column(table, spec.get("date"), f"{path}.date").name
        end = spec.get("end")
        if end is not None:
            self.column(table, end, f"{path}.end")
        where = self.condition(table, spec.get("where", []), f"{path}.where")
        return m.Source(table, date_col, where, end)

    def spend(self, body: Any, path: str) -> m.Measure:
        """A list of money columns, each a source with ``column`` and optional ``per_days``."""
        if not isinstance(body, list) or not body:
            self.problem(path, "spend is a list of sources, each with a money column")
            return m.Population()
        parts = []
        for i, spec in enumerate(body):
            where = f"{path}.spend[{i}]"
            source = self.source(spec, where)
            column = self.column(source.table, spec.get("column"), f"{where}.column").name
            if column in COLUMNS.get(source.table, ()) and column not in MONEY[source.table]:
                self.problem(f"{where}.column", f"{column!r} is not a money column")
            per_days = spec.get("per_days")
            if per_days is not None and (source.end is None or not isinstance(per_days, int)):
                self.problem(f"{where}.per_days", "a whole number of days, with an end date")
            parts.append(m.Spend(source, column, per_days))
        return m.Total(tuple(parts)) if len(parts) > 1 else parts[0]

    def measure(self, spec: dict[str, Any], path: str) -> m.Measure:
        if len(spec) != 1:
            self.problem(
                path, "a measure is one of count, sum, spend, persons, population, followed_by"
            )
            return m.Population()
        ((kind, body),) = spec.items()
        body = body or {}
        if kind == "population":
            return m.Population(self.condition("persons", body.get("where", []), f"{path}.where"))
        if kind == "followed_by":
            outcomes = tuple(
                self.source(s, f"{path}.outcomes[{i}]")
                for i, s in enumerate(body.get("outcomes", []))
            )
            return m.FollowedBy(
                self.source(body.get("index"), f"{path}.index"),
                outcomes,
                int(body.get("days", 0)),
                body.get("after"),
                bool(body.get("negate", False)),
            )
        if kind == "spend":
            return self.spend(body, path)
        source = self.source(body, path)
        if kind == "count":
            return m.Count(source)
        if kind == "persons":
            return m.Persons(source)
        if kind == "sum":
            return m.Sum(
                source, self.column(source.table, body.get("column"), f"{path}.column").name
            )
        self.problem(path, f"unknown measure {kind!r}")
        return m.Population()


def parse_indicator(text: str, *, source: str) -> Indicator:
    try:
        spec = IndicatorFile.model_validate(yaml.safe_load(text))
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        raise DefinitionError(source, problems) from None
    parser = _Parser()
    numerator = parser.measure(spec.numerator, "numerator")
    denominator = parser.measure(spec.denominator, "denominator")
    if spec.review_by <= spec.reviewed:
        parser.problem("review_by", "must come after the review date")
    if parser.problems:
        raise DefinitionError(source, parser.problems)
    return Indicator(spec, numerator, denominator)


@cache
def indicators() -> dict[str, Indicator]:
    """Every indicator shipped with the library, by id."""
    folder = resources.files("onebudget") / "definitions" / "indicators"
    found: dict[str, Indicator] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml"):
            indicator = parse_indicator(path.read_text(encoding="utf-8"), source=path.name)
            if f"{indicator.id}.yaml" != path.name:
                raise DefinitionError(path.name, [f"id {indicator.id!r} must match the file"])
            found[indicator.id] = indicator
    return found
