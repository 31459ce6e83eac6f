"""A settlement as plain rows: for the XLSX workbook, the JSON output and the service's pages."""

from __future__ import annotations

from typing import Any

from onebudget.funds import statement
from onebudget.funds.monitoring import SchemePosition
from onebudget.funds.settlement import Settlement
from onebudget.money import ZERO

Row = dict[str, Any]


def scheme_rows(result: Settlement) -> list[Row]:
    rows = []
    for s in result.schemes:
        rows.append(
            {
                "scheme": s.scheme,
                "name": result.agreement.scheme(s.scheme).name,
                "budget": s.budget,
                "expenditure": s.expenditure,
                "variance": s.variance,
                "met_by_other_schemes": s.cascade,
                "met_by_risk_reserve": s.reserve,
                "shared_overspend": s.overspend.total - s.overspend.held,
                "held_for_joint_decision": s.overspend.held,
                "underspend_returned": sum(s.underspend.returned.values(), ZERO),
                "carried_forward": s.underspend.carried_forward,
                "retained_in_pool": s.underspend.retained,
            }
        )
    return rows


def partner_rows(result: Settlement) -> list[Row]:
    names = {p.code: p.name for p in result.agreement.partners}
    return [
        {
            "partner": m.partner,
            "name": names[m.partner],
            "pooled_contributions": m.contributions,
            "share_of_overspend": m.overspend_share,
            "risk_reserve_used": m.reserve_used,
            "underspend_returned": m.underspend_returned,
            "pooled_expenditure": m.pooled_expenditure,
            "aligned_budget": m.aligned_budget,
            "aligned_spend": m.aligned_spend,
            "charge_backs": m.charge_backs,
            "settlement_due": m.settlement,
        }
        for m in statement.memoranda(result)
    ]


def payment_rows(result: Settlement) -> list[Row]:
    return [
        {"from": payer, "to": payee, "amount": amount}
        for payer, payee, amount in statement.payments(result)
    ]


def position_rows(found: list[SchemePosition]) -> list[Row]:
    return [
        {
            "scheme": p.scheme,
            "annual_budget": p.annual_budget,
            "budget_to_date": p.budget_to_date,
            "actual_to_date": p.actual_to_date,
            "variance_to_date": p.variance_to_date,
            "forecast_outturn": p.forecast_outturn,
            "forecast_variance": p.forecast_variance,
        }
        for p in found
    ]


def sheets(result: Settlement) -> dict[str, list[Row]]:
    return {
        "Partners": partner_rows(result),
        "Schemes": scheme_rows(result),
        "Payments": payment_rows(result),
    }
