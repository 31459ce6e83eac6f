"""A scenario worked through from its file to every figure a board paper needs, in one place
for the CLI and the service: the runs and the deterministic run, the best portfolio within
the budgets (when the file gives any), the efficient frontier and the next pound's value,
who pays and who gains under the chosen portfolio, and which figures matter most.

The chosen portfolio is the optimiser's when the file gives a budget (each intervention
between its ``least`` and ``most`` scale), and the file's own scales otherwise. Every
figure reported (the runs, the deterministic run, who pays and who gains, the sensitivity)
is the chosen portfolio's: what the board would be asked to fund.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from onebudget.scenarios.config import ScenarioConfig
from onebudget.scenarios.engine import Baseline, Runs, Scenario, simulate
from onebudget.scenarios.interventions import Intervention
from onebudget.scenarios.model import PODS
from onebudget.scenarios.optimise import Limits, Portfolio, frontier, marginal_value, optimise
from onebudget.scenarios.portfolio import NET_SAVING, chosen, options
from onebudget.scenarios.projection import (
    FEMALE,
    MALE,
    Population,
    Projection,
    band_growth,
    national_projection_rates,
    project,
)
from onebudget.scenarios.sensitivity import Tornado, tornado
from onebudget.scenarios.shift import YearShift, shifts
from onebudget.scenarios.summary import central

PARTNERS = ("council", "icb")
# Each objective: what it measures (net saving, or a POD's activity avoided) and how the
# optimiser treats it (its mean, or the mean of its worst 10% of runs)
OBJECTIVES = {
    "expected": (NET_SAVING, "expected"),
    "risk-averse": (NET_SAVING, "risk-averse"),
    "bed-days": ("bed_day", "expected"),
    "emergency-admissions": ("emergency_admission", "expected"),
}


def unit_of(objective: str) -> str | None:
    """The unit of an objective's value: None for money, else the activity avoided."""
    measure = OBJECTIVES[objective][0]
    return None if measure == NET_SAVING else f"{PODS[measure]} avoided"


FRONTIER_STEPS = 8  # the frontier from nothing to twice the first year's budget


def demographic_growth(
    config: ScenarioConfig,
    by_age: Iterable[tuple[str, int, int]],
    start: date,
    snpp: Projection | None = None,
) -> np.ndarray:
    """Growth by year, age band and sex: the place's people (``by_age``: sex, age, people on
    ``start``) aged on by national rates, or the ONS projection read from the file's
    ``population`` (``snpp``) from ``start``'s year."""
    if snpp is not None:
        return band_growth(snpp.since(start.year, config.years))
    persons = np.zeros((2, 101))
    for sex, age, people in by_age:
        persons[FEMALE if sex == "female" else MALE, age] += people
    population = Population(start.year, persons)
    return band_growth(project(population, config.years, national_projection_rates()))


def scenario_of(
    config: ScenarioConfig,
    shipped: Mapping[str, Intervention],
    growth: np.ndarray,
    runs: int | None = None,
    seed: int | None = None,
) -> Scenario:
    """The engine's scenario: the file's interventions at the file's scales."""
    return Scenario(
        years=config.years, growth=growth, non_demographic=config.growth.by_every_pod(),
        inflation=config.growth.inflation,
        interventions=tuple(chosen(shipped[c.id], c.scale) for c in config.interventions),
        runs=runs or config.runs, seed=config.seed if seed is None else seed,
    )  # fmt: skip


@dataclass(frozen=True)
class Optimised:
    best: Portfolio
    frontier: tuple[tuple[float, Portfolio], ...]  # (budget a year, best portfolio at it)
    next_pound: float | None  # value of one more pound of budget a year (None: no budget)


@dataclass(frozen=True)
class Study:
    config: ScenarioConfig
    interventions: dict[str, Intervention]  # the file's, in its order
    many: Runs
    once: Runs  # the chosen portfolio's deterministic run
    optimised: Optimised | None  # None when the file gives no budget
    scales: dict[str, float]  # the chosen portfolio
    shifts: tuple[YearShift, ...]
    tornado: Tornado


def study(
    config: ScenarioConfig,
    shipped: Mapping[str, Intervention],
    baseline: Baseline,
    growth: np.ndarray,
    runs: int | None = None,
    seed: int | None = None,
) -> Study:
    """Every figure of the scenario (the optimiser's when it has a budget to work within)."""
    scenario = scenario_of(config, shipped, growth, runs, seed)
    picked = {c.id: shipped[c.id] for c in config.interventions}
    found = _optimised(config, picked, baseline, scenario)
    if found is not None and found.best.solved:
        scales = {k: round(v, 6) for k, v in found.best.scales.items()}
    else:
        scales = {c.id: c.scale for c in config.interventions}
    planned = replace(
        scenario, interventions=tuple(chosen(picked[k], v) for k, v in scales.items() if v > 0)
    )
    once = simulate(baseline, central(planned))
    bearers = {k: i.cost_bearer.partner for k, i in picked.items()}
    names = {k: i.name for k, i in picked.items()}
    return Study(
        config=config, interventions=picked, many=simulate(baseline, planned), once=once,
        optimised=found, scales=scales, shifts=tuple(shifts(once, bearers, PARTNERS)),
        tornado=tornado(baseline, planned, names),
    )  # fmt: skip


def _optimised(
    config: ScenarioConfig,
    picked: Mapping[str, Intervention],
    baseline: Baseline,
    scenario: Scenario,
) -> Optimised | None:
    if config.budget is None and not config.by_partner:
        return None
    limits_by_id = {c.id: (c.least, c.most) for c in config.interventions}
    measure, how = OBJECTIVES[config.objective]
    choices = options(baseline, scenario, list(picked.values()), limits_by_id, measure)
    limits = Limits(
        budget=None if config.budget is None else [float(b) for b in config.budget],
        by_partner={p: [float(b) for b in v] for p, v in config.by_partner.items()},
    )
    best = optimise(choices, limits, how)
    if config.budget is None or not best.solved:
        return Optimised(best, (), None)
    top = 2 * float(config.budget[0])
    budgets = [top * k / FRONTIER_STEPS for k in range(FRONTIER_STEPS + 1)]
    points = tuple(frontier(choices, budgets, how))
    return Optimised(best, points, marginal_value(choices, limits, how))
