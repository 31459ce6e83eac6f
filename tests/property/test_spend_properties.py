"""Property: whatever the lines and rules, every ledger reconciles to the penny, nothing is
lost or counted twice, and what is eliminated nets to zero across partners."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.money import ZERO
from onebudget.spend.engine import PartnerRules, identify
from onebudget.spend.rules import Match, Rule, SpendLine

PARTNERS = ("A", "B", "C")
CODES = ("ASC1", "ASC2", "AC", "601", "6011", "X")
pence = st.integers(-(10**9), 10**9).map(lambda p: Decimal(p) / 100)


@st.composite
def rules(draw: st.DrawFn, partner: str) -> PartnerRules:
    kinds = st.sampled_from(["exact", "prefix"])
    services = tuple(
        Rule(
            f"r{i}",
            draw(st.sampled_from(["ACUTE", "CARERS", "ASC_NURSING"])),
            (Match("cost_centre", draw(kinds), draw(st.sampled_from(CODES))),),
            draw(st.integers(1, 3)),
        )
        for i in range(draw(st.integers(0, 4)))
    )
    transfers = (Rule("t", "section_75", (Match("reference", "prefix", "S75"),)),)
    budgets = (Rule("p", "pooled", (Match("cost_centre", "prefix", "AS"),)),)
    return PartnerRules(partner, services, budgets, transfers)


@st.composite
def lines(draw: st.DrawFn) -> list[SpendLine]:
    out = []
    for i in range(draw(st.integers(0, 40))):
        ref = draw(st.sampled_from(["", "S75-1", "S75-2", "INV"]))
        out.append(
            SpendLine(draw(st.sampled_from(PARTNERS)), "f", i + 2, draw(st.sampled_from(CODES)),
                      "5000", "x", "2025-04", draw(pence), reference=ref)
        )  # fmt: skip
    # some transfers with a true other side
    for ref in draw(st.lists(st.sampled_from(["S75-3", "S75-4"]), unique=True)):
        amount = draw(pence)
        out.append(SpendLine("A", "f", 1, "X", "1", "t", "2025-04", amount, reference=ref))
        out.append(SpendLine("B", "f", 1, "X", "1", "t", "2025-04", -amount, reference=ref))
    return out


@settings(max_examples=2000, deadline=None)
@given(lines(), st.data())
def test_every_ledger_reconciles_and_nothing_is_lost(
    data_lines: list[SpendLine], data: st.DataObject
) -> None:
    partner_rules = {p: data.draw(rules(p)) for p in PARTNERS}
    view = identify(data_lines, partner_rules)
    for r in view.reconciliations:
        assert r.balances, r
        assert r.ledger_total == sum((x.amount for x in data_lines if x.partner == r.partner), ZERO)
    assert sum((r.eliminated for r in view.reconciliations), ZERO) == 0
    mapped = sum((r.mapped for r in view.reconciliations), ZERO)
    assert sum(view.totals.values(), ZERO) == mapped
    assert len(view.placed) == len(data_lines)
    for group in view.transfers:
        assert (group.status == "eliminated") == (
            len({p.line.partner for p in group.lines}) > 1 and group.net == 0
        )
