"""The best portfolio under a budget: how far to scale each intervention, with HiGHS (SciPy's
``milp``), to maximise a chosen objective within a budget a year, each partner's budget a
year, capacity limits and minimum spends.

Each option is one intervention's figures at full scale, run by run (from the engine run
with that intervention alone): what it costs its bearer each year (a part per person and a
fixed part paid whenever it runs at any scale) and the objective's value (net saving, bed
days avoided, an outcome). Effects add in the engine, so a portfolio's value in a run is the
sum of its options' values at their scales: a linear model, solved exactly. (Where effects
would push a cell's activity below nothing the engine floors it; the chosen portfolio is
then run in the engine and that result, not the linear one, is what is reported.)

Objectives: the **expected** value (the mean over runs), or a **risk-averse** one, the mean
of the worst 10% of runs (the conditional value at risk, Rockafellar and Uryasev 2000, a
linear programme). Budgets hold for the expected cost. Scales are continuous from ``least``
to ``most``, or in ``steps`` (0, 1/steps, ..., 1) where a scale must be a whole step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]

TAIL = 0.10  # the risk-averse objective: the mean of the worst 10% of runs


@dataclass(frozen=True)
class Option:
    id: str
    bearer: str  # the partner whose budget pays it
    cost: np.ndarray  # (runs, years): the part per person, at full scale
    fixed: np.ndarray  # (runs, years): paid in a year it runs at any scale
    value: np.ndarray  # (runs,): the objective's value at full scale
    least: float = 0.0  # a minimum scale (a minimum spend)
    most: float = 1.0  # a capacity limit (share of full scale)


@dataclass(frozen=True)
class Limits:
    budget: Sequence[float] | None = None  # by year: all options' expected cost
    by_partner: Mapping[str, Sequence[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Portfolio:
    scales: dict[str, float]
    value: float  # the objective at these scales (linear model)
    spend: tuple[float, ...]  # expected cost by year
    solved: bool
    message: str


def optimise(
    options: Sequence[Option],
    limits: Limits,
    objective: str = "expected",
    steps: int | None = None,
) -> Portfolio:
    """The scales that maximise the objective within the limits."""
    n = len(options)
    runs = options[0].value.shape[0] if options else 0
    risk = objective == "risk-averse"
    width = 2 * n + (1 + runs if risk else 0)
    c = np.zeros(width)
    per = 1.0 / steps if steps else 1.0
    if risk:
        c[2 * n] = -1.0  # maximise eta - mean(z) / tail
        c[2 * n + 1 :] = 1.0 / (TAIL * runs)
    else:
        c[:n] = -np.asarray([o.value.mean() for o in options]) * per
    rows, low, high = _budget_rows(options, limits, width, per)
    rows, low, high = _link_rows(options, width, per, rows, low, high)
    if risk:
        rows, low, high = _tail_rows(options, width, per, rows, low, high)
    result = milp(
        c,
        constraints=LinearConstraint(np.asarray(rows), low, high) if rows else None,
        integrality=_integrality(n, width, steps),
        bounds=_bounds(options, width, steps, risk),
    )
    return _portfolio(options, result, per)


def _budget_rows(
    options: Sequence[Option], limits: Limits, width: int, per: float
) -> tuple[list[np.ndarray], list[float], list[float]]:
    """Expected cost each year within the budget, and within each partner's."""
    rows, low, high = [], [], []
    years = options[0].cost.shape[1] if options else 0
    groups: list[tuple[Sequence[float] | None, set[str] | None]] = [(limits.budget, None)]
    groups += [(b, {p}) for p, b in limits.by_partner.items()]
    for budget, partners in groups:
        for year in range(years if budget is not None else 0):
            row = np.zeros(width)
            for i, o in enumerate(options):
                if partners is None or o.bearer in partners:
                    row[i] = o.cost[:, year].mean() * per
                    row[len(options) + i] = o.fixed[:, year].mean()
            rows.append(row)
            low.append(-np.inf)
            high.append(float(budget[year]))  # type: ignore[index]
    return rows, low, high


def _link_rows(
    options: Sequence[Option],
    width: int,
    per: float,
    rows: list[np.ndarray],
    low: list[float],
    high: list[float],
) -> tuple[list[np.ndarray], list[float], list[float]]:
    """An option runs (its fixed cost paid) whenever its scale is above nothing."""
    n = len(options)
    for i in range(n):
        row = np.zeros(width)
        row[i], row[n + i] = per, -1.0  # scale <= runs
        rows.append(row)
        low.append(-np.inf)
        high.append(0.0)
    return rows, low, high


def _tail_rows(
    options: Sequence[Option],
    width: int,
    per: float,
    rows: list[np.ndarray],
    low: list[float],
    high: list[float],
) -> tuple[list[np.ndarray], list[float], list[float]]:
    """z_r >= eta - value_r, so the mean of the worst tail of runs is eta - mean(z)/tail."""
    n = len(options)
    for r in range(options[0].value.shape[0]):
        row = np.zeros(width)
        row[:n] = [o.value[r] * per for o in options]
        row[2 * n], row[2 * n + 1 + r] = -1.0, 1.0
        rows.append(row)
        low.append(0.0)
        high.append(np.inf)
    return rows, low, high


def _integrality(n: int, width: int, steps: int | None) -> np.ndarray:
    found = np.zeros(width)
    found[n : 2 * n] = 1  # whether each runs
    if steps:
        found[:n] = 1  # whole steps of scale
    return found


def _bounds(options: Sequence[Option], width: int, steps: int | None, risk: bool) -> Bounds:
    n = len(options)
    low, high = np.zeros(width), np.ones(width)
    if steps:  # whole steps: the first at or above the least, the last at or below the most
        low[:n] = [np.ceil(o.least * steps - 1e-9) for o in options]
        high[:n] = [np.floor(o.most * steps + 1e-9) for o in options]
    else:
        low[:n], high[:n] = [o.least for o in options], [o.most for o in options]
    if risk:
        low[2 * n], high[2 * n] = -np.inf, np.inf
        high[2 * n + 1 :] = np.inf
    return Bounds(low, high)


def _portfolio(options: Sequence[Option], result: object, per: float) -> Portfolio:
    x = getattr(result, "x", None)
    if x is None:
        return Portfolio({}, float("nan"), (), False, str(getattr(result, "message", "")))
    n = len(options)
    scales = {o.id: float(np.round(x[i] * per, 9)) for i, o in enumerate(options)}
    value = -float(getattr(result, "fun", 0.0))
    years = options[0].cost.shape[1] if options else 0
    spend = tuple(
        sum(o.cost[:, y].mean() * scales[o.id] + o.fixed[:, y].mean() * round(x[n + i])
            for i, o in enumerate(options))
        for y in range(years)
    )  # fmt: skip
    return Portfolio(scales, value, spend, True, str(getattr(result, "message", "")))


def frontier(
    options: Sequence[Option], budgets: Sequence[float], objective: str = "expected"
) -> list[tuple[float, Portfolio]]:
    """The best value at each total budget a year (the same budget each year): the
    efficient frontier of spend against benefit. A budget below what the minimum scales
    cost buys no portfolio, so it is not on the frontier."""
    years = options[0].cost.shape[1] if options else 0
    found = [(b, optimise(options, Limits(budget=[b] * years), objective)) for b in budgets]
    return [(budget, best) for budget, best in found if best.solved]


def marginal_value(
    options: Sequence[Option], limits: Limits, objective: str = "expected", step: float = 1000.0
) -> float:
    """What the next pound of budget buys: the best value with ``step`` more a year, less
    the best now, per pound (a finite difference: the fixed costs make it a MILP)."""
    now = optimise(options, limits, objective)
    more = Limits(
        budget=None if limits.budget is None else [b + step for b in limits.budget],
        by_partner=limits.by_partner,
    )
    return (optimise(options, more, objective).value - now.value) / step
