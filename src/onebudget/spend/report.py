"""The spend view as plain rows: for the XLSX workbook, the CLI and the service's pages."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from onebudget.money import ZERO
from onebudget.spend.engine import SpendView
from onebudget.spend.taxonomy import Taxonomy, services

Row = dict[str, Any]


def service_rows(view: SpendView, taxonomy: Taxonomy | None = None) -> list[Row]:
    names = {s.code: s for s in (taxonomy or services()).services}
    return [
        {
            "service": code,
            "service_name": names[code].name if code in names else code,
            "sector": names[code].sector if code in names else "",
            "partner": partner,
            "budget": budget,
            "amount": amount,
        }
        for (code, partner, budget), amount in view.totals.items()
    ]


def by_service(view: SpendView) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (code, _, _), amount in view.totals.items():
        out[code] += amount
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def reconciliation_rows(view: SpendView) -> list[Row]:
    return [
        {
            "partner": r.partner,
            "ledger_total": r.ledger_total,
            "mapped": r.mapped,
            "unmapped": r.unmapped,
            "eliminated": r.eliminated,
            "unmatched_transfers": r.unmatched,
            "reconciles": "yes" if r.balances else "NO",
        }
        for r in view.reconciliations
    ]


def unmapped_rows(view: SpendView) -> list[Row]:
    return [_line(p.line) for p in view.unmapped]


def transfer_rows(view: SpendView) -> list[Row]:
    return [
        {"reference": g.reference, "status": g.status, **_line(p.line), "kind": p.transfer}
        for g in view.transfers
        for p in g.lines
    ]


def _line(line: Any) -> Row:
    return {
        "partner": line.partner,
        "file": line.source,
        "row": line.row,
        "month": line.month,
        "cost_centre": line.cost_centre,
        "account": line.account,
        "description": line.description,
        "counterparty": line.counterparty,
        "reference": line.reference,
        "amount": line.amount,
    }


def sheets(view: SpendView) -> dict[str, list[Row]]:
    return {
        "Spend by service": service_rows(view),
        "Reconciliation": reconciliation_rows(view),
        "Unmapped lines": unmapped_rows(view),
        "Transfers": transfer_rows(view),
    }
