"""Property: for any agreement and outturn, settlement creates and destroys no money, every
share adds up to the variance, and the settlement reproduces the fund's ledger: kept in the
library's memory and, with fewer examples, in the service's database."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from onebudget.funds import statement
from onebudget.funds.accounts import Account, Kind, bank, contribution, expenditure
from onebudget.funds.agreement import Agreement
from onebudget.funds.journal import leg, settlement_transactions
from onebudget.funds.ledger import Ledger, Transaction
from onebudget.funds.monitoring import instalments
from onebudget.funds.riskshare import JOINT
from onebudget.funds.settlement import Outturn, Settlement, settle
from onebudget.funds.validation import check, months_between, notice_ends
from onebudget.money import ZERO
from tests.conftest import World
from tests.property.ledger_stores import LedgerFactory, in_memory, in_the_database

PARTNERS = ("E06099001", "QZZ", "E06099002", "QYY")
pounds = st.integers(0, 5 * 10**8).map(lambda p: Decimal(p) / 100)


@cache
def rules(partners: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Risk-share clauses naming these partners (built once per set: strategies are costly)."""
    who = st.sampled_from(partners)
    base = st.one_of(
        st.just({"rule": "pro_rata"}),
        st.just({"rule": "pro_rata", "basis": "fund"}),
        st.just({"rule": "host"}),
        st.integers(0, 100).map(
            lambda x: {"rule": "fixed", "shares": {partners[0]: x, partners[1]: 100 - x}}
        ),
    )
    return st.recursive(
        base,
        lambda inner: st.one_of(
            st.fixed_dictionaries(
                {
                    "rule": st.just("capped"),
                    "of": inner,
                    "caps": st.dictionaries(
                        who,
                        st.one_of(
                            st.just("contribution"),
                            pounds,
                            st.fixed_dictionaries(
                                {
                                    "percent": st.integers(0, 10_000).map(
                                        lambda x: Decimal(x) / 100
                                    ),
                                    "of": st.sampled_from(["scheme", "fund"]),
                                }
                            ),
                        ),
                    ),
                    "excess_to": st.one_of(who, st.just(JOINT)),
                }
            ),
            st.fixed_dictionaries(
                {
                    "rule": st.just("tiered"),
                    "first": st.integers(0, 10**6),
                    "partner": who,
                    "then": inner,
                }
            ),
        ),
        max_leaves=3,
    )


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    partners = list(PARTNERS[: draw(st.integers(2, 4))])
    schemes = []
    for i in range(draw(st.integers(1, 5))):
        aligned = draw(st.booleans()) and i > 0
        contributions = draw(st.dictionaries(st.sampled_from(partners), pounds, min_size=1))
        scheme: dict[str, Any] = {
            "code": f"S{i}",
            "name": f"Scheme {i}",
            "contributions": contributions,
        }
        if aligned:
            scheme |= {"budget": "aligned", "overspend": {"rule": "own"}}
        else:
            scheme["overspend"] = draw(rules(tuple(partners)))
            scheme["underspend"] = draw(
                st.one_of(
                    st.just({"treatment": "carry_forward"}),
                    st.just({"treatment": "retain"}),
                    rules(tuple(partners)).map(lambda r: {"treatment": "return", "rule": r}),
                )
            )
        schemes.append(scheme)
    data = {
        "id": "S75-TEST",
        "name": "Generated",
        "financial_year": 2025,
        "host": draw(st.sampled_from(partners)),
        "pool_manager": "Pool manager",
        "partners": [{"code": p, "name": p} for p in partners],
        "cascade": draw(st.booleans()),
        "risk_reserve": draw(st.dictionaries(st.sampled_from(partners), pounds, max_size=2)),
        "schemes": schemes,
        "variations": draw(variations(partners, schemes)),
    }
    aligned = [s["code"] for s in schemes if s.get("budget") == "aligned"]
    if aligned and draw(st.booleans()):
        data["charge_backs"] = [
            {
                "scheme": aligned[0],
                "spender": partners[0],
                "payer": partners[1],
                "percent": draw(st.integers(1, 100)),
            }
        ]
    agreement = Agreement.model_validate(data)
    assume(not check(agreement))
    return agreement


def variations(
    partners: list[str], schemes: list[dict[str, Any]]
) -> st.SearchStrategy[list[dict[str, Any]]]:
    one = st.fixed_dictionaries(
        {
            "id": st.just("V"),
            "effective": st.dates(date(2025, 4, 1), date(2026, 3, 31)),
            "scheme": st.sampled_from([s["code"] for s in schemes]),
            "partner": st.sampled_from(partners),
            "change": pounds,
            "agreed_by": st.just(["A", "B"]),
            "agreed_on": st.just(date(2025, 4, 1)),
        }
    )
    return st.lists(one, max_size=2)


@st.composite
def outturns(draw: st.DrawFn, agreement: Agreement) -> Outturn:
    pooled = {s.code: draw(pounds) for s in agreement.schemes if s.budget == "pooled"}
    aligned = {
        s.code: draw(st.dictionaries(st.sampled_from(agreement.partner_codes), pounds))
        for s in agreement.schemes
        if s.budget == "aligned"
    }
    return Outturn(pooled, aligned)


def books(result: Settlement, outturn: Outturn, new_ledger: LedgerFactory = in_memory) -> Ledger:
    """The fund's year in the ledger: instalments in, spending out, the reserve, settlement."""
    a = result.agreement
    ledger = new_ledger()
    txs = []
    for partner, amount in a.risk_reserve.items():
        txs.append(
            Transaction(
                f"reserve:{partner}",
                a.start,
                "Risk reserve",
                (leg(bank(), amount), leg(Account(Kind.RISK_RESERVE, partner=partner), -amount)),
            )
        )
    for s in result.schemes:
        for partner in s.contributions:
            for n, (day, amount) in enumerate(instalments(a, s.scheme, partner)):
                legs = (
                    leg(bank(), amount),
                    leg(contribution(s.scheme, partner), -amount),
                )
                txs.append(Transaction(f"in:{s.scheme}:{partner}:{n}", day, "Instalment", legs))
        spent = outturn.pooled[s.scheme]
        txs.append(
            Transaction(
                f"out:{s.scheme}",
                date(2026, 3, 31),
                "Spend",
                (leg(expenditure(s.scheme), spent), leg(bank(), -spent)),
            )
        )
    for partner, amount in result.reserve_used.items():
        txs.append(
            Transaction(
                f"draw:{partner}",
                date(2026, 3, 31),
                "Reserve used",
                (
                    leg(Account(Kind.RISK_RESERVE, partner=partner), amount),
                    leg(Account(Kind.RESERVE_USED), -amount),
                ),
            )
        )
    txs += settlement_transactions(result, date(2026, 3, 31))
    txs = [t for t in txs if all(p.amount for p in t.postings)]
    assert ledger.post_all(txs) == []
    return ledger


@settings(
    max_examples=int(os.environ.get("FUND_EXAMPLES", "1500")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.data())
def test_settlement_conserves_money_and_reproduces_the_ledger(data: st.DataObject) -> None:
    settles_and_reproduces(data, in_memory)


@settings(
    max_examples=int(os.environ.get("FUND_DATABASE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # each example posts to a fund of its own
    ],
)
@given(data=st.data())
def test_the_settlement_reproduces_the_ledger_kept_in_the_database(
    world: World, data: st.DataObject
) -> None:
    settles_and_reproduces(data, in_the_database(world))


def settles_and_reproduces(data: st.DataObject, new_ledger: LedgerFactory) -> None:
    agreement = data.draw(agreements())
    outturn = data.draw(outturns(agreement))
    result = settle(agreement, outturn)
    for s in result.schemes:
        met = s.cascade + s.reserve + s.overspend.total - s.underspend.total
        assert met == s.variance, s.scheme
    assert sum((s.cascade for s in result.schemes), ZERO) == 0
    assert sum(result.reserve_used.values(), ZERO) == sum((s.reserve for s in result.schemes), ZERO)
    assert sum(result.reserve_used.values(), ZERO) <= sum(agreement.risk_reserve.values(), ZERO)
    memos = {m.partner: m for m in statement.memoranda(result)}
    assert sum((m.charge_backs for m in memos.values()), ZERO) == 0
    ledger = books(result, outturn, new_ledger)
    for s in result.schemes:
        assert sum(ledger.balances(f"{s.scheme}:").values(), ZERO) == 0, s.scheme
    for partner, memo in memos.items():
        contributed = -sum(
            (
                v
                for k, v in ledger.balances().items()
                if k.split(":")[1:] == ["contribution", partner]
            ),
            ZERO,
        )
        assert contributed == memo.contributions
        pooled_due = memo.overspend_share - memo.underspend_returned
        assert ledger.balance(f"due:{partner}") == pooled_due
    paid = {(x, y): v for x, y, v in statement.payments(result)}
    for partner, memo in memos.items():
        net = sum((v for (x, _), v in paid.items() if x == partner), ZERO) - sum(
            (v for (_, y), v in paid.items() if y == partner), ZERO
        )
        if partner != agreement.host:
            assert net == memo.settlement


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 36))
def test_notice_ends_on_the_first_day_the_notice_rule_allows(given_on: date, months: int) -> None:
    ends = notice_ends(given_on, months)
    assert months_between(given_on, ends) >= months
    assert ends == given_on or months_between(given_on, ends - timedelta(days=1)) < months
