"""Corrections: a posted transaction, a whole actuals file or a posted settlement is undone
by a reversal, never by an edit (the ledger is append-only).

The pool manager prepares a reversal with a reason, and may withdraw it, with a reason,
until it is posted. The agreement format has no clause on
approving changes, so every reversal is treated as a change to figures both sides have
been given: a finance officer of each partner approves it, under the same rules as a
settlement (ADR 0016). The last approval posts the exact negation of each transaction
(the library's ``reversal_of``) in the original's month, or the first open month after it
if that is closed. The corrected figure is then posted as usual: its key's next revision.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.transaction import atomic

from onebudget.funds.ledger import Unreversible, reversal_of
from onebudget.funds.months import correction_day
from onebudget.roles import Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.audit.log import record
from onebudget_web.funds.access import approval_problems, record_approval, require
from onebudget_web.funds.ledger_store import ledger_of, lock, year_end
from onebudget_web.funds.models import (
    ActualsImport,
    Fund,
    LedgerTransaction,
    PostedSettlement,
    Reversal,
    ReversalApproval,
    ReversalWithdrawal,
)
from onebudget_web.funds.posting import post_transactions
from onebudget_web.funds.presenters import reversal_in_words as describe
from onebudget_web.funds.selectors import (
    as_record,
    is_posted,
    pending_reversals,
    reversal_targets,
    settled_refusal,
    standing_settlement,
)

REASON_LENGTH = Reversal._meta.get_field("reason").max_length or 500


@atomic
def prepare_reversal(
    *,
    by: User,
    fund: Fund,
    reason: str,
    transaction: LedgerTransaction | None = None,
    actuals: ActualsImport | None = None,
    settlement: PostedSettlement | None = None,
) -> Reversal:
    """A reversal of one of: a transaction, an actuals file, a posted settlement."""
    require(by, fund.host, Permission.POST_TO_POOL, "Preparing a reversal")
    lock(fund)
    reason = _reason(reason)
    if [transaction, actuals, settlement].count(None) != 2:
        raise ValueError("a reversal is of exactly one transaction, file or settlement")
    if any(x is not None and x.fund_id != fund.pk for x in (transaction, actuals, settlement)):
        raise ValidationError(["That is not part of this fund"])
    reversal = Reversal(
        fund=fund,
        reason=reason,
        transaction=transaction,
        actuals=actuals,
        settlement=settlement,
        prepared_by=by,
    )
    problems = _problems(reversal) + _already_awaiting(reversal)
    if problems:
        raise ValidationError(problems)
    reversal.save()
    record(
        by=by,
        action="fund.reversal_prepared",
        obj=reversal,
        organisation=fund.host,
        detail={"fund": fund.code, "reverses": describe(reversal), "reason": reason},
    )
    return reversal


def _reason(text: str, doing: str = "the reversal", field: str | None = "reason") -> str:
    """The reason, spaces tidied; a refusal beside ``field`` (or in the summary if None)."""
    reason = " ".join(text.split())
    problem = ""
    if not reason:
        problem = f"Enter the reason for {doing}"
    elif len(reason) > REASON_LENGTH:
        problem = f"The reason must be {REASON_LENGTH} characters or fewer"
    if problem:
        raise ValidationError({field: [problem]} if field else [problem])
    return reason


def _problems(reversal: Reversal) -> list[str]:
    """Why the reversal cannot be posted now (none if it can)."""
    fund = reversal.fund
    if reversal.settlement_id is None and settled_refusal(fund):
        return settled_refusal(fund)
    if reversal.settlement_id is not None and standing_settlement(fund) != reversal.settlement:
        return ["Only the posted settlement that stands can be reversed"]
    ledger = ledger_of(fund)
    if reversal.transaction is not None:
        problem = _unreversible(reversal.transaction, ledger.unreversible(reversal.transaction.key))
        if problem:
            return [problem]
    rows = list(reversal_targets(reversal))
    if not rows:
        return [f"Nothing to reverse: {describe(reversal)} has no postings left standing"]
    closed = ledger.closed
    for row in rows:
        if correction_day(row.on, closed, year_end(fund)) is None:
            return [
                f"{row.on:%B %Y} and every later month of the year are closed: there is no "
                "open month to post the reversal into"
            ]
    return []


def _unreversible(tx: LedgerTransaction, why: Unreversible | None) -> str | None:
    """The library's reason a transaction cannot be reversed (``unreversible``), in words,
    and a settlement's transaction, which is reversed only with the whole settlement."""
    if why is Unreversible.A_REVERSAL:
        return "That transaction is itself a reversal, so it cannot be reversed"
    if hasattr(tx, "source") and tx.source.settlement_id:
        return "That is part of the year-end settlement: reverse the settlement as a whole"
    if why is Unreversible.REVERSED:
        return "That transaction has already been reversed"
    return None if why is None else why.about(tx.key)


def _already_awaiting(reversal: Reversal) -> list[str]:
    new = set(reversal_targets(reversal).values_list("pk", flat=True))
    for other in pending_reversals(reversal.fund):
        if new & set(reversal_targets(other).values_list("pk", flat=True)):
            return [f"A reversal of {describe(other)} is already awaiting approval"]
    return []


@atomic
def approve_reversal(
    *, by: User, reversal: Reversal, organisation: Organisation
) -> ReversalApproval:
    """A finance officer's approval for one partner; the last approval posts the reversal."""
    fund = reversal.fund
    lock(fund)
    problems = approval_problems(
        by=by,
        fund=fund,
        organisation=organisation,
        prepared_by=reversal.prepared_by,
        approvals=reversal.approvals,
        what="reversal",
    )
    problems += _settled_or_withdrawn(reversal) or _problems(reversal)
    if problems:
        raise ValidationError(problems)
    approval: ReversalApproval = record_approval(
        reversal.approvals,
        by=by,
        organisation=organisation,
        of=reversal,
        fund=fund,
        action="fund.reversal_approved",
    )
    if is_posted(reversal):
        _post(by, reversal)
    return approval


def _settled_or_withdrawn(reversal: Reversal) -> list[str]:
    if is_posted(reversal):
        return ["This reversal is already posted"]
    if ReversalWithdrawal.objects.filter(reversal=reversal).exists():
        return ["This reversal was withdrawn, so it can no longer be approved"]
    return []


@atomic
def withdraw_reversal(*, by: User, reversal: Reversal, reason: str) -> ReversalWithdrawal:
    """The pool manager withdraws a reversal awaiting approval (prepared in error, say), with
    the reason; it is kept, marked withdrawn, and can no longer be approved."""
    fund = reversal.fund
    require(by, fund.host, Permission.POST_TO_POOL, "Withdrawing a reversal")
    lock(fund)
    why = _reason(reason, "withdrawing the reversal", field=None)
    problems = _settled_or_withdrawn(reversal)
    if problems:
        raise ValidationError(problems)
    found = ReversalWithdrawal.objects.create(reversal=reversal, withdrawn_by=by, reason=why)
    record(
        by=by,
        action="fund.reversal_withdrawn",
        obj=reversal,
        organisation=fund.host,
        detail={"fund": fund.code, "reverses": describe(reversal), "reason": why},
    )
    return found


def _post(by: User, reversal: Reversal) -> None:
    """Post the negation of every transaction, in the name of the pool manager who
    prepared the reversal."""
    fund = reversal.fund
    closed = ledger_of(fund).closed
    rows = reversal_targets(reversal).prefetch_related("entries").select_related("reverses")
    txs = [
        reversal_of(
            as_record(row),
            key=f"reversal:{reversal.pk}:{row.pk}",
            on=correction_day(row.on, closed, year_end(fund)) or row.on,
            description=f"Reversal of {row.description}: {reversal.reason}"[:300],
        )
        for row in rows
    ]
    post_transactions(by=reversal.prepared_by, fund=fund, transactions=txs)
    record(
        by=by,
        action="fund.reversal_posted",
        obj=reversal,
        organisation=fund.host,
        detail={"fund": fund.code, "reverses": describe(reversal), "transactions": len(txs)},
    )
