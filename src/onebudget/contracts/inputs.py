"""What a period's payment is worked from: activity and population, as plain data and files.

Three kinds of figure, each by line (an activity line or a population segment, as the
contract names it):

- ``volume``: units of activity in the period (attendances, bed days, hours);
- ``value``: activity in the period valued at unit price, in pounds (aligned payment lines
  without a unit price);
- ``population``: heads in a segment of the registered or resident population.

An outcome-based or alliance contract also reads, by line:

- ``result``: an indicator's result for the period, by the outcomes engine's indicator id
  (``falls-65-plus``) or a per-unit outcome's name, with ``lower`` and ``upper``, its 95%
  interval as the outcomes engine gives it (needed only where a change must be significant);
- ``actual_cost``: the period's actual cost in pounds, for a shared saving or an alliance,
  its line the contract's id (so one file may hold the costs of several contracts).

A file holds any number of periods; the period paid is picked out. As CSV or XLSX, one row per
figure with the columns ``period, input, line, figure``::

    period,input,line,figure
    2025-Q1,volume,first-outpatient,1200
    2025-Q1,population,65-plus,8000
    2025-Q1,value,elective,2600000.00
    2025-Q1,result,falls-65-plus,1850
    2025-Q1,lower,falls-65-plus,1790.5
    2025-Q1,upper,falls-65-plus,1910.5
    2025-Q1,actual_cost,C-FERN-2025-ALLIANCE,950000.00

As YAML, a mapping of period to input to line to figure::

    2025-Q1:
      volume: {first-outpatient: 1200}
      population: {65-plus: 8000}
      value: {elective: 2600000.00}
      result: {falls-65-plus: 1850}
      lower: {falls-65-plus: 1790.5}
      upper: {falls-65-plus: 1910.5}
      actual_cost: {C-FERN-2025-ALLIANCE: 950000.00}

Every problem (an unknown input, a figure that is not a number, a line given twice) is named
with its row or path; a figure the contract needs and the file lacks is named by ``pay``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args

from onebudget.contracts.model import number
from onebudget.contracts.periods import WRITTEN, Period, parse_period
from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError
from onebudget.io.tables import read_table
from onebudget.money import MoneyError, exact

Input = Literal["volume", "value", "population"]
Outcome = Literal["result", "lower", "upper", "actual_cost"]
INPUTS: tuple[Input | Outcome, ...] = get_args(Input) + get_args(Outcome)
COLUMNS = ("period", "input", "line", "figure")
MEANING = {"volume": "units of activity", "value": "activity at unit price", "population": "heads"}
MEANING |= {
    "result": "an indicator's or outcome's result",
    "lower": "the lower end of a result's 95% interval",
    "upper": "the upper end of a result's 95% interval",
    "actual_cost": "the actual cost in pounds",
}


class InputsError(ProblemsError):
    """Problems in a file of period inputs."""


@dataclass(frozen=True)
class Inputs:
    """A period's figures: volume and value by activity line, population by segment."""

    volume: Mapping[str, Decimal] = field(default_factory=dict)
    value: Mapping[str, Decimal] = field(default_factory=dict)
    population: Mapping[str, Decimal] = field(default_factory=dict)
    result: Mapping[str, Decimal] = field(default_factory=dict)
    lower: Mapping[str, Decimal] = field(default_factory=dict)
    upper: Mapping[str, Decimal] = field(default_factory=dict)
    actual_cost: Mapping[str, Decimal] = field(default_factory=dict)


class Given:
    """The inputs as an engine reads them. A figure the file lacks is recorded as a problem
    named by what the contract needs and read as 0, so the engine goes on and every missing
    figure is named at once; ``pay`` refuses the statement if any is."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.problems: list[Problem] = []

    def figure(self, kind: Input | Outcome, line: str, needed_by: str) -> Decimal:
        found = getattr(self.inputs, kind).get(line)
        if found is None:
            rule = f"the period's {kind} ({MEANING[kind]}) for {line} is needed by {needed_by}"
            self.problems.append(Problem(path=f"inputs.{kind}.{line}", value=None, rule=rule))
            return Decimal(0)
        return Decimal(found)

    def optional(self, kind: Input | Outcome, line: str) -> Decimal | None:
        """A figure the contract reads if given (a result's interval), else None."""
        found = getattr(self.inputs, kind).get(line)
        return None if found is None else Decimal(found)


def read_inputs(path: Path, period: Period) -> Inputs:
    """The figures for ``period`` in a YAML, CSV or XLSX file; ``InputsError`` with every
    problem in the file otherwise (a ``TableError`` or ``OSError`` if it cannot be read)."""
    problems: list[Problem] = []
    if path.suffix.lower() in (".yaml", ".yml"):
        rows, problems = _yaml_rows(path)
    else:
        table = read_table(path)
        if tuple(h.lower() for h in table.header) != COLUMNS:
            found = list(table.header)
            rule = f"the columns are {', '.join(COLUMNS)}"
            raise InputsError(str(path), [Problem(path="(header)", value=found, rule=rule)])
        rows = [(f"row {n}", n, cells) for n, cells in table.rows]
    return _figures(str(path), rows, period, problems)


Row = tuple[str, int | None, tuple[Any, ...]]


def _yaml_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"), source=str(path))
    except UnicodeDecodeError:
        rule = "not UTF-8 text: a YAML file is text"
        raise InputsError(str(path), [Problem(path="(file)", value=None, rule=rule)]) from None
    except ProblemsError as error:
        raise InputsError(str(path), error.problems) from None
    if not isinstance(data, dict):
        rule = "a mapping of period to input to line to figure, e.g. 2025-Q1: {volume: {a: 1}}"
        raise InputsError(str(path), [Problem(path="(file)", value=data, rule=rule)])
    rows: list[Row] = []
    problems: list[Problem] = []
    for period, kinds in data.items():
        if not isinstance(kinds, dict):
            rule = "each period is a mapping of input to line to figure"
            problems.append(Problem(path=str(period), value=kinds, rule=rule))
            continue
        for kind, lines in kinds.items():
            if not isinstance(lines, dict):
                rule = "each input is a mapping of line to figure"
                problems.append(Problem(path=f"{period}.{kind}", value=lines, rule=rule))
                continue
            rows += [(f"{period}.{kind}.{n}", None, (period, kind, n, v)) for n, v in lines.items()]
    return rows, problems


def _figures(source: str, rows: list[Row], period: Period, problems: list[Problem]) -> Inputs:
    """The period's figures, or every problem: the file's shape (``problems``) and each row's."""
    found: dict[str, dict[str, Decimal]] = {kind: {} for kind in INPUTS}
    seen: set[tuple[Period, str, str]] = set()
    for where, line, (when, kind, name, value) in rows:
        asked = parse_period(when) if isinstance(when, str) else None
        problem = (when, WRITTEN) if asked is None else _problem(kind, name, value)
        if problem is None and (asked, kind, name) in seen:
            problem = name, f"each line's {kind} appears once in a period"
        if problem is not None:
            problems.append(Problem(path=where, value=problem[0], rule=problem[1], line=line))
            continue
        seen.add((asked, kind, name))  # type: ignore[arg-type]
        if asked == period:
            found[kind][name] = _read(kind, value)
    if problems:
        raise InputsError(source, problems)
    return Inputs(**found)


def _problem(kind: Any, name: Any, value: Any) -> tuple[Any, str] | None:
    """What is wrong with one figure (the value and the rule), or None."""
    if not isinstance(kind, str) or kind not in INPUTS:
        return kind, f"an input is one of {', '.join(INPUTS)}"
    if not isinstance(name, str) or not name:
        return name, "a line (an activity line or population segment) names the figure"
    try:
        _read(kind, value)
    except ValueError as error:
        return value, str(error)
    return None


def _read(kind: str, value: Any) -> Decimal:
    if kind not in ("value", "actual_cost"):
        return number(value)
    try:
        found = exact(value)
    except MoneyError as error:
        raise ValueError(error.rule) from None
    if found < 0:
        raise ValueError("an amount of 0 or more")
    return found


def inputs_text(period: Period, inputs: Inputs) -> str:
    """A period's figures as the YAML ``read_inputs`` reads (whatever file they came from),
    so a statement keeps the figures it was worked from in one readable form."""
    figures = {
        kind: {line: _plain(v) for line, v in sorted(getattr(inputs, kind).items())}
        for kind in INPUTS
        if getattr(inputs, kind)
    }
    return yamlio.dump({period.label: figures})


def _plain(figure: Decimal) -> Decimal | int:
    """A whole count (``1200``) written as one, not as a tagged float."""
    exponent = figure.as_tuple().exponent
    return int(figure) if isinstance(exponent, int) and exponent >= 0 else figure
