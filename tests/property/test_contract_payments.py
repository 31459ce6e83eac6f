"""Payments keep their promises whatever the figures: caps and floors hold, a year of a block
or of a steady capitation adds up to its annual sum exactly, and a statement's total is the
sum of its steps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.contracts.inputs import Inputs
from onebudget.contracts.model import Contract
from onebudget.contracts.periods import Frequency, year_of_periods
from onebudget.contracts.statement import as_data, pay

PROPERTY = settings(max_examples=150, deadline=None)

pence = st.integers(min_value=0, max_value=10**10).map(lambda p: Decimal(p) / 100)
volumes = st.decimals(min_value=0, max_value=10**6, places=2)
frequencies = st.sampled_from(["quarterly", "monthly"])


def contract(mechanism: dict[str, Any], periods: Frequency = "quarterly") -> Contract:
    return Contract.model_validate(
        {
            "id": "C-PROP",
            "name": "A contract",
            "commissioners": [{"code": "QZZ", "name": "ICB"}],
            "providers": [{"code": "ZZC01", "name": "Provider"}],
            "term": {"start": "2025-04-01", "end": "2026-03-31"},
            "annual_value": "0",
            "periods": periods,
            "mechanism": mechanism,
        }
    )


@st.composite
def activity(draw: st.DrawFn) -> dict[str, Any]:
    """One to three lines, each with up to three bands above rising thresholds; a cap and a
    floor, each or both (the floor at most the cap)."""
    lines = []
    for n in range(draw(st.integers(1, 3))):
        thresholds = sorted(draw(st.sets(st.integers(1, 5000), max_size=3)))
        bands = [{"above": t, "price": draw(pence)} for t in thresholds]
        lines.append({"line": f"line-{n}", "price": draw(pence), "bands": bands})
    limits = sorted(draw(st.lists(pence, min_size=2, max_size=2)))
    floor, cap = draw(
        st.sampled_from([(None, None), (limits[0], None), (None, limits[1]), tuple(limits)])
    )
    return {"kind": "activity", "lines": lines, "cap": cap, "floor": floor}


@PROPERTY
@given(activity(), st.data())
def test_an_activity_payment_keeps_to_its_cap_and_floor(
    mechanism: dict[str, Any], data: Any
) -> None:
    found = contract(mechanism)
    given_volumes = {line["line"]: data.draw(volumes) for line in mechanism["lines"]}
    statement = pay(found, year_of_periods(2025, "quarterly")[0], Inputs(volume=given_volumes))
    assert statement.total == sum(s.amount for s in statement.steps)
    if mechanism["cap"] is not None:
        assert statement.total <= mechanism["cap"]
    if mechanism["floor"] is not None:
        assert statement.total >= mechanism["floor"]
    assert statement.total >= 0


@PROPERTY
@given(pence, frequencies)
def test_a_block_year_adds_up_to_its_annual_sum(annual: Decimal, periods: Frequency) -> None:
    found = contract({"kind": "block", "annual": annual}, periods)
    paid = [pay(found, p, Inputs()).total for p in year_of_periods(2025, periods)]
    assert sum(paid) == annual
    assert max(paid) - min(paid) <= Decimal("0.01")


@PROPERTY
@given(
    pence,
    st.lists(
        st.tuples(volumes, st.decimals(min_value=0, max_value=10, places=3)), min_size=1, max_size=4
    ),
    frequencies,
)
def test_a_capitation_year_adds_up_to_its_annual_sums(
    rate: Decimal, segments: list[tuple[Decimal, Decimal]], periods: Frequency
) -> None:
    """With the same population all year, the periods add up to heads × rate × weight a year,
    rounded half up to the penny, for each segment and so for the whole."""
    named = [{"segment": f"s{i}", "weight": w} for i, (_, w) in enumerate(segments)]
    found = contract(
        {"kind": "capitation", "population": "resident", "rate": rate, "segments": named}, periods
    )
    heads = Inputs(population={f"s{i}": h for i, (h, _) in enumerate(segments)})
    statements = [pay(found, p, heads) for p in year_of_periods(2025, periods)]
    for i, (count, weight) in enumerate(segments):
        year = (count * rate * weight).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert sum(s.steps[i].amount for s in statements) == year


@PROPERTY
@given(pence, st.lists(st.tuples(pence, st.integers(0, 100), volumes), min_size=1, max_size=3))
def test_every_statement_total_is_the_sum_of_its_steps(
    fixed: Decimal, lines: list[tuple[Decimal, int, Decimal]]
) -> None:
    """Also as the JSON a provider receives: the steps' amounts, as text, add up to the total."""
    variable = [
        {"line": f"l{i}", "baseline": base, "share": share, "unit_price": "1.50"}
        for i, (base, share, _) in enumerate(lines)
    ]
    found = contract({"kind": "aligned_payment", "fixed": fixed, "variable": variable})
    volume = {f"l{i}": v for i, (_, _, v) in enumerate(lines)}
    statement = pay(found, year_of_periods(2025, "quarterly")[2], Inputs(volume=volume))
    assert statement.total == sum(s.amount for s in statement.steps)
    data = as_data(statement)
    assert Decimal(data["total"]) == sum(Decimal(s["amount"]) for s in data["steps"])
    assert all(s.amount == s.amount.quantize(Decimal("0.01")) for s in statement.steps)
