"""Worked examples of each payment mechanism, worked by hand in each test's docstring.

The contracts are the shipped examples (``definitions/contracts/examples``), so a change to
an example that changes a payment fails here.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from onebudget.contracts.inputs import Inputs
from onebudget.contracts.load import load_contract
from onebudget.contracts.model import Contract
from onebudget.contracts.periods import Period, parse_period, year_of_periods
from onebudget.contracts.statement import PaymentError, Statement, pay
from onebudget.io import yamlio

EXAMPLES = resources.files("onebudget") / "definitions" / "contracts" / "examples"


def example(name: str, **mechanism: Any) -> Contract:
    """A shipped example, its mechanism changed by ``mechanism`` where given."""
    data = yamlio.load(EXAMPLES.joinpath(f"{name}.yaml").read_text(encoding="utf-8"))
    data["mechanism"] |= mechanism
    return load_contract(yamlio.dump(data), source=f"{name}.yaml")


def period_of(text: str) -> Period:
    found = parse_period(text)
    assert found is not None
    return found


def amounts(statement: Statement) -> list[Decimal]:
    assert statement.total == sum(s.amount for s in statement.steps)
    return [s.amount for s in statement.steps]


def test_a_block_year_of_months_adds_up_to_the_penny() -> None:
    """£100,000.00 over 12 months is 10,000,000p / 12 = 833,333p each with 4p left over;
    the odd pence go one each to the earliest months: April to July £8,333.34, August to
    March £8,333.33; 4 × 8,333.34 + 8 × 8,333.33 = 33,333.36 + 66,666.64 = £100,000.00."""
    contract = example("block")
    paid = [pay(contract, p, Inputs()).total for p in year_of_periods(2025, "monthly")]
    assert paid == [Decimal("8333.34")] * 4 + [Decimal("8333.33")] * 8
    assert sum(paid) == Decimal("100000.00")
    assert pay(contract, period_of("2026-03"), Inputs()).total == Decimal("8333.33")


ACTIVITY = Inputs(volume={"home-care-hours": Decimal(1200), "night-visits": Decimal(300)})


def test_activity_in_two_bands_with_a_cap_that_binds() -> None:
    """Home care hours: £100.00 an hour up to 1,000 hours, £80.00 above. 1,200 hours:
    1,000 × £100.00 = £100,000.00 and 200 × £80.00 = £16,000.00. Night visits: 300 × £45.50
    = £13,650.00. Before the cap: 100,000 + 16,000 + 13,650 = £129,650.00; the cap is
    £110,000.00, so the cap step is 110,000 − 129,650 = −£19,650.00; the floor (£20,000.00)
    does not bind: £0.00. Total £110,000.00."""
    statement = pay(example("activity"), period_of("2025-Q1"), ACTIVITY)
    assert amounts(statement) == [
        Decimal("100000.00"),
        Decimal("16000.00"),
        Decimal("13650.00"),
        Decimal("-19650.00"),
        Decimal("0.00"),
    ]
    assert statement.total == Decimal("110000.00")
    assert [s.what for s in statement.steps][:2] == [
        "home-care-hours: units up to 1,000",
        "home-care-hours: units above 1,000",
    ]


def test_activity_raised_to_its_floor() -> None:
    """150 hours and 10.5 night visits: 150 × £100.00 = £15,000.00; 10.5 × £45.50 =
    £477.75; £15,477.75 is under the floor of £20,000.00, so the floor step is
    20,000 − 15,477.75 = £4,522.25 and the quarter pays £20,000.00."""
    given = Inputs(volume={"home-care-hours": Decimal(150), "night-visits": Decimal("10.5")})
    statement = pay(example("activity"), period_of("2025-Q2"), given)
    assert amounts(statement) == [
        Decimal("15000.00"),
        Decimal("477.75"),
        Decimal("0.00"),
        Decimal("4522.25"),
    ]
    assert statement.total == Decimal("20000.00")


def test_three_bands_round_each_band_half_up_once() -> None:
    """£1.005 cannot be a price, so the halves come from volume: 0.5 units at £0.01 is
    0.005 → £0.01 (half up). Bands: £0.01 up to 10, £0.03 above 10 to 20, £0.05 above 20.
    25.5 units: 10 × 0.01 = £0.10; 10 × 0.03 = £0.30; 5.5 × 0.05 = 0.275 → £0.28.
    Total £0.68."""
    line = {
        "line": "visits",
        "price": "0.01",
        "bands": [{"above": 10, "price": "0.03"}, {"above": 20, "price": "0.05"}],
    }
    contract = example("activity", lines=[line], cap=None, floor=None)
    given = Inputs(volume={"visits": Decimal("25.5")})
    statement = pay(contract, period_of("2025-Q3"), given)
    assert amounts(statement) == [Decimal("0.10"), Decimal("0.30"), Decimal("0.28")]


def test_capitation_with_two_weighted_segments() -> None:
    """£80.00 a head a year. 65 and over, weight 2.5: 20,000 × 80 × 2.5 = £4,000,000.00 a
    year, a quarter £1,000,000.00. Under 65, weight 1: 60,000 × 80 = £4,800,000.00 a year,
    a quarter £1,200,000.00. Q1 total £2,200,000.00."""
    given = Inputs(population={"65-plus": Decimal(20000), "under-65": Decimal(60000)})
    statement = pay(example("capitation"), period_of("2025-Q1"), given)
    assert amounts(statement) == [Decimal("1000000.00"), Decimal("1200000.00")]
    assert statement.steps[0].inputs["a year"] == "£4,000,000.00"


def test_capitation_quarters_share_the_odd_pence() -> None:
    """3 heads at £0.11 a year, weight 1: £0.33 a year = 33p; 33 / 4 = 8p each and 1p left,
    which goes to the first quarter: 9p, 8p, 8p, 8p, adding up to 33p."""
    contract = example("capitation", rate="0.11", segments=[{"segment": "all"}])
    given = Inputs(population={"all": Decimal(3)})
    paid = [pay(contract, p, given).total for p in year_of_periods(2025, "quarterly")]
    assert paid == [Decimal("0.09"), Decimal("0.08"), Decimal("0.08"), Decimal("0.08")]


def test_aligned_payment_above_and_below_baseline() -> None:
    """Fixed element £48,000,000.00 a year: £12,000,000.00 a quarter. Elective, given as
    value: £2,600,000.00 against a quarter's baseline of £10,000,000.00 / 4 =
    £2,500,000.00: above by £100,000.00, paid at 50%: +£50,000.00. First outpatients,
    given as volume: 2,800 × £160.00 = £448,000.00 against £2,000,000.00 / 4 = £500,000.00:
    below by £52,000.00, taken back at 50%: −£26,000.00. Total 12,000,000 + 50,000 −
    26,000 = £12,024,000.00."""
    given = Inputs(
        volume={"first-outpatient": Decimal(2800)}, value={"elective": Decimal("2600000.00")}
    )
    statement = pay(example("aligned_payment"), period_of("2025-Q1"), given)
    assert amounts(statement) == [
        Decimal("12000000.00"),
        Decimal("50000.00"),
        Decimal("-26000.00"),
    ]
    assert statement.total == Decimal("12024000.00")
    assert statement.steps[2].what == "first-outpatient: variable element, below baseline"


def test_aligned_payment_with_its_own_share_below() -> None:
    """Elective £2,400,000.00 against £2,500,000.00: below by £100,000.00; share 50% above
    but 25% below: −£25,000.00."""
    variable = [{"line": "elective", "baseline": "10000000.00", "share": 50, "share_below": 25}]
    contract = example("aligned_payment", variable=variable)
    given = Inputs(value={"elective": Decimal("2400000.00")})
    statement = pay(contract, period_of("2025-Q1"), given)
    assert amounts(statement) == [Decimal("12000000.00"), Decimal("-25000.00")]


def test_every_missing_figure_is_named() -> None:
    """No KeyError: each figure the mechanism needs and the inputs lack is a problem."""
    with pytest.raises(PaymentError) as caught:
        pay(example("aligned_payment"), period_of("2025-Q1"), Inputs())
    paths = [p.path for p in caught.value.problems]
    assert paths == ["inputs.value.elective", "inputs.volume.first-outpatient"]
    assert "mechanism.variable.1" in caught.value.problems[1].rule


@pytest.mark.parametrize(
    ("period", "rule"),
    [("2025-04", "pays quarterly"), ("2026-Q1", "within the contract's term")],
)
def test_a_period_the_contract_does_not_pay_is_named(period: str, rule: str) -> None:
    with pytest.raises(PaymentError) as caught:
        pay(example("activity"), period_of(period), ACTIVITY)
    (problem,) = caught.value.problems
    assert (problem.path, problem.value) == ("period", period)
    assert rule in problem.rule
