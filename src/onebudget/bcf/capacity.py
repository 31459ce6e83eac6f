"""The capacity and demand plan for intermediate care, month by month: what is missing from
it, and where capacity falls below demand.

A month with less capacity than demand is not a fault of the plan: showing where the gaps
fall, so the partners can plan for them, is what the plan is for. So ``capacity_gaps`` gives
each one, with the shortfall exact, as notes for the pages and ``bcf check``; the rules of
the year (every month planned, every category of the year) are ``checks.check_capacity_demand``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from onebudget.bcf.plan import MONTHS, Plan


@dataclass(frozen=True)
class CapacityGap:
    """A month in which a line plans less capacity than its demand (``line``: its index)."""

    line: int
    category: str
    label: str
    unit: str
    month: str
    demand: Decimal
    capacity: Decimal

    @property
    def shortfall(self) -> Decimal:
        return self.demand - self.capacity

    def __str__(self) -> str:
        return (
            f"capacity_demand.{self.line}.{self.month}: {self.label} ({self.category}): "
            f"capacity {self.capacity:,f} below demand {self.demand:,f} {self.unit} in "
            f"{self.month}: {self.shortfall:,f} short"
        )


def capacity_gaps(plan: Plan) -> list[CapacityGap]:
    """Every line and month with capacity below demand, in the plan's order."""
    return [
        CapacityGap(i, line.category, line.label, line.unit, m, line.demand[m], line.capacity[m])
        for i, line in enumerate(plan.capacity_demand)
        for m in MONTHS
        if m in line.demand and m in line.capacity and line.capacity[m] < line.demand[m]
    ]


def months_missing(plan: Plan) -> Iterator[tuple[str, str, str, str]]:
    """Each month a line leaves out: (path, the line's name, demand or capacity, month)."""
    for i, line in enumerate(plan.capacity_demand):
        for measure, by in (("demand", line.demand), ("capacity", line.capacity)):
            for m in MONTHS:
                if m not in by:
                    name = f"{line.label} ({line.category})"
                    yield f"capacity_demand.{i}.{measure}.{m}", name, measure, m
