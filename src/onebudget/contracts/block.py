"""Block payment: a fixed sum a year, paid in equal instalments that add up to the penny.

The year is split once, through ``money.allocate`` with equal weights: £100,000.00 over twelve
months is four of £8,333.34 and eight of £8,333.33 (the odd pence go to the earliest
periods), so the year is never a penny out.
"""

from __future__ import annotations

from decimal import Decimal

from onebudget.contracts.inputs import Given
from onebudget.contracts.model import Block, Step, pounds
from onebudget.contracts.periods import Period
from onebudget.money import allocate

EQUAL = "in {n} equal instalments to the penny, the odd pence to the earliest periods"


def instalment(annual: Decimal, period: Period) -> Decimal:
    """The period's share of an annual sum: the year split equally over its periods."""
    return allocate(annual, [1] * period.per_year)[period.number - 1]


def instalment_step(what: str, annual: Decimal, period: Period) -> Step:
    """A step paying the period's instalment of an annual sum."""
    return Step(
        what=what,
        inputs={
            "annual sum": pounds(annual),
            "period": f"{period.label}: {period.number} of {period.per_year}",
        },
        rule="the annual sum " + EQUAL.format(n=period.per_year),
        amount=instalment(annual, period),
    )


def steps(block: Block, period: Period, given: Given) -> list[Step]:
    return [instalment_step("Block payment", block.annual, period)]
