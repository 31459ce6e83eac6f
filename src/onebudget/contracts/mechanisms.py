"""The one-provider payment mechanisms' models: block, activity, capitation and aligned
payment and incentive; each has a pure engine in its own module."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from onebudget.contracts.fields import (
    LineName,
    Number,
    Percent,
    Pounds,
    Strict,
)


class Block(Strict):
    """A fixed sum a year, paid in equal instalments."""

    kind: Literal["block"]
    annual: Pounds


class Band(Strict):
    """Units above ``above`` in the period are paid at ``price`` (until the next band)."""

    above: Number
    price: Pounds


class ActivityLine(Strict):
    line: LineName
    price: Pounds  # per unit, up to the first band's threshold
    bands: tuple[Band, ...] = ()


class Activity(Strict):
    """Price × volume per line, with marginal bands; the period's whole payment capped and
    floored when the contract says so."""

    kind: Literal["activity"]
    lines: tuple[ActivityLine, ...] = Field(min_length=1)
    cap: Pounds | None = None  # the most paid in a period
    floor: Pounds | None = None  # the least paid in a period


class Segment(Strict):
    segment: LineName
    weight: Number = Decimal(1)


class Capitation(Strict):
    """A rate per head a year of a registered or resident population, weighted by segment."""

    kind: Literal["capitation"]
    population: Literal["registered", "resident"]
    rate: Pounds
    segments: tuple[Segment, ...] = (Segment(segment="all"),)


class AlignedLine(Strict):
    """A variable element: activity against an annual baseline valued at unit price. With
    ``unit_price`` the period's input is a volume; without, its value at unit price."""

    line: LineName
    baseline: Pounds
    share: Percent  # of unit price, for activity above the baseline (and below, by default)
    share_below: Percent | None = None
    unit_price: Pounds | None = None


class AlignedPayment(Strict):
    """NHS Payment Scheme aligned payment and incentive: a fixed element and variable ones."""

    kind: Literal["aligned_payment"]
    fixed: Pounds
    variable: tuple[AlignedLine, ...] = Field(min_length=1)
