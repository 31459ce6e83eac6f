"""Outcome-based payment: the part of a contract's value earned by results, step by step.

A share of the contract value is at risk and earned through indicators; a price may be paid
per unit of outcome; a saving against a baseline cost may be shared; a floor and a cap bound
the whole outcome payment (indicators, units and saving together). Where the rules come from:

- linear payment from a minimum to a maximum threshold is CQUIN's sliding scale (NHS
  England, CQUIN guidance); extra pay from the target to a stretch, capped there, and
  stepped thresholds each paying a stated percentage are common in outcome-based contracts
  (NHS England's guidance on outcome-based commissioning leaves the gradient to the parties);
- a price per unit of outcome is a rate card, as social outcomes contracts use;
- a minimum savings rate before any saving is shared, then the share of the whole saving
  ("first dollar"), is the Medicare Shared Savings Program's rule (42 CFR 425.604, one-sided
  model); sharing only the saving above the rate is our own stated option. No loss is shared;
- counting an improvement only when its 95% interval (from the outcomes engine) excludes the
  baseline on the better side is our own rule, so chance variation is not paid for.

Indicator weights are relative: they are normalised by their sum (1, 1, 2 is 25%, 25%, 50%),
because the at-risk amount is split through ``money.allocate``. Each payment is rounded once,
half up, to the penny where it is made; the rest is exact pence.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from onebudget.contracts.model import Step, figure, pounds
from onebudget.contracts.outcome_checks import problems
from onebudget.contracts.outcome_terms import (
    HUNDRED,
    Indicator,
    Line,
    Linear,
    Measured,
    OutcomePayment,
    OutcomeTerms,
    PerUnit,
    Polarity,
    SavingBasis,
    SharedSaving,
    Stepped,
    Threshold,
    better_by,
    total_of,
)
from onebudget.io.problems import Problem
from onebudget.money import ZERO, D, MoneyError, allocate

__all__ = [
    "Indicator",
    "Line",
    "Linear",
    "Measured",
    "OutcomePayment",
    "OutcomeTerms",
    "PerUnit",
    "SavingBasis",
    "SharedSaving",
    "Stepped",
    "Threshold",
    "pay",
]


def pay(
    terms: OutcomeTerms, results: Mapping[str, Measured], actual_cost: Decimal | None = None
) -> tuple[OutcomePayment | None, list[Problem]]:
    """The period's payment under ``terms``, given each indicator's result (by code) and,
    for a shared saving, the actual cost; or None and the problems that prevent it."""
    found = problems(terms, results, actual_cost)
    if found:
        return None, found
    try:
        return _pay(terms, results, actual_cost), []
    except MoneyError as error:  # a price or stretch so large the payment cannot be held
        return None, [Problem(path="(payment)", value=None, rule=error.rule)]


def _pay(
    terms: OutcomeTerms, results: Mapping[str, Measured], actual_cost: Decimal | None
) -> OutcomePayment:
    risk = terms.at_risk_percent
    guaranteed, at_risk = allocate(terms.value, [HUNDRED - risk, risk])
    earned = _indicator_steps(terms.indicators, at_risk, results)
    earned += [(u.code, _per_unit_step(u, results[u.code])) for u in terms.per_unit]
    if terms.saving is not None and actual_cost is not None:
        earned.append(("shared saving", _saving_step(terms.saving, actual_cost)))
    lines, bound = _bounded(terms, [Line(code, s.amount, s.amount) for code, s in earned])
    steps = (_guaranteed_step(terms, guaranteed, at_risk), *(s for _, s in earned), *bound)
    outcome = total_of(s.amount for s in steps[1:])
    return OutcomePayment(guaranteed, lines, outcome, guaranteed + outcome, steps)


def _percent(value: Decimal) -> str:
    return f"{figure(value)}%"


def _guaranteed_step(terms: OutcomeTerms, guaranteed: Decimal, at_risk: Decimal) -> Step:
    inputs = {
        "contract value": pounds(terms.value),
        "at risk": f"{_percent(terms.at_risk_percent)}, {pounds(at_risk)}",
    }
    rule = "the contract value less the part at risk (split from the value to the penny)"
    return Step("guaranteed part", inputs, rule, guaranteed)


def _significant(baseline: Decimal, result: Measured, polarity: Polarity) -> bool:
    """The 95% interval lies wholly on the better side of the baseline."""
    if result.lower is None or result.upper is None:
        return False
    edge = result.lower if polarity == "higher is better" else result.upper
    return better_by(edge, baseline, polarity) > 0


def _withheld(what: str, inputs: dict[str, str]) -> Step:
    rule = "nothing: the 95% interval does not lie wholly on the better side of the baseline"
    return Step(what, inputs, rule, ZERO)


def _inputs(baseline: Decimal, result: Measured, polarity: Polarity) -> dict[str, str]:
    inputs = {"baseline": figure(baseline), "result": figure(result.value), "polarity": polarity}
    if result.lower is not None and result.upper is not None:
        inputs["95% interval"] = f"{figure(result.lower)} to {figure(result.upper)}"
    return inputs


def _indicator_steps(
    indicators: tuple[Indicator, ...], at_risk: Decimal, results: Mapping[str, Measured]
) -> list[tuple[str, Step]]:
    """The at-risk amount split over the indicators by weight, then each one's payment."""
    if not indicators:
        return []
    pots = allocate(at_risk, [i.weight for i in indicators])
    return [
        (i.code, _indicator_step(i, pot, results[i.code]))
        for i, pot in zip(indicators, pots, strict=True)
    ]


def _indicator_step(indicator: Indicator, pot: Decimal, result: Measured) -> Step:
    what = f"indicator {indicator.code}"
    inputs = _inputs(indicator.baseline, result, indicator.polarity)
    inputs |= {"target": figure(indicator.target), "pot": pounds(pot)}
    if indicator.stretch is not None:
        inputs["stretch"] = figure(indicator.stretch)
    if indicator.significant and not _significant(indicator.baseline, result, indicator.polarity):
        return _withheld(what, inputs)
    if isinstance(indicator.gradient, Stepped):
        rule, unrounded = _stepped(indicator.gradient, indicator.polarity, pot, result.value)
    else:
        rule, unrounded = _linear(indicator, indicator.gradient, pot, result.value)
    return Step(what, inputs, f"{rule}; rounded half up to the penny", D(unrounded))


def _linear(
    indicator: Indicator, gradient: Linear, pot: Decimal, value: Decimal
) -> tuple[str, Decimal]:
    polarity = indicator.polarity
    span = better_by(indicator.target, indicator.baseline, polarity)
    reached = min(max(better_by(value, indicator.baseline, polarity), ZERO), span)
    amount = pot * reached / span
    rule = f"linear: {figure(reached)} of the {figure(span)} from baseline to target earns "
    rule += "that part of the pot"
    if indicator.stretch is not None and gradient.stretch_percent > 0:
        reach = better_by(indicator.stretch, indicator.target, polarity)
        beyond = min(max(better_by(value, indicator.target, polarity), ZERO), reach)
        amount += pot * gradient.stretch_percent * beyond / (HUNDRED * reach)
        rule += (
            f", and {figure(beyond)} of the {figure(reach)} from target to stretch earns that "
            f"part of {_percent(gradient.stretch_percent)} more (none past the stretch)"
        )
    return rule, amount


def _stepped(
    gradient: Stepped, polarity: Polarity, pot: Decimal, value: Decimal
) -> tuple[str, Decimal]:
    reached = [t for t in gradient.thresholds if better_by(value, t.at, polarity) >= 0]
    if not reached:
        return "stepped: no threshold reached, so nothing", ZERO
    last = reached[-1]
    rule = f"stepped: the furthest threshold reached, {figure(last.at)}, pays "
    rule += f"{_percent(last.percent)} of the pot"
    return rule, pot * last.percent / HUNDRED


def _per_unit_step(unit: PerUnit, result: Measured) -> Step:
    what = f"outcome {unit.code}, per unit"
    inputs = _inputs(unit.baseline, result, unit.polarity) | {"price": pounds(unit.price)}
    if unit.significant and not _significant(unit.baseline, result, unit.polarity):
        return _withheld(what, inputs)
    units = max(better_by(result.value, unit.baseline, unit.polarity), ZERO)
    rule = (
        f"{pounds(unit.price)} for each of the {figure(units)} units of improvement on the "
        "baseline (nothing for a change for the worse); rounded half up to the penny"
    )
    return Step(what, inputs, rule, D(unit.price * units))


def _saving_step(saving: SharedSaving, actual_cost: Decimal) -> Step:
    """Shared only once the saving reaches the minimum savings rate (MSSP, 42 CFR 425.604)."""
    made = saving.baseline_cost - actual_cost
    threshold = saving.baseline_cost * saving.minimum_rate_percent / HUNDRED
    inputs = {
        "baseline cost": pounds(saving.baseline_cost),
        "actual cost": pounds(actual_cost),
        "saving": pounds(made),
        "minimum savings rate": f"{_percent(saving.minimum_rate_percent)}, {pounds(D(threshold))}",
        "provider's share": _percent(saving.share_percent),
    }
    if made <= 0 or made < threshold:
        rule = "nothing: the saving is below the minimum savings rate (no loss is shared)"
        return Step("shared saving", inputs, rule, ZERO)
    whole = saving.basis == "whole saving"
    shared = made if whole else made - D(threshold)
    part = allocate(shared, [saving.share_percent, HUNDRED - saving.share_percent])[0]
    rule = (
        f"the minimum savings rate is met, so the provider's share of the "
        f"{'whole saving' if whole else 'saving above the rate'} ({pounds(shared)}), "
        "split to the penny"
    )
    return Step("shared saving", inputs, rule, part)


def _bounded(terms: OutcomeTerms, lines: list[Line]) -> tuple[tuple[Line, ...], tuple[Step, ...]]:
    """The cap, if the lines earn more, taken off each line in proportion to what it earned
    (through ``allocate``); or the floor's top-up, a line of its own (earned by no outcome:
    our choice, so that each line shows only what its outcome earned)."""
    earned = total_of(line.earned for line in lines)
    inputs = {"outcome payment earned": pounds(earned)}
    if terms.cap is not None and earned > terms.cap:
        cut = allocate(terms.cap - earned, [line.earned for line in lines])
        paid = tuple(Line(x.code, x.earned, x.earned + c) for x, c in zip(lines, cut, strict=True))
        rule = "the outcome payment is capped, each line cut in proportion to what it earned"
        step = Step("cap", inputs | {"cap": pounds(terms.cap)}, rule, terms.cap - earned)
        return paid, (step,)
    if terms.floor is not None and earned < terms.floor:
        rule = "the outcome payment is topped up to the floor"
        step = Step("floor", inputs | {"floor": pounds(terms.floor)}, rule, terms.floor - earned)
        return tuple(lines), (step,)
    return tuple(lines), ()
