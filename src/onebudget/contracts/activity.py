"""Activity payment: price × volume per line, with marginal bands, a cap and a floor.

Bands work like income-tax bands: with ``price: 100.00`` and a band ``{above: 1000, price:
80.00}``, 1,200 units are paid 1,000 × £100.00 + 200 × £80.00. Each band's amount is its
exact product rounded half up to the penny, once; the period's payment is the sum of the
bands, then held to the cap (the most a period pays) or raised to the floor (the least), each
shown as its own step, so the statement's total is always the sum of its steps.
"""

from __future__ import annotations

from decimal import Decimal

from onebudget.contracts.inputs import Given
from onebudget.contracts.model import Activity, ActivityLine, Step, figure, pounds
from onebudget.contracts.periods import Period
from onebudget.money import ZERO, D

BAND_RULE = "units in the band × price, rounded half up to the penny"


def steps(activity: Activity, period: Period, given: Given) -> list[Step]:
    found: list[Step] = []
    for i, line in enumerate(activity.lines):
        volume = given.figure("volume", line.line, f"mechanism.lines.{i}")
        found += line_steps(line, volume)
    before = sum((s.amount for s in found), ZERO)
    return found + _limits(activity, before)


def bands(line: ActivityLine) -> list[tuple[Decimal, Decimal | None, Decimal]]:
    """(first unit above, last unit or None for no end, price) of each band, in order."""
    starts = [(Decimal(0), line.price), *((b.above, b.price) for b in line.bands)]
    ends: list[Decimal | None] = [start for start, _ in starts[1:]]
    return [(s, e, p) for (s, p), e in zip(starts, [*ends, None], strict=True)]


def line_steps(line: ActivityLine, volume: Decimal) -> list[Step]:
    """One step per band the volume reaches (the first band even for no activity)."""
    found = []
    for n, (above, upto, price) in enumerate(bands(line)):
        units = max(ZERO, (volume if upto is None else min(volume, upto)) - above)
        if units == 0 and n > 0:
            break
        which = _band_name(n, above, upto)
        found.append(
            Step(
                what=f"{line.line}: {which}",
                inputs={"volume": figure(volume), "units": figure(units), "price": pounds(price)},
                rule=BAND_RULE,
                amount=D(units * price),
            )
        )
    return found


def _band_name(n: int, above: Decimal, upto: Decimal | None) -> str:
    if upto is None:
        return "every unit" if n == 0 else f"units above {figure(above)}"
    return (
        f"units up to {figure(upto)}"
        if n == 0
        else f"units above {figure(above)} to {figure(upto)}"
    )


def _limits(activity: Activity, before: Decimal) -> list[Step]:
    """The cap and the floor, each a step (of nothing when it does not bind)."""
    found = []
    if activity.cap is not None:
        over = max(ZERO, before - activity.cap)
        found.append(_limit("Cap", activity.cap, before, -over, "at most the cap"))
    if activity.floor is not None:
        under = max(ZERO, activity.floor - before)
        found.append(_limit("Floor", activity.floor, before, under, "at least the floor"))
    return found


def _limit(what: str, limit: Decimal, before: Decimal, change: Decimal, rule: str) -> Step:
    return Step(
        what=what,
        inputs={"payment for activity": pounds(before), what.lower(): pounds(limit)},
        rule=f"the period's payment is {rule}; nothing when it is already",
        amount=change,
    )
