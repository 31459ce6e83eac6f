"""Property: every allocation adds up to its budget to the penny, at every level."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from onebudget.allocation.budget import allocate_budget, load_budget
from onebudget.allocation.targets import (
    AllocationError,
    Component,
    by_components,
    by_need,
    cascade,
    pace_of_change,
)
from onebudget.io import yamlio
from onebudget.money import ZERO, allocate

money = st.integers(0, 10**12).map(lambda p: Decimal(p) / 100)
need = st.integers(0, 10**9).map(lambda n: Decimal(n) / 1000)
areas = st.lists(st.sampled_from("ABCDEFGHIJ"), min_size=1, max_size=10, unique=True)


@settings(max_examples=1000, deadline=None)
@given(money, areas, st.data())
def test_by_need_and_by_components_add_up(
    budget: Decimal, names: list[str], data: st.DataObject
) -> None:
    needs = {a: data.draw(need) for a in names}
    assume(sum(needs.values()) > 0)
    shares = by_need(budget, needs)
    assert sum(shares.values(), ZERO) == budget
    assert all(v == v.quantize(Decimal("0.01")) for v in shares.values())
    split = data.draw(st.integers(0, 100))
    components = [
        Component("nhs", Decimal(split) / 100, needs),
        Component("asc", Decimal(100 - split) / 100, {a: data.draw(need) + 1 for a in names}),
    ]
    out = by_components(budget, components)
    assert sum((sum(v.values(), ZERO) for v in out.values()), ZERO) == budget


@settings(max_examples=1000, deadline=None)
@given(money, areas, st.data())
def test_pace_of_change_adds_up_and_keeps_the_floor(
    budget: Decimal, names: list[str], data: st.DataObject
) -> None:
    baseline = {a: data.draw(money) for a in names}
    needs = {a: data.draw(need) + Decimal("0.001") for a in names}
    floor = Decimal(data.draw(st.integers(-5, 5))) / 100
    cap = data.draw(st.one_of(st.none(), st.integers(0, 20).map(lambda c: Decimal(c) / 100)))
    try:
        paced = pace_of_change(budget, baseline, needs, floor=floor, cap=cap)
    except AllocationError:
        assume(False)
    assert sum((p.allocation for p in paced.values()), ZERO) == budget
    for a, p in paced.items():
        assert p.allocation >= (baseline[a] * (1 + floor)).quantize(Decimal("0.01"))


@settings(max_examples=500, deadline=None)
@given(money, st.data())
def test_nation_icb_place_council_add_up_at_every_level(
    budget: Decimal, data: st.DataObject
) -> None:
    tree = {
        f"ICB{i}": {
            f"P{i}{j}": {f"C{i}{j}{k}": {} for k in range(data.draw(st.integers(1, 3)))}
            for j in range(data.draw(st.integers(1, 3)))
        }
        for i in range(data.draw(st.integers(1, 4)))
    }
    leaves = [c for icb in tree.values() for place in icb.values() for c in place]
    needs = {c: data.draw(need) + Decimal("0.001") for c in leaves}
    out = cascade(budget, tree, needs)
    assert out["England"] == budget

    def check(path: str, sub: dict) -> None:
        if sub:
            assert sum((out[f"{path}/{k}"] for k in sub), ZERO) == out[path], path
            for k, v in sub.items():
                check(f"{path}/{k}", v)

    check("England", tree)


COUNCILS = ["E08000032", "E08000033", "E08000034", "E08000035", "E08000036"]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**12).map(lambda p: Decimal(p) / 100), st.data())
def test_a_configured_budget_with_every_need_formula_adds_up_by_place(
    budget: Decimal, data: st.DataObject
) -> None:
    """Real West Yorkshire places; an index, registered population with deprivation, and
    population by age with weights and area costs, in random shares."""
    places = data.draw(st.lists(st.sampled_from(COUNCILS), min_size=1, max_size=5, unique=True))
    groups = ["0-17", "18-64", "65-84", "85+"]
    weight = st.integers(1, 10**4).map(lambda n: Decimal(n) / 100)
    people = st.integers(0, 10**6).map(Decimal)
    split = data.draw(st.lists(st.integers(1, 100), min_size=3, max_size=3))
    shares = [Decimal(s) / sum(split) for s in split]
    shares[-1] = 1 - sum(shares[:-1], ZERO)
    assume(all(s > 0 for s in shares))
    config = {
        "year": "2025/26",
        "budget": budget,
        "icb": "QWO",
        "places": {c: {"council": c} for c in places},
        "components": [
            {"name": "NHS", "share": shares[0], "index": "Overall core"},
            {"name": "PH", "share": shares[1], "population": "registered",
             "deprivation_weight": data.draw(weight)},
            {"name": "ASC", "share": shares[2], "population": "by_age",
             "age_weights": {g: data.draw(weight) for g in groups},
             "population_by_age": {c: {g: data.draw(people) for g in groups} for c in places},
             "area_cost": {c: data.draw(weight) for c in places}},
        ],
    }  # fmt: skip
    spec = load_budget(yamlio.dump(config), source="generated")
    try:
        result = allocate_budget(spec)
    except AllocationError:
        return  # every place had no one in any age group: refused, not mis-shared
    assert sum(sum(parts.values(), ZERO) for parts in result.by_place.values()) == budget
    totals = [sum(parts[n] for parts in result.by_place.values()) for n in ("NHS", "PH", "ASC")]
    assert totals == allocate(budget, shares)  # each component gets its share to the penny
