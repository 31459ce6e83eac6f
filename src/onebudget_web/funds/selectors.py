"""Funds a user can see (those of which one of their organisations is a partner) and
reads of a fund's books, its settlements and reversals. Every read starts from a fund the
caller got through ``get_fund_for`` (scoped to the user's organisations)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, Manager, Q, QuerySet, Sum

from onebudget.funds.accounts import Kind, parse
from onebudget.funds.agreement import Agreement
from onebudget.funds.ledger import Posting, Transaction
from onebudget.funds.monitoring import MonthlyFigure
from onebudget.funds.months import is_open, month_day, year_periods
from onebudget.funds.validation import load_agreement
from onebudget.money import from_pence
from onebudget.periods import period_of
from onebudget_web.accounts.selectors import get_scoped, scoped
from onebudget_web.funds.models import (
    ActualsImport,
    AgreementVersion,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    PostedSettlement,
    Reversal,
    Settlement,
)

VIA_PARTNERS = "partners"


def funds_for(user: Any) -> QuerySet[Fund]:
    return scoped(Fund.objects.all(), user, via=VIA_PARTNERS)


def get_fund_for(user: Any, code: str) -> Fund:
    return get_scoped(Fund.objects.all(), user, via=VIA_PARTNERS, code=code)


def current_version(fund: Fund) -> AgreementVersion:
    """The agreement as last varied (every fund is created with its first version)."""
    return fund.versions.latest("number")


def agreement_of(fund: Fund) -> Agreement:
    version = current_version(fund)
    return _agreement(version.text, f"{fund.code} version {version.number}")


@lru_cache(maxsize=64)
def _agreement(text: str, source: str) -> Agreement:
    """An agreement version read once per process: a version's text never changes, and the
    agreement is frozen, so every page may share it."""
    return load_agreement(text, source=source)


def balances(fund: Fund, prefix: str = "") -> dict[str, Decimal]:
    rows = (
        LedgerTransaction.objects.filter(fund=fund, entries__account__startswith=prefix)
        .values("entries__account")
        .annotate(total=Sum("entries__pence"))
    )
    found = {r["entries__account"]: r["total"] for r in rows}
    return {a: from_pence(found[a]) for a in sorted(found) if found[a]}


def by_period(fund: Fund) -> list[dict[str, Any]]:
    """Each month with postings: how many transactions, and whether it is closed."""
    closed = closed_months(fund)
    counts: dict[str, int] = defaultdict(int)
    for period in fund.transactions.values_list("period", flat=True):
        counts[period] += 1
    months = sorted(set(counts) | closed)
    return [
        {"period": m, "transactions": counts[m], "closed": not is_open(m, closed)} for m in months
    ]


def transactions_in(fund: Fund, period: str) -> list[Transaction]:
    """A month's transactions, as the library's records (with who posted them kept apart)."""
    rows = (
        fund.transactions.filter(period=period)
        .prefetch_related("entries")
        .select_related("reverses")
    )
    return [as_record(row) for row in rows]


def as_record(row: LedgerTransaction) -> Transaction:
    postings = tuple(Posting(e.account, e.amount) for e in row.entries.all())
    reverses = row.reverses.key if row.reverses is not None else None
    return Transaction(row.key, row.on, row.description, postings, reverses)


SPENDING = (Kind.EXPENDITURE, Kind.ALIGNED_SPEND)


def monthly_figures(fund: Fund, agreement: Agreement) -> list[MonthlyFigure]:
    """Each scheme's spending month by month, read from the ledger (pooled: the scheme's
    expenditure account; aligned: each partner's memorandum), with the forecast outturn
    recorded for that month if any."""
    rows = (
        LedgerEntry.objects.filter(transaction__fund=fund)
        .filter(Q(account__contains=Kind.EXPENDITURE) | Q(account__contains=Kind.ALIGNED_SPEND))
        .values("account", "transaction__period")
        .annotate(total=Sum("pence"))
    )
    forecasts = {}
    for f in fund.forecasts.order_by("recorded_at", "pk"):
        forecasts[(f.scheme, f.month)] = from_pence(f.pence)  # the latest recorded wins
    figures: dict[tuple[str, int, str | None], Decimal] = {}
    for r in rows:
        account = parse(r["account"])
        if account.scheme is None or account.kind not in SPENDING:
            continue
        index = period_of(month_day(r["transaction__period"]).month)
        key = (account.scheme, index, account.partner)
        figures[key] = figures.get(key, Decimal("0.00")) + from_pence(r["total"])
    for scheme, month in forecasts:
        figures.setdefault((scheme, month, None), Decimal("0.00"))
    return [
        MonthlyFigure(
            scheme,
            month,
            amount,
            partner,
            forecasts.get((scheme, month)) if partner is None else None,
        )
        for (scheme, month, partner), amount in sorted(
            figures.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")
        )
    ]


def all_approved(fund: Fund, approvals: Manager[Any] | QuerySet[Any]) -> bool:
    """Whether a finance officer of every partner has approved."""
    partners = set(fund.partners.values_list("pk", flat=True))
    return partners <= set(approvals.values_list("organisation_id", flat=True))


def is_posted(reversal: Reversal) -> bool:
    """A reversal is posted by its last approval, in the same database transaction."""
    return all_approved(reversal.fund, reversal.approvals)


def latest_settlement(fund: Fund) -> Settlement | None:
    return fund.settlements.order_by("-prepared_at", "-pk").first()


def latest_posting(fund: Fund) -> PostedSettlement | None:
    """The fund's last posted-settlement mark (standing, or reversed and not yet replaced)."""
    return fund.posted_settlements.filter(replaced_by__isnull=True).first()


def standing_settlement(fund: Fund) -> PostedSettlement | None:
    """The posted settlement that stands (is not reversed), if any: at most one."""
    mark = latest_posting(fund)
    if mark is None or any(is_posted(r) for r in mark.reversals.all()):
        return None
    return mark


SETTLED = (
    "The year's settlement is posted: reverse it first (on the settlement page), then "
    "correct the figures"
)


def settled_refusal(fund: Fund) -> list[str]:
    """Why the year's figures cannot change now: a posted settlement stands on them."""
    return [SETTLED] if standing_settlement(fund) is not None else []


def settlement_status(settlement: Settlement) -> str:
    """ "posted", "reversed" or "awaiting approval"."""
    mark = PostedSettlement.objects.filter(settlement=settlement).first()
    if mark is None:
        return "awaiting approval"
    return "reversed" if any(is_posted(r) for r in mark.reversals.all()) else "posted"


def closed_months(fund: Fund) -> set[str]:
    """The fund's closed months, as ``yyyy-mm``."""
    return set(fund.closed_periods.values_list("period", flat=True))


def open_months(fund: Fund) -> list[str]:
    """Months of the year still open, up to the last: that one takes the settlement."""
    closed = closed_months(fund)
    return [p for p in year_periods(fund.financial_year)[:-1] if is_open(p, closed)]


def pending_reversals(fund: Fund) -> list[Reversal]:
    """Reversals prepared and still awaiting approval (not withdrawn), newest first."""
    found = (
        fund.reversals.filter(withdrawal__isnull=True)
        .select_related("prepared_by", "transaction", "actuals", "settlement__settlement")
        .prefetch_related("approvals__organisation", "approvals__approver")
    )
    return [r for r in found if not is_posted(r)]


def reversal_targets(reversal: Reversal) -> QuerySet[LedgerTransaction]:
    """The transactions a reversal undoes (those not reversed already)."""
    rows = reversal.fund.transactions.filter(reversed_by__isnull=True)
    if reversal.transaction_id:
        return rows.filter(pk=reversal.transaction_id)
    if reversal.actuals_id:
        return rows.filter(source__actuals=reversal.actuals_id)
    return rows.filter(source__settlement=reversal.settlement_id)


def reversible_transactions(fund: Fund) -> QuerySet[LedgerTransaction]:
    """Transactions that may be reversed one by one: not reversals, not reversed, and not
    part of a settlement (which is reversed only as a whole)."""
    return fund.transactions.filter(
        reverses__isnull=True, reversed_by__isnull=True, source__settlement__isnull=True
    ).prefetch_related("entries")


def imports_of(fund: Fund) -> QuerySet[ActualsImport]:
    """The fund's actuals files, newest first, with how many transactions each posted and
    how many of those still stand."""
    return fund.imports.select_related("posted_by").annotate(
        posted=Count("postings"),
        standing=Count("postings", filter=Q(postings__transaction__reversed_by__isnull=True)),
    )
