"""The fund's year as ledger transactions: instalments in, monthly actuals out, and the
year-end settlement, prepared by the pool manager and approved by a finance officer of
each partner (two different people), then posted.

Every transaction has a key made from what it records (scheme, partner, month), so
uploading the same file twice has one effect, and a changed figure for a posted month is
refused until the first is reversed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from onebudget.funds import report, statement
from onebudget.funds.actuals import ActualsError, parse_actuals
from onebudget.funds.agreement import Agreement
from onebudget.funds.ledger import Posting, Transaction
from onebudget.funds.monitoring import MonthlyFigure, instalments
from onebudget.funds.settlement import Outturn, SettlementError, settle
from onebudget.funds.settlement import Settlement as SettlementResult
from onebudget.io.tables import RawTable
from onebudget.money import to_pence
from onebudget.periods import month_end
from onebudget.roles import Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import record
from onebudget_web.funds.actions import post_transactions
from onebudget_web.funds.models import ForecastOutturn, Fund, Settlement, SettlementApproval
from onebudget_web.funds.selectors import agreement_of, balances, current_version


def instalment_transactions(agreement: Agreement) -> list[Transaction]:
    txs = []
    for scheme in agreement.schemes:
        if scheme.budget != "pooled":
            continue
        for partner in agreement.contributions(scheme.code):
            for n, (day, amount) in enumerate(instalments(agreement, scheme.code, partner), 1):
                if amount:
                    legs = (
                        Posting("bank", amount),
                        Posting(f"{scheme.code}:contribution:{partner}", -amount),
                    )
                    text = f"Instalment {n} from {partner} to {scheme.code}"
                    txs.append(
                        Transaction(f"instalment:{scheme.code}:{partner}:{n}", day, text, legs)
                    )
    return txs


def actual_transactions(
    agreement: Agreement, figures: Sequence[MonthlyFigure]
) -> list[Transaction]:
    """Pooled spending leaves the pool's bank; aligned spending is recorded as a memorandum
    (it stays in the partner's own books) so the settlement can read it from the ledger."""
    txs = []
    for f in figures:
        if not f.actual:
            continue
        on = month_end(agreement.financial_year, f.month)
        if f.partner is None:
            legs = (Posting(f"{f.scheme}:expenditure", f.actual), Posting("bank", -f.actual))
            key = f"actual:{f.scheme}:{on:%Y-%m}"
        else:
            legs = (
                Posting(f"{f.scheme}:aligned-spend:{f.partner}", f.actual),
                Posting(f"memo:aligned:{f.partner}", -f.actual),
            )
            key = f"actual:{f.scheme}:{f.partner}:{on:%Y-%m}"
        txs.append(Transaction(key, on, f"Actual spend, {f.scheme}, {on:%B %Y}", legs))
    return txs


def preview_actuals(fund: Fund, table: RawTable) -> tuple[list[MonthlyFigure], list[str]]:
    """What an upload would post, or every problem with it (nothing is posted here)."""
    agreement = agreement_of(fund)
    try:
        return parse_actuals(table, agreement), []
    except ActualsError as error:
        return [], [str(p) for p in error.problems]


@transaction.atomic
def import_actuals(*, by: User, fund: Fund, table: RawTable) -> int:
    figures, errors = preview_actuals(fund, table)
    if errors:
        raise ValidationError(errors)
    agreement = agreement_of(fund)
    count = post_transactions(
        by=by, fund=fund, transactions=actual_transactions(agreement, figures)
    )
    _record_forecasts(by, fund, figures)
    record(
        by=by,
        action="fund.actuals_imported",
        obj=fund,
        organisation=fund.host,
        detail={"file": table.source, "posted": count},
    )
    return count


def _record_forecasts(by: User, fund: Fund, figures: Sequence[MonthlyFigure]) -> None:
    """Keep each month's forecast outturn; an unchanged one is not recorded again."""
    latest = {}
    for f in fund.forecasts.order_by("recorded_at", "pk"):
        latest[(f.scheme, f.month)] = f.pence
    new = [
        ForecastOutturn(
            fund=fund,
            scheme=f.scheme,
            month=f.month,
            pence=to_pence(f.forecast_outturn),
            recorded_by=by,
        )
        for f in figures
        if f.forecast_outturn is not None
        and latest.get((f.scheme, f.month)) != to_pence(f.forecast_outturn)
    ]
    ForecastOutturn.objects.bulk_create(new)


@transaction.atomic
def post_instalments(*, by: User, fund: Fund) -> int:
    return post_transactions(
        by=by, fund=fund, transactions=instalment_transactions(agreement_of(fund))
    )


def outturn_from_ledger(fund: Fund, agreement: Agreement) -> Outturn:
    books = balances(fund)
    pooled = {
        s.code: books.get(f"{s.code}:expenditure", Decimal("0.00"))
        for s in agreement.schemes
        if s.budget == "pooled"
    }
    aligned = {
        s.code: {
            p: books[f"{s.code}:aligned-spend:{p}"]
            for p in agreement.partner_codes
            if f"{s.code}:aligned-spend:{p}" in books
        }
        for s in agreement.schemes
        if s.budget == "aligned"
    }
    return Outturn(pooled, aligned)


@transaction.atomic
def prepare_settlement(*, by: User, fund: Fund) -> Settlement:
    if not has_permission(by, fund.host, Permission.POST_TO_POOL):
        raise PermissionDenied("Preparing a settlement is for the pool manager")
    try:
        sheets = _sheets(_settle_now(fund))
    except SettlementError as error:
        raise ValidationError([str(error)]) from None
    found = Settlement.objects.create(
        fund=fund, agreement=current_version(fund), statement=sheets, prepared_by=by
    )
    record(
        by=by,
        action="fund.settlement_prepared",
        obj=found,
        organisation=fund.host,
        detail={"fund": fund.code},
    )
    return found


@transaction.atomic
def approve_settlement(
    *, by: User, settlement: Settlement, organisation: Organisation
) -> SettlementApproval:
    """A finance officer's approval for one partner; the last approval posts the settlement."""
    fund = settlement.fund
    problems = []
    if not fund.partners.filter(pk=organisation.pk).exists():
        problems.append(f"{organisation.code} is not a partner of this fund")
    if not has_permission(by, organisation, Permission.APPROVE_SETTLEMENT):
        raise PermissionDenied(f"Approving needs a finance role at {organisation.code}")
    if settlement.approvals.filter(approver=by).exists():
        problems.append("a second approval must come from a different person")
    if settlement.approvals.filter(organisation=organisation).exists():
        problems.append(f"{organisation.code} has already approved this settlement")
    if settlement.pk != fund.settlements.order_by("-prepared_at", "-pk").first().pk:  # type: ignore[union-attr]
        problems.append("a newer settlement has been prepared; approve that one")
    result = None if problems else _settle_now(fund)
    if result is not None and _sheets(result) != settlement.statement:
        problems.append("the fund's books have changed since this was prepared; prepare it again")
    if problems:
        raise ValidationError(problems)
    try:
        approval = SettlementApproval.objects.create(
            settlement=settlement, organisation=organisation, approver=by
        )
    except IntegrityError:
        raise ValidationError(["this approval has already been given"]) from None
    record(
        by=by,
        action="fund.settlement_approved",
        obj=settlement,
        organisation=organisation,
        detail={"fund": fund.code},
    )
    if result is not None and is_approved(settlement):
        _post_settlement(settlement, result)
    return approval


def _settle_now(fund: Fund) -> SettlementResult:
    """The settlement the fund's agreement and ledger give now."""
    agreement = agreement_of(fund)
    return settle(agreement, outturn_from_ledger(fund, agreement))


def _sheets(result: SettlementResult) -> Any:
    """The statement as stored: the report's rows, money as text."""
    return json.loads(json.dumps(report.sheets(result), default=str))


def is_approved(settlement: Settlement) -> bool:
    partners = set(settlement.fund.partners.values_list("pk", flat=True))
    return partners <= set(settlement.approvals.values_list("organisation_id", flat=True))


def _post_settlement(settlement: Settlement, result: SettlementResult) -> None:
    """Post the approved settlement (the one just checked against the books) in the name of
    the pool manager who prepared it."""
    journal = statement.journal(result, result.agreement.end - timedelta(days=1))
    txs = [
        Transaction(f"{tx.key}:{settlement.pk}", tx.on, tx.description, tx.postings)
        for tx in journal
    ]
    post_transactions(by=settlement.prepared_by, fund=settlement.fund, transactions=txs)
