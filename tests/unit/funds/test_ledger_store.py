"""The ledger's rules over its store: the store only keeps what ``Ledger`` passed, a
corrected figure takes its key's next revision, and the reasons a transaction cannot be
reversed are the library's, for the service to put into words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from onebudget.funds.ledger import Ledger, Posting, Transaction, Unreversible, reversal_of
from onebudget.funds.ledger_store import MemoryStore

D = Decimal
END = date(2026, 4, 1)


def spend(amount: str, key: str = "actual:BCF01:2025-06") -> Transaction:
    legs = (Posting("BCF01:expenditure", D(amount)), Posting("bank", -D(amount)))
    return Transaction(key, date(2025, 6, 30), "Actual spend", legs)


def test_a_refused_batch_leaves_the_store_as_it_was() -> None:
    store = MemoryStore()
    books = Ledger(store)
    unbalanced = Transaction("bad", date(2025, 7, 1), "x", (Posting("bank", D("1.00")),) * 2)
    new, errors = books.apply([spend("10.00"), unbalanced])
    assert [e.key for e in errors] == ["bad"]
    assert [tx.key for tx in new] == [spend("10.00").key]  # would have been new
    assert len(store) == 0
    assert store.balances() == {}
    assert books.apply([spend("10.00"), spend("10.00")]) == ([spend("10.00")], [])
    assert len(store) == 1  # the same key and content twice in a batch: posted once


def test_a_corrected_figure_is_posted_as_the_next_revision_once_the_last_is_reversed() -> None:
    books = Ledger()
    assert books.post(spend("10.00")) == []
    assert books.as_revisions([spend("12.00")], end=END) == [spend("12.00")]
    assert books.post(spend("12.00"))[0].rule.endswith("reverse it first")
    books.close("2025-06")
    undo = reversal_of(spend("10.00"), key="undo-1", on=date(2025, 7, 31))
    assert books.post(undo) == []
    [revised] = books.as_revisions([spend("12.00")], end=END)
    assert (revised.key, revised.on) == ("actual:BCF01:2025-06#2", date(2025, 7, 31))
    assert books.post(revised) == []
    assert books.balance("BCF01:expenditure") == D("12.00")


def test_why_a_transaction_cannot_be_reversed() -> None:
    books = Ledger()
    books.post(spend("10.00"))
    assert books.unreversible("nope") is Unreversible.MISSING
    assert books.unreversible(spend("10.00").key) is None
    books.post(reversal_of(spend("10.00"), key="undo-1", on=date(2025, 6, 30)))
    assert books.unreversible(spend("10.00").key) is Unreversible.REVERSED
    assert books.unreversible("undo-1") is Unreversible.A_REVERSAL
    assert [str(e) for e in books.reverse("undo-1", on=date(2025, 7, 1), new_key="u2")] == [
        "u2: undo-1 is itself a reversal"
    ]
