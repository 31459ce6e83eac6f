"""Plain data for the fund pages: the agreement in words, the position, the statement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onebudget.funds import riskshare as rs
from onebudget.funds.agreement import Agreement
from onebudget.money import ZERO


def rule_in_words(rule: rs.Rule, names: dict[str, str]) -> str:
    if isinstance(rule, rs.ProRata):
        return "pro rata to contributions"
    if isinstance(rule, rs.HostBears):
        return "the host bears it"
    if isinstance(rule, rs.Own):
        return "each partner bears its own"
    if isinstance(rule, rs.Fixed):
        return "fixed shares: " + ", ".join(
            f"{names.get(p, p)} {v}%" for p, v in rule.percentages.items()
        )
    if isinstance(rule, rs.Capped):
        caps = ", ".join(
            f"{names.get(p, p)} at {'its contribution' if c == 'contribution' else f'£{c:,}'}"
            for p, c in rule.caps.items()
        )
        excess = (
            "held for joint decision"
            if rule.excess_to == rs.JOINT
            else f"to {names.get(rule.excess_to, rule.excess_to)}"
        )
        return f"{rule_in_words(rule.rule, names)}, capped ({caps}), the excess {excess}"
    if isinstance(rule, rs.Tiered):
        who = names.get(rule.partner, rule.partner)
        return f"the first £{rule.first:,} to {who}, then {rule_in_words(rule.then, names)}"
    return type(rule).__name__


def underspend_in_words(rule: rs.UnderspendRule, names: dict[str, str]) -> str:
    if isinstance(rule, rs.CarryForward):
        return "carried forward"
    if isinstance(rule, rs.Retain):
        return "retained in the pool"
    return f"returned, {rule_in_words(rule.rule, names)}"


def schemes(agreement: Agreement, books: dict[str, Decimal]) -> list[dict[str, Any]]:
    names = {p.code: p.name for p in agreement.partners}
    rows = []
    for s in agreement.schemes:
        contributions = agreement.contributions(s.code)
        received = -sum(
            (v for k, v in books.items() if k.startswith(f"{s.code}:contribution:")), ZERO
        )
        spent = books.get(f"{s.code}:expenditure", ZERO) + sum(
            (v for k, v in books.items() if k.startswith(f"{s.code}:aligned-spend:")), ZERO
        )
        rows.append(
            {
                "code": s.code,
                "name": s.name,
                "budget": s.budget,
                "contributions": [(names[p], v) for p, v in contributions.items()],
                "total": sum(contributions.values(), ZERO),
                "received": received,
                "spent": spent,
                "overspend": rule_in_words(agreement.overspend_rule(s.code), names),
                "underspend": underspend_in_words(agreement.underspend_rule(s.code), names),
            }
        )
    return rows


def statement_rows(statement: dict[str, Any]) -> dict[str, Any]:
    """The stored statement (money as text) with amounts back as Decimals for display."""

    def money(row: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in row.items():
            try:
                out[k] = (
                    Decimal(v)
                    if isinstance(v, str) and k not in ("partner", "name", "scheme", "from", "to")
                    else v
                )
            except ArithmeticError:
                out[k] = v
        return out

    return {sheet: [money(r) for r in rows] for sheet, rows in statement.items()}
