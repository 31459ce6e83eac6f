"""A Section 75 agreement as a form: what the pool manager typed, read from the request
as text (``Form``), the form filled from an agreement, and the choices of risk-share clause.

The form holds what people set: name, year, partners, host, pool manager, cascade, risk
reserve, and each scheme's code, name, contributions and clauses. What else an agreement
holds (instalments, notice, delegated functions, monthly profiles, charge-backs,
variations) is kept from the agreement the form started from (``agreement_build``).
Fields are named by row and partner code, never by a partner's position, so ticking
another partner does not move what was typed under the others.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from onebudget.funds.agreement import Agreement

MAX_ROWS = 60
KEPT = "kept"  # a clause the form has no choice for: kept as agreed
# choice -> (in words, the clause); "fixed" takes each partner's share from the form
OVERSPEND: dict[str, tuple[str, dict[str, Any] | None]] = {
    "pro_rata": ("Shared in proportion to contributions to this scheme", {"rule": "pro_rata"}),
    "pro_rata_fund": (
        "Shared in proportion to each partner's contributions to the whole fund",
        {"rule": "pro_rata", "basis": "fund"},
    ),
    "fixed": ("Shared in fixed percentages (enter each partner's share)", None),
    "host": ("Borne by the host partner", {"rule": "host"}),
    "own": ("Each partner bears its own: an aligned budget, not pooled", {"rule": "own"}),
}
UNDERSPEND: dict[str, tuple[str, dict[str, Any] | None]] = {
    "return": ("Returned to the partners in proportion to contributions", {"treatment": "return"}),
    "carry_forward": ("Carried forward to next year's pool", {"treatment": "carry_forward"}),
    "retain": ("Retained in the pool, for purposes the partners agree", {"treatment": "retain"}),
}


def key(code: str) -> str:
    """A partner code as it may stand in a field's name and id."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", code)


def row_field(i: int, part: str) -> str:
    return f"scheme-{i}-{part}"


def amount_field(i: int, partner: str) -> str:
    return f"scheme-{i}-amount-{key(partner)}"


def share_field(i: int, partner: str) -> str:
    return f"scheme-{i}-share-{key(partner)}"


def reserve_field(partner: str) -> str:
    return f"reserve-{key(partner)}"


@dataclass
class Row:
    """One scheme as typed. ``agreed``: in the agreement already (a variation), so its code
    is not the form's to change."""

    code: str = ""
    name: str = ""
    amounts: dict[str, str] = field(default_factory=dict)
    overspend: str = "pro_rata"
    shares: dict[str, str] = field(default_factory=dict)
    underspend: str = "return"
    agreed: bool = False

    def blank(self) -> bool:
        typed = (self.code, self.name, *self.amounts.values())
        return not self.agreed and not any(t.strip() for t in typed)


@dataclass
class Form:
    """The whole form as typed: ``partners`` are the codes in the fund, in the place's
    order; ``start`` the fund a new one was started from; the last five describe a
    variation (``version``: the version it was made against)."""

    partners: list[str]
    reference: str = ""
    name: str = ""
    year: str = ""
    host: str = ""
    pool_manager: str = ""
    cascade: bool = False
    reserve: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    start: str = ""
    reason: str = ""
    effective: str = ""
    agreed_by: str = ""
    agreed_on: str = ""
    version: str = ""


def overspend_choice(clause: Mapping[str, Any]) -> str:
    plain = {k: v for k, v in clause.items() if (k, v) != ("basis", "scheme")}
    if plain.get("rule") == "fixed" and set(plain) == {"rule", "shares"}:
        return "fixed"
    return next((k for k, (_, c) in OVERSPEND.items() if c == plain), KEPT)


def underspend_choice(clause: Mapping[str, Any]) -> str:
    plain = dict(clause)
    if plain.get("rule") in ({"rule": "pro_rata"}, {"rule": "pro_rata", "basis": "scheme"}):
        del plain["rule"]
    return next((k for k, (_, c) in UNDERSPEND.items() if c == plain), KEPT)


def shown(amount: Decimal) -> str:
    """An amount as the form shows it (the pound sign is beside the box)."""
    return f"{amount:,.2f}"


def from_agreement(agreement: Agreement, *, agreed: bool) -> Form:
    """The form filled from an agreement: contributions as agreed for the year with every
    variation. ``agreed``: the schemes are the agreement's own (a variation)."""
    rows = [_row(agreement, s.code, agreed) for s in agreement.schemes]
    return Form(
        partners=agreement.partner_codes,
        reference=agreement.id,
        name=agreement.name,
        year=str(agreement.financial_year),
        host=agreement.host,
        pool_manager=agreement.pool_manager,
        cascade=agreement.cascade,
        reserve={p: shown(v) for p, v in agreement.risk_reserve.items()},
        rows=rows,
    )


def _row(agreement: Agreement, code: str, agreed: bool) -> Row:
    scheme = agreement.scheme(code)
    choice = overspend_choice(scheme.overspend)
    shares = scheme.overspend.get("shares", {}) if choice == "fixed" else {}
    return Row(
        code=code,
        name=scheme.name,
        amounts={p: shown(v) for p, v in agreement.contributions(code).items()},
        overspend=choice,
        shares={str(p): f"{Decimal(str(v)).normalize():f}" for p, v in shares.items()},
        underspend=underspend_choice(scheme.underspend),
        agreed=agreed,
    )


def read(post: Any, *, partners: list[str], agreed: Agreement | None = None) -> Form:
    """The form as typed. ``partners``: the place's partners (those ticked are the fund's),
    or for a variation the agreement's, which the form cannot change."""
    chosen = set(post.getlist("partners"))
    fund_partners = agreed.partner_codes if agreed else [p for p in partners if p in chosen]
    form = Form(
        partners=fund_partners,
        reference=post.get("reference", ""),
        name=post.get("name", ""),
        year=post.get("financial_year", ""),
        host=post.get("host", ""),
        pool_manager=post.get("pool_manager", ""),
        cascade=post.get("cascade") == "yes",
        reserve={p: post.get(reserve_field(p), "") for p in fund_partners},
        start=post.get("start", ""),
        reason=post.get("reason", ""),
        effective=post.get("effective", ""),
        agreed_by=post.get("agreed_by", ""),
        agreed_on=post.get("agreed_on", ""),
        version=post.get("version", ""),
    )
    codes = [s.code for s in agreed.schemes] if agreed else []
    count = max(_count(post.get("rows")), len(codes))
    form.rows = [_read_row(post, i, form.partners, codes) for i in range(count)]
    return form


def _read_row(post: Any, i: int, partners: list[str], agreed: list[str]) -> Row:
    return Row(
        code=agreed[i] if i < len(agreed) else post.get(row_field(i, "code"), ""),
        name=post.get(row_field(i, "name"), ""),
        amounts={p: post.get(amount_field(i, p), "") for p in partners},
        overspend=post.get(row_field(i, "overspend"), ""),
        shares={p: post.get(share_field(i, p), "") for p in partners},
        underspend=post.get(row_field(i, "underspend"), ""),
        agreed=i < len(agreed),
    )


def _count(text: str | None) -> int:
    try:
        return min(max(int(text or "1"), 1), MAX_ROWS)
    except ValueError:
        return 1


def with_another_row(form: Form) -> Form:
    """The form with one more blank scheme (up to ``MAX_ROWS``)."""
    if len(form.rows) < MAX_ROWS:
        form.rows.append(Row())
    return form
