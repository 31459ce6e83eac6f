"""The spend of one place: lines that cover several places apportioned by population.

A council's ledger is its own area's. An ICB's covers every place in the ICB, so its
spend is shared out by the population registered with GP practices in the place (the
2025/26 GP-practice weighted-population file, by the practices' local authority district)
over the ICB's. Each split is made with ``money.allocate``, so the place's part and the
rest add up to the penny; per head is over the place's registered population.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onebudget.money import PENNY, ZERO, allocate
from onebudget.population.reference import practices_by_council
from onebudget.spend.engine import SpendView


class NoPracticesError(ValueError):
    """A council area, or a partner in it, has no GP practices to apportion spend by."""


@dataclass(frozen=True)
class Share:
    place: Decimal  # registered population in the place
    whole: Decimal  # registered population the partner's ledger covers


def registered(lad: str) -> tuple[Decimal, dict[str, Decimal]]:
    """The place's registered population, and each ICB's in the whole of England's data."""
    practices = practices_by_council()
    if lad not in practices:
        raise NoPracticesError(
            f"{lad}: no GP practices are registered in this local authority district"
        )
    place = sum((_people(p.population) for p in practices[lad]), Decimal(0))
    icbs: dict[str, Decimal] = {}
    for group in practices.values():
        for p in group:
            icbs[p.icb_code] = icbs.get(p.icb_code, Decimal(0)) + _people(p.population)
    return place, icbs


def _people(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))


def shares_for(lad: str, partners: list[str]) -> tuple[Decimal, dict[str, Share]]:
    """The place's population, and the share for each partner that covers more than it."""
    place, icbs = registered(lad)
    in_place = {p.icb_code for p in practices_by_council()[lad]}
    shares = {}
    for partner in partners:
        if partner in icbs:
            if partner not in in_place:
                raise NoPracticesError(f"{partner} has no GP practices in {lad}")
            mine = sum(
                (
                    _people(p.population)
                    for p in practices_by_council()[lad]
                    if p.icb_code == partner
                ),
                Decimal(0),
            )
            shares[partner] = Share(mine, icbs[partner])
    return place, shares


def per_head(amount: Decimal, population: Decimal) -> Decimal:
    """Money per person, to the penny (half to even, as every rounding of money here)."""
    return (amount / population).quantize(PENNY)


def per_head_by_service(
    rows: Sequence[Mapping[str, Any]], population: Decimal
) -> tuple[Decimal, list[tuple[str, Decimal, Decimal]]]:
    """The place's total and, largest first, each service's (code, amount, per head), from
    ``apportion``'s rows."""
    by_service: dict[str, Decimal] = {}
    for r in rows:
        code = str(r["service"])
        by_service[code] = by_service.get(code, ZERO) + r["place_amount"]
    ranked = sorted(by_service.items(), key=lambda kv: -kv[1])
    total = sum(by_service.values(), ZERO)
    return total, [(code, amount, per_head(amount, population)) for code, amount in ranked]


def apportion(
    view: SpendView, place: str, population: Decimal, shares: Mapping[str, Share]
) -> list[dict[str, Any]]:
    """Spend by service, partner and budget for the place, with the rest and per head."""
    rows = []
    for (service, partner, budget), total in view.totals.items():
        share = shares.get(partner)
        if share is None or share.place == share.whole:
            mine = total
        else:
            mine = allocate(total, [share.place, share.whole - share.place])[0]
        rows.append(
            {
                "place": place,
                "service": service,
                "partner": partner,
                "budget": budget,
                "ledger_amount": total,
                "place_share": round(float(share.place / share.whole), 6) if share else 1.0,
                "place_amount": mine,
                "per_head": per_head(mine, population) if population else None,
            }
        )
    return rows
