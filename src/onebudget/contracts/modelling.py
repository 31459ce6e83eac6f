"""Modelling a contract: its payments under scenarios, the commissioners' exposure, and who
bears the risk of a swing in cost.

``model(contract, period, scenarios)`` is pure: each scenario (``modelling_load``) is paid as
``statement.statements`` pays a period, so every amount is a statement total in exact pence.
What it reports, and how:

- **payments**: each provider's statement total in each named scenario, and the
  **commissioners' outlay**: the sum of the statements; for an alliance also the actual
  cost, since its statements are the members' shares of the gain or pain against the
  budget, settled on top of the cost the commissioners meet (budget less what they retain
  of a gain, or plus their part of a loss: the same either way);
- **a distribution**, when the file gives one: ``runs`` scenarios drawn from a
  ``numpy.random.default_rng(seed)`` (one array per range, in the file's order, so the same
  seed draws the same runs), each drawn figure rounded half up to what its input counts in
  (``PLACES``: units and heads whole, amounts to the penny, results to six places) and kept
  within its range; of each provider's payment and the outlay, the least, the 10th, 50th
  and 90th percentiles and the most, by **nearest rank** on the exact amounts (the
  ⌈p/100 × n⌉-th smallest, never interpolated, so each is one run's amount);
- **exposure**: the most the commissioners pay in any scenario, named or drawn, and the
  range (the most less the least);
- **risk**: the cost basis is each named scenario's ``actual_cost`` for the contract's id
  (what delivering the scenario costs). Between the named scenarios of least and most cost,
  the commissioners bear the change in their outlay ÷ the change in cost, and the providers
  the rest: under a block the commissioners bear none of it (the provider bears it all),
  under price × volume at cost all of it below a cap. A provider's part: the rest, where one
  provider is paid; an alliance
  member's, the fall in its settlement ÷ the change in cost; a prime's and its
  subcontractors', not given (the contract's cost is not split between them). Percentages
  are rounded half up to a hundredth. Without a cost in every scenario, or with the same
  cost in all, the shares are "not given", never guessed.

A scenario that cannot be paid is a ``PaymentError`` naming each problem at its place in the
scenarios file (``scenarios.high.volume.night-visits``), every scenario's at once; of the
drawn runs, the first that cannot be paid is named, and how many could not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from onebudget.contracts.inputs import INPUTS, Inputs
from onebudget.contracts.model import Contract, Party
from onebudget.contracts.modelling_load import Distribution, Scenarios, Spread
from onebudget.contracts.periods import Period
from onebudget.contracts.statement import PaymentError, period_problems, statements
from onebudget.io.problems import Problem
from onebudget.money import ZERO
from onebudget.ranks import nearest_rank

PLACES = {"volume": 0, "population": 0, "value": 2, "actual_cost": 2}
PLACES |= {"result": 6, "lower": 6, "upper": 6}
PERCENTILES = (10, 50, 90)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Paid:
    """One scenario's payments: each provider's statement total, in the contract's order."""

    scenario: str
    payments: tuple[Decimal, ...]
    outlay: Decimal  # what the commissioners pay
    cost: Decimal | None  # the cost basis, when the scenario gives it


@dataclass(frozen=True)
class Percentiles:
    """The least, 10th, 50th and 90th percentiles (nearest rank) and the most of amounts."""

    least: Decimal
    p10: Decimal
    p50: Decimal
    p90: Decimal
    most: Decimal


@dataclass(frozen=True)
class Drawn:
    """The distribution's runs, each paid, and the spread of each provider's payment and of
    the outlay over them."""

    base: str
    seed: int
    runs: tuple[Paid, ...]
    payments: tuple[Percentiles, ...]  # each provider's, in the contract's order
    outlay: Percentiles


@dataclass(frozen=True)
class Exposure:
    """The most and the least the commissioners pay in any scenario, named or drawn."""

    most: Decimal
    most_in: str  # the scenario, or "run 17" of the drawn
    least: Decimal
    least_in: str

    @property
    def range(self) -> Decimal:
        return self.most - self.least


@dataclass(frozen=True)
class Risk:
    """Who bears a swing in cost, as percentages of it; None where not given (``note``)."""

    basis: str
    low: str | None = None  # the scenario of least cost
    high: str | None = None
    cost_swing: Decimal | None = None
    outlay_swing: Decimal | None = None
    commissioners: Decimal | None = None
    providers: Decimal | None = None
    by_provider: tuple[Decimal | None, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Modelled:
    """A contract's payments in one period under every scenario, with what they tell."""

    contract: str
    contract_name: str
    kind: str
    period: str
    providers: tuple[Party, ...]
    scenarios: tuple[Paid, ...]
    exposure: Exposure
    risk: Risk
    drawn: Drawn | None = field(default=None)


def model(
    contract: Contract,
    period: Period,
    scenarios: Scenarios,
    progress: Callable[[int], None] | None = None,
) -> Modelled:
    """The contract's payments for ``period`` under each scenario, and under the drawn runs
    (``progress`` told how many are done as they are); ``PaymentError`` naming every
    problem otherwise."""
    problems = period_problems(contract, period)
    if not scenarios.named:
        problems.append(Problem(path="scenarios", value=None, rule="at least one scenario"))
    if problems:
        raise PaymentError(contract.id, problems)
    named = []
    for scenario in scenarios.named:
        try:
            named.append(paid(contract, period, scenario.name, scenario.inputs))
        except PaymentError as error:
            problems += placed(error.problems, f"scenarios.{scenario.name}")
    drawn = None
    if scenarios.distribution is not None:
        distribution = scenarios.distribution
        runs, failed = _runs(contract, period, scenarios, distribution, progress)
        problems += failed
        drawn = _drawn(distribution, runs) if runs else None
    if problems:
        raise PaymentError(contract.id, problems)
    every = [*named, *(drawn.runs if drawn else ())]
    return Modelled(
        contract.id,
        contract.name,
        contract.mechanism.kind,
        period.label,
        contract.providers,
        tuple(named),
        exposure(every),
        risk(contract, named),
        drawn,
    )


def paid(contract: Contract, period: Period, scenario: str, inputs: Inputs) -> Paid:
    """One scenario paid: ``PaymentError`` if it cannot be."""
    totals = tuple(s.total for s in statements(contract, period, inputs))
    cost = inputs.actual_cost.get(contract.id)
    outlay = sum(totals, ZERO)
    if contract.mechanism.kind == "alliance" and cost is not None:
        outlay += cost
    return Paid(scenario, totals, outlay, cost)


def placed(problems: list[Problem], where: str) -> list[Problem]:
    """A scenario's problems at their place in the scenarios file."""
    return [
        p.model_copy(update={"path": f"{where}.{p.path.removeprefix('inputs.')}"}) for p in problems
    ]


def _runs(
    contract: Contract,
    period: Period,
    scenarios: Scenarios,
    distribution: Distribution,
    progress: Callable[[int], None] | None,
) -> tuple[list[Paid], list[Problem]]:
    """Each drawn run paid; the first run that cannot be, named, and how many could not."""
    base = next((s.inputs for s in scenarios.named if s.name == distribution.base), Inputs())
    found: list[Paid] = []
    problems: list[Problem] = []
    failed = 0
    for run, figures in enumerate(draw(distribution), start=1):
        try:
            found.append(paid(contract, period, f"run {run}", with_figures(base, figures)))
        except PaymentError as error:
            failed += 1
            problems = problems or placed(error.problems, f"distribution.run-{run}")
        if progress is not None:
            progress(run)
    if failed:
        rule = f"{failed:,} of {distribution.runs:,} drawn runs cannot be paid; the first is named"
        problems.append(Problem(path="distribution", value=None, rule=rule))
    return found, problems


Figures = dict[str, dict[str, Decimal]]


def draw(distribution: Distribution) -> list[Figures]:
    """Each run's drawn figures, by input and line: one generator seeded by the file's
    seed, one array of ``runs`` per range in the file's order."""
    rng = np.random.default_rng(distribution.seed)
    columns = [(s, _column(rng, s, distribution.runs)) for s in distribution.spreads]
    runs: list[Figures] = [{} for _ in range(distribution.runs)]
    for spread, column in columns:
        for figures, figure in zip(runs, column, strict=True):
            figures.setdefault(spread.kind, {})[spread.line] = figure
    return runs


def _column(rng: np.random.Generator, spread: Spread, runs: int) -> list[Decimal]:
    """``runs`` figures from the range, rounded as the input counts and kept within it; a
    range of one point is that figure, exactly, and draws nothing."""
    if spread.low == spread.high:
        return [spread.low] * runs
    low, high = float(spread.low), float(spread.high)
    if spread.shape == "triangular":
        mode = spread.low if spread.mode is None else spread.mode
        floats = rng.triangular(low, float(mode), high, runs)
    else:
        floats = rng.uniform(low, high, runs)
    step = Decimal(1).scaleb(-PLACES[spread.kind])
    rounded = (Decimal(repr(x)).quantize(step, ROUND_HALF_UP) for x in floats.tolist())
    return [min(max(x, spread.low), spread.high) for x in rounded]


def with_figures(base: Inputs, figures: Figures) -> Inputs:
    """``base`` with ``figures`` in place of its own (or added)."""
    found = {kind: {**getattr(base, kind), **figures.get(kind, {})} for kind in INPUTS}
    return Inputs(**found)


def percentile(ordered: Sequence[Decimal], p: int) -> Decimal:
    """Nearest rank (``onebudget.ranks``) of ``ordered`` (sorted)."""
    return nearest_rank(ordered, p)


def spread_of(amounts: Sequence[Decimal]) -> Percentiles:
    ordered = sorted(amounts)
    p10, p50, p90 = (percentile(ordered, p) for p in PERCENTILES)
    return Percentiles(ordered[0], p10, p50, p90, ordered[-1])


def _drawn(distribution: Distribution, runs: list[Paid]) -> Drawn:
    providers = len(runs[0].payments)
    payments = tuple(spread_of([r.payments[n] for r in runs]) for n in range(providers))
    outlay = spread_of([r.outlay for r in runs])
    return Drawn(distribution.base, distribution.seed, tuple(runs), payments, outlay)


def exposure(every: Sequence[Paid]) -> Exposure:
    """The most and least the commissioners pay, and where (the first, when tied)."""
    most = max(every, key=lambda p: p.outlay)
    least = min(every, key=lambda p: p.outlay)
    return Exposure(most.outlay, most.scenario, least.outlay, least.scenario)


def risk(contract: Contract, named: Sequence[Paid]) -> Risk:
    """Who bears the swing in cost between the named scenarios of least and most cost."""
    basis = f"actual_cost of {contract.id}"
    if not named or any(p.cost is None for p in named):
        return Risk(basis, note=f"not given: no actual_cost for {contract.id} in every scenario")
    low = min(named, key=lambda p: p.cost or ZERO)
    high = max(named, key=lambda p: p.cost or ZERO)
    swing = (high.cost or ZERO) - (low.cost or ZERO)
    if swing == 0:
        return Risk(basis, note="not given: the cost is the same in every scenario")
    outlay = high.outlay - low.outlay
    commissioners = _percent(outlay, swing)
    changes = [h - lo for h, lo in zip(high.payments, low.payments, strict=True)]
    by_provider, note = _by_provider(contract.mechanism.kind, changes, swing, commissioners)
    providers = Decimal(100) - commissioners
    return Risk(
        basis,
        low.scenario,
        high.scenario,
        swing,
        outlay,
        commissioners,
        providers,
        by_provider,
        note,
    )


def _by_provider(
    kind: str, changes: list[Decimal], swing: Decimal, commissioners: Decimal
) -> tuple[tuple[Decimal | None, ...], str]:
    """Each provider's part of the swing (``changes``: in its payment), and a note."""
    if kind == "alliance":
        return tuple(_percent(-change, swing) for change in changes), ""
    if kind == "prime_provider":
        note = "each provider's part not given: the cost is not split between them"
        return (None,) * len(changes), note
    return (Decimal(100) - commissioners,), ""


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(HUNDREDTH, ROUND_HALF_UP)
