"""The outcome-based, alliance and prime-provider contracts joined to their engines.

``outcome_terms``, ``alliance_terms`` and ``subcontract`` turn a contract file's mechanism
into its engine's terms (an amount a year split into the period's instalment by
``block.instalment``), so each rule lives once, in its engine. ``outcome_based``,
``alliance`` and ``prime_provider`` give each provider's steps for a period, by provider
code; an engine's problems are recorded on ``Given`` at their place in the contract file
(``mechanism.members.0.gain_percent``) or the inputs (``inputs.result.falls-65-plus``), so
``statement.pay`` refuses the statement with all of them. ``term_problems`` is what
``load.check`` asks of the terms before any period is paid.

An alliance member's statement starts from the alliance's whole gain or loss and takes off
each other member's share and the commissioner's part, each a step, so a member sees the
whole settlement and its total is its own share. A prime's statement is its own mechanism's
steps (what it receives), then each subcontract paid on and the fee it keeps; a
subcontractor's is its subcontract's value (its own mechanism's steps, when it has one) less
the prime's fee.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, cast

from onebudget.contracts import alliance as alliance_engine
from onebudget.contracts import model_outcomes as mo
from onebudget.contracts import outcome_checks, outcome_payment, prime
from onebudget.contracts import outcome_terms as ot
from onebudget.contracts.block import instalment
from onebudget.contracts.inputs import Given
from onebudget.contracts.model import Contract, Step, pounds
from onebudget.contracts.periods import Period
from onebudget.io.problems import Problem
from onebudget.money import ZERO

# The engines by kind, as ``statement.ENGINES`` holds them (a nested mechanism is one of the
# one-provider kinds, so is called with the mechanism)
OneEngine = Callable[..., Any]
Steps = dict[str, list[Step]]


def outcome_terms(mechanism: mo.OutcomeBased, value: Decimal) -> ot.OutcomeTerms:
    """The engine's terms, for a period whose share of the contract value is ``value``."""
    saving = mechanism.saving
    return ot.OutcomeTerms(
        value=value,
        at_risk_percent=mechanism.at_risk_percent,
        indicators=tuple(
            ot.Indicator(
                i.indicator,
                i.weight,
                i.baseline,
                i.target,
                i.stretch,
                i.polarity,
                _gradient(i.gradient),
                i.significant,
            )
            for i in mechanism.indicators
        ),
        per_unit=tuple(
            ot.PerUnit(u.outcome, u.baseline, u.price, u.polarity, u.significant)
            for u in mechanism.per_unit
        ),
        saving=None
        if saving is None
        else ot.SharedSaving(
            saving.baseline_cost,
            saving.share_percent,
            saving.minimum_rate_percent,
            saving.basis,
        ),
        floor=mechanism.floor,
        cap=mechanism.cap,
    )


def _gradient(gradient: mo.Linear | mo.Stepped) -> ot.Linear | ot.Stepped:
    if isinstance(gradient, mo.Stepped):
        return ot.Stepped(tuple(ot.Threshold(t.at, t.percent) for t in gradient.thresholds))
    return ot.Linear(gradient.stretch_percent)


def alliance_terms(mechanism: mo.Alliance, budget: Decimal) -> alliance_engine.AllianceTerms:
    members = tuple(
        alliance_engine.Member(m.provider, m.gain_percent, m.pain_percent, m.max_gain, m.max_loss)
        for m in mechanism.members
    )
    return alliance_engine.AllianceTerms(budget, members, mechanism.excess)


def subcontract(sub: mo.SubcontractTerms, own: list[Step] | None) -> prime.Subcontract:
    """The engine's subcontract: its own mechanism's steps (``own``) become a computed sum."""
    terms: prime.FixedSum | prime.ShareOfPrime | prime.Computed
    if own is not None and sub.mechanism is not None:
        how = f"worked out by the subcontract's own {sub.mechanism.kind} mechanism"
        terms = prime.Computed(sum((s.amount for s in own), ZERO), how)
    elif sub.share_percent is not None:
        terms = prime.ShareOfPrime(sub.share_percent)
    else:
        terms = prime.FixedSum(ZERO if sub.fixed is None else sub.fixed)
    return prime.Subcontract(sub.provider, terms, sub.fee_percent)


def _placed(
    problems: list[Problem], contract: Contract, renamed: Mapping[str, str]
) -> list[Problem]:
    """The engine's problems at their place in the contract file or the inputs."""
    found = []
    for p in problems:
        path = renamed.get(p.path, p.path)
        path = path.replace(".terms.percent", ".share_percent").replace(".terms.amount", "")
        if path.startswith("results."):
            path = "inputs.result." + path.removeprefix("results.")
        elif path == "actual_cost":
            path = f"inputs.actual_cost.{contract.id}"
        elif not path.startswith(("(", "inputs.", "mechanism")):
            path = f"mechanism.{path}"
        found.append(p.model_copy(update={"path": path}))
    return found


def outcome_based(contract: Contract, period: Period, given: Given) -> Steps:
    mechanism = cast(mo.OutcomeBased, contract.mechanism)
    before = len(given.problems)
    codes = [(i.indicator, f"mechanism.indicators.{n}") for n, i in enumerate(mechanism.indicators)]
    codes += [(u.outcome, f"mechanism.per_unit.{n}") for n, u in enumerate(mechanism.per_unit)]
    results = {
        code: ot.Measured(
            given.figure("result", code, where),
            given.optional("lower", code),
            given.optional("upper", code),
        )
        for code, where in codes
    }
    cost = None
    if mechanism.saving is not None:
        cost = given.figure("actual_cost", contract.id, "mechanism.saving")
    if len(given.problems) > before:
        return {}
    terms = outcome_terms(mechanism, instalment(mechanism.annual, period))
    payment, problems = outcome_payment.pay(terms, results, cost)
    if payment is None:
        given.problems += _placed(problems, contract, {"value": "mechanism.annual"})
        return {}
    return {contract.providers[0].code: list(payment.steps)}


def alliance(contract: Contract, period: Period, given: Given) -> Steps:
    mechanism = cast(mo.Alliance, contract.mechanism)
    before = len(given.problems)
    cost = given.figure("actual_cost", contract.id, "mechanism")
    if len(given.problems) > before:
        return {}
    budget = instalment(mechanism.budget, period)
    result, problems = alliance_engine.settle(alliance_terms(mechanism, budget), cost)
    if result is None:
        given.problems += _placed(problems, contract, {})
        return {}
    kind = "gain" if result.variance >= 0 else "loss"
    members = result.steps[: len(result.shares)]
    rest = result.steps[len(result.shares) :]
    found: Steps = {}
    for share, own in zip(result.shares, members, strict=True):
        inputs = {"the period's budget": pounds(budget), "actual cost": pounds(cost)}
        inputs |= {k: v for k, v in own.inputs.items() if not k.startswith("the alliance's")}
        rule = (
            "the period's budget (its instalment of the year's) less the actual cost; this "
            "member has what is left once the other members' and the commissioner's parts "
            f"are taken off: {own.rule}"
        )
        steps = [Step(f"the alliance's {kind}", inputs, rule, result.variance)]
        steps += [
            Step(f"less {other.what}'s share", other.inputs, other.rule, -other.amount)
            for other in members
            if other is not own
        ]
        steps += [Step("less the commissioner's part", c.inputs, c.rule, -c.amount) for c in rest]
        found[share.code] = steps
    return found


def prime_provider(
    contract: Contract, period: Period, given: Given, engines: Mapping[str, OneEngine]
) -> Steps:
    """The prime's steps and each subcontractor's; ``engines`` work the nested mechanisms."""
    mechanism = cast(mo.PrimeProvider, contract.mechanism)
    before = len(given.problems)
    received = _nested(engines, mechanism.prime_mechanism, "prime_mechanism", period, given)
    own = {
        sub.provider: _nested(engines, sub.mechanism, f"subcontracts.{n}.mechanism", period, given)
        for n, sub in enumerate(mechanism.subcontracts)
        if sub.mechanism is not None
    }
    if len(given.problems) > before:
        return {}
    terms = prime.PrimeTerms(
        commissioner=contract.commissioners[0].code,
        prime=mechanism.prime,
        payment=sum((s.amount for s in received), ZERO),
        subcontracts=tuple(subcontract(s, own.get(s.provider)) for s in mechanism.subcontracts),
        fee_percent=mechanism.fee_percent,
    )
    result, problems = prime.flows(terms)
    if result is None:
        given.problems += _placed(problems, contract, {"payment": "mechanism.prime_mechanism"})
        return {}
    found: Steps = {
        mechanism.prime: [
            *(Step(f"received: {s.what}", s.inputs, s.rule, s.amount) for s in received),
            *result.steps[1:],
        ]
    }
    by_what = {s.what: s for s in result.steps}
    for passed in result.subcontracts:
        value = by_what[f"subcontract {passed.code}"]
        steps = own.get(passed.code) or [
            Step(f"subcontract from {mechanism.prime}", value.inputs, value.rule, -value.amount)
        ]
        if fee := by_what.get(f"management fee on {passed.code}"):
            steps = [
                *steps,
                Step(
                    f"management fee kept by {mechanism.prime}", fee.inputs, fee.rule, -fee.amount
                ),
            ]
        found[passed.code] = steps
    return found


def _nested(
    engines: Mapping[str, OneEngine], mechanism: Any, path: str, period: Period, given: Given
) -> list[Step]:
    """A nested mechanism's steps; a figure it lacks named as needed by its own place."""
    before = len(given.problems)
    steps: list[Step] = engines[mechanism.kind](mechanism, period, given)
    for n in range(before, len(given.problems)):
        problem = given.problems[n]
        rule = problem.rule.replace("needed by mechanism.", f"needed by mechanism.{path}.")
        given.problems[n] = problem.model_copy(update={"rule": rule})
    return steps


def term_problems(contract: Contract) -> list[Problem]:
    """What the engines say of the terms themselves (weights, targets, thresholds, shares),
    before any period's results: each at its place in the contract file."""
    mechanism = contract.mechanism
    if isinstance(mechanism, mo.OutcomeBased):
        terms = outcome_terms(mechanism, mechanism.annual)
        found = outcome_checks.problems(terms, {}, None)
        renamed = {"value": "mechanism.annual"}
    elif isinstance(mechanism, mo.Alliance):
        found = alliance_engine.problems(alliance_terms(mechanism, mechanism.budget), ZERO)
        renamed = {}
    else:
        return []
    kept = [p for p in found if not p.path.startswith("results.") and p.path != "actual_cost"]
    return _placed(kept, contract, renamed)
