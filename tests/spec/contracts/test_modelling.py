"""Modelling a contract under scenarios: payments, exposure and who bears the risk, worked by
hand in each test's docstring; a scenarios file's every problem named at its place."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from onebudget.contracts.inputs import Inputs
from onebudget.contracts.load import read_contract
from onebudget.contracts.model import Contract
from onebudget.contracts.modelling import draw, model, percentile, spread_of
from onebudget.contracts.modelling_chart import as_data, chart, sheets, summary, words
from onebudget.contracts.modelling_load import (
    Distribution,
    Scenario,
    Scenarios,
    ScenariosError,
    Spread,
    load_scenarios,
    read_scenarios,
)
from onebudget.contracts.periods import Period
from onebudget.contracts.statement import PaymentError, statements

EXAMPLES = Path(str(resources.files("onebudget") / "definitions" / "contracts" / "examples"))
Q1 = Period(2025, 4, 1)


def contract(mechanism: dict[str, Any], providers: int = 1) -> Contract:
    return Contract.model_validate(
        {
            "id": "C-MODEL",
            "name": "A contract",
            "commissioners": [{"code": "QZZ", "name": "ICB"}],
            "providers": [{"code": f"ZZC0{n + 1}", "name": "Provider"} for n in range(providers)],
            "term": {"start": "2025-04-01", "end": "2026-03-31"},
            "annual_value": "0",
            "periods": "quarterly",
            "mechanism": mechanism,
        }
    )


CAPPED = {"kind": "activity", "lines": [{"line": "visits", "price": "50.00"}], "cap": "60000.00"}


def scenario(name: str, volume: int | None = None, cost: str | None = None) -> Scenario:
    volumes = {} if volume is None else {"visits": Decimal(volume)}
    costs = {} if cost is None else {"C-MODEL": Decimal(cost)}
    return Scenario(name, Inputs(volume=volumes, actual_cost=costs))


LOW_CENTRAL_HIGH = Scenarios(
    (
        scenario("low", 800, "40000.00"),
        scenario("central", 1000, "50000.00"),
        scenario("high", 1400, "70000.00"),
    )
)


def test_an_activity_contract_with_a_cap_under_low_central_and_high_volume() -> None:
    """£50.00 a visit, the quarter capped at £60,000.00; the cost of delivery is the price.
    Low, 800 visits: 800 × 50 = £40,000.00. Central, 1,000: £50,000.00. High, 1,400:
    £70,000.00, capped at £60,000.00. The commissioners pay at most £60,000.00 (high), at
    least £40,000.00 (low), a range of £20,000.00. From low to high the cost rises £30,000.00
    (£40,000.00 to £70,000.00) and the outlay £20,000.00: the commissioners bear 20/30 =
    66.67% of the swing, the provider the £10,000.00 above the cap, 33.33%."""
    found = model(contract(CAPPED), Q1, LOW_CENTRAL_HIGH)
    assert [(p.scenario, p.payments, p.outlay) for p in found.scenarios] == [
        ("low", (Decimal("40000.00"),), Decimal("40000.00")),
        ("central", (Decimal("50000.00"),), Decimal("50000.00")),
        ("high", (Decimal("60000.00"),), Decimal("60000.00")),
    ]
    e = found.exposure
    assert (e.most, e.most_in, e.least, e.least_in) == (
        Decimal("60000.00"),
        "high",
        Decimal("40000.00"),
        "low",
    )
    assert e.range == Decimal("20000.00")
    r = found.risk
    assert (r.low, r.high, r.cost_swing, r.outlay_swing) == (
        "low",
        "high",
        Decimal("30000.00"),
        Decimal("20000.00"),
    )
    assert (r.commissioners, r.providers, r.by_provider) == (
        Decimal("66.67"),
        Decimal("33.33"),
        (Decimal("33.33"),),
    )
    assert found.drawn is None


def test_below_the_cap_price_times_volume_puts_the_swing_on_the_commissioner() -> None:
    """Low and central only: the outlay rises £10,000.00 with the cost: 100% the
    commissioners', none the provider's."""
    found = model(contract(CAPPED), Q1, Scenarios(LOW_CENTRAL_HIGH.named[:2]))
    assert (found.risk.commissioners, found.risk.providers) == (Decimal("100.00"), Decimal(0))


def test_a_block_contract_puts_the_volume_risk_on_the_provider() -> None:
    """£120,000.00 a year: £30,000.00 a quarter whatever the volume. The cost swings
    £11,000.00 (£25,000.00 to £36,000.00), the outlay not at all: the provider bears 100%."""
    block = contract({"kind": "block", "annual": "120000.00"})
    scenarios = Scenarios(
        (
            scenario("low", 500, "25000.00"),
            scenario("central", 600, "30000.00"),
            scenario("high", 720, "36000.00"),
        )
    )
    found = model(block, Q1, scenarios)
    assert [p.outlay for p in found.scenarios] == [Decimal("30000.00")] * 3
    assert (found.exposure.most, found.exposure.range) == (Decimal("30000.00"), Decimal(0))
    assert (found.risk.cost_swing, found.risk.outlay_swing) == (Decimal("11000.00"), Decimal(0))
    assert (found.risk.commissioners, found.risk.providers) == (Decimal(0), Decimal(100))


def test_an_alliance_shares_the_swing_among_its_members() -> None:
    """The example alliance, Q1 budget £1,000,000.00. Low, cost £930,000.00: a gain of
    £70,000.00 at 50/30/20: £35,000.00, £21,000.00, £14,000.00 (none over its cap). High,
    £1,080,000.00: a loss of £80,000.00 at 40/35/25: −£32,000.00, −£28,000.00, −£20,000.00.
    The outlay is the cost plus the shares: £1,000,000.00 both times, so the commissioners
    bear none of the £150,000.00 swing. Each member bears the fall in its settlement:
    67,000/150,000 = 44.67%, 49,000/150,000 = 32.67%, 34,000/150,000 = 22.67%."""
    alliance = read_contract(EXAMPLES / "alliance.yaml")
    costs = {"low": "930000.00", "high": "1080000.00"}
    named = tuple(
        Scenario(n, Inputs(actual_cost={alliance.id: Decimal(c)})) for n, c in costs.items()
    )
    found = model(alliance, Q1, Scenarios(named))
    assert [p.payments for p in found.scenarios] == [
        (Decimal("35000.00"), Decimal("21000.00"), Decimal("14000.00")),
        (Decimal("-32000.00"), Decimal("-28000.00"), Decimal("-20000.00")),
    ]
    assert [p.outlay for p in found.scenarios] == [Decimal("1000000.00")] * 2
    assert found.risk.commissioners == Decimal(0)
    assert found.risk.by_provider == (Decimal("44.67"), Decimal("32.67"), Decimal("22.67"))


def test_who_bears_the_risk_is_not_given_without_a_cost_in_every_scenario() -> None:
    no_cost = Scenarios((scenario("low", 800), scenario("high", 1400, "70000.00")))
    found = model(contract(CAPPED), Q1, no_cost)
    assert found.risk.commissioners is None
    assert found.risk.note.startswith("not given")
    same = Scenarios((scenario("low", 800, "1.00"), scenario("high", 1400, "1.00")))
    assert model(contract(CAPPED), Q1, same).risk.note == (
        "not given: the cost is the same in every scenario"
    )
    assert "not given" in words(found)[-1]


def test_a_prime_contracts_providers_parts_are_not_given() -> None:
    prime = read_contract(EXAMPLES / "prime_provider.yaml")
    named = tuple(
        Scenario(n, Inputs(actual_cost={prime.id: Decimal(c)}))
        for n, c in (("low", "240000.00"), ("high", "265000.00"))
    )
    found = model(prime, Q1, Scenarios(named))
    assert found.risk.providers == Decimal(100)
    assert found.risk.by_provider == (None, None, None)
    assert "not split" in found.risk.note


def test_percentiles_are_by_nearest_rank_on_the_exact_amounts() -> None:
    """Of ten amounts £1.01 to £10.01, the 10th percentile is the ⌈0.1 × 10⌉ = 1st, the
    50th the 5th and the 90th the 9th; of three, the 10th is the 1st, the 50th the 2nd
    (⌈1.5⌉) and the 90th the 3rd (⌈2.7⌉)."""
    ten = [Decimal(n) + Decimal("0.01") for n in range(10, 0, -1)]
    found = spread_of(ten)
    assert (found.least, found.p10, found.p50, found.p90, found.most) == tuple(
        Decimal(v) for v in ("1.01", "1.01", "5.01", "9.01", "10.01")
    )
    three = sorted(Decimal(v) for v in ("3.00", "1.00", "2.00"))
    assert [percentile(three, p) for p in (10, 50, 90)] == [Decimal(1), Decimal(2), Decimal(3)]


def test_a_distribution_draws_whole_volumes_and_pence_within_their_ranges() -> None:
    spreads = (
        Spread("volume", "visits", "triangular", Decimal(800), Decimal(1400), Decimal(1000)),
        Spread("actual_cost", "C-MODEL", "uniform", Decimal("40000.00"), Decimal("70000.00")),
    )
    distribution = Distribution("central", 200, 7, spreads)
    runs = draw(distribution)
    assert runs == draw(distribution)
    volumes = [r["volume"]["visits"] for r in runs]
    costs = [r["actual_cost"]["C-MODEL"] for r in runs]
    assert all(v == v.to_integral_value() and 800 <= v <= 1400 for v in volumes)
    assert all(c == c.quantize(Decimal("0.01")) and 40000 <= c <= 70000 for c in costs)
    assert len(set(volumes)) > 50
    found = model(contract(CAPPED), Q1, Scenarios(LOW_CENTRAL_HIGH.named, distribution))
    assert found.drawn is not None
    assert len(found.drawn.runs) == 200
    for run, figures in zip(found.drawn.runs, runs, strict=True):
        paid = min(figures["volume"]["visits"] * 50, Decimal(60000))
        assert run.payments == (paid,)
    assert found.exposure.most == Decimal("60000.00")


def test_the_example_scenarios_model_every_example_contract() -> None:
    scenarios = read_scenarios(EXAMPLES / "scenarios-2025-Q1.yaml")
    assert [s.name for s in scenarios.named] == ["low", "central", "high"]
    assert scenarios.distribution is not None
    small = Scenarios(
        scenarios.named, Distribution("central", 20, 1, scenarios.distribution.spreads)
    )
    for name in ("activity", "aligned_payment", "capitation", "outcome_based", "alliance"):
        found = model(read_contract(EXAMPLES / f"{name}.yaml"), Q1, small)
        assert found.risk.commissioners is not None, name
    block = model(read_contract(EXAMPLES / "block.yaml"), Period(2025, 12, 1), small)
    assert block.risk.providers == Decimal(100)


def test_every_scenario_that_cannot_be_paid_is_named_at_its_place() -> None:
    """Low lacks its volume; high's is there; central lacks it too: both named, by
    scenario, at their place in the scenarios file."""
    scenarios = Scenarios((scenario("low"), scenario("high", 10), scenario("central")))
    with pytest.raises(PaymentError) as raised:
        model(contract(CAPPED), Q1, scenarios)
    assert [p.path for p in raised.value.problems] == [
        "scenarios.low.volume.visits",
        "scenarios.central.volume.visits",
    ]


def test_drawn_runs_that_cannot_be_paid_name_the_first_and_count_them() -> None:
    spreads = (Spread("volume", "other", "uniform", Decimal(1), Decimal(9)),)
    scenarios = Scenarios((scenario("central"),), Distribution("central", 5, 1, spreads))
    with pytest.raises(PaymentError) as raised:
        model(contract(CAPPED), Q1, scenarios)
    assert [str(p) for p in raised.value.problems][-2:] == [
        "distribution.run-1.volume.visits: the period's volume (units of activity) for visits "
        "is needed by mechanism.lines.0",
        "distribution: 5 of 5 drawn runs cannot be paid; the first is named",
    ]


def test_a_period_the_contract_does_not_pay_is_named_once() -> None:
    with pytest.raises(PaymentError) as raised:
        model(contract(CAPPED), Period(2025, 12, 1), LOW_CENTRAL_HIGH)
    assert [p.path for p in raised.value.problems] == ["period"]


BAD = """\
scenarios:
  low:
    volume: {visits: -5, other: 1.1234567}
    actual_cost: {C-MODEL: 12.345}
  "bad name!": {}
  central:
    volumes: {a: 1}
    value: 3
distribution:
  base: middle
  runs: 0
  seed: -1
  colour: blue
  figures:
    volume:
      visits: {triangular: [900, 800, 1000]}
      other: {normal: [1, 2]}
      x: {uniform: [1]}
      y: {uniform: [a, 2]}
"""


def test_a_bad_scenarios_file_names_every_problem_with_its_line() -> None:
    with pytest.raises(ScenariosError) as raised:
        load_scenarios(BAD, source="bad.yaml")
    found = [(p.path, p.line, p.rule) for p in raised.value.problems]
    expected = [
        ("scenarios.low.volume.visits", 3, "a number from 0"),
        ("scenarios.low.volume.other", 3, "at most six decimal places"),
        ("scenarios.low.actual_cost.C-MODEL", 4, "whole pence"),
        ("scenarios.bad name!", 5, "a scenario's name"),
        ("scenarios.central.volumes", 7, "an input is one of volume"),
        ("scenarios.central.value", 8, "each input is a mapping"),
        ("distribution.colour", 13, "one of base, runs, seed and figures"),
        ("distribution.base", 10, "one of low, central"),
        ("distribution.runs", 11, "a whole number from 1 to 100,000"),
        ("distribution.seed", 12, "a whole number from 0"),
        ("distribution.figures.volume.visits.triangular", 16, "in order"),
        ("distribution.figures.volume.other", 17, "one of triangular"),
        ("distribution.figures.volume.x.uniform", 18, "uniform: [low, high]"),
        ("distribution.figures.volume.y.uniform.0", 19, "a number from 0"),
    ]
    assert len(found) == len(expected), found
    for (path, line, rule), (want_path, want_line, want_rule) in zip(found, expected, strict=True):
        assert (path, line) == (want_path, want_line)
        assert want_rule in rule


@pytest.mark.parametrize(
    ("text", "path", "rule"),
    [
        ("[1, 2]", "(file)", "a mapping with scenarios"),
        ("scenarios: {}\n", "scenarios", "a mapping of scenario name"),
        ("scenarios: {low: 3}\n", "scenarios.low", "a mapping of input to line"),
        ("scenarios: {low: {}}\ndistribution: 5\n", "distribution", "a mapping with base"),
        ("scenarios: {low: {}}\ndistribution: {runs: 5, seed: 1}\n", "distribution.figures", ""),
        ("scenarios: {low: {}}\nextra: 1\n", "extra", "a mapping with scenarios"),
        ("scenarios: [\n", "scenarios", "not YAML"),
    ],
)
def test_a_file_of_the_wrong_shape_is_named_not_a_traceback(
    text: str, path: str, rule: str
) -> None:
    with pytest.raises(ScenariosError) as raised:
        load_scenarios(text)
    assert raised.value.problems[0].path == path
    assert rule in raised.value.problems[0].rule


def test_a_distributions_base_is_central_by_default_else_the_first() -> None:
    ranges = "figures: {volume: {visits: {uniform: [1, 2]}}}"
    text = (
        f"scenarios: {{low: {{}}, central: {{}}}}\ndistribution: {{runs: 3, seed: 0, {ranges}}}\n"
    )
    found = load_scenarios(text).distribution
    assert found is not None
    assert found.base == "central"
    found = load_scenarios(text.replace("central", "high")).distribution
    assert found is not None
    assert found.base == "low"


def test_the_model_as_data_sheets_and_a_chart() -> None:
    distribution = Distribution(
        "central", 50, 3, (Spread("volume", "visits", "uniform", Decimal(800), Decimal(1400)),)
    )
    found = model(contract(CAPPED), Q1, Scenarios(LOW_CENTRAL_HIGH.named, distribution))
    data = as_data(found)
    assert data["scenarios"][2] == {
        "name": "high",
        "cost": "70000.00",
        "payments": {"ZZC01": "60000.00"},
        "commissioners": "60000.00",
    }
    assert data["risk"]["commissioners_percent"] == "66.67"
    assert data["distribution"]["percentiles"] == "nearest rank"
    assert set(data["distribution"]["statistics"]) == {"least", "p10", "p50", "p90", "most"}
    assert list(sheets(found)) == ["Scenarios", "Exposure and risk", "Distribution", "Runs"]
    spec = chart(found).to_dict()
    assert len(spec["vconcat"]) == 2
    assert "the commissioners pay low £40,000; central £50,000; high £60,000" in summary(found)


def test_the_statements_are_the_engines_own() -> None:
    """Each scenario's payment is the statement's total, not a copy of its rules."""
    found = model(contract(CAPPED), Q1, LOW_CENTRAL_HIGH)
    for paid, named in zip(found.scenarios, LOW_CENTRAL_HIGH.named, strict=True):
        assert paid.payments == tuple(
            s.total for s in statements(contract(CAPPED), Q1, named.inputs)
        )
