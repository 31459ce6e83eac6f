"""A scenario's runs as the figures a board reads: the deterministic run, and each figure's
median, 10th and 90th percentile over the runs, money in exact pence.

Money leaves the engine in floating point; here each (partner, budget) amount is rounded
half up to the penny first and every total is the sum of its rounded parts, so a run's
partners add up to its total exactly. Percentiles are taken of each figure on its own (a
percentile of a sum is not the sum of percentiles: the board paper says so); each is a real
run's amount (nearest rank), never interpolated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from onebudget import ranks
from onebudget.money import PENNY
from onebudget.scenarios.engine import POD_LIST, Chosen, Runs, Scenario
from onebudget.scenarios.model import Uncertain

PERCENTILES = (10, 50, 90)


def central(scenario: Scenario) -> Scenario:
    """The scenario with every uncertain figure at its central value, run once: the
    deterministic result."""

    def point(figure: Uncertain | None) -> Uncertain | None:
        return None if figure is None else Uncertain(point=figure.central)

    def chosen(c: Chosen) -> Chosen:
        effects = tuple((pod, Uncertain(point=u.central), to) for pod, u, to in c.effects)
        return replace(
            c, reach=Uncertain(point=c.reach.central), uptake=Uncertain(point=c.uptake.central),
            per_person=point(c.per_person),
            fixed=point(c.fixed), effects=effects,
        )  # fmt: skip

    return replace(
        scenario,
        non_demographic={
            k: Uncertain(point=v.central) for k, v in scenario.non_demographic.items()
        },
        inflation=Uncertain(point=scenario.inflation.central),
        interventions=tuple(chosen(c) for c in scenario.interventions),
        runs=1,
    )


def pence(amount: float) -> Decimal:
    """Pounds as exact pence, rounded half up (from the float's shortest decimal form)."""
    if not math.isfinite(amount):
        raise ValueError(f"{amount}: not an amount of money")
    return Decimal(repr(float(amount))).quantize(PENNY, ROUND_HALF_UP)


@dataclass(frozen=True)
class Money:
    """One run's money by year: each (partner, budget)'s amount, and the total of them."""

    parts: dict[tuple[str, str], tuple[Decimal, ...]]
    total: tuple[Decimal, ...]


def run_money(by_payer: Mapping[tuple[str, str], np.ndarray], run: int) -> Money:
    """A run's amounts in pence; the total is the sum of the rounded parts, year by year."""
    parts = {k: tuple(pence(v) for v in amounts[run]) for k, amounts in sorted(by_payer.items())}
    years = len(next(iter(parts.values()))) if parts else 0
    total = tuple(sum((p[y] for p in parts.values()), Decimal("0.00")) for y in range(years))
    return Money(parts, total)


def nearest_rank(values: Sequence[float], p: int) -> float:
    """The ``p``th percentile of ``values`` by nearest rank (``onebudget.ranks``)."""
    return ranks.nearest_rank(sorted(values), p)


@dataclass(frozen=True)
class Spread:
    """A figure's 10th, 50th and 90th percentile over the runs, by year."""

    p10: tuple[Decimal, ...]
    median: tuple[Decimal, ...]
    p90: tuple[Decimal, ...]


def money_spread(amounts: np.ndarray) -> Spread:
    """(runs, years) pounds -> pence percentiles by year."""
    found = [
        tuple(pence(nearest_rank(list(amounts[:, y]), p)) for y in range(amounts.shape[1]))
        for p in PERCENTILES
    ]
    return Spread(*found)


def activity_spread(runs: Runs) -> dict[str, tuple[tuple[float, ...], ...]]:
    """Each POD's activity by year: (p10, median, p90), each a tuple by year."""
    return {
        pod: tuple(
            tuple(
                nearest_rank(list(runs.activity[:, y, i]), p) for y in range(runs.activity.shape[1])
            )
            for p in PERCENTILES
        )
        for i, pod in enumerate(POD_LIST)
    }
