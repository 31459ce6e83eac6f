"""Spec: outcome-based payments, worked by hand in each docstring."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onebudget.contracts.outcome_payment import (
    Indicator,
    Linear,
    Measured,
    OutcomePayment,
    OutcomeTerms,
    PerUnit,
    SharedSaving,
    Stepped,
    Threshold,
    pay,
)

D = Decimal


def paid(
    terms: OutcomeTerms, results: dict[str, Measured], cost: str | None = None
) -> OutcomePayment:
    payment, problems = pay(terms, results, None if cost is None else D(cost))
    assert problems == []
    assert payment is not None
    assert payment.total == sum(step.amount for step in payment.steps)
    return payment


def saving_terms(basis: str = "whole saving") -> OutcomeTerms:
    saving = SharedSaving(D("2000000.00"), D(50), D(2), basis)  # type: ignore[arg-type]
    return OutcomeTerms(value=D("0.00"), at_risk_percent=D(0), saving=saving)


def test_a_saving_below_the_minimum_savings_rate_pays_nothing() -> None:
    """Baseline cost £2,000,000 and a 2% minimum savings rate: £40,000. Actual £1,970,000
    saves £30,000, below the rate, so nothing is shared (MSSP: no savings below the MSR)."""
    payment = paid(saving_terms(), {}, "1970000.00")
    assert payment.total == D("0.00")
    assert payment.steps[-1].rule.startswith("nothing: the saving is below the minimum")


def test_a_saving_above_the_rate_shares_the_whole_saving() -> None:
    """Actual £1,950,000 saves £50,000, over the £40,000 rate, so the provider has 50% of the
    whole £50,000 (MSSP's "first dollar" sharing once the rate is met): £25,000."""
    payment = paid(saving_terms(), {}, "1950000.00")
    assert payment.total == D("25000.00")
    assert payment.lines[0].paid == D("25000.00")


def test_a_saving_exactly_at_the_rate_is_shared() -> None:
    """£40,000 saved is "at least" 2% of £2,000,000: 50% of it, £20,000."""
    assert paid(saving_terms(), {}, "1960000.00").total == D("20000.00")


def test_the_option_to_share_only_the_saving_above_the_rate() -> None:
    """The same £50,000 saving, sharing only what is above the £40,000 rate: 50% of £10,000,
    £5,000. A cost above the baseline (a loss) shares nothing: no loss is shared."""
    assert paid(saving_terms("above the rate"), {}, "1950000.00").total == D("5000.00")
    assert paid(saving_terms("above the rate"), {}, "2100000.00").total == D("0.00")


def linear_terms() -> OutcomeTerms:
    stretchy = Indicator("reablement", D(3), D(60), D(70), stretch=D(75), gradient=Linear(D(40)))
    lower = Indicator("falls", D(1), D(20), D(15), polarity="lower is better")
    return OutcomeTerms(D("1000000.00"), D(10), (stretchy, lower), cap=D("100000.00"))


def test_linear_gradients_with_a_stretch_and_a_cap_that_binds() -> None:
    """£1,000,000 with 10% at risk: £900,000 guaranteed, £100,000 at risk, split 3:1 by
    weight into pots of £75,000 and £25,000.

    Reablement (higher is better) 60 -> 70, stretch 75 paying 40% more: 74 reaches the
    target (£75,000) and 4/5 of the way to the stretch (4/5 x 40% x £75,000 = £24,000):
    £99,000. Falls (lower is better) 20 -> 15: 17 is 3/5 of the way, 3/5 x £25,000 =
    £15,000. Earned £114,000 against the £100,000 cap: £14,000 is taken off in proportion
    to 99,000 : 15,000, i.e. 1,215,789.47p and 184,210.53p, the odd penny to the larger
    remainder (falls): £12,157.89 and £1,842.11. Paid £86,842.11 and £13,157.89."""
    payment = paid(linear_terms(), {"reablement": Measured(D(74)), "falls": Measured(D(17))})
    assert payment.guaranteed == D("900000.00")
    assert [(x.earned, x.paid) for x in payment.lines] == [
        (D("99000.00"), D("86842.11")),
        (D("15000.00"), D("13157.89")),
    ]
    assert payment.steps[-1].what == "cap"
    assert payment.steps[-1].amount == D("-14000.00")
    assert payment.outcome == D("100000.00")
    assert payment.total == D("1000000.00")


def test_linear_pays_nothing_for_worse_than_baseline_and_stops_at_the_stretch() -> None:
    """Reablement 55 (worse than 60) earns nothing; falls 10 (past the target of 15) earns
    the whole £25,000 pot and no more (it has no stretch payment)."""
    payment = paid(linear_terms(), {"reablement": Measured(D(55)), "falls": Measured(D(10))})
    assert [x.paid for x in payment.lines] == [D("0.00"), D("25000.00")]
    # reablement 80, past the stretch of 75, earns £75,000 + 40% = £105,000, then capped
    payment = paid(linear_terms(), {"reablement": Measured(D(80)), "falls": Measured(D(20))})
    assert payment.lines[0].earned == D("105000.00")
    assert payment.outcome == D("100000.00")


def stepped_terms() -> OutcomeTerms:
    steps = (Threshold(D(950), D(40)), Threshold(D(900), D(80)), Threshold(D(850), D(120)))
    admissions = Indicator(
        "admissions", D(1), D(1000), D(900), polarity="lower is better", gradient=Stepped(steps)
    )
    return OutcomeTerms(D("200000.00"), D(25), (admissions,), cap=D("50000.00"))


@pytest.mark.parametrize(
    ("result", "earned", "outcome"),
    [
        (D(960), "0.00", "0.00"),  # no threshold reached
        (D(880), "40000.00", "40000.00"),  # 950 and 900 reached: 80% of £50,000
        (D(840), "60000.00", "50000.00"),  # 850 reached: 120%, £60,000, capped at £50,000
    ],
)
def test_a_stepped_gradient_pays_the_furthest_threshold_reached(
    result: Decimal, earned: str, outcome: str
) -> None:
    """£200,000 with 25% (£50,000) at risk on emergency admissions per 100,000 (lower is
    better, baseline 1,000): 950 pays 40%, 900 pays 80%, 850 pays 120%, capped at £50,000.
    The furthest threshold reached pays its percentage (not the sum of those reached)."""
    payment = paid(stepped_terms(), {"admissions": Measured(result)})
    assert payment.lines[0].earned == D(earned)
    assert payment.outcome == D(outcome)
    assert payment.total == D("150000.00") + D(outcome)


def significant_terms() -> OutcomeTerms:
    indicator = Indicator("at-home-91-days", D(1), D(60), D(70), significant=True)
    return OutcomeTerms(D("100000.00"), D(20), (indicator,))


def test_significance_withholds_payment_when_the_interval_includes_the_baseline() -> None:
    """£20,000 at risk; baseline 60, target 70; result 66 is 6/10 of the way (£12,000), but
    its 95% interval 58.5 to 73.5 includes the baseline 60, so nothing is paid. With the
    interval 62.0 to 70.0, wholly above 60, the £12,000 is paid."""
    wide = paid(significant_terms(), {"at-home-91-days": Measured(D(66), D("58.5"), D("73.5"))})
    assert wide.outcome == D("0.00")
    assert "95% interval" in wide.steps[1].rule
    narrow = paid(significant_terms(), {"at-home-91-days": Measured(D(66), D(62), D(70))})
    assert narrow.outcome == D("12000.00")


def test_payment_per_unit_of_outcome() -> None:
    """£250 per bed day avoided against a baseline of 4,000: 3,640 bed days is 360 avoided,
    £90,000; 4,100 (worse) earns nothing. Half a bed day at £0.01 is half a penny: rounded
    half up, 1p."""
    terms = OutcomeTerms(D("0.00"), D(0), per_unit=(PerUnit("bed-days", D(4000), D("250.00")),))
    assert paid(terms, {"bed-days": Measured(D(3640))}).total == D("90000.00")
    assert paid(terms, {"bed-days": Measured(D(4100))}).total == D("0.00")
    penny = OutcomeTerms(D("0.00"), D(0), per_unit=(PerUnit("bed-days", D(1), D("0.01")),))
    assert paid(penny, {"bed-days": Measured(D("0.5"))}).total == D("0.01")


def test_a_floor_tops_up_the_outcome_payment() -> None:
    """The stepped contract with a £10,000 floor: 960 reaches no threshold, earns £0, and
    the floor tops it up to £10,000 on a line of its own."""
    terms = stepped_terms()
    floored = OutcomeTerms(terms.value, terms.at_risk_percent, terms.indicators, floor=D(10000))
    payment = paid(floored, {"admissions": Measured(D(960))})
    assert payment.steps[-1].what == "floor"
    assert payment.outcome == D("10000.00")
    assert payment.lines[0].paid == D("0.00")


def test_each_payment_is_rounded_once_half_up_to_the_penny() -> None:
    """A pot of £100.01 (the whole value at risk), halfway from baseline 0 to target 2:
    £50.005, rounded half up to £50.01. A third of the way (result 1 of target 3): £33.336...
    to £33.34."""
    half = OutcomeTerms(D("100.01"), D(100), (Indicator("x", D(1), D(0), D(2)),))
    assert paid(half, {"x": Measured(D(1))}).total == D("50.01")
    third = OutcomeTerms(D("100.01"), D(100), (Indicator("x", D(1), D(0), D(3)),))
    assert paid(third, {"x": Measured(D(1))}).total == D("33.34")


def test_bad_terms_and_results_are_named_problems_not_payments() -> None:
    """A target no better than the baseline, a floor above the cap, a missing result and a
    significance test without an interval: each named at its path, and no payment."""
    terms = OutcomeTerms(
        D("1000.00"),
        D(10),
        (Indicator("a", D(1), D(10), D(10)), Indicator("b", D(1), D(0), D(5), significant=True)),
        floor=D(500),
        cap=D(100),
    )
    payment, problems = pay(terms, {"b": Measured(D(4))})
    assert payment is None
    assert [p.path for p in problems] == ["floor", "indicators.0.target", "results.a", "results.b"]
    assert "interval" in problems[-1].rule
