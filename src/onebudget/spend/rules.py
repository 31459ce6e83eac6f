"""Rules that map a partner's ledger lines to the service taxonomy, mark pooled or aligned
money, and find transfers between partners.

A rule holds when all its tests hold: a field is exactly a code, starts with a prefix, or
matches a pattern. Among the mapping rules that hold, the lowest ``priority`` wins, then the
more specific test (exact before prefix before pattern), then the first written; the rule
that won is kept with the line, so anyone can see why a line went where it did.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Field = Literal["cost_centre", "account", "description", "counterparty", "reference"]
FIELDS: tuple[Field, ...] = ("cost_centre", "account", "description", "counterparty", "reference")
Kind = Literal["exact", "prefix", "pattern"]
SPECIFICITY = {"exact": 0, "prefix": 1, "pattern": 2}


@dataclass(frozen=True)
class SpendLine:
    """One posting of a partner's general ledger, with where it came from."""

    partner: str
    source: str
    row: int
    cost_centre: str
    account: str
    description: str
    month: str  # yyyy-mm
    amount: Decimal  # expenditure positive, income negative
    counterparty: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Match:
    column: Field
    kind: Kind
    value: str
    compiled: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def holds(self, line: SpendLine) -> bool:
        text = getattr(line, self.column)
        if self.kind == "exact":
            return bool(text == self.value)
        if self.kind == "prefix":
            return bool(text.startswith(self.value))
        pattern = self.compiled or re.compile(self.value)
        return pattern.search(text) is not None


@dataclass(frozen=True)
class Rule:
    """``target`` is a service code (mapping), ``pooled``/``aligned`` (budget) or a transfer
    kind (``section_75``, ``recharge`` ...)."""

    id: str
    target: str
    tests: tuple[Match, ...]
    priority: int = 100

    def holds(self, line: SpendLine) -> bool:
        return all(t.holds(line) for t in self.tests)

    @property
    def rank(self) -> tuple[int, int]:
        return self.priority, max((SPECIFICITY[t.kind] for t in self.tests), default=3)


def first_rule(line: SpendLine, rules: Sequence[Rule]) -> Rule | None:
    """The winning rule for a line, or None."""
    best: tuple[tuple[int, int, int], Rule] | None = None
    for order, rule in enumerate(rules):
        if rule.holds(line):
            key = (*rule.rank, order)
            if best is None or key < best[0]:
                best = (key, rule)
    return None if best is None else best[1]


class RuleSet:
    """Rules with a memory: lines that agree on every field the rules look at get the same
    answer, so a million lines from a few hundred codes are decided a few hundred times."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        used = {t.column for r in self.rules for t in r.tests}
        self.fields = tuple(f for f in FIELDS if f in used)
        self.known: dict[tuple[str, ...], Rule | None] = {}

    def first(self, line: SpendLine) -> Rule | None:
        key = tuple(getattr(line, f) for f in self.fields)
        if key not in self.known:
            self.known[key] = first_rule(line, self.rules)
        return self.known[key]
