"""One view of the spend: map, classify, eliminate transfers, reconcile to the penny.

Pure functions over lines and rules. Nothing is dropped: a line is mapped to a service,
left unmapped (listed for a person to map), or is a transfer between partners that is
either eliminated against its other side or listed as unmatched or mismatched. Each
partner's ledger total is then reconciled: mapped + unmapped + eliminated + unmatched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from onebudget.money import ZERO
from onebudget.spend.rules import Rule, RuleSet, SpendLine


@dataclass(frozen=True)
class PartnerRules:
    partner: str
    services: tuple[Rule, ...]
    budgets: tuple[Rule, ...] = ()  # target pooled or aligned; other lines are in view only
    transfers: tuple[Rule, ...] = ()  # target: the kind of transfer


@dataclass(frozen=True)
class Placed:
    line: SpendLine
    service: str | None
    rule: str | None  # the id of the rule that mapped it
    budget: str  # pooled, aligned or view
    transfer: str | None  # the kind of transfer, if it is one


@dataclass(frozen=True)
class TransferGroup:
    reference: str
    lines: tuple[Placed, ...]

    @property
    def net(self) -> Decimal:
        return sum((p.line.amount for p in self.lines), ZERO)

    @property
    def status(self) -> str:
        partners = {p.line.partner for p in self.lines}
        if len(partners) < 2:
            return "unmatched"
        return "eliminated" if self.net == 0 else "mismatched"


@dataclass(frozen=True)
class Reconciliation:
    partner: str
    ledger_total: Decimal
    mapped: Decimal
    unmapped: Decimal
    eliminated: Decimal
    unmatched: Decimal

    @property
    def balances(self) -> bool:
        return self.mapped + self.unmapped + self.eliminated + self.unmatched == self.ledger_total


@dataclass(frozen=True)
class SpendView:
    placed: tuple[Placed, ...]
    transfers: tuple[TransferGroup, ...]
    reconciliations: tuple[Reconciliation, ...]
    totals: Mapping[tuple[str, str, str], Decimal] = field(default_factory=dict)

    @property
    def unmapped(self) -> list[Placed]:
        return [p for p in self.placed if p.service is None and p.transfer is None]

    @property
    def unresolved(self) -> list[TransferGroup]:
        return [g for g in self.transfers if g.status != "eliminated"]


class _Sets:
    def __init__(self, rules: PartnerRules) -> None:
        self.transfers = RuleSet(rules.transfers)
        self.services = RuleSet(rules.services)
        self.budgets = RuleSet(rules.budgets)


def _place(line: SpendLine, sets: _Sets) -> Placed:
    transfer = sets.transfers.first(line)
    service = None if transfer else sets.services.first(line)
    budget = sets.budgets.first(line)
    return Placed(
        line,
        service.target if service else None,
        service.id if service else None,
        budget.target if budget else "view",
        transfer.target if transfer else None,
    )


def identify(lines: Sequence[SpendLine], rules: Mapping[str, PartnerRules]) -> SpendView:
    sets = {partner: _Sets(r) for partner, r in rules.items()}
    return view_of([_place(line, sets[line.partner]) for line in lines], sorted(rules))


def view_of(lines: Sequence[Placed], partners: Sequence[str]) -> SpendView:
    """The view of lines already placed: transfers grouped by reference and eliminated within
    these lines, each of ``partners`` reconciled, the totals. ``identify`` ends here, and so
    does narrowing a view to some of its lines (``years.in_year``): no line is mapped again."""
    placed = tuple(lines)
    groups: dict[str, list[Placed]] = defaultdict(list)
    for p in placed:
        if p.transfer is not None:
            groups[p.line.reference].append(p)
    transfers = tuple(TransferGroup(ref, tuple(g)) for ref, g in sorted(groups.items()))
    eliminated = {id(p) for g in transfers if g.status == "eliminated" for p in g.lines}
    return SpendView(
        placed,
        transfers,
        tuple(_reconcile(partner, placed, eliminated) for partner in partners),
        _totals(placed),
    )


def _reconcile(partner: str, placed: Sequence[Placed], eliminated: set[int]) -> Reconciliation:
    buckets: dict[str, Decimal] = defaultdict(lambda: ZERO)
    total = ZERO
    for p in placed:
        if p.line.partner != partner:
            continue
        total += p.line.amount
        if p.transfer is not None:
            bucket = "eliminated" if id(p) in eliminated else "unmatched"
        else:
            bucket = "mapped" if p.service is not None else "unmapped"
        buckets[bucket] += p.line.amount
    return Reconciliation(
        partner,
        total,
        buckets["mapped"],
        buckets["unmapped"],
        buckets["eliminated"],
        buckets["unmatched"],
    )


def _totals(placed: Sequence[Placed]) -> dict[tuple[str, str, str], Decimal]:
    """Spend by (service, partner, pooled/aligned/view), mapped lines only."""
    out: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
    for p in placed:
        if p.service is not None:
            out[(p.service, p.line.partner, p.budget)] += p.line.amount
    return dict(sorted(out.items()))
