"""Aligned payment and incentive (API), as the NHS Payment Scheme sets it for NHS providers.

A fixed element, agreed for the year and paid in equal instalments like a block, and a
variable element for each line of activity (elective activity, in the scheme): the activity's
value at unit price against the baseline value, with the difference paid (above the baseline)
or taken back (below it) at a stated share of unit price. The share is the contract's: the
scheme has set it nationally year by year (75% above the baseline for elective activity in
2022/23; 100% of unit prices in the 2023/25 scheme), and a local variation may agree another.
See NHS England, "NHS Payment Scheme" (section on the aligned payment and incentive) and its
"NHS provider payment mechanisms" guidance.

The baseline is annual and split over the periods like the fixed element; a line's activity
is given as its value at unit price, or as a volume when the line has a unit price. Values and
the variable amount are rounded half up (away from zero) to the penny, once each.
"""

from __future__ import annotations

from decimal import Decimal

from onebudget.contracts.block import instalment, instalment_step
from onebudget.contracts.inputs import Given
from onebudget.contracts.model import AlignedLine, AlignedPayment, Step, figure, pounds
from onebudget.contracts.periods import Period
from onebudget.money import D


def steps(api: AlignedPayment, period: Period, given: Given) -> list[Step]:
    found = [instalment_step("Fixed element", api.fixed, period)]
    for i, line in enumerate(api.variable):
        found.append(variable_step(line, period, given, f"mechanism.variable.{i}"))
    return found


def variable_step(line: AlignedLine, period: Period, given: Given, path: str) -> Step:
    inputs: dict[str, str] = {}
    if line.unit_price is None:
        actual = given.figure("value", line.line, path)
    else:
        volume = given.figure("volume", line.line, path)
        actual = D(volume * line.unit_price)
        inputs |= {"volume": figure(volume), "unit price": pounds(line.unit_price)}
    baseline = instalment(line.baseline, period)
    above = actual >= baseline
    share = line.share if above or line.share_below is None else line.share_below
    inputs |= {
        "activity at unit price": pounds(actual),
        "baseline for the period": f"{pounds(baseline)} ({pounds(line.baseline)} a year)",
        "share of unit price": f"{figure(share)}%",
    }
    return Step(
        what=f"{line.line}: variable element, {'above' if above else 'below'} baseline",
        inputs=inputs,
        rule="(activity − baseline) × share, rounded half up to the penny: paid above the "
        "baseline, taken back below it",
        amount=D((actual - baseline) * share / Decimal(100)),
    )
