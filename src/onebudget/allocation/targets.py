"""Money by need: target allocations, several components, pace of change, and a hierarchy
(nation -> ICB -> place -> council area) that adds up to the penny at every level.

Every split is ``money.allocate`` (largest remainder on whole pence), so a budget shared
between areas, or between components, is exactly the budget. Areas are taken in sorted
order so the odd pennies always go the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from onebudget.money import ZERO, allocate


class AllocationError(ValueError):
    pass


def by_need(budget: Decimal, needs: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``budget`` shared in proportion to each area's need (a weighted population, say)."""
    areas = sorted(needs)
    negative = [a for a in areas if needs[a] < 0]
    if not areas or negative or sum(needs.values(), ZERO) <= 0:
        raise AllocationError(_needs_problem(areas, negative))
    return dict(zip(areas, allocate(budget, [needs[a] for a in areas]), strict=True))


def _needs_problem(areas: Sequence[str], negative: Sequence[str]) -> str:
    expected = "(expected a need for each area, none negative and not all zero)"
    if not areas:
        return f"no areas to share the budget among {expected}"
    if negative:
        return f"a negative need for {', '.join(negative)} {expected}"
    return f"every area's need is zero {expected}"


@dataclass(frozen=True)
class Component:
    """A part of the budget (a share of it) allocated by its own need measure."""

    name: str
    share: Decimal  # of the whole budget; the components' shares add up to 1
    needs: Mapping[str, Decimal]


def by_components(
    budget: Decimal, components: Sequence[Component]
) -> dict[str, dict[str, Decimal]]:
    """Area -> component -> money. Each component's money is its share of the budget (split
    to the penny), then shared by its own needs."""
    total = sum((c.share for c in components), ZERO)
    if total != 1:
        shares = f"{total.normalize():f}"
        raise AllocationError(f"the components' shares add up to {shares} (expected 1)")
    areas = sorted(set().union(*(c.needs for c in components)))
    parts = allocate(budget, [c.share for c in components])
    out: dict[str, dict[str, Decimal]] = {a: {} for a in areas}
    for component, money in zip(components, parts, strict=True):
        needs = {a: component.needs.get(a, ZERO) for a in areas}
        for area, amount in by_need(money, needs).items():
            out[area][component.name] = amount
    return out


@dataclass(frozen=True)
class Paced:
    baseline: Decimal
    target: Decimal
    allocation: Decimal

    @property
    def growth(self) -> Decimal:
        return (self.allocation / self.baseline - 1) if self.baseline else ZERO

    def distance(self, amount: Decimal) -> Decimal:
        """How far from target, as a fraction of target (negative: below target)."""
        return (amount - self.target) / self.target if self.target else ZERO

    @property
    def distance_before(self) -> Decimal:
        return self.distance(self.baseline)

    @property
    def distance_after(self) -> Decimal:
        return self.distance(self.allocation)


def pace_of_change(
    budget: Decimal,
    baseline: Mapping[str, Decimal],
    needs: Mapping[str, Decimal],
    *,
    floor: Decimal,
    cap: Decimal | None = None,
) -> dict[str, Paced]:
    """Move towards target without shocks, adding up to ``budget`` exactly:

    1. every area grows by ``floor`` on its baseline (the minimum growth);
    2. areas below target share what is left in proportion to how far below they are, up
       to their target;
    3. anything still left is shared by need among areas whose growth is under ``cap``
       (all areas if there is no cap), none taken past its cap; if every area is at its
       cap, the rest is shared by need among all, rather than left unallocated.
    """
    areas = sorted(baseline)
    targets = by_need(budget, {a: needs[a] for a in areas})
    given = {a: _pence(baseline[a] * (1 + floor)) for a in areas}
    left = budget - sum(given.values(), ZERO)
    if left < 0:
        raise AllocationError(
            f"the budget, {budget:,}, is {-left:,} less than every area's baseline grown by the "
            f"floor, {floor} (expected a budget of at least {budget - left:,}, or a lower floor)"
        )
    gaps = {a: targets[a] - given[a] for a in areas if targets[a] > given[a]}
    if left and gaps:
        closing = gaps if left >= sum(gaps.values(), ZERO) else by_need(left, gaps)
        for area, extra in closing.items():
            given[area] += extra
        left -= sum(closing.values(), ZERO)
    while left > 0:
        room = _room(areas, baseline, given, cap) or dict.fromkeys(areas, left)
        weights = {a: needs[a] for a in room}
        if not sum(weights.values(), ZERO):
            weights = dict.fromkeys(room, Decimal(1))
        for area, extra in by_need(left, weights).items():
            take = min(extra, room[area])
            given[area] += take
            left -= take
    return {a: Paced(baseline[a], targets[a], given[a]) for a in areas}


def _room(
    areas: Sequence[str],
    baseline: Mapping[str, Decimal],
    given: Mapping[str, Decimal],
    cap: Decimal | None,
) -> dict[str, Decimal]:
    """How much more each area may take before its growth reaches the cap."""
    if cap is None:
        return {a: Decimal("Infinity") for a in areas}
    limits = {a: _pence(baseline[a] * (1 + cap)) - given[a] for a in areas}
    return {a: room for a, room in limits.items() if room > 0}


def _pence(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"))


def cascade(
    budget: Decimal, tree: Mapping[str, object], needs: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Nation -> ICB -> place -> council area: ``tree`` maps each area to its sub-areas (a
    leaf maps to an empty mapping); ``needs`` holds each leaf's need. Every area's money is
    the sum of its sub-areas', to the penny. Returns every area's money, by path."""
    out: dict[str, Decimal] = {}

    def need_of(name: str, sub: Mapping[str, object]) -> Decimal:
        if not sub:
            return needs[name]
        return sum((need_of(k, v) for k, v in sub.items()), ZERO)  # type: ignore[arg-type]

    def walk(path: str, money: Decimal, sub: Mapping[str, object]) -> None:
        out[path] = money
        if sub:
            shares = by_need(money, {k: need_of(k, v) for k, v in sub.items()})  # type: ignore[arg-type]
            for name, amount in shares.items():
                walk(f"{path}/{name}", amount, sub[name])  # type: ignore[arg-type]

    walk("England", budget, tree)
    return out
