"""Writes to pooled funds: each checks permission, runs in one transaction and is audited.

Posting to the ledger is ``posting.post_transactions`` (exported here too); settlements,
reversals and actuals are in ``settlements``, ``corrections`` and ``bookkeeping``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from onebudget.funds.agreement import AgreementError
from onebudget.funds.months import period_problem
from onebudget.funds.validation import load_agreement
from onebudget.roles import Permission
from onebudget_web.accounts.models import User
from onebudget_web.audit.log import record
from onebudget_web.funds.access import require as _require
from onebudget_web.funds.ledger_store import ledger_of, lock
from onebudget_web.funds.models import AgreementVersion, ClosedPeriod, Fund
from onebudget_web.funds.posting import post_transactions
from onebudget_web.places.models import Place

__all__ = [
    "close_period",
    "create_fund",
    "may_close_period",
    "post_transactions",
    "record_variation",
]


@transaction.atomic
def create_fund(*, by: User, place: Place, text: str, source: str = "agreement.yaml") -> Fund:
    """A fund from its agreement file; its partners must be partners of the place."""
    try:
        agreement = load_agreement(text, source=source)
    except AgreementError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    codes = agreement.partner_codes
    found = {o.code: o for o in place.partners.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError([f"partners: {c}: not a partner of {place.name}" for c in missing])
    host = found[agreement.host]
    _require(by, host, Permission.POST_TO_POOL, "Setting up a pooled fund")
    code = slugify(agreement.id)
    if Fund.objects.filter(code=code).exists():
        raise ValidationError([f"id: {agreement.id}: a fund with this id already exists"])
    fund = Fund.objects.create(
        place=place,
        code=code,
        name=agreement.name,
        financial_year=agreement.financial_year,
        host=host,
    )
    fund.partners.set(found.values())
    AgreementVersion.objects.create(fund=fund, number=1, text=text, recorded_by=by, note="Agreed")
    record(by=by, action="fund.created", obj=fund, organisation=host, detail={"fund": code})
    return fund


@transaction.atomic
def record_variation(*, by: User, fund: Fund, text: str, note: str) -> AgreementVersion:
    """A new version of the agreement (the same id, partners, host and year)."""
    _require(by, fund.host, Permission.POST_TO_POOL, "Recording a variation")
    try:
        agreement = load_agreement(text, source=f"{fund.code} variation")
    except AgreementError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    same = (
        slugify(agreement.id) == fund.code
        and agreement.host == fund.host.code
        and agreement.financial_year == fund.financial_year
        and set(agreement.partner_codes) == set(fund.partners.values_list("code", flat=True))
    )
    if not same:
        raise ValidationError(["a variation keeps the agreement's id, host, partners and year"])
    number = fund.versions.count() + 1
    version = AgreementVersion.objects.create(
        fund=fund, number=number, text=text, recorded_by=by, note=note
    )
    record(
        by=by,
        action="fund.varied",
        obj=fund,
        organisation=fund.host,
        detail={"version": number, "note": note},
    )
    return version


def may_close_period(*, by: User, fund: Fund, period: str) -> None:
    """Whether ``by`` may close ``period`` (``NotPermitted`` or ``ValidationError`` if not),
    asked before the closing is confirmed and again when it is done. Closed months are kept
    for good, so anything that is not one of the year's twelve is refused, never stored."""
    _require(by, fund.host, Permission.POST_TO_POOL, "Closing a period")
    problem = period_problem(period, fund.financial_year)
    if problem:
        raise ValidationError({"period": [problem]})


@transaction.atomic
def close_period(*, by: User, fund: Fund, period: str) -> ClosedPeriod:
    """Close a month of the fund's year (``yyyy-mm``), once confirmed: it takes no more
    postings. Closing a closed month changes nothing."""
    may_close_period(by=by, fund=fund, period=period)
    lock(fund)
    ledger = ledger_of(fund, by=by)
    was_open = ledger.is_open(period)
    ledger.close(period)
    if was_open:
        record(
            by=by,
            action="fund.period_closed",
            obj=fund,
            organisation=fund.host,
            detail={"period": period},
        )
    return ClosedPeriod.objects.get(fund=fund, period=period)
