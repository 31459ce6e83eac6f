"""Capitation: a rate per head a year of a registered or resident population, by segment.

Each segment's year is heads × rate × weight (its need relative to the rate: 2.5 for people
aged 65 and over, say), rounded half up to the penny once; the period is paid its instalment
of that year, split through ``money.allocate`` so that a year of the same population adds up
to the penny. Heads are the period's own count, as the inputs give it.
"""

from __future__ import annotations

from onebudget.contracts.block import EQUAL, instalment
from onebudget.contracts.inputs import Given
from onebudget.contracts.model import Capitation, Step, figure, pounds
from onebudget.contracts.periods import Period
from onebudget.money import D


def steps(capitation: Capitation, period: Period, given: Given) -> list[Step]:
    found = []
    for i, segment in enumerate(capitation.segments):
        heads = given.figure("population", segment.segment, f"mechanism.segments.{i}")
        annual = D(heads * capitation.rate * segment.weight)
        found.append(
            Step(
                what=f"{segment.segment}: {capitation.population} population",
                inputs={
                    "heads": figure(heads),
                    "rate per head a year": pounds(capitation.rate),
                    "weight": figure(segment.weight),
                    "a year": pounds(annual),
                    "period": f"{period.label}: {period.number} of {period.per_year}",
                },
                rule="heads × rate × weight a year, rounded half up to the penny; the year "
                + EQUAL.format(n=period.per_year),
                amount=instalment(annual, period),
            )
        )
    return found
