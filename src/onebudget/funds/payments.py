"""Payments to providers out of a fund's schemes, as balanced ledger transactions.

A provider contract funded from a pooled fund (``onebudget.contracts``: its ``funding``
names the agreement and the scheme) is paid out of that scheme. Each period's statement
becomes one ``Payment`` here, and one transaction in the fund's ledger:

- from a pooled scheme, the scheme's expenditure is debited and the pool's bank credited,
  exactly as a month's actual pooled spend is (``journal.actual_transactions``);
- from an aligned scheme, the paying partner's aligned spend on the scheme is debited and
  its memorandum credited (the money stays in the partner's own books).

So the monitoring positions and the year-end settlement, which read spending from those
accounts, include contract payments without knowing about contracts. The actuals a pool
manager imports are then the scheme's *other* spending: a contract's payments are posted
from its statements, never typed in again.

A payment's key is stable (the contract, period and provider it pays), so posting a
statement twice has one effect, and the ledger refuses a changed amount under the same key
until the first is reversed. A nil payment posts nothing (the ledger takes no zero
postings); a negative one (an alliance member paying back its share of a loss) is money
returned to the scheme, posted the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from onebudget.funds.accounts import aligned_memo, aligned_spend, bank, expenditure
from onebudget.funds.agreement import Agreement
from onebudget.funds.journal import leg
from onebudget.funds.ledger import Transaction
from onebudget.io.problems import Problem
from onebudget.money import PENNY


@dataclass(frozen=True)
class Payment:
    key: str  # what is paid, stable across re-posting: "contract:C-1:2025-Q1:RZZ"
    on: date  # the day it falls in the books: the period's last day
    scheme: str  # the agreement's scheme that pays
    amount: Decimal  # exact pence; negative: paid back into the scheme
    description: str
    payer: str | None = None  # for an aligned scheme, the partner whose budget pays


def payment_problems(agreement: Agreement, payment: Payment) -> list[Problem]:
    """Why a payment cannot be posted to the agreement's fund: every reason, by field."""
    path = f"payment {payment.key}"
    found = []
    schemes = {s.code: s for s in agreement.schemes}
    scheme = schemes.get(payment.scheme)
    if scheme is None:
        rule = f"a scheme of {agreement.id}: {', '.join(schemes)}"
        found.append(Problem(path=f"{path}.scheme", value=payment.scheme, rule=rule))
    elif scheme.budget == "aligned" and payment.payer not in agreement.partner_codes:
        partners = ", ".join(agreement.partner_codes)
        rule = f"an aligned scheme is paid by one of its partners: {partners}"
        found.append(Problem(path=f"{path}.payer", value=payment.payer, rule=rule))
    if not agreement.start <= payment.on < agreement.end:
        last = agreement.end - timedelta(days=1)
        rule = f"a day of the fund's year, {agreement.start:%-d %B %Y} to {last:%-d %B %Y}"
        found.append(Problem(path=f"{path}.on", value=payment.on.isoformat(), rule=rule))
    if payment.amount != payment.amount.quantize(PENNY):
        found.append(Problem(path=f"{path}.amount", value=str(payment.amount), rule="whole pence"))
    return found


def payment_transactions(
    agreement: Agreement, payments: Sequence[Payment]
) -> tuple[list[Transaction], list[Problem]]:
    """The payments as ledger transactions, or none and every problem with any of them."""
    problems = [p for payment in payments for p in payment_problems(agreement, payment)]
    if problems:
        return [], problems
    txs = [_transaction(agreement, p) for p in payments if p.amount]
    return txs, []


def _transaction(agreement: Agreement, payment: Payment) -> Transaction:
    if agreement.scheme(payment.scheme).budget == "pooled":
        spend, source = expenditure(payment.scheme), bank()
    else:  # payment_problems has refused an aligned payment without a partner paying
        payer = str(payment.payer)
        spend, source = aligned_spend(payment.scheme, payer), aligned_memo(payer)
    legs = (leg(spend, payment.amount), leg(source, -payment.amount))
    return Transaction(payment.key, payment.on, payment.description, legs)
