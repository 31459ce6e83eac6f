"""The outcome-based, alliance and prime-provider contracts as files, through ``load_contract``
and ``pay``: worked by hand in each test's docstring. The contracts are the shipped examples
(``definitions/contracts/examples``), their results the example inputs file."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from onebudget.contracts.inputs import Inputs, read_inputs
from onebudget.contracts.load import ContractError, load_contract
from onebudget.contracts.model import Contract
from onebudget.contracts.periods import Period
from onebudget.contracts.statement import PaymentError, Statement, pay, statements
from onebudget.io import yamlio

EXAMPLES = resources.files("onebudget") / "definitions" / "contracts" / "examples"
Q1 = Period(2025, 4, 1)
INPUTS = read_inputs(Path(str(EXAMPLES.joinpath("inputs-outcomes-2025-Q1.csv"))), Q1)


def data(name: str) -> dict[str, Any]:
    return yamlio.load(EXAMPLES.joinpath(f"{name}.yaml").read_text(encoding="utf-8"))


def example(name: str, **mechanism: Any) -> Contract:
    found = data(name)
    found["mechanism"] |= mechanism
    return load_contract(yamlio.dump(found), source=f"{name}.yaml")


def amounts(statement: Statement) -> list[Decimal]:
    assert statement.total == sum(s.amount for s in statement.steps)
    return [s.amount for s in statement.steps]


def test_an_outcome_contract_shares_a_saving_over_its_minimum_savings_rate() -> None:
    """£400,000.00 a year, quarterly: Q1's value £100,000.00; 20% at risk, £20,000.00, so
    £80,000.00 guaranteed. Two indicators of weight 1: a pot of £10,000.00 each.
    Emergency admissions 65+: baseline 2,000, target 1,800 (lower is better), result 1,900:
    100 of the 200, half the pot, £5,000.00. Falls 65+: stepped, 2,000 pays 50% and 1,900
    100%; result 1,950 (interval 1,910 to 1,990, wholly below the baseline 2,100, so
    significant) reaches 2,000 only: £5,000.00. Saving: baseline cost £500,000.00, actual
    £470,000.00, saving £30,000.00; the minimum savings rate 2% is £10,000.00, met, so 50% of
    the whole saving: £15,000.00. Outcomes £25,000.00, under the £40,000.00 cap; total
    80,000 + 5,000 + 5,000 + 15,000 = £105,000.00."""
    statement = pay(example("outcome_based"), Q1, INPUTS)
    assert statement.provider.code == "ZZF01"
    assert amounts(statement) == [
        Decimal("80000.00"),
        Decimal("5000.00"),
        Decimal("5000.00"),
        Decimal("15000.00"),
    ]
    assert statement.total == Decimal("105000.00")


def test_a_saving_below_the_minimum_rate_and_an_interval_over_the_baseline_pay_nothing() -> None:
    """Actual cost £491,000.00: saving £9,000.00, under the £10,000.00 rate, so nothing.
    Falls 65+ at 1,950 but its interval 1,900 to 2,150 crosses the baseline 2,100: not
    significant, nothing. Emergency admissions still earn £5,000.00: 80,000 + 5,000."""
    inputs = Inputs(
        result={"emergency-admissions-65-plus": Decimal(1900), "falls-65-plus": Decimal(1950)},
        lower={"falls-65-plus": Decimal(1900)},
        upper={"falls-65-plus": Decimal(2150)},
        actual_cost={"C-FERN-2025-OUTCOME": Decimal("491000.00")},
    )
    statement = pay(example("outcome_based"), Q1, inputs)
    assert amounts(statement)[2:] == [Decimal(0), Decimal(0)]
    assert statement.total == Decimal("85000.00")


def test_an_alliance_caps_a_member_and_the_commissioner_keeps_the_excess() -> None:
    """Budget £4,000,000.00 a year: Q1 £1,000,000.00; actual cost £899,999.99, a gain of
    £100,000.01. Shares 50/30/20: 50,000.005, 30,000.003, 20,000.002; floors 50,000.00,
    30,000.00, 20,000.00 leave 1p for the largest remainder (ZZA01's 0.5p): ZZA01
    £50,000.01, over its £40,000.00 cap, so £40,000.00, and the commissioner keeps
    £10,000.01. Each member's statement starts from the gain and takes off the others' and
    the commissioner's parts: ZZA01 100,000.01 - 30,000.00 - 20,000.00 - 10,000.01 =
    £40,000.00; ZZA02 £30,000.00; ZZA03 £20,000.00."""
    found = statements(example("alliance"), Q1, INPUTS)
    assert [s.provider.code for s in found] == ["ZZA01", "ZZA02", "ZZA03"]
    assert amounts(found[0]) == [
        Decimal("100000.01"),
        Decimal("-30000.00"),
        Decimal("-20000.00"),
        Decimal("-10000.01"),
    ]
    assert found[0].steps[-1].what == "less the commissioner's part"
    assert found[0].steps[1].what == "less member Fernmouth Community Health (ZZA02)'s share"
    assert [s.total for s in found] == [Decimal("40000.00"), Decimal("30000.00"), Decimal(20000)]
    assert pay(example("alliance"), Q1, INPUTS, provider="ZZA02") == found[1]


def test_an_alliance_redistributes_a_capped_members_excess_in_a_loss() -> None:
    """Actual cost £1,100,000.00: a loss of £100,000.00. Pain shares 40/35/25: ZZA01
    £40,000.00, at its £40,000.00 cap exactly, so not over it; ZZA02 £35,000.00, ZZA03
    £25,000.00; nothing for the commissioner. With ``max_loss: 30000``, ZZA01 bears
    £30,000.00 and its £10,000.00 excess goes 35:25 to the others: 5,833.333 and 4,166.667,
    so £5,833.33 and £4,166.67: ZZA02 £40,833.33, ZZA03 £29,166.67."""
    inputs = Inputs(actual_cost={"C-FERN-2025-ALLIANCE": Decimal("1100000.00")})
    found = statements(example("alliance"), Q1, inputs)
    assert [s.total for s in found] == [Decimal(-40000), Decimal(-35000), Decimal(-25000)]
    members = data("alliance")["mechanism"]["members"]
    members[0]["max_loss"] = 30000
    capped = example("alliance", excess="redistribute", members=members)
    found = statements(capped, Q1, inputs)
    assert [s.total for s in found] == [
        Decimal("-30000.00"),
        Decimal("-40833.33"),
        Decimal("-29166.67"),
    ]
    assert sum(s.total for s in found) == Decimal("-100000.00")


def test_a_prime_pays_two_subcontractors_and_the_flows_balance_to_the_penny() -> None:
    """The prime's block, £1,000,000.03 a year: 250,000.0075 a quarter, the 3 odd pence to
    the first three quarters, so Q1 £250,000.01. ZZS01: a fixed £60,000.10 with the
    contract's 5% fee: 3,000.005 and 57,000.095, floors 3,000.00 and 57,000.09 leave 1p to
    the tied remainders' first, the fee: £3,000.01 kept, £57,000.09 paid on. ZZS02: 12.5% of
    the prime's payment, 31,250.00125 (floors 31,250.00 and 218,750.00; the 1p to the 87.5%
    rest), so £31,250.00, with its own 2.5% fee: £781.25 kept, £30,468.75 paid on. The prime
    keeps 250,000.01 - 57,000.09 - 30,468.75 = £162,531.17; 162,531.17 + 57,000.09 +
    30,468.75 = 250,000.01, what the commissioner paid."""
    found = statements(example("prime_provider"), Q1, Inputs())
    prime, first, second = found
    assert amounts(prime) == [
        Decimal("250000.01"),
        Decimal("-60000.10"),
        Decimal("3000.01"),
        Decimal("-31250.00"),
        Decimal("781.25"),
    ]
    assert prime.steps[0].what == "received: Block payment"
    assert [s.what for s in prime.steps[1:3]] == [
        "subcontract Fernmouth Mind (ZZS01)",
        "management fee on Fernmouth Mind (ZZS01)",
    ]
    assert first.steps[0].what == "subcontract from Fernmouth Community Health (ZZP01)"
    assert amounts(first) == [Decimal("60000.10"), Decimal("-3000.01")]
    assert amounts(second) == [Decimal("31250.00"), Decimal("-781.25")]
    assert [s.total for s in found] == [
        Decimal("162531.17"),
        Decimal("57000.09"),
        Decimal("30468.75"),
    ]
    assert sum(s.total for s in found) == Decimal("250000.01")


def test_a_subcontract_with_its_own_mechanism_is_paid_by_it() -> None:
    """ZZS01 paid by activity instead: 300 night visits × £45.50 = £13,650.00, the prime's 5%
    fee £682.50, so £12,967.50 paid on; the statement shows the activity step, then the fee."""
    subs = data("prime_provider")["mechanism"]["subcontracts"]
    subs[0] = {
        "provider": "ZZS01",
        "mechanism": {"kind": "activity", "lines": [{"line": "night-visits", "price": 45.50}]},
    }
    contract = example("prime_provider", subcontracts=subs)
    with pytest.raises(PaymentError) as caught:
        statements(contract, Q1, Inputs())
    assert [(p.path, p.rule.rsplit(" ", 1)[-1]) for p in caught.value.problems] == [
        ("inputs.volume.night-visits", "mechanism.subcontracts.0.mechanism.lines.0")
    ]
    found = statements(contract, Q1, Inputs(volume={"night-visits": Decimal(300)}))
    assert amounts(found[1]) == [Decimal("13650.00"), Decimal("-682.50")]
    assert found[1].steps[0].what == "night-visits: every unit"
    assert sum(s.total for s in found) == Decimal("250000.01")


def with_changes(name: str, change: Any) -> str:
    found = data(name)
    change(found)
    return yamlio.dump(found)


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ContractError) as caught:
        load_contract(text)
    return [(p.path, p.rule) for p in caught.value.problems]


def test_a_member_who_is_not_a_provider_is_named() -> None:
    def change(found: dict[str, Any]) -> None:
        found["mechanism"]["members"][2]["provider"] = "ZZX99"

    found = problems_of(with_changes("alliance", change))
    assert (
        "mechanism.members.2.provider",
        "a provider of the contract: one of ZZA01, ZZA02, ZZA03",
    ) in found
    assert (
        "providers.2.code",
        "a member of the alliance: each provider shares its gain and pain",
    ) in found


def test_an_unknown_indicator_id_is_named_at_its_place() -> None:
    def change(found: dict[str, Any]) -> None:
        found["mechanism"]["indicators"][1]["indicator"] = "falls-65-plus-typo"

    found = problems_of(with_changes("outcome_based", change))
    assert found == [
        (
            "mechanism.indicators.1.indicator",
            "an indicator id of the outcomes engine, e.g. falls-65-plus",
        )
    ]


def test_a_prime_mechanism_is_one_of_the_one_provider_kinds_named_at_its_place() -> None:
    def nested_alliance(found: dict[str, Any]) -> None:
        found["mechanism"]["prime_mechanism"] = {"kind": "alliance", "budget": 1}

    def bad_block(found: dict[str, Any]) -> None:
        found["mechanism"]["prime_mechanism"]["annual"] = "1.001"
        found["mechanism"]["subcontracts"][1]["fixed"] = 10
        found["mechanism"]["subcontracts"][0]["provider"] = "ZZP01"

    (path, rule), *rest = problems_of(with_changes("prime_provider", nested_alliance))
    assert (path, rest) == ("mechanism.prime_mechanism", [])
    assert "'block', 'activity', 'capitation', 'aligned_payment'" in rule
    found = problems_of(with_changes("prime_provider", bad_block))
    assert [path for path, _ in found] == [
        "mechanism.prime_mechanism.annual",
    ]

    def bad_subcontracts(found: dict[str, Any]) -> None:
        bad_block(found)
        found["mechanism"]["prime_mechanism"]["annual"] = 1

    found = problems_of(with_changes("prime_provider", bad_subcontracts))
    assert [path for path, _ in found] == [
        "mechanism.subcontracts.0.provider",
        "mechanism.subcontracts.1",
        "providers.1.code",
    ]


def test_subcontract_shares_over_the_whole_are_named_when_the_file_is_checked() -> None:
    """50% to ZZS01 and 62.5% to ZZS02 would pay on 112.5% of what the prime receives: named
    by ``contract check``, not only when a period is paid."""

    def over(found: dict[str, Any]) -> None:
        found["mechanism"]["subcontracts"][0] = {"provider": "ZZS01", "share_percent": 50}
        found["mechanism"]["subcontracts"][1]["share_percent"] = "62.5"

    assert problems_of(with_changes("prime_provider", over)) == [
        ("mechanism.subcontracts", "shares of the prime's payment adding up to 100 or less")
    ]


def test_the_engines_problems_are_named_at_their_place() -> None:
    """A target no better than its baseline is refused on load; a significant indicator
    without its interval, when paid."""

    def flat(found: dict[str, Any]) -> None:
        found["mechanism"]["indicators"][0]["target"] = 2000

    assert ("mechanism.indicators.0.target", "better than the baseline (lower is better)") in (
        problems_of(with_changes("outcome_based", flat))
    )
    inputs = Inputs(
        result={"emergency-admissions-65-plus": Decimal(1900), "falls-65-plus": Decimal(1950)},
        actual_cost={"C-FERN-2025-OUTCOME": Decimal("470000.00")},
    )
    with pytest.raises(PaymentError) as caught:
        pay(example("outcome_based"), Q1, inputs)
    assert [p.path for p in caught.value.problems] == ["inputs.result.falls-65-plus"]
    assert "95% interval" in caught.value.problems[0].rule
