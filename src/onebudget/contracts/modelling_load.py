"""Scenarios to model a contract with: named sets of a period's inputs, and a distribution.

A scenarios file (YAML) names each scenario and gives its figures in the shape of one period
of an inputs file (``onebudget.contracts.inputs``), and may add a distribution to draw many
more scenarios from::

    scenarios:
      low:
        volume: {home-care-hours: 800, night-visits: 200}
        actual_cost: {C-FERN-2025-ACT: 85000.00}
      central: ...
      high: ...
    distribution:              # optional
      base: central            # the figures not drawn (by default central, else the first)
      runs: 1000               # 1 to 100,000
      seed: 2025               # the same seed draws the same runs
      figures:
        volume:
          home-care-hours: {triangular: [800, 1200, 1500]}   # low, mode, high
          night-visits: {uniform: [200, 400]}                # low, high

The file names no period and no contract, so one file may model every contract whose lines
it gives, in any period. Each figure is read by the inputs' rules (amounts in whole pence, 0
or more; counts 0 to a billion, at most six decimal places), the ends of a range too. Every
problem is named with its path and line (``scenarios.low.volume.night-visits (line 4)``),
all at once, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from onebudget.contracts.inputs import INPUTS, Inputs
from onebudget.contracts.model import number
from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError
from onebudget.money import MoneyError, exact

Shape = Literal["triangular", "uniform"]
ENDS: dict[str, str] = {"triangular": "[low, mode, high]", "uniform": "[low, high]"}
MONEY = ("value", "actual_cost")
MOST_RUNS = 100_000
MOST_SEED = 2**63 - 1
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,39}", re.ASCII)
NAMED = "a scenario's name: a letter or digit, then at most 39 letters, digits or . _ + -"
FILE = "a mapping with scenarios (by name, each its inputs) and optionally a distribution"
RANGE = "one of triangular: [low, mode, high] or uniform: [low, high]"


class ScenariosError(ProblemsError):
    """Problems in a scenarios file."""


@dataclass(frozen=True)
class Scenario:
    name: str
    inputs: Inputs


@dataclass(frozen=True)
class Spread:
    """The range one figure is drawn from: a triangular (``mode`` its likeliest) or uniform."""

    kind: str  # an input: volume, value, population, result, lower, upper, actual_cost
    line: str
    shape: Shape
    low: Decimal
    high: Decimal
    mode: Decimal | None = None  # a triangular's


@dataclass(frozen=True)
class Distribution:
    """``runs`` scenarios: the ``base`` scenario's figures with each spread's figure drawn."""

    base: str
    runs: int
    seed: int
    spreads: tuple[Spread, ...]


@dataclass(frozen=True)
class Scenarios:
    named: tuple[Scenario, ...]
    distribution: Distribution | None = None


def read_scenarios(path: Path) -> Scenarios:
    """The scenarios in a YAML file; ``ScenariosError`` with every problem (``OSError`` if it
    cannot be read)."""
    return load_scenarios(yamlio.read_text(path, ScenariosError), source=str(path))


def load_scenarios(text: str, *, source: str = "scenarios.yaml") -> Scenarios:
    try:
        data = yamlio.load(text, source=source)
    except ProblemsError as error:
        raise ScenariosError(source, error.problems) from None
    problems: list[Problem] = []
    found = _file(data, problems)
    if found is None or problems:
        raise ScenariosError(source, yamlio.with_lines(problems, yamlio.lines(text)))
    return found


def read_figure(kind: str, value: Any) -> Decimal:
    """A figure as an inputs file reads it: an amount in whole pence, 0 or more, or a count
    (``model.number``); ValueError with the rule otherwise."""
    if kind not in MONEY:
        return number(value)
    try:
        found = exact(value)
    except (MoneyError, TypeError) as error:
        raise ValueError(getattr(error, "rule", "an amount in pounds, e.g. 1234.56")) from None
    if found < 0:
        raise ValueError("an amount of 0 or more")
    return found


def _file(data: Any, problems: list[Problem]) -> Scenarios | None:
    if not isinstance(data, dict) or "scenarios" not in data:
        problems.append(Problem(path="(file)", value=None, rule=FILE))
        return None
    for key in data:
        if key not in ("scenarios", "distribution"):
            problems.append(Problem(path=str(key), value=key, rule=FILE))
    named = _named(data["scenarios"], problems)
    distribution = None
    if "distribution" in data:
        given = data["scenarios"] if isinstance(data["scenarios"], dict) else {}
        names = [n for n in given if isinstance(n, str) and NAME.fullmatch(n)]
        distribution = _distribution(data["distribution"], names, problems)
    return Scenarios(tuple(named), distribution)


def _named(data: Any, problems: list[Problem]) -> list[Scenario]:
    if not isinstance(data, dict) or not data:
        rule = "a mapping of scenario name to its inputs, e.g. low: {volume: {a-line: 900}}"
        problems.append(Problem(path="scenarios", value=data, rule=rule))
        return []
    found = []
    for name, kinds in data.items():
        path = f"scenarios.{name}"
        if not isinstance(name, str) or not NAME.fullmatch(name):
            problems.append(Problem(path=path, value=name, rule=NAMED))
            continue
        inputs = _inputs({} if kinds is None else kinds, path, problems)
        if inputs is not None:
            found.append(Scenario(name, inputs))
    return found


def _inputs(data: Any, path: str, problems: list[Problem]) -> Inputs | None:
    """A scenario's figures, as one period of an inputs file gives them; None if any is
    wrong (each named in ``problems``)."""
    if not isinstance(data, dict):
        rule = "a mapping of input to line to figure, e.g. volume: {a-line: 900}"
        problems.append(Problem(path=path, value=data, rule=rule))
        return None
    before = len(problems)
    found: dict[str, dict[str, Decimal]] = {kind: {} for kind in INPUTS}
    for kind, lines in _kinds(data, path, problems):
        for line, value in lines.items():
            where = f"{path}.{kind}.{line}"
            if _line(line, where, problems):
                try:
                    found[kind][line] = read_figure(kind, value)
                except ValueError as error:
                    problems.append(Problem(path=where, value=value, rule=str(error)))
    return Inputs(**found) if len(problems) == before else None


def _kinds(
    data: dict[Any, Any], path: str, problems: list[Problem]
) -> list[tuple[str, dict[Any, Any]]]:
    """Each input's lines, the unknown inputs and those not a mapping named in ``problems``."""
    found: list[tuple[str, dict[Any, Any]]] = []
    for kind, lines in data.items():
        if not isinstance(kind, str) or kind not in INPUTS:
            rule = f"an input is one of {', '.join(INPUTS)}"
            problems.append(Problem(path=f"{path}.{kind}", value=kind, rule=rule))
        elif not isinstance(lines, dict):
            rule = "each input is a mapping of line to figure"
            problems.append(Problem(path=f"{path}.{kind}", value=lines, rule=rule))
        else:
            found.append((kind, lines))
    return found


def _line(line: Any, path: str, problems: list[Problem]) -> bool:
    if isinstance(line, str) and line:
        return True
    rule = "a line (an activity line, population segment or contract id) names the figure"
    problems.append(Problem(path=path, value=line, rule=rule))
    return False


def _distribution(data: Any, names: list[str], problems: list[Problem]) -> Distribution | None:
    if not isinstance(data, dict):
        rule = "a mapping with base, runs, seed and figures (each a range to draw from)"
        problems.append(Problem(path="distribution", value=data, rule=rule))
        return None
    before = len(problems)
    for key in data:
        if key not in ("base", "runs", "seed", "figures"):
            rule = "one of base, runs, seed and figures"
            problems.append(Problem(path=f"distribution.{key}", value=key, rule=rule))
    base = data.get("base", "central" if "central" in names or not names else names[0])
    if names and base not in names:
        rule = f"a scenario of the file, whose figures are not drawn: one of {', '.join(names)}"
        problems.append(Problem(path="distribution.base", value=base, rule=rule))
    runs = _whole(data, "runs", 1, MOST_RUNS, problems)
    seed = _whole(data, "seed", 0, MOST_SEED, problems)
    spreads = _spreads(data.get("figures"), problems)
    if len(problems) > before:
        return None
    return Distribution(str(base), runs, seed, tuple(spreads))


def _whole(data: dict[Any, Any], key: str, least: int, most: int, problems: list[Problem]) -> int:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and least <= value <= most:
        return value
    rule = f"a whole number from {least:,} to {most:,}"
    problems.append(Problem(path=f"distribution.{key}", value=value, rule=rule))
    return least


def _spreads(data: Any, problems: list[Problem]) -> list[Spread]:
    path = "distribution.figures"
    if not isinstance(data, dict) or not data:
        rule = "a mapping of input to line to range, e.g. volume: {a-line: {uniform: [1, 9]}}"
        problems.append(Problem(path=path, value=data, rule=rule))
        return []
    found = []
    for kind, lines in _kinds(data, path, problems):
        for line, given in lines.items():
            where = f"{path}.{kind}.{line}"
            spread = (
                _spread(kind, line, given, where, problems)
                if _line(line, where, problems)
                else None
            )
            if spread is not None:
                found.append(spread)
    return found


def _spread(kind: str, line: str, given: Any, path: str, problems: list[Problem]) -> Spread | None:
    """One figure's range: its ends read as the figure is, in order."""
    if not isinstance(given, dict) or len(given) != 1 or next(iter(given)) not in ENDS:
        problems.append(Problem(path=path, value=given, rule=RANGE))
        return None
    shape, ends = next(iter(given.items()))
    path = f"{path}.{shape}"
    if not isinstance(ends, list) or len(ends) != len(ENDS[shape].split(",")):
        problems.append(Problem(path=path, value=ends, rule=f"{shape}: {ENDS[shape]}"))
        return None
    figures = []
    for i, end in enumerate(ends):
        try:
            figures.append(read_figure(kind, end))
        except ValueError as error:
            problems.append(Problem(path=f"{path}.{i}", value=end, rule=str(error)))
    if len(figures) < len(ends):
        return None
    if figures != sorted(figures):
        rule = f"{ENDS[shape]} in order, each at least the one before"
        problems.append(Problem(path=path, value=ends, rule=rule))
        return None
    mode = figures[1] if shape == "triangular" else None
    return Spread(kind, line, shape, figures[0], figures[-1], mode)
