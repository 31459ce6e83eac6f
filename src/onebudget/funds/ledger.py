"""A double-entry ledger in exact pence: balanced, append-only, with periods that close.

Postings are signed (debit positive, credit negative) and every transaction's postings sum
to zero. Nothing posted is ever changed: a mistake is corrected by a reversing transaction.
Posting twice with the same key has one effect (imports can be re-run safely); the same key
with different content is refused. A closed month takes no postings. Errors are returned as
data, all of them, and a transaction with any error changes nothing.

``Ledger`` checks every one of these rules, here and nowhere else, over a ``LedgerStore``
that only keeps the books (``ledger_store``: in memory; the service's store keeps them in
its database, whose triggers refuse the same things again as a second guard, ADR 0010).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from onebudget.funds.ledger_store import REVISION, LedgerStore, MemoryStore
from onebudget.funds.months import correction_day, is_open, month_key
from onebudget.money import PENNY, ZERO


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
        return month_key(self.on)


@dataclass(frozen=True)
class LedgerError:
    key: str
    rule: str

    def __str__(self) -> str:
        return f"{self.key}: {self.rule}"


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


class Unreversible(Enum):
    """Why a transaction cannot be reversed; the condition is ``unreversible``."""

    MISSING = "reverses {key}, which is not in the ledger"
    A_REVERSAL = "{key} is itself a reversal"
    REVERSED = "{key} is already reversed"

    def about(self, key: str) -> str:
        return self.value.format(key=key)


def unreversible(original: Transaction | None, *, already: bool) -> Unreversible | None:
    """Why ``original`` (None: not in the ledger) cannot be reversed, None if it can;
    ``already``: whether it has been reversed before. A reversal is reversed never, and
    anything else once only."""
    if original is None:
        return Unreversible.MISSING
    if original.reverses is not None:
        return Unreversible.A_REVERSAL
    if already:
        return Unreversible.REVERSED
    return None


def reversal_problems(tx: Transaction, original: Transaction | None, *, already: bool) -> list[str]:
    """What is wrong with ``tx`` as the reversal of ``original`` (see ``unreversible``):
    besides, it must be the exact mirror of the original's postings."""
    why = unreversible(original, already=already)
    if why is not None or original is None:
        return [(why or Unreversible.MISSING).about(tx.reverses or "")]
    mirror = sorted((p.account, -p.amount) for p in original.postings)
    if sorted((p.account, p.amount) for p in tx.postings) != mirror:
        return [f"does not mirror the postings of {tx.reverses}"]
    return []


def reversal_of(original: Transaction, *, key: str, on: date, description: str = "") -> Transaction:
    """The transaction that undoes ``original``: every posting negated, pointing back at it."""
    postings = tuple(Posting(p.account, -p.amount) for p in original.postings)
    text = description or f"Reversal of {original.key}: {original.description}"
    return Transaction(key, on, text, postings, reverses=original.key)


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


CHANGED = "already posted with different content; reverse it first"


class Ledger:
    """The books of one fund, and the one place their rules are checked. Append-only:
    ``post``, ``reverse`` and ``close`` add; nothing edits or removes. Reads never change
    it. ``store`` keeps the books (in memory unless given; the service passes one over its
    database) and is handed only what passed every rule."""

    def __init__(self, store: LedgerStore | None = None) -> None:
        self.store: LedgerStore = MemoryStore() if store is None else store

    @property
    def transactions(self) -> Sequence[Transaction]:
        return tuple(self.store)

    @property
    def closed(self) -> frozenset[str]:
        return self.store.closed_periods()

    def __len__(self) -> int:
        return len(self.store)

    def __iter__(self) -> Iterator[Transaction]:
        return iter(self.store)

    def get(self, key: str) -> Transaction | None:
        return self.store.fetch([key]).get(key)

    def is_reversed(self, key: str) -> bool:
        return bool(self.store.reversed_among([key]))

    def is_open(self, period: str) -> bool:
        return is_open(period, self.closed)

    def unreversible(self, key: str) -> Unreversible | None:
        """Why the transaction keyed ``key`` cannot be reversed now (None if it can)."""
        return unreversible(self.get(key), already=self.is_reversed(key))

    def post(self, tx: Transaction) -> list[LedgerError]:
        """Post one transaction; [] if posted (or already posted, identically)."""
        return self.apply([tx])[1]

    def post_all(self, txs: Iterable[Transaction]) -> list[LedgerError]:
        """All or nothing: every error of every transaction, and nothing posted if any."""
        return self.apply(list(txs))[1]

    def apply(self, batch: Sequence[Transaction]) -> tuple[list[Transaction], list[LedgerError]]:
        """Post ``batch`` if nothing in it breaks a rule. Returns the transactions that were
        new (posted, or that would have been) and every error."""
        new, errors = self.check(batch)
        if new and not errors:
            self.store.append(new)
        return new, errors

    def check(self, batch: Sequence[Transaction]) -> tuple[list[Transaction], list[LedgerError]]:
        """Every rule, for each transaction in turn as if those before it were posted:
        a used key with the same content is no change (so not new), with other content
        refused; then ``problems``, an open period and, for a reversal, ``reversal_problems``.
        Changes nothing."""
        keys = {tx.key for tx in batch} | {tx.reverses for tx in batch if tx.reverses}
        known, done = self.store.fetch(keys), self.store.reversed_among(keys)
        closed = self.store.closed_periods()
        new: list[Transaction] = []
        errors: list[LedgerError] = []
        for tx in batch:
            if tx.key in known:
                if known[tx.key] != tx:
                    errors.append(LedgerError(tx.key, CHANGED))
                continue
            found = problems(tx)
            if not is_open(tx.period, closed):
                found.append(f"period {tx.period} is closed")
            if tx.reverses is not None:
                original = known.get(tx.reverses)
                found += reversal_problems(tx, original, already=tx.reverses in done)
            errors += [LedgerError(tx.key, rule) for rule in found]
            if not found:
                new.append(tx)
                known[tx.key] = tx
                done |= {tx.reverses} if tx.reverses else set()
        return new, errors

    def as_revisions(self, batch: Sequence[Transaction], *, end: date) -> list[Transaction]:
        """Each transaction under the key it takes now (``as_revision``): its key's latest
        revision, or the next once that is reversed. Only reversed keys have revisions, so
        a store is asked for them only when some key of the batch was reversed."""
        bases = {tx.key for tx in batch if not tx.reverses}
        reversed_bases = self.store.reversed_among(bases)
        if not reversed_bases:
            return list(batch)
        earlier = {
            base: [t for t in found if revision(t.key)[0] == base]
            for base, found in self.store.revisions(reversed_bases).items()
        }
        undone = self.store.reversed_among({t.key for ts in earlier.values() for t in ts})
        closed = self.store.closed_periods()
        return [
            tx
            if tx.reverses or tx.key not in reversed_bases
            else as_revision(tx, earlier[tx.key], undone, closed=closed, end=end)
            for tx in batch
        ]

    def reverse(
        self, key: str, *, on: date, new_key: str, description: str = ""
    ) -> list[LedgerError]:
        original = self.get(key)
        if original is None:
            return [LedgerError(new_key, Unreversible.MISSING.about(key))]
        return self.post(reversal_of(original, key=new_key, on=on, description=description))

    def close(self, period: str) -> None:
        """Close a month (``yyyy-mm``): nothing more may be posted into it."""
        self.store.close(period)

    def balance(self, account: str) -> Decimal:
        return self.store.balances(account).get(account, ZERO)

    def balances(self, prefix: str = "") -> dict[str, Decimal]:
        return self.store.balances(prefix)

    def copy(self) -> Ledger:
        """The same books in a new in-memory store (to try something on)."""
        other = Ledger()
        other.store.append(self.transactions)
        for period in self.closed:
            other.close(period)
        return other
