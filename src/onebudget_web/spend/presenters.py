"""Plain data for the spend page: services by partner, money by budget, spend per head,
each with names before codes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from onebudget.money import ZERO
from onebudget.spend.places import per_head, per_head_by_service
from onebudget.spend.taxonomy import services
from onebudget_web.spend.selectors import PlaceAmounts

Row = dict[str, Any]


def service_table(rows: Sequence[Row], partners: list[str]) -> list[Row]:
    """Each service's spend by partner (in ``partners`` order) and in total, largest first."""
    by: dict[str, Row] = {}
    for r in rows:
        entry = by.setdefault(
            r["service"], {"name": r["service_name"], "amounts": defaultdict(lambda: ZERO)}
        )
        entry["amounts"][r["partner"]] += r["amount"]
    table = [
        {
            "name": e["name"],
            "amounts": [e["amounts"][p] for p in partners],
            "total": sum(e["amounts"].values(), ZERO),
        }
        for e in by.values()
    ]
    return sorted(table, key=lambda t: -t["total"])


def budget_table(rows: Sequence[Row]) -> list[Row]:
    """Pooled, aligned and in-view-only money by partner."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        totals[(r["partner"], r["budget"])] += r["amount"]
    partners = sorted({p for p, _ in totals})
    return [
        {"partner": p, **{b: totals[(p, b)] for b in ("pooled", "aligned", "view")}}
        for p in partners
    ]


def per_head_table(found: PlaceAmounts | None) -> Row | None:
    """The place's spend per head, in total and by service (the service's name)."""
    if found is None or not found.population:
        return None
    total, by_service = per_head_by_service(found.rows, found.population)
    names = {s.code: s.name for s in services().services}
    return {
        "population": found.population,
        "source": found.population_source,
        "total": total,
        "per_head": per_head(total, found.population),
        "services": [
            {"name": names.get(code, code), "amount": amount, "per_head": each}
            for code, amount, each in by_service
        ],
    }
