"""Which uncertain figures matter most: a tornado of the scenario's net saving over its years.

One figure at a time is set to its 10th and then its 90th percentile, every other figure
held at its central value, and the deterministic run is repeated (a one-at-a-time
sensitivity analysis; the bars are ordered by the width of the swing). Percentiles, not the
ends of a range, so that a long-tailed triangular range does not look wider than the runs
ever go. Figures given as a point have no bar. Growth that every point of delivery shares
(the file's ``non_demographic``) is one figure, as the engine draws it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from typing import Any

from onebudget.scenarios.engine import Baseline, Chosen, Scenario, simulate
from onebudget.scenarios.model import POD_NAMES, Uncertain
from onebudget.scenarios.portfolio import net_saving
from onebudget.scenarios.summary import central, pence

LOW, HIGH = 0.10, 0.90


def quantile(figure: Uncertain, p: float) -> float:
    """The figure's ``p`` quantile (0 < p < 1): a uniform's or a triangular's inverse
    distribution function; a point is itself."""
    if figure.is_point:
        return figure.central
    if figure.uniform is not None:
        low, high = figure.uniform
        return low + p * (high - low)
    low, mode, high = figure.triangular  # type: ignore[misc]
    if p < (mode - low) / (high - low):
        return low + math.sqrt(p * (high - low) * (mode - low))
    return high - math.sqrt((1 - p) * (high - low) * (high - mode))


@dataclass(frozen=True)
class Bar:
    name: str  # the figure, in words
    low: Decimal  # net saving over the years with the figure at its 10th percentile
    high: Decimal  # and at its 90th
    low_value: float  # the figure's 10th percentile
    high_value: float  # and its 90th

    @property
    def swing(self) -> Decimal:
        return abs(self.high - self.low)


@dataclass(frozen=True)
class Tornado:
    central: Decimal  # net saving over the years, every figure at its central value
    bars: tuple[Bar, ...]  # widest swing first


def tornado(baseline: Baseline, scenario: Scenario, names: Mapping[str, str]) -> Tornado:
    """The tornado of ``scenario`` (``names``: each intervention's id to its name)."""
    fixed = central(scenario)
    bars = [
        Bar(what, _total(baseline, at(low)), _total(baseline, at(high)), low, high)
        for what, figure, at in _figures(scenario, fixed, names)
        if not figure.is_point
        for low, high in [(quantile(figure, LOW), quantile(figure, HIGH))]
    ]
    bars.sort(key=lambda b: (-b.swing, b.name))
    return Tornado(_total(baseline, fixed), tuple(bars))


def _total(baseline: Baseline, scenario: Scenario) -> Decimal:
    return pence(float(net_saving(simulate(baseline, scenario))[0, 1:].sum())) + 0


Setter = Callable[[float], Scenario]


def _figures(
    scenario: Scenario, fixed: Scenario, names: Mapping[str, str]
) -> Iterator[tuple[str, Uncertain, Setter]]:
    """Each uncertain figure: its name, its distribution, and the central scenario with it
    set to a value."""
    yield "Inflation a year", scenario.inflation, partial(_with_inflation, fixed)
    for figure, pods in _growth_groups(scenario).items():
        what = "Non-demographic growth a year" + ("" if len(pods) > 1 else f": {_pod(pods[0])}")
        yield what, figure, partial(_with_growth, fixed, pods)
    for i, chosen in enumerate(scenario.interventions):
        name = names.get(chosen.id, chosen.id).split(" (")[0]  # its name, short
        for label, figure, field in _own(chosen):
            yield f"{name}: {label}", figure, partial(_with, fixed, i, field)


def _growth_groups(scenario: Scenario) -> dict[Uncertain, list[str]]:
    groups: dict[Uncertain, list[str]] = {}
    for pod, figure in scenario.non_demographic.items():
        groups.setdefault(figure, []).append(pod)
    return groups


def _own(chosen: Chosen) -> Iterator[tuple[str, Uncertain, str | int]]:
    for label, field in (("reach", "reach"), ("uptake", "uptake")):
        yield label, getattr(chosen, field), field
    for label, field in (("cost per person", "per_person"), ("fixed cost", "fixed")):
        if getattr(chosen, field) is not None:
            yield label, getattr(chosen, field), field
    for n, (pod, change, _) in enumerate(chosen.effects):
        yield f"change in {_pod(pod)}", change, n


def _with(scenario: Scenario, index: int, field: str | int, value: float) -> Scenario:
    chosen = scenario.interventions[index]
    if isinstance(field, int):
        effects = list(chosen.effects)
        pod, _, to = effects[field]
        effects[field] = (pod, _at(value), to)
        changed = replace(chosen, effects=tuple(effects))
    else:
        given: dict[str, Any] = {field: _at(value)}
        changed = replace(chosen, **given)
    interventions = list(scenario.interventions)
    interventions[index] = changed
    return replace(scenario, interventions=tuple(interventions))


def _with_inflation(scenario: Scenario, value: float) -> Scenario:
    return replace(scenario, inflation=_at(value))


def _with_growth(scenario: Scenario, pods: list[str], value: float) -> Scenario:
    growth = dict(scenario.non_demographic) | {pod: _at(value) for pod in pods}
    return replace(scenario, non_demographic=growth)


def _at(value: float) -> Uncertain:
    return Uncertain(point=value)


def _pod(pod: str) -> str:
    return POD_NAMES[pod]
