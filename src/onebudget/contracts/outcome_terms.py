"""The terms of an outcome-based payment and its results, as frozen data: what is at risk,
the indicators with their gradients, payments per unit of outcome, a shared saving, the
floor and cap; and what was measured (with its 95% interval). ``outcome_payment`` pays them;
``outcome_checks`` says what is wrong with them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from onebudget.contracts.model import Step
from onebudget.money import ZERO

Polarity = Literal["higher is better", "lower is better"]
SavingBasis = Literal["whole saving", "above the rate"]
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Measured:
    """An indicator's result for the period, with its 95% interval when it has one."""

    value: Decimal
    lower: Decimal | None = None
    upper: Decimal | None = None


@dataclass(frozen=True)
class Linear:
    """Nothing at the baseline, the indicator's whole pot at the target, straight between;
    past the target, up to ``stretch_percent`` more of the pot at the stretch, capped there."""

    stretch_percent: Decimal = ZERO


@dataclass(frozen=True)
class Threshold:
    at: Decimal
    percent: Decimal  # of the indicator's pot, once the result reaches ``at``


@dataclass(frozen=True)
class Stepped:
    """The furthest threshold the result reaches pays its percentage of the pot (not the sum
    of the thresholds reached). Thresholds run from the baseline towards the better side."""

    thresholds: tuple[Threshold, ...]


@dataclass(frozen=True)
class Indicator:
    code: str
    weight: Decimal
    baseline: Decimal
    target: Decimal
    stretch: Decimal | None = None
    polarity: Polarity = "higher is better"
    gradient: Linear | Stepped = Linear()
    significant: bool = False  # pay only if the 95% interval excludes the baseline


@dataclass(frozen=True)
class PerUnit:
    """``price`` per unit of improvement on the baseline (say, per bed day avoided)."""

    code: str
    baseline: Decimal
    price: Decimal
    polarity: Polarity = "lower is better"
    significant: bool = False


@dataclass(frozen=True)
class SharedSaving:
    baseline_cost: Decimal
    share_percent: Decimal  # the provider's share of the saving
    minimum_rate_percent: Decimal = ZERO  # of the baseline cost, before anything is shared
    basis: SavingBasis = "whole saving"


@dataclass(frozen=True)
class OutcomeTerms:
    value: Decimal
    at_risk_percent: Decimal
    indicators: tuple[Indicator, ...] = ()
    per_unit: tuple[PerUnit, ...] = ()
    saving: SharedSaving | None = None
    floor: Decimal | None = None  # on the outcome payment, not the guaranteed part
    cap: Decimal | None = None


@dataclass(frozen=True)
class Line:
    """One indicator's, unit price's or saving's payment: as earned, and as paid once the
    cap (if it binds) has been taken off in proportion to what each earned."""

    code: str
    earned: Decimal
    paid: Decimal


@dataclass(frozen=True)
class OutcomePayment:
    guaranteed: Decimal
    lines: tuple[Line, ...]
    outcome: Decimal  # what the outcomes earned, after the floor and cap
    total: Decimal  # guaranteed + outcome: what the steps add up to
    steps: tuple[Step, ...]


def total_of(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def better_by(a: Decimal, b: Decimal, polarity: Polarity) -> Decimal:
    """How far ``a`` is better than ``b`` (negative when worse)."""
    return a - b if polarity == "higher is better" else b - a
