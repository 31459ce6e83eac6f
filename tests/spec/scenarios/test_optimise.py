"""Spec (issue 18): the portfolio optimisation's answer checked against enumeration of every
combination, for the expected value and for the risk-averse objective (the mean of the
worst 10% of runs), with a budget a year, a partner's budget, fixed costs, a capacity limit
and a minimum scale; and a small case worked by hand."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from onebudget.scenarios.optimise import Limits, Option, frontier, marginal_value, optimise

YEARS, RUNS, STEPS = 3, 20, 2


def option(n: int, rng: np.random.Generator, **more: object) -> Option:
    cost = np.repeat(rng.uniform(50, 150, (RUNS, 1)), YEARS, axis=1)
    fixed = np.full((RUNS, YEARS), float(rng.integers(0, 40)))
    value = rng.normal(rng.uniform(-20, 200), 60, RUNS)
    return Option(f"i{n}", "council" if n % 2 else "icb", cost, fixed, value, **more)  # type: ignore[arg-type]


def enumerate_best(options: list[Option], limits: Limits, risk: bool) -> float:
    best = -np.inf
    for scales in product(*[np.arange(STEPS + 1) / STEPS for _ in options]):
        if any(
            s < o.least - 1e-9 or s > o.most + 1e-9 for s, o in zip(scales, options, strict=True)
        ):
            continue
        if not _within(options, scales, limits):
            continue
        runs = sum((o.value * s for o, s in zip(options, scales, strict=True)), np.zeros(RUNS))
        worst = np.sort(runs)[: int(0.1 * RUNS)]
        best = max(best, worst.mean() if risk else runs.mean())
    return float(best)


def _within(options: list[Option], scales: tuple[float, ...], limits: Limits) -> bool:
    for year in range(YEARS):
        spent = {"all": 0.0, "council": 0.0, "icb": 0.0}
        for o, s in zip(options, scales, strict=True):
            paid = o.cost[:, year].mean() * s + (o.fixed[:, year].mean() if s > 0 else 0)
            spent["all"] += paid
            spent[o.bearer] += paid
        if limits.budget is not None and spent["all"] > limits.budget[year] + 1e-6:
            return False
        if any(spent[p] > b[year] + 1e-6 for p, b in limits.by_partner.items()):
            return False
    return True


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("objective", ["expected", "risk-averse"])
def test_the_optimum_is_the_best_of_every_combination(seed: int, objective: str) -> None:
    rng = np.random.default_rng(seed)
    options = [option(n, rng) for n in range(4)]
    options[1] = Option(**{**options[1].__dict__, "most": 0.5})  # a capacity limit
    options[2] = Option(**{**options[2].__dict__, "least": 0.5})  # a minimum spend
    limits = Limits(budget=[220.0] * YEARS, by_partner={"council": [130.0] * YEARS})
    found = optimise(options, limits, objective, steps=STEPS)
    assert found.solved
    expected = enumerate_best(options, limits, objective == "risk-averse")
    assert found.value == pytest.approx(expected, abs=1e-6)
    assert _within(options, tuple(found.scales[o.id] for o in options), limits)


def test_a_small_case_worked_by_hand() -> None:
    """Two options, £100 a year: A costs £80 at full scale and is worth 200; B costs £50
    and is worth 150. Continuous scales: B in full (£50, worth 150: 3 a pound) then A with
    the £50 left (5/8 of it: worth 125, 2.5 a pound): 275 in all, and the next pound buys
    2.5 (A's rate) until A is full."""
    one = np.ones((1, 1))
    a = Option("A", "icb", 80 * one, 0 * one, np.array([200.0]))
    b = Option("B", "icb", 50 * one, 0 * one, np.array([150.0]))
    found = optimise([a, b], Limits(budget=[100.0]))
    assert found.scales == {"A": pytest.approx(0.625), "B": pytest.approx(1.0)}
    assert found.value == pytest.approx(275.0)
    assert found.spend == (pytest.approx(100.0),)
    assert marginal_value([a, b], Limits(budget=[100.0]), step=10.0) == pytest.approx(2.5)
    points = frontier([a, b], [0.0, 50.0, 130.0, 200.0])
    assert [p.value for _, p in points] == pytest.approx([0.0, 150.0, 350.0, 350.0])


def test_continuous_scales_keep_to_their_least_and_most() -> None:
    """A loss-making option runs at its minimum scale, a gaining one up to its capacity."""
    one = np.ones((1, 1))
    losing = Option("L", "icb", 10 * one, 0 * one, np.array([-50.0]), least=0.3)
    gaining = Option("G", "icb", 10 * one, 0 * one, np.array([80.0]), most=0.6)
    found = optimise([losing, gaining], Limits(budget=[100.0]))
    assert found.scales == {"L": pytest.approx(0.3), "G": pytest.approx(0.6)}
    assert found.value == pytest.approx(-15.0 + 48.0)


def test_a_budget_below_the_minimum_spend_is_not_on_the_frontier() -> None:
    """L's least scale, 0.3 of £10, costs £3 a year: budgets of £0 and £2 buy nothing that
    keeps to it; £4 buys L at 0.3 and G with the £1 left (0.1 of it: worth 8): -15 + 8."""
    one = np.ones((1, 1))
    losing = Option("L", "icb", 10 * one, 0 * one, np.array([-50.0]), least=0.3)
    gaining = Option("G", "icb", 10 * one, 0 * one, np.array([80.0]), most=0.6)
    points = frontier([losing, gaining], [0.0, 2.0, 4.0])
    assert [(budget, p.value) for budget, p in points] == [(4.0, pytest.approx(-7.0))]
