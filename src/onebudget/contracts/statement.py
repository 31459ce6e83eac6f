"""A period's payment statement: every step a provider is paid, worked from plain inputs.

``pay(contract, period, inputs)`` is pure: the contract's mechanism is worked by its engine
(``ENGINES``, one line per kind) over the period's figures (``inputs.Inputs``; the file
formats are described in ``onebudget.contracts.inputs``). Each step shows its inputs, its
rule in words and its amount in exact pence, and a statement's total is the sum of its steps,
by construction. A period the contract does not pay (another frequency, outside the term), a
figure the mechanism needs and the inputs lack, or a payment too large to hold is a named
problem in one ``PaymentError``, never a KeyError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

from onebudget.contracts import activity, aligned, block, capitation, outcome_contracts
from onebudget.contracts.inputs import Given, Inputs
from onebudget.contracts.model import ONE_PROVIDER, Contract, Party, Step
from onebudget.contracts.periods import Period
from onebudget.io.problems import Problem, ProblemsError
from onebudget.money import ZERO, MoneyError

# A kind's engine: (the mechanism, the period, its inputs) -> the steps of the payment
Engine = Callable[[Any, Period, Given], list[Step]]
# A kind that pays several providers (or reads the contract's id): (the contract, the period,
# its inputs) -> each provider's steps by code. ``ONE_PROVIDER`` kinds are the ``Engine``s.
Several = Callable[[Contract, Period, Given], dict[str, list[Step]]]
ENGINES: dict[str, Engine | Several] = {
    "block": block.steps,
    "activity": activity.steps,
    "capitation": capitation.steps,
    "aligned_payment": aligned.steps,
    "outcome_based": outcome_contracts.outcome_based,
    "alliance": outcome_contracts.alliance,
    "prime_provider": lambda c, p, g: outcome_contracts.prime_provider(c, p, g, ENGINES),
}


class PaymentError(ProblemsError):
    """Why a period's statement cannot be worked out."""


@dataclass(frozen=True)
class Statement:
    """What one provider is paid under one contract for one period, step by step."""

    contract: str
    contract_name: str
    period: str
    provider: Party
    commissioners: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def total(self) -> Decimal:
        return sum((s.amount for s in self.steps), ZERO)


def statements(contract: Contract, period: Period, inputs: Inputs) -> tuple[Statement, ...]:
    """Each provider's statement for the period (one for the kinds that pay one provider),
    in the order the contract lists its providers."""
    worked = _worked(contract, period, inputs)
    return tuple(_statement(contract, period, p, worked[p.code]) for p in contract.providers)


def pay(
    contract: Contract, period: Period, inputs: Inputs, provider: str | None = None
) -> Statement:
    """The statement for ``provider`` (by default the contract's first) for ``period``,
    or ``PaymentError`` naming every problem."""
    codes = [p.code for p in contract.providers]
    if provider is not None and provider not in codes:
        problems = period_problems(contract, period)
        rule = f"one of {', '.join(codes)}"
        problems.append(Problem(path="provider", value=provider, rule=rule))
        raise PaymentError(contract.id, problems)
    paid = contract.providers[codes.index(provider) if provider is not None else 0]
    return _statement(contract, period, paid, _worked(contract, period, inputs)[paid.code])


def _worked(contract: Contract, period: Period, inputs: Inputs) -> dict[str, list[Step]]:
    """Each provider's steps for the period, by code; ``PaymentError`` naming every problem."""
    problems = period_problems(contract, period)
    if problems:
        raise PaymentError(contract.id, problems)
    given = Given(inputs)
    kind = contract.mechanism.kind
    try:
        if kind in ONE_PROVIDER:
            engine = cast(Engine, ENGINES[kind])
            worked = {contract.providers[0].code: engine(contract.mechanism, period, given)}
        else:
            worked = cast(Several, ENGINES[kind])(contract, period, given)
    except MoneyError as error:
        rule = f"the payment cannot be held: {error.rule}"
        raise PaymentError(
            contract.id, [Problem(path="(payment)", value=None, rule=rule)]
        ) from None
    if given.problems:
        raise PaymentError(contract.id, given.problems)
    return worked


def _statement(contract: Contract, period: Period, paid: Party, steps: list[Step]) -> Statement:
    commissioners = tuple(c.code for c in contract.commissioners)
    named = tuple(replace(s, what=named_parties(contract, s.what)) for s in steps)
    return Statement(contract.id, contract.name, period.label, paid, commissioners, named)


def named_parties(contract: Contract, text: str) -> str:
    """``text`` with each party's code written as its name, then the code: the engines work
    with codes ("subcontract ZZS01"), and a statement is read by people ("subcontract
    Fernmouth Mind (ZZS01)"). Codes are capitals and digits, so never part of a word."""
    names = {c.code: c.name for c in contract.commissioners}
    names |= {p.code: p.name for p in contract.providers}
    pattern = r"\b(" + "|".join(re.escape(code) for code in names) + r")\b"
    return re.sub(pattern, lambda found: f"{names[found[1]]} ({found[1]})", text)


def period_problems(contract: Contract, period: Period) -> list[Problem]:
    """A period of the contract's frequency and wholly within its term, or why not."""
    problems = []
    if period.frequency != contract.periods:
        example = "2025-Q1" if contract.periods == "quarterly" else "2025-04"
        rule = f"the contract pays {contract.periods}: a period written like {example}"
        problems.append(Problem(path="period", value=period.label, rule=rule))
    elif period.start < contract.term.start or period.end > contract.term.end:
        term = f"{contract.term.start.isoformat()} to {contract.term.end.isoformat()}"
        rule = f"a period wholly within the contract's term, {term}"
        problems.append(Problem(path="period", value=period.label, rule=rule))
    return problems


def rows(statement: Statement) -> list[dict[str, Any]]:
    """The statement as a table (step, inputs, rule, amount), its total the last row."""
    found: list[dict[str, Any]] = [
        {
            "step": s.what,
            "inputs": "; ".join(f"{k}: {v}" for k, v in s.inputs.items()),
            "rule": s.rule,
            "amount": s.amount,
        }
        for s in statement.steps
    ]
    return [
        *found,
        {"step": "Total", "inputs": "", "rule": "the sum of the steps", "amount": statement.total},
    ]


def as_data(statement: Statement) -> dict[str, Any]:
    """The statement as JSON-ready data: amounts as text in pounds and pence."""
    return {
        "contract": statement.contract,
        "contract_name": statement.contract_name,
        "period": statement.period,
        "provider": {"code": statement.provider.code, "name": statement.provider.name},
        "commissioners": list(statement.commissioners),
        "steps": [
            {"what": s.what, "inputs": s.inputs, "rule": s.rule, "amount": f"{s.amount:.2f}"}
            for s in statement.steps
        ],
        "total": f"{statement.total:.2f}",
    }
