"""Provider contracts in the JSON API: read-only, through the same scoped selectors as the
pages, so a provider's token sees only its own contracts and statements. Money is text with
two decimal places (a JSON number would be a float)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.contracts import selectors
from onebudget_web.contracts.models import PeriodStatement, ProviderContract
from onebudget_web.places.selectors import get_place_for

router = Router(tags=["Provider contracts"])


class Problem(Schema):
    detail: str


class ContractOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    version: int
    annual_value: str
    providers: list[dict[str, str]]
    fund: str | None


class StatementOut(Schema):
    contract: str
    period: str
    provider: dict[str, str]
    version: int
    total: str
    steps: list[dict[str, Any]]
    posted: bool
    disputes: int


def _contract(kept: ProviderContract) -> dict[str, Any]:
    version = selectors.latest_version(kept)
    terms = selectors.contract_from(version.text)
    return {
        "id": kept.pk,
        "code": kept.code,
        "name": terms.name,
        "kind": terms.mechanism.kind,
        "version": version.number,
        "annual_value": f"{terms.annual_value:.2f}",
        "providers": [{"code": p.code, "name": p.name} for p in terms.providers],
        "fund": kept.fund.code if kept.fund else None,
    }


@router.get(
    "/{slug}/contracts",
    response={200: list[ContractOut], 401: Problem, 404: Problem},
    summary="A place's provider contracts you may see (a provider: only those that pay it)",
)
def list_contracts(request: SignedInRequest, slug: str) -> list[dict[str, Any]]:
    place = get_place_for(request.user, slug)
    return [
        _contract(c) for c in selectors.contracts_for(request.user, place).select_related("fund")
    ]


def _statement(kept: PeriodStatement, posted: set[str]) -> dict[str, Any]:
    return {
        "contract": kept.contract.code,
        "period": kept.period,
        "provider": {"code": kept.provider_code, "name": kept.provider_name},
        "version": kept.version.number,
        "total": f"{kept.total:.2f}",
        "steps": kept.data["steps"],
        "posted": kept.ledger_key in posted,
        "disputes": kept.disputes.count(),
    }


@router.get(
    "/{slug}/contracts/{contract}/statements",
    response={200: list[StatementOut], 401: Problem, 404: Problem},
    summary="A contract's statements you may see, each step with its rule and amount",
)
def list_statements(request: SignedInRequest, slug: str, contract: str) -> list[dict[str, Any]]:
    """``contract``: its number in the service (text in the path: anything else is 404)."""
    place = get_place_for(request.user, slug)
    number = int(contract) if contract.isdigit() and len(contract) < 10 else 0
    kept = selectors.get_contract_for(request.user, place, number)
    posted = selectors.posted_keys(kept)
    found = selectors.statements_for(request.user, kept).select_related("version", "contract")
    return [_statement(s, posted) for s in found]
