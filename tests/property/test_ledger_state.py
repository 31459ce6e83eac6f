"""Stateful property: the ledger against a reference model of a fund's books.

Random sequences of postings (balanced or not), re-posts of a used key, reversals and
period closes; after every step the ledger agrees with a dictionary of balances kept by
the simplest possible rules, and its invariants hold. One machine, two stores: the
library's memory and the service's database (the rules are the library's either way).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import assume, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from onebudget.funds.ledger import Ledger, Posting, Transaction
from onebudget.funds.months import month_key
from onebudget.money import ZERO
from tests.conftest import World
from tests.property.ledger_stores import LedgerFactory, in_memory, in_the_database

ACCOUNTS = ("bank", "A:contribution:QZZ", "A:expenditure", "due:QZZ", "reserve")
amounts = st.integers(-(10**9), 10**9).filter(bool).map(lambda p: Decimal(p) / 100)
days = st.dates(date(2025, 4, 1), date(2026, 3, 31))


class FundBooks(RuleBasedStateMachine):
    new_ledger: LedgerFactory = in_memory

    def __init__(self) -> None:
        super().__init__()
        self.ledger: Ledger = type(self).new_ledger()
        self.balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.posted: dict[str, Transaction] = {}
        self.reversed: set[str] = set()
        self.closed: set[str] = set()
        self.count = 0

    def _key(self) -> str:
        self.count += 1
        return f"T{self.count}"

    def _apply(self, tx: Transaction) -> None:
        self.posted[tx.key] = tx
        for p in tx.postings:
            self.balances[p.account] += p.amount

    @rule(
        on=days,
        legs=st.lists(st.tuples(st.sampled_from(ACCOUNTS), amounts), min_size=1, max_size=4),
    )
    def post_balanced(self, on: date, legs: list[tuple[str, Decimal]]) -> None:
        total = sum((a for _, a in legs), ZERO)
        postings = [Posting(acc, amt) for acc, amt in legs]
        if total:
            postings.append(Posting("suspense", -total))
        tx = Transaction(self._key(), on, "posting", tuple(postings))
        errors = self.ledger.post(tx)
        expected_ok = len(postings) >= 2 and month_key(on) not in self.closed
        assert (errors == []) == expected_ok, errors
        if expected_ok:
            self._apply(tx)

    @rule(on=days, amount=amounts, extra=amounts)
    def unbalanced_is_refused(self, on: date, amount: Decimal, extra: Decimal) -> None:
        tx = Transaction(
            self._key(), on, "bad", (Posting("bank", amount), Posting("reserve", -amount + extra))
        )
        assert self.ledger.post(tx) != []

    @rule(on=days)
    def a_transaction_without_postings_is_refused(self, on: date) -> None:
        """Balanced, trivially: only the at-least-two-postings rule refuses it."""
        assert self.ledger.post(Transaction(self._key(), on, "empty", ())) != []

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def repost_is_idempotent_or_refused(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.posted)))
        same = self.posted[key]
        assert self.ledger.post(same) == []
        changed = Transaction(key, same.on, same.description + " (edited)", same.postings)
        assert self.ledger.post(changed) != []

    @precondition(lambda self: self.posted)
    @rule(data=st.data(), on=days)
    def reverse(self, data: st.DataObject, on: date) -> None:
        key = data.draw(st.sampled_from(sorted(self.posted)))
        errors = self.ledger.reverse(key, on=on, new_key=self._key())
        original = self.posted[key]
        ok = (
            original.reverses is None
            and key not in self.reversed
            and month_key(on) not in self.closed
        )
        assert (errors == []) == ok, errors
        if ok:
            self.reversed.add(key)
            self._apply(self.ledger.transactions[-1])

    @precondition(lambda self: self.posted)
    @rule(data=st.data(), on=days)
    def a_reversal_that_does_not_mirror_is_refused(self, data: st.DataObject, on: date) -> None:
        """Balanced and in an open month, but not the original's postings negated."""
        assume(month_key(on) not in self.closed)
        key = data.draw(st.sampled_from(sorted(self.posted)))
        mirror = tuple(Posting(p.account, -p.amount) for p in self.posted[key].postings)
        extra = (Posting("bank", Decimal("1.00")), Posting("reserve", Decimal("-1.00")))
        tx = Transaction(self._key(), on, "not a mirror", mirror + extra, reverses=key)
        assert self.ledger.post(tx) != []

    @rule(on=days)
    def close_period(self, on: date) -> None:
        self.ledger.close(month_key(on))
        self.closed.add(month_key(on))

    @invariant()
    def agrees_with_the_model(self) -> None:
        assert self.ledger.balances() == {a: b for a, b in sorted(self.balances.items()) if b}
        assert len(self.ledger) == len(self.posted)
        assert sum(self.ledger.balances().values(), ZERO) == 0
        for tx in self.ledger:
            assert sum((p.amount for p in tx.postings), ZERO) == 0


FundBooks.TestCase.settings = settings(max_examples=500, stateful_step_count=50, deadline=None)
test_fund_books = FundBooks.TestCase
DATABASE_EXAMPLES = 25


def test_fund_books_in_the_database(world: World) -> None:
    """The same machine over the service's store: fewer examples (each step is queries)."""

    class DatabaseBooks(FundBooks):
        new_ledger = staticmethod(in_the_database(world))

    run_state_machine_as_test(
        DatabaseBooks,
        settings=settings(max_examples=DATABASE_EXAMPLES, stateful_step_count=30, deadline=None),
    )
