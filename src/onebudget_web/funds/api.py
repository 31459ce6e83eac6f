"""Pooled funds in the JSON API: read-only, through the same scoped selectors as the pages.
Money is given as text with two decimal places (a JSON number would be a float)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router, Schema

from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.funds import presenters, selectors
from onebudget_web.funds.models import Fund

router = Router(tags=["pooled funds"])


class Problem(Schema):
    detail: str


class FundOut(Schema):
    code: str
    name: str
    financial_year: int
    place: str
    host: str
    partners: list[str]


class SchemeOut(Schema):
    code: str
    name: str
    budget: str
    total: str
    received: str
    spent: str
    overspend: str
    underspend: str


class FundDetailOut(FundOut):
    agreement_version: int
    schemes: list[SchemeOut]
    balances: dict[str, str]


class SettlementOut(Schema):
    status: str  # "awaiting approval", "posted" or "reversed"
    prepared_at: str
    prepared_by: str
    approved_by: list[str]
    partners: list[dict[str, str]]
    schemes: list[dict[str, str]]
    payments: list[dict[str, str]]


def fund_out(fund: Fund) -> dict[str, Any]:
    return {
        "code": fund.code,
        "name": fund.name,
        "financial_year": fund.financial_year,
        "place": fund.place.slug,
        "host": fund.host.code,
        "partners": sorted(fund.partners.values_list("code", flat=True)),
    }


@router.get("", response={200: list[FundOut], 401: Problem}, summary="Funds I am a partner in")
def list_funds(request: SignedInRequest) -> list[dict[str, Any]]:
    return [fund_out(f) for f in selectors.funds_for(request.user).select_related("place", "host")]


@router.get(
    "/{code}", response={200: FundDetailOut, 401: Problem, 404: Problem}, summary="One fund"
)
def get_fund(request: SignedInRequest, code: str) -> dict[str, Any]:
    fund = selectors.get_fund_for(request.user, code)
    books = selectors.balances(fund)
    schemes = presenters.schemes(selectors.agreement_of(fund), books)
    keep = ("code", "name", "budget", "total", "received", "spent", "overspend", "underspend")
    return {
        **fund_out(fund),
        "agreement_version": selectors.current_version(fund).number,
        "schemes": [{k: str(s[k]) for k in keep} for s in schemes],
        "balances": {k: f"{v:.2f}" for k, v in books.items()},
    }


@router.get(
    "/{code}/settlement",
    response={200: SettlementOut, 401: Problem, 404: Problem},
    summary="The fund's latest year-end settlement",
)
def get_settlement(request: SignedInRequest, code: str) -> dict[str, Any]:
    fund = selectors.get_fund_for(request.user, code)
    latest = selectors.latest_settlement(fund)
    if latest is None:
        raise Http404("No settlement has been prepared")
    text = {
        s: [{k: str(v) for k, v in r.items()} for r in rows] for s, rows in latest.statement.items()
    }
    return {
        "status": selectors.settlement_status(latest),
        "prepared_at": latest.prepared_at.isoformat(),
        "prepared_by": latest.prepared_by.display_name(),
        "approved_by": [
            f"{a.organisation.code}: {a.approver.display_name()}"
            for a in latest.approvals.select_related("organisation", "approver")
        ],
        "partners": text["Partners"],
        "schemes": text["Schemes"],
        "payments": text["Payments"],
    }
