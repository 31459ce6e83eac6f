"""Modelling keeps its promises whatever the contract and ranges: the same seed draws the same
runs, every percentile lies between the least and the most, and ranges collapsed to a point
draw runs each exactly the one deterministic statement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.contracts.inputs import Inputs
from onebudget.contracts.model import Contract
from onebudget.contracts.modelling import Modelled, model
from onebudget.contracts.modelling_load import Distribution, Scenario, Scenarios, Spread
from onebudget.contracts.periods import Period
from onebudget.contracts.statement import statements

PROPERTY = settings(max_examples=60, deadline=None)
Q1 = Period(2025, 4, 1)

pence = st.integers(min_value=0, max_value=10**8).map(lambda p: Decimal(p) / 100)
volumes = st.integers(min_value=0, max_value=10**5).map(Decimal)


def contract(lines: list[dict[str, Any]], cap: Decimal | None) -> Contract:
    return Contract.model_validate(
        {
            "id": "C-PROP",
            "name": "A contract",
            "commissioners": [{"code": "QZZ", "name": "ICB"}],
            "providers": [{"code": "ZZC01", "name": "Provider"}],
            "term": {"start": "2025-04-01", "end": "2026-03-31"},
            "annual_value": "0",
            "periods": "quarterly",
            "mechanism": {"kind": "activity", "lines": lines, "cap": cap},
        }
    )


@st.composite
def cases(draw: st.DrawFn, *, points: bool = False) -> tuple[Contract, Scenarios]:
    """An activity contract of one to three lines (a band on some, a cap or none), a central
    scenario, and a range for each line's volume (a point when ``points``) and the cost."""
    lines = []
    for n in range(draw(st.integers(1, 3))):
        bands = [{"above": draw(st.integers(1, 5000)), "price": draw(pence)}][
            : draw(st.integers(0, 1))
        ]
        lines.append({"line": f"line-{n}", "price": draw(pence), "bands": bands})
    found = contract(lines, draw(st.none() | pence))
    spreads = []
    for line in [*(x["line"] for x in lines), "C-PROP"]:
        kind = "actual_cost" if line == "C-PROP" else "volume"
        ends = sorted(
            draw(st.lists(pence if kind == "actual_cost" else volumes, min_size=3, max_size=3))
        )
        if points:
            ends = [ends[1]] * 3
        shape = draw(st.sampled_from(["triangular", "uniform"]))
        mode = ends[1] if shape == "triangular" else None
        spreads.append(Spread(kind, line, shape, ends[0], ends[2], mode))
    central = Inputs(volume={x["line"]: draw(volumes) for x in lines})
    runs = draw(st.integers(1, 40))
    distribution = Distribution("central", runs, draw(st.integers(0, 2**32)), tuple(spreads))
    return found, Scenarios((Scenario("central", central),), distribution)


@PROPERTY
@given(cases())
def test_the_same_seed_draws_the_same_runs(case: tuple[Contract, Scenarios]) -> None:
    found, scenarios = case
    assert model(found, Q1, scenarios) == model(found, Q1, scenarios)


def _in_order(modelled: Modelled) -> None:
    assert modelled.drawn is not None
    spreads = [*modelled.drawn.payments, modelled.drawn.outlay]
    for s in spreads:
        assert s.least <= s.p10 <= s.p50 <= s.p90 <= s.most
    amounts = [r.outlay for r in modelled.drawn.runs]
    assert (modelled.drawn.outlay.least, modelled.drawn.outlay.most) == (min(amounts), max(amounts))
    assert modelled.exposure.most >= modelled.drawn.outlay.most
    assert modelled.exposure.range >= 0


@PROPERTY
@given(cases())
def test_every_percentile_lies_between_the_least_and_the_most(
    case: tuple[Contract, Scenarios],
) -> None:
    found, scenarios = case
    _in_order(model(found, Q1, scenarios))


@PROPERTY
@given(cases(points=True))
def test_ranges_collapsed_to_a_point_draw_the_one_statement_every_run(
    case: tuple[Contract, Scenarios],
) -> None:
    found, scenarios = case
    assert scenarios.distribution is not None
    points = {s.line: s.low for s in scenarios.distribution.spreads}
    volumes = {line: v for line, v in points.items() if line != "C-PROP"}
    inputs = Inputs(volume=volumes, actual_cost={"C-PROP": points["C-PROP"]})
    expected = tuple(s.total for s in statements(found, Q1, inputs))
    modelled = model(found, Q1, scenarios)
    assert modelled.drawn is not None
    assert all(r.payments == expected for r in modelled.drawn.runs)
    assert all(r.cost == points["C-PROP"] for r in modelled.drawn.runs)
    p = modelled.drawn.payments[0]
    assert p.least == p.p10 == p.p50 == p.p90 == p.most == expected[0]
