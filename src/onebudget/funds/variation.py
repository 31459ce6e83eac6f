"""What a variation changes: two versions of an agreement compared scheme by scheme, and the
steps that take a year's contributions to new amounts.

A variation raises or reduces a partner's contribution from a date. By then the ledger has
taken the instalments before it, so a new amount is recorded as a ``Variation`` (spread
over the instalments left), never by rewriting the amount agreed at the start: the steps
here are those variations' changes. Contributions are compared as agreed for the year with
every variation, which is what each partner puts in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from onebudget.funds.agreement import Agreement, Scheme
from onebudget.money import ZERO

# Whole-agreement fields a version may change, in the order people read them
FIELDS = (
    "name",
    "pool_manager",
    "cascade",
    "instalments",
    "notice",
    "delegated_functions",
    "charge_backs",
    "variations",
)
CLAUSES = ("budget", "overspend", "underspend", "profile")


@dataclass(frozen=True)
class AmountChange:
    """One partner's amount (a contribution, a risk reserve) before and after."""

    partner: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class SchemeChange:
    """A scheme added, removed or changed: every partner's contribution before and after
    (changed or not, so the whole scheme can be shown), a new name, and which clauses
    (budget, overspend, underspend, profile) changed, each as (before, after)."""

    code: str
    name: str
    kind: Literal["added", "removed", "changed"]
    contributions: tuple[AmountChange, ...]
    renamed_from: str | None = None
    clauses: tuple[tuple[str, Any, Any], ...] = ()

    @property
    def total_before(self) -> Decimal:
        return sum((c.before for c in self.contributions), ZERO)

    @property
    def total_after(self) -> Decimal:
        return sum((c.after for c in self.contributions), ZERO)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Changes:
    schemes: tuple[SchemeChange, ...] = ()
    risk_reserve: tuple[AmountChange, ...] = ()
    fields: tuple[FieldChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.schemes or self.risk_reserve or self.fields)


def compare(before: Agreement, after: Agreement) -> Changes:
    """Everything that differs between two versions of an agreement: schemes in the order
    of the earlier version, then new ones; only what changed is listed."""
    codes = [s.code for s in before.schemes]
    codes += [s.code for s in after.schemes if s.code not in codes]
    schemes = (_scheme_change(before, after, code) for code in codes)
    reserve = _amounts(before.risk_reserve, after.risk_reserve)
    fields = (
        FieldChange(f, getattr(before, f), getattr(after, f))
        for f in FIELDS
        if getattr(before, f) != getattr(after, f)
    )
    return Changes(
        tuple(s for s in schemes if s is not None),
        tuple(a for a in reserve if a.change),
        tuple(fields),
    )


def _scheme(agreement: Agreement, code: str) -> Scheme | None:
    return next((s for s in agreement.schemes if s.code == code), None)


def _scheme_change(before: Agreement, after: Agreement, code: str) -> SchemeChange | None:
    old, new = _scheme(before, code), _scheme(after, code)
    was = before.contributions(code) if old else {}
    now = after.contributions(code) if new else {}
    amounts = _amounts(was, now)
    if new is None:
        return SchemeChange(code, old.name, "removed", amounts) if old else None
    if old is None:
        return SchemeChange(code, new.name, "added", amounts)
    clauses = tuple(
        (c, getattr(old, c), getattr(new, c)) for c in CLAUSES if getattr(old, c) != getattr(new, c)
    )
    renamed = old.name if old.name != new.name else None
    if not clauses and renamed is None and not any(a.change for a in amounts):
        return None
    return SchemeChange(code, new.name, "changed", amounts, renamed, clauses)


def _amounts(
    before: Mapping[str, Decimal], after: Mapping[str, Decimal]
) -> tuple[AmountChange, ...]:
    partners = [*before, *(p for p in after if p not in before)]
    return tuple(AmountChange(p, before.get(p, ZERO), after.get(p, ZERO)) for p in partners)


@dataclass(frozen=True)
class Step:
    """A change to one partner's contribution to one scheme: one variation."""

    scheme: str
    partner: str
    change: Decimal


def steps_to(agreement: Agreement, targets: Mapping[str, Mapping[str, Decimal]]) -> list[Step]:
    """The variations that take each scheme's contributions for the year (``targets``: by
    scheme, then partner; a partner left out keeps its amount) to the amounts wanted, in
    the agreement's order of schemes and partners. Schemes not in the agreement are not
    varied: a new scheme is agreed with its contributions."""
    steps = []
    for scheme in agreement.schemes:
        wanted = targets.get(scheme.code, {})
        now = agreement.contributions(scheme.code)
        partners = [*now, *(p for p in wanted if p not in now)]
        for partner in partners:
            change = wanted.get(partner, now.get(partner, ZERO)) - now.get(partner, ZERO)
            if change:
                steps.append(Step(scheme.code, partner, change))
    return steps


def variation_ids(agreement: Agreement, count: int) -> list[str]:
    """``count`` new variation ids (V1, V2...) that the agreement does not use yet."""
    used = {v.id for v in agreement.variations}
    found: list[str] = []
    n = len(agreement.variations)
    while len(found) < count:
        n += 1
        if f"V{n}" not in used:
            found.append(f"V{n}")
    return found
