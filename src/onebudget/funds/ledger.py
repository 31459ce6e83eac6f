"""A double-entry ledger in exact pence: balanced, append-only, with periods that close.

Postings are signed (debit positive, credit negative) and every transaction's postings sum
to zero. Nothing posted is ever changed: a mistake is corrected by a reversing transaction.
Posting twice with the same key has one effect (imports can be re-run safely); the same key
with different content is refused. A closed month takes no postings. Errors are returned as
data, all of them, and a transaction with any error changes nothing. The service's database
enforces the same rules again (a deferred constraint trigger on PostgreSQL).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from onebudget.money import PENNY, ZERO
from onebudget.periods import month_start


@dataclass(frozen=True)
class Posting:
    account: str
    amount: Decimal  # debit > 0, credit < 0


@dataclass(frozen=True)
class Transaction:
    key: str  # unique, stable across re-imports (a file row's reference, say)
    on: date
    description: str
    postings: tuple[Posting, ...]
    reverses: str | None = None

    @property
    def period(self) -> str:
        return period_of(self.on)


@dataclass(frozen=True)
class LedgerError:
    key: str
    rule: str

    def __str__(self) -> str:
        return f"{self.key}: {self.rule}"


def period_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def year_periods(financial_year: int) -> list[str]:
    """The months of an April-to-March financial year as periods, April first."""
    return [period_of(month_start(financial_year, n)) for n in range(1, 13)]


def period_problem(text: str, financial_year: int) -> str | None:
    """Why ``text`` is not a month of the financial year written ``yyyy-mm`` (None if it is).
    The text itself is never repeated back: it may be anything, of any length."""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text):
        return "Enter the month as YYYY-MM, for example 2026-01"
    if text not in year_periods(financial_year):
        first, last = month_start(financial_year, 1), month_start(financial_year, 12)
        return f"{text} is not a month of this year: choose {first:%B %Y} to {last:%B %Y}"
    return None


def correction_day(on: date, closed: Collection[str], end: date) -> date | None:
    """The day a correction of something dated ``on`` is posted: that day if its month is open,
    else the last day of the first open month after it and before ``end`` (a closed month
    stays as it was reported); None if every one of those months is closed."""
    day = on
    while day < end:
        if period_of(day) not in closed:
            return day
        following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        day = (following + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return None


def problems(tx: Transaction) -> list[str]:
    """What is wrong with a transaction on its own (before looking at the ledger)."""
    found = []
    if not tx.key:
        found.append("a transaction needs a key")
    if len(tx.postings) < 2:
        found.append("a transaction has at least two postings")
    for p in tx.postings:
        if not isinstance(p.amount, Decimal) or not p.amount.is_finite():
            found.append(f"{p.account}: {p.amount!r} is not an exact amount")
        elif p.amount != p.amount.quantize(PENNY):
            found.append(f"{p.account}: {p.amount} is not a whole number of pence")
        elif p.amount == 0:
            found.append(f"{p.account}: a posting of zero")
        if not p.account:
            found.append("a posting needs an account")
    if not found and sum((p.amount for p in tx.postings), ZERO) != 0:
        total = sum((p.amount for p in tx.postings), ZERO)
        found.append(f"unbalanced: debits and credits differ by {total}")
    return found


def reversal_problems(tx: Transaction, original: Transaction | None, *, already: bool) -> list[str]:
    """What is wrong with ``tx`` as the reversal of ``original`` (None: not in the ledger);
    ``already``: whether the original has been reversed before. The service's database
    checks use this too."""
    if original is None:
        return [f"reverses {tx.reverses}, which is not in the ledger"]
    if original.reverses is not None:
        return [f"{original.key} is itself a reversal"]
    if already:
        return [f"{tx.reverses} is already reversed"]
    mirror = sorted((p.account, -p.amount) for p in original.postings)
    if sorted((p.account, p.amount) for p in tx.postings) != mirror:
        return [f"does not mirror the postings of {tx.reverses}"]
    return []


def reversal_of(original: Transaction, *, key: str, on: date, description: str = "") -> Transaction:
    """The transaction that undoes ``original``: every posting negated, pointing back at it."""
    postings = tuple(Posting(p.account, -p.amount) for p in original.postings)
    text = description or f"Reversal of {original.key}: {original.description}"
    return Transaction(key, on, text, postings, reverses=original.key)


REVISION = "#"


def revision(key: str) -> tuple[str, int]:
    """``key#n`` -> (``key``, n); a key without a revision mark is revision 1."""
    base, mark, number = key.rpartition(REVISION)
    if mark and number.isdigit() and int(number) > 1:
        return base, int(number)
    return key, 1


def revision_key(base: str, number: int) -> str:
    return base if number == 1 else f"{base}{REVISION}{number}"


def as_revision(
    tx: Transaction,
    earlier: Sequence[Transaction],
    reversed_keys: Collection[str],
    *,
    closed: Collection[str],
    end: date,
) -> Transaction:
    """``tx`` (keyed by what it records) as it is posted, given the revisions of its key
    already in the ledger: under the latest revision and its date while that stands (so the
    same content again is no change, and other content is refused), or, once the latest is
    reversed, as the next revision, posted on the ``correction_day``. This is how a figure
    is corrected: reverse it, then post it again."""
    if not earlier:
        return tx
    latest = max(earlier, key=lambda t: revision(t.key)[1])
    if latest.key not in reversed_keys:
        return replace(tx, key=latest.key, on=latest.on)
    number = revision(latest.key)[1] + 1
    on = correction_day(tx.on, closed, end) or tx.on
    return replace(tx, key=revision_key(revision(tx.key)[0], number), on=on)


class Ledger:
    """The books of one fund. Append-only: ``post``, ``reverse`` and ``close`` add; nothing
    edits or removes. Reads (``balances``, ``transactions``) never change it."""

    def __init__(self) -> None:
        self._transactions: list[Transaction] = []
        self._by_key: dict[str, Transaction] = {}
        self._reversed: set[str] = set()
        self._closed: set[str] = set()
        self._balances: dict[str, Decimal] = defaultdict(lambda: ZERO)

    @property
    def transactions(self) -> Sequence[Transaction]:
        return tuple(self._transactions)

    @property
    def closed(self) -> frozenset[str]:
        return frozenset(self._closed)

    def __len__(self) -> int:
        return len(self._transactions)

    def __iter__(self) -> Iterator[Transaction]:
        return iter(self._transactions)

    def get(self, key: str) -> Transaction | None:
        return self._by_key.get(key)

    def is_reversed(self, key: str) -> bool:
        return key in self._reversed

    def post(self, tx: Transaction) -> list[LedgerError]:
        """Post one transaction; [] if posted (or already posted, identically)."""
        known = self._by_key.get(tx.key)
        if known is not None:
            return (
                []
                if known == tx
                else [LedgerError(tx.key, "the key was used for a different transaction")]
            )
        found = problems(tx)
        if tx.period in self._closed:
            found.append(f"period {tx.period} is closed")
        if tx.reverses is not None:
            found += self._reversal_problems(tx)
        if found:
            return [LedgerError(tx.key, rule) for rule in found]
        self._transactions.append(tx)
        self._by_key[tx.key] = tx
        if tx.reverses is not None:
            self._reversed.add(tx.reverses)
        for p in tx.postings:
            self._balances[p.account] += p.amount
        return []

    def post_all(self, txs: Iterable[Transaction]) -> list[LedgerError]:
        """All or nothing: every error of every transaction, and nothing posted if any."""
        batch = list(txs)
        trial = self.copy()
        errors = [e for tx in batch for e in trial.post(tx)]
        if not errors:
            for tx in batch:
                self.post(tx)
        return errors

    def _reversal_problems(self, tx: Transaction) -> list[str]:
        original = self._by_key.get(tx.reverses or "")
        return reversal_problems(tx, original, already=tx.reverses in self._reversed)

    def reverse(
        self, key: str, *, on: date, new_key: str, description: str = ""
    ) -> list[LedgerError]:
        original = self._by_key.get(key)
        if original is None:
            return [LedgerError(new_key, f"reverses {key}, which is not in the ledger")]
        return self.post(reversal_of(original, key=new_key, on=on, description=description))

    def close(self, period: str) -> None:
        """Close a month (``yyyy-mm``): nothing more may be posted into it."""
        self._closed.add(period)

    def balance(self, account: str) -> Decimal:
        return self._balances.get(account, ZERO)

    def balances(self, prefix: str = "") -> dict[str, Decimal]:
        return {a: b for a, b in sorted(self._balances.items()) if a.startswith(prefix) and b}

    def copy(self) -> Ledger:
        other = Ledger()
        other._transactions = list(self._transactions)
        other._by_key = dict(self._by_key)
        other._reversed = set(self._reversed)
        other._closed = set(self._closed)
        other._balances = defaultdict(lambda: ZERO, self._balances)
        return other
