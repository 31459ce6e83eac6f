"""A budget's components as shares of it, each given either as a share or as an amount.

The engine takes shares that add up to exactly 1 (``budget.ComponentSpec``). A component
given in pounds is ``amount / budget`` of it, which is rarely a terminating decimal, so it
is kept to 20 decimal places and, when the parts cover the budget exactly, the last amount
takes what is left of 1. The shares then add up to 1 exactly, and ``money.allocate`` gives
each amount back to the penny: the rounding is under a thousandth of a penny on any budget
money can hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

PLACES = Decimal("1e-20")
_EXACT = 80  # digits: enough that sums and products of shares and pence are never rounded


@dataclass(frozen=True)
class Part:
    """One component's part of the budget: a share of it (a fraction) or an amount in £."""

    share: Decimal | None = None
    amount: Decimal | None = None


def covered(budget: Decimal, parts: Sequence[Part]) -> Decimal:
    """How much of ``budget`` the parts come to, in pounds (exactly)."""
    with localcontext() as context:
        context.prec = _EXACT
        return sum((_pounds(p, budget) for p in parts), Decimal(0))


def shares_of(budget: Decimal, parts: Sequence[Part]) -> list[Decimal]:
    """Each part as a share of ``budget``; they add up to exactly 1 when the parts cover the
    budget exactly (otherwise each is its own share, for the engine to refuse the sum)."""
    with localcontext() as context:
        context.prec = _EXACT
        out = [
            _share(p) if p.amount is None else (p.amount / budget).quantize(PLACES) for p in parts
        ]
        given = [i for i, p in enumerate(parts) if p.amount is not None]
        if given and covered(budget, parts) == budget:
            last = given[-1]
            out[last] = 1 - sum((s for i, s in enumerate(out) if i != last), Decimal(0))
    return out


def _pounds(part: Part, budget: Decimal) -> Decimal:
    return part.amount if part.amount is not None else _share(part) * budget


def _share(part: Part) -> Decimal:
    if part.share is None:
        raise ValueError("a part is a share or an amount")
    return part.share
