"""Plain data for the contract pages: names before codes, money as money, periods in words."""

from __future__ import annotations

from typing import Any

from onebudget.contracts.model import Contract
from onebudget.contracts.periods import Period, parse_period
from onebudget.money import ZERO
from onebudget_web.contracts.models import PeriodStatement, ProviderContract

KINDS = {
    "block": "Block payment",
    "activity": "Activity: price times volume",
    "capitation": "Capitation: per head of a population",
    "aligned_payment": "Aligned payment and incentive (NHS Payment Scheme)",
    "outcome_based": "Outcome-based payment",
    "alliance": "Alliance: gain and pain shared against one budget",
    "prime_provider": "Prime provider with subcontracts",
}
FREQUENCY = {"quarterly": "Quarterly", "monthly": "Monthly"}


def period_words(label: str) -> str:
    """``2025-Q1`` -> ``April to June 2025``; ``2025-04`` -> ``April 2025``."""
    found = parse_period(label)
    return label if found is None else _words(found)


def _words(period: Period) -> str:
    if period.months == 1:
        return f"{period.start:%B %Y}"
    return f"{period.start:%B} to {period.end:%B %Y}"


def summary(kept: ProviderContract, contract: Contract) -> dict[str, Any]:
    """What a contract is, for its page and the list of a place's contracts."""
    funding = None
    if contract.funding is not None:
        fund = kept.fund.name if kept.fund else contract.funding.fund
        funding = f"{fund}, scheme {contract.funding.scheme}"
    return {
        "code": kept.code,
        "pk": kept.pk,
        "name": contract.name,
        "kind": KINDS[contract.mechanism.kind],
        "commissioners": [c.name for c in contract.commissioners],
        "providers": [f"{p.name} ({p.code})" for p in contract.providers],
        "term": f"{contract.term.start:%-d %B %Y} to {contract.term.end:%-d %B %Y}",
        "annual_value": contract.annual_value,
        "funding": funding,
        "periods": FREQUENCY[contract.periods],
    }


def statement_lines(kept: PeriodStatement) -> list[dict[str, Any]]:
    """Each line of a statement: what, the figures it used, the rule, the amount."""
    return [
        {
            "index": n,
            "what": step["what"],
            "inputs": list(step["inputs"].items()),
            "rule": step["rule"],
            "amount": step["amount"],
        }
        for n, step in enumerate(kept.data["steps"])
    ]


def by_period(statements: list[PeriodStatement], posted: set[str]) -> list[dict[str, Any]]:
    """The statements grouped by period, latest first, each period's total, and whether its
    payments are all in the fund's ledger (a nil payment posts nothing)."""
    periods: dict[str, list[PeriodStatement]] = {}
    for s in sorted(statements, key=lambda s: (s.period, s.provider_code)):
        periods.setdefault(s.period, []).append(s)
    return [
        {
            "period": label,
            "words": period_words(label),
            "statements": found,
            "total": sum((s.total for s in found), ZERO),
            "funded": bool(found[0].ledger_key),
            "posted": all(s.ledger_key in posted or not s.total_pence for s in found),
        }
        for label, found in sorted(periods.items(), reverse=True)
    ]
