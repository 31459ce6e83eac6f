"""Property (issue 17): a contract posted to the fund that pays it keeps the fund's ledger
balanced, whatever the period's figures. Every posting's transaction balances, the books as
a whole sum to zero, the scheme's spending grows by exactly what the statements pay (to the
penny, whether the scheme is pooled or aligned), the settlement's outturn reads it from the
ledger, and posting the same statements again changes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.contracts.inputs import Inputs
from onebudget.contracts.load import read_contract
from onebudget.contracts.model import Contract
from onebudget.contracts.periods import year_of_periods
from onebudget.contracts.statement import statements
from onebudget.funds.accounts import aligned_spend, expenditure
from onebudget.funds.agreement import Agreement
from onebudget.funds.books import outturn
from onebudget.funds.journal import instalment_transactions
from onebudget.funds.ledger import Ledger
from onebudget.funds.payments import Payment, payment_transactions
from onebudget.money import ZERO
from onebudget_web.contracts.payments import payments_of

EXAMPLES = Path(__file__).parents[2] / "src/onebudget/definitions/contracts/examples"
ALLIANCE = read_contract(EXAMPLES / "alliance.yaml")  # pays three members, gain or pain
ACTIVITY = read_contract(EXAMPLES / "activity.yaml")  # one provider, banded, capped
pounds = st.integers(0, 10**9).map(lambda p: Decimal(p) / 100)
hours = st.integers(0, 5000)


def agreement(budget: str) -> Agreement:
    """The fund the example contracts name, its two schemes pooled or aligned."""
    scheme = {"contributions": {"E06099001": "3000000.00", "QZZ": "2000000.00"}}
    return Agreement.model_validate(
        {
            "id": "S75-FERN-2025",
            "name": "Fernmouth pooled fund",
            "financial_year": 2025,
            "host": "E06099001",
            "pool_manager": "Pat Pool",
            "partners": [
                {"code": "E06099001", "name": "Fernmouth Council"},
                {"code": "QZZ", "name": "NHS Fernmouth ICB"},
            ],
            "schemes": [
                {"code": code, "name": code.title(), "budget": budget, **scheme}
                for code in ("INTERMEDIATE", "HOMECARE")
            ],
        }
    )


def year_of_payments(contract: Contract, figures: list[Inputs]) -> list[Payment]:
    periods = year_of_periods(2025, contract.periods)
    return [
        payment
        for period, inputs in zip(periods, figures, strict=True)
        for payment in payments_of(contract, period, statements(contract, period, inputs))
    ]


def spending(books: dict[str, Decimal], scheme: str, budget: str) -> Decimal:
    account = expenditure(scheme) if budget == "pooled" else aligned_spend(scheme, "E06099001")
    return books.get(str(account), ZERO)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["pooled", "aligned"]),
    st.lists(pounds, min_size=4, max_size=4),
    st.lists(st.tuples(hours, hours), min_size=4, max_size=4),
)
def test_posting_a_years_statements_keeps_the_funds_ledger_balanced(
    budget: str, costs: list[Decimal], volumes: list[tuple[int, int]]
) -> None:
    fund = agreement(budget)
    alliance = [Inputs(actual_cost={ALLIANCE.id: c}) for c in costs]
    activity = [
        Inputs(volume={"home-care-hours": Decimal(h), "night-visits": Decimal(n)})
        for h, n in volumes
    ]
    payments = year_of_payments(ALLIANCE, alliance) + year_of_payments(ACTIVITY, activity)
    ledger = Ledger()
    assert ledger.post_all(instalment_transactions(fund)) == []
    txs, problems = payment_transactions(fund, payments)
    assert problems == []
    assert all(sum(p.amount for p in tx.postings) == 0 for tx in txs)
    assert ledger.post_all(txs) == []

    books = ledger.balances()
    assert sum(books.values(), ZERO) == 0
    for scheme, paid in (("INTERMEDIATE", alliance), ("HOMECARE", activity)):
        contract = ALLIANCE if scheme == "INTERMEDIATE" else ACTIVITY
        expected = sum((p.amount for p in year_of_payments(contract, paid)), ZERO)
        assert spending(books, scheme, budget) == expected
        if budget == "pooled":
            assert outturn(fund, books, nil=[scheme]).pooled[scheme] == expected
    again, _ = ledger.apply(payment_transactions(fund, payments)[0])
    assert again == []
    assert ledger.balances() == books


def payment(**changed: Any) -> Payment:
    fields: dict[str, Any] = {
        "key": "contract:C-1:2025-Q1:ZZC01",
        "on": year_of_periods(2025, "quarterly")[0].end,
        "scheme": "HOMECARE",
        "amount": Decimal("10.00"),
        "description": "A payment",
        "payer": "E06099001",
    }
    return Payment(**(fields | changed))


def test_a_payment_the_fund_cannot_make_is_refused_with_every_reason() -> None:
    from datetime import date

    wrong = payment(scheme="NOPE", on=date(2026, 4, 30), amount=Decimal("1.005"))
    txs, problems = payment_transactions(agreement("pooled"), [payment(), wrong])
    assert txs == []
    assert [(p.path, p.value) for p in problems] == [
        ("payment contract:C-1:2025-Q1:ZZC01.scheme", "NOPE"),
        ("payment contract:C-1:2025-Q1:ZZC01.on", "2026-04-30"),
        ("payment contract:C-1:2025-Q1:ZZC01.amount", "1.005"),
    ]
    assert "1 April 2025 to 31 March 2026" in problems[1].rule
    txs, problems = payment_transactions(agreement("aligned"), [payment(payer="RZZ")])
    assert txs == []
    assert problems[0].value == "RZZ"
