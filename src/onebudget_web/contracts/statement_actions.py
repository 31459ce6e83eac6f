"""A period's statements: worked out by the library from the period's figures, kept as they
were, posted to the paying fund's ledger, and disputed line by line.

A statement, once worked out, is the record of what was paid and why: it is never worked out
again for the same period (the database refuses a second), and a dispute is answered by the
commissioner's decision, which is kept beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from onebudget.contracts import periods
from onebudget.contracts.inputs import InputsError, inputs_text, read_inputs
from onebudget.contracts.periods import Period
from onebudget.contracts.statement import PaymentError, as_data, statements
from onebudget.funds.payments import payment_transactions
from onebudget.io.tables import TableError
from onebudget.money import to_pence
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import User
from onebudget_web.accounts.selectors import has_permission, visible_organisation_ids
from onebudget_web.audit.log import record
from onebudget_web.contracts import selectors
from onebudget_web.contracts.actions import commissioner_codes, commissioner_for
from onebudget_web.contracts.models import (
    Dispute,
    DisputeDecision,
    PeriodStatement,
    ProviderContract,
)
from onebudget_web.contracts.payments import payment_key, payments_of
from onebudget_web.core.refused import RefusedError
from onebudget_web.core.uploads import on_disk
from onebudget_web.funds.posting import post_transactions
from onebudget_web.funds.selectors import agreement_of


@dataclass(frozen=True)
class InputsFile:
    """The period's figures as sent: YAML, CSV or XLSX."""

    name: str
    content: bytes


def read_period(text: str) -> Period:
    """The library's reader of a period (``contracts.periods.read_period``), refused as a
    form's problem."""
    try:
        return periods.read_period(text.strip())
    except periods.PeriodError as error:
        raise RefusedError(error.problems) from None


@transaction.atomic
def work_statements(
    *, by: User, contract: ProviderContract, period: str, sent: InputsFile
) -> list[PeriodStatement]:
    """Each provider's statement for the period, from the latest version and the figures
    sent; refused with every problem (the period, the file, a figure the contract needs)."""
    version = selectors.latest_version(contract)
    terms = selectors.contract_from(version.text)
    acting = commissioner_for(by, contract.place, commissioner_codes(terms))
    when = read_period(period)
    if contract.statements.filter(period=when.label).exists():
        raise ValidationError(
            [f"{when.label}: the statements for this period are already worked out"]
        )
    try:
        with on_disk(sent.name, sent.content) as path:
            figures = read_inputs(path, when)
        worked = statements(terms, when, figures)
    except (InputsError, PaymentError) as error:
        raise RefusedError(list(error.problems)) from None
    except TableError as error:
        raise ValidationError([f"{sent.name}: {error}"]) from None
    funded = contract.fund_id is not None
    kept = [
        PeriodStatement.objects.create(
            contract=contract,
            version=version,
            period=when.label,
            provider_code=s.provider.code,
            provider_name=s.provider.name,
            data=as_data(s),
            total_pence=to_pence(s.total),
            inputs=inputs_text(when, figures),
            ledger_key=payment_key(contract.code, when.label, s.provider.code) if funded else "",
            worked_by=by,
        )
        for s in worked
    ]
    detail = {"contract": contract.code, "period": when.label, "statements": len(kept)}
    record(
        by=by, action="contract.statements_worked", obj=contract, organisation=acting, detail=detail
    )
    return kept


@transaction.atomic
def post_statements(*, by: User, contract: ProviderContract, period: str) -> int:
    """The period's statements as payments from the fund's scheme, posted to its ledger (the
    pool manager of the fund's host; ``funds.posting`` checks and audits). Posting again is
    no change. Returns how many payments were new."""
    fund = contract.fund
    if fund is None:
        raise ValidationError(["This contract is not paid from a pooled fund: nothing to post"])
    found = list(contract.statements.filter(period=period).select_related("version"))
    if not found:
        raise ValidationError([f"{period}: no statements worked out for this period"])
    terms = selectors.contract_from(found[0].version.text)
    when = read_period(period)
    payments = payments_of(terms, when, [selectors.as_statement(s) for s in found])
    txs, problems = payment_transactions(agreement_of(fund), payments)
    if problems:
        raise RefusedError(problems)
    return post_transactions(by=by, fund=fund, transactions=txs)


@transaction.atomic
def raise_dispute(*, by: User, statement: PeriodStatement, step: int, reason: str) -> Dispute:
    """A provider's member disputes one line of its own statement, saying why."""
    provider = statement.contract.place.partners.filter(
        code=statement.provider_code, id__in=visible_organisation_ids(by)
    ).first()
    if provider is None or not has_permission(by, provider, Permission.VIEW):
        raise NotPermitted("Only the provider paid by a statement may dispute it")
    problems = {}
    if not 0 <= step < len(statement.data["steps"]):
        problems["step"] = ["Choose the line of the statement you dispute"]
    if not reason.strip():
        problems["reason"] = ["Say why you dispute this line"]
    elif len(reason) > 2000:
        problems["reason"] = ["Keep the reason to 2,000 characters or fewer"]
    if problems:
        raise ValidationError(problems)
    dispute = Dispute.objects.create(
        statement=statement, step=step, reason=reason.strip(), organisation=provider, raised_by=by
    )
    detail = {"contract": statement.contract.code, "period": statement.period, "step": step}
    record(by=by, action="contract.disputed", obj=dispute, organisation=provider, detail=detail)
    return dispute


@transaction.atomic
def decide_dispute(
    *, by: User, dispute: Dispute, upheld: bool | None, reason: str
) -> DisputeDecision:
    """A commissioner upholds a dispute or not, saying why: once."""
    contract = dispute.statement.contract
    terms = selectors.contract_from(selectors.latest_version(contract).text)
    acting = commissioner_for(by, contract.place, commissioner_codes(terms))
    problems = {}
    if upheld is None:
        problems["upheld"] = ["Choose whether the dispute is upheld"]
    if not reason.strip():
        problems["reason"] = ["Say why, for the provider to read"]
    elif len(reason) > 2000:
        problems["reason"] = ["Keep the reason to 2,000 characters or fewer"]
    if DisputeDecision.objects.filter(dispute=dispute).exists():
        problems["upheld"] = ["This dispute has already been decided"]
    if problems:
        raise ValidationError(problems)
    decision = DisputeDecision.objects.create(
        dispute=dispute, upheld=bool(upheld), reason=reason.strip(), organisation=acting,
        decided_by=by,
    )  # fmt: skip
    detail = {"contract": contract.code, "dispute": dispute.pk, "upheld": bool(upheld)}
    record(
        by=by, action="contract.dispute_decided", obj=decision, organisation=acting, detail=detail
    )
    return decision
