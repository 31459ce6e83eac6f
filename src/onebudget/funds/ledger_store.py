"""Where a ledger's transactions are kept: the ``LedgerStore`` protocol and the in-memory
store.

A store only holds and fetches. It never judges a transaction: ``Ledger`` checks every rule
and hands a store only batches that passed, so the rules are written once whatever keeps
the books (this module's dictionaries, or the service's database rows). Fetches take many
keys at once so a database store answers a batch of 10,000 in a few queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from onebudget.money import ZERO

if TYPE_CHECKING:
    from onebudget.funds.ledger import Transaction

REVISION = "#"  # ``key#n``: the n-th posting of a key whose earlier postings were reversed


class LedgerStore(Protocol):
    """The books of one fund, as held somewhere. Append-only: nothing is edited or removed."""

    def fetch(self, keys: Collection[str]) -> dict[str, Transaction]:
        """The stored transactions among ``keys``, by key."""
        ...

    def reversed_among(self, keys: Collection[str]) -> set[str]:
        """Those of ``keys`` whose transaction has been reversed."""
        ...

    def revisions(self, bases: Collection[str]) -> dict[str, list[Transaction]]:
        """For each base key, the stored transactions keyed ``base`` or ``base#n``."""
        ...

    def closed_periods(self) -> frozenset[str]: ...

    def close(self, period: str) -> None:
        """Record a month as closed (closing it again is no change)."""
        ...

    def append(self, batch: Sequence[Transaction]) -> None:
        """Keep transactions the ledger has checked: all of them, with their postings."""
        ...

    def balances(self, prefix: str = "") -> dict[str, Decimal]:
        """Each account starting with ``prefix`` whose balance is not zero, sorted."""
        ...

    def __iter__(self) -> Iterator[Transaction]: ...

    def __len__(self) -> int: ...


class MemoryStore:
    """A ledger store in dictionaries: for the library's callers, tests and benchmarks."""

    def __init__(self) -> None:
        self._transactions: list[Transaction] = []
        self._by_key: dict[str, Transaction] = {}
        self._reversed: set[str] = set()
        self._closed: frozenset[str] = frozenset()
        self._balances: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def fetch(self, keys: Collection[str]) -> dict[str, Transaction]:
        by_key = self._by_key
        return {k: by_key[k] for k in keys if k in by_key}

    def reversed_among(self, keys: Collection[str]) -> set[str]:
        return {k for k in keys if k in self._reversed}

    def revisions(self, bases: Collection[str]) -> dict[str, list[Transaction]]:
        return {
            base: [
                t for k, t in self._by_key.items() if k == base or k.startswith(f"{base}{REVISION}")
            ]
            for base in bases
        }

    def closed_periods(self) -> frozenset[str]:
        return self._closed

    def close(self, period: str) -> None:
        self._closed |= {period}

    def append(self, batch: Sequence[Transaction]) -> None:
        for tx in batch:
            self._transactions.append(tx)
            self._by_key[tx.key] = tx
            if tx.reverses is not None:
                self._reversed.add(tx.reverses)
            for p in tx.postings:
                self._balances[p.account] += p.amount

    def balances(self, prefix: str = "") -> dict[str, Decimal]:
        return {a: b for a, b in sorted(self._balances.items()) if a.startswith(prefix) and b}

    def __iter__(self) -> Iterator[Transaction]:
        return iter(self._transactions)

    def __len__(self) -> int:
        return len(self._transactions)
