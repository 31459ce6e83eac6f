"""The year-end settlement: prepared by the pool manager from the ledger, approved by a
finance officer of each partner (different people, never the preparer), posted once.

A fund has at most one posted settlement standing: the action refuses a second, and so
does the database (``PostedSettlement``, ADR 0016). A posted settlement is undone only as
a whole, by an approved reversal (``corrections``), after which a new one may be prepared.
Preparing is refused while months before the year's last are open (the last takes the
settlement), unless the pool manager records why it must be prepared anyway, and while a
scheme has no actuals, unless the pool manager declares that it spent nothing (the library's
``missing_actuals`` rule: never a silent zero).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onebudget.funds import books, report
from onebudget.funds.actuals import missing_actuals, unreported
from onebudget.funds.agreement import Agreement
from onebudget.funds.journal import settlement_transactions
from onebudget.funds.ledger import Transaction
from onebudget.funds.months import year_periods
from onebudget.funds.settlement import Outturn, SettlementError, settle
from onebudget.funds.settlement import Settlement as SettlementResult
from onebudget.roles import Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.audit.log import record
from onebudget_web.funds.access import approval_problems, record_approval, require
from onebudget_web.funds.ledger_store import ledger_of, lock
from onebudget_web.funds.models import Fund, PostedSettlement, Settlement, SettlementApproval
from onebudget_web.funds.posting import post_transactions
from onebudget_web.funds.presenters import missing_in_words, months_in_words, names_of
from onebudget_web.funds.selectors import (
    agreement_of,
    all_approved,
    balances,
    current_version,
    latest_posting,
    latest_settlement,
    open_months,
    standing_settlement,
)

ALREADY_POSTED = (
    "The settlement for this year is already posted. A posted settlement is never posted "
    "again: prepare a reversal of it first, then a new settlement."
)


@transaction.atomic
def prepare_settlement(
    *, by: User, fund: Fund, override: str = "", nil: Collection[str] = ()
) -> Settlement:
    """A statement from the ledger as it is now. ``override``: the pool manager's reason for
    preparing it while months are open; ``nil``: schemes declared to have spent nothing
    (both recorded, audited and shown with it)."""
    require(by, fund.host, Permission.POST_TO_POOL, "Preparing a settlement")
    lock(fund)
    months, reason = _readiness(fund, override.strip())
    declared = _declared_nil(fund, nil)
    try:
        sheets = _sheets(_settle_now(fund, declared))
    except SettlementError as error:
        raise ValidationError([str(error)]) from None
    found = Settlement.objects.create(
        fund=fund,
        agreement=current_version(fund),
        statement=sheets,
        prepared_by=by,
        override_reason=reason,
        open_months=months if reason else [],
        nil_schemes=declared,
    )
    record(
        by=by,
        action="fund.settlement_prepared",
        obj=found,
        organisation=fund.host,
        detail={"fund": fund.code, "open_months": months, "override": reason, "nil": declared},
    )
    return found


def _declared_nil(fund: Fund, nil: Collection[str]) -> list[str]:
    """The nil declarations kept: only for schemes with no actuals in the ledger. Any scheme
    still without actuals or a declaration refuses preparation, named in words."""
    agreement = agreement_of(fund)
    reported = reported_spend(fund, agreement)
    missing = missing_actuals(agreement, reported, nil)
    if missing:
        names = names_of(agreement)
        raise ValidationError({"nil": [missing_in_words(p, names) for p in missing]})
    return sorted(set(nil) & set(unreported(agreement, reported)))


def _readiness(fund: Fund, reason: str) -> tuple[list[str], str]:
    """The open months, and the override reason kept (none if no month is open)."""
    if standing_settlement(fund) is not None:
        raise ValidationError([ALREADY_POSTED])
    last = year_periods(fund.financial_year)[-1]
    if not ledger_of(fund).is_open(last):
        raise ValidationError(
            [f"{months_in_words([last])} is closed, so no settlement can be posted into it"]
        )
    months = open_months(fund)
    if months and not reason:
        raise ValidationError(
            {
                "override": [
                    f"{months_in_words(months)} {'is' if len(months) == 1 else 'are'} still "
                    "open. Close them first, or give the reason the settlement must be "
                    "prepared now."
                ]
            }
        )
    return months, reason if months else ""


@transaction.atomic
def approve_settlement(
    *, by: User, settlement: Settlement, organisation: Organisation
) -> SettlementApproval:
    """A finance officer's approval for one partner; the last approval posts the settlement."""
    fund = settlement.fund
    lock(fund)
    problems = approval_problems(
        by=by,
        fund=fund,
        organisation=organisation,
        prepared_by=settlement.prepared_by,
        approvals=settlement.approvals,
        what="settlement",
    )
    if standing_settlement(fund) is not None:
        problems.append(ALREADY_POSTED)
    latest = latest_settlement(fund)
    if latest is not None and settlement.pk != latest.pk:
        problems.append("A newer settlement has been prepared; approve that one")
    result = None if problems else _settle_now(fund, settlement.nil_schemes)
    if result is not None and _sheets(result) != settlement.statement:
        problems.append("The fund's books have changed since this was prepared; prepare it again")
    if problems or result is None:
        raise ValidationError(problems)
    approval: SettlementApproval = record_approval(
        settlement.approvals,
        by=by,
        organisation=organisation,
        of=settlement,
        fund=fund,
        action="fund.settlement_approved",
    )
    if is_approved(settlement):
        _post_settlement(by, settlement, result)
    return approval


def is_approved(settlement: Settlement) -> bool:
    return all_approved(settlement.fund, settlement.approvals)


def _post_settlement(by: User, settlement: Settlement, result: SettlementResult) -> None:
    """Mark the settlement posted (the database refuses a second standing mark), then post
    its journal in the name of the pool manager who prepared it."""
    fund = settlement.fund
    journal = settlement_transactions(result, result.agreement.end - timedelta(days=1))
    txs = [
        Transaction(f"{tx.key}:{settlement.pk}", tx.on, tx.description, tx.postings)
        for tx in journal
    ]
    try:
        with transaction.atomic():
            mark = PostedSettlement.objects.create(
                fund=fund, settlement=settlement, replaces=latest_posting(fund)
            )
    except IntegrityError:
        raise ValidationError([ALREADY_POSTED]) from None
    post_transactions(by=settlement.prepared_by, fund=fund, transactions=txs, source=mark)
    record(
        by=by,
        action="fund.settlement_posted",
        obj=settlement,
        organisation=fund.host,
        detail={"fund": fund.code, "transactions": len(txs)},
    )


def reported_spend(fund: Fund, agreement: Agreement) -> set[tuple[str, str | None]]:
    """``(scheme, partner)`` with spend in the fund's ledger (``books.reported_spend``)."""
    return books.reported_spend(agreement, balances(fund))


def outturn_from_ledger(fund: Fund, agreement: Agreement, nil: Collection[str] = ()) -> Outturn:
    """The year's spend from the fund's ledger (``books.outturn``)."""
    return books.outturn(agreement, balances(fund), nil)


def _settle_now(fund: Fund, nil: Collection[str] = ()) -> SettlementResult:
    """The settlement the fund's agreement and ledger give now."""
    agreement = agreement_of(fund)
    return settle(agreement, outturn_from_ledger(fund, agreement, nil))


def _sheets(result: SettlementResult) -> Any:
    """The statement as stored: the report's rows, money as text."""
    return json.loads(json.dumps(report.sheets(result), default=str))
