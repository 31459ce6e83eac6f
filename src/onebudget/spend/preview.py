"""What a partner's new ledger would change, before it replaces the one in use: the file's
rows, the years and months it covers, its total and how much of it maps to services, and
the partner's figures year by year before and after.

Both views are of the whole place (every partner's ledger), so a transfer is matched
against the other partners' lines as it will be once the file is in use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from onebudget.money import ZERO
from onebudget.spend.engine import Reconciliation, SpendView
from onebudget.spend.years import months_by_year


@dataclass(frozen=True)
class LedgerSummary:
    partner: str
    rows: int  # ledger lines read
    months: Mapping[int, tuple[str, ...]]  # by financial year, the months (yyyy-mm) it has
    total: Decimal
    mapped: Decimal  # to a service
    unmapped: Decimal
    transfers: Decimal  # to or from another partner, eliminated or not


def summary(view: SpendView, partner: str) -> LedgerSummary:
    """The partner's ledger in ``view``."""
    lines = [p.line for p in view.placed if p.line.partner == partner]
    found = _reconciliation(view, partner) or Reconciliation(partner, ZERO, ZERO, ZERO, ZERO, ZERO)
    return LedgerSummary(
        partner,
        len(lines),
        months_by_year(lines),
        found.ledger_total,
        found.mapped,
        found.unmapped,
        found.eliminated + found.unmatched,
    )


@dataclass(frozen=True)
class YearChange:
    """The partner's reconciliation in one year before and after (None: no lines then)."""

    year: int
    before: Reconciliation | None
    after: Reconciliation | None


def changes(
    before: Mapping[int, SpendView], after: Mapping[int, SpendView], partner: str
) -> list[YearChange]:
    """Year by year (each year's view, as ``years.by_year`` gives them), the partner's
    figures before and after, for every year either ledger of the partner has lines in."""
    found = []
    for year in sorted(set(before) | set(after)):
        was, will = _in(before.get(year), partner), _in(after.get(year), partner)
        if was is not None or will is not None:
            found.append(YearChange(year, was, will))
    return found


def _in(view: SpendView | None, partner: str) -> Reconciliation | None:
    """The partner's reconciliation if it has lines in the view."""
    if view is None or not any(p.line.partner == partner for p in view.placed):
        return None
    return _reconciliation(view, partner)


def _reconciliation(view: SpendView, partner: str) -> Reconciliation | None:
    return next((r for r in view.reconciliations if r.partner == partner), None)
