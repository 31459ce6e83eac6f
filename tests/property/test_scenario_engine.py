"""Properties of the scenario engine (issue 18): with every uncertain figure set to a point,
every run equals the deterministic result; the same seed gives the same runs; activity is
never negative; and money leaves the engine in exact pence, each run's partners adding up
to its total to the penny."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.scenarios.engine import POD_LIST, Baseline, Chosen, Payer, Scenario, simulate
from onebudget.scenarios.model import AGE_BANDS, SEGMENTS, SEXES, Uncertain
from onebudget.scenarios.summary import central, run_money

PROPERTY = settings(max_examples=40, deadline=None)
CELLS = (len(SEGMENTS), len(AGE_BANDS), len(SEXES))
PAYERS = (Payer("council", "adult social care"), Payer("icb", "acute"), Payer("icb", "community"))
shares = st.floats(0, 1, allow_nan=False)
changes = st.floats(-1, 0.2, allow_nan=False)


def ranged(values: st.SearchStrategy[float], point: bool) -> st.SearchStrategy[Uncertain]:
    if point:
        return values.map(lambda v: Uncertain(point=v))
    pairs = st.lists(values, min_size=2, max_size=3).map(sorted)
    return pairs.map(
        lambda v: (
            Uncertain(uniform=(v[0], v[-1])) if len(v) == 2 else Uncertain(triangular=tuple(v))
        )
    )


@st.composite
def baselines(draw: st.DrawFn) -> Baseline:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    people = rng.integers(0, 5000, CELLS).astype(float)
    activity = rng.uniform(0, 3, (*CELLS, len(POD_LIST))) * people[..., None]
    costs = {p: float(draw(st.integers(1, 6000))) for p in POD_LIST}
    payers = {p: draw(st.sampled_from(PAYERS)) for p in POD_LIST}
    return Baseline(2025, people, activity, costs, payers)


@st.composite
def interventions(draw: st.DrawFn, point: bool) -> Chosen:
    mask = np.asarray(draw(st.lists(st.booleans(), min_size=80, max_size=80)), float)
    effects = tuple(
        (pod, draw(ranged(changes, point)), draw(st.sampled_from(PAYERS)))
        for pod in draw(st.lists(st.sampled_from(POD_LIST), min_size=1, max_size=3, unique=True))
    )
    return Chosen(
        id=f"i{draw(st.integers(0, 999))}", mask=mask.reshape(CELLS),
        reach=draw(ranged(shares, point)), uptake=draw(ranged(shares, point)),
        ramp_up=tuple(draw(st.lists(shares, min_size=1, max_size=3))),
        lag_years=draw(st.integers(0, 2)), per_person=draw(ranged(st.floats(0, 900), point)),
        fixed=None, cost_bearer=draw(st.sampled_from(PAYERS)), effects=effects,
        scale=draw(shares),
    )  # fmt: skip


@st.composite
def scenarios(draw: st.DrawFn, point: bool) -> Scenario:
    years = draw(st.integers(1, 5))
    growth = np.cumprod(
        np.asarray(draw(st.lists(st.floats(0.97, 1.05), min_size=years + 1, max_size=years + 1)))
    )
    chosen = draw(st.lists(interventions(point), max_size=3, unique_by=lambda c: c.id))
    return Scenario(
        years=years,
        growth=np.broadcast_to(growth[:, None, None], (years + 1, *CELLS[1:])).copy(),
        non_demographic={p: draw(ranged(st.floats(-0.02, 0.05), point)) for p in POD_LIST[:3]},
        inflation=draw(ranged(st.floats(0, 0.06), point)),
        interventions=tuple(chosen),
        runs=draw(st.integers(2, 6)),
        seed=draw(st.integers(0, 2**32 - 1)),
    )


@PROPERTY
@given(baselines(), scenarios(point=True))
def test_with_every_figure_a_point_every_run_is_the_deterministic_run(
    baseline: Baseline, scenario: Scenario
) -> None:
    runs = simulate(baseline, scenario)
    once = simulate(baseline, central(scenario))
    assert np.array_equal(runs.activity, np.repeat(once.activity, scenario.runs, axis=0))
    for key, amounts in runs.cost.items():
        assert np.array_equal(amounts, np.repeat(once.cost[key], scenario.runs, axis=0))


@PROPERTY
@given(baselines(), scenarios(point=False))
def test_the_same_seed_gives_the_same_runs_and_money_adds_up(
    baseline: Baseline, scenario: Scenario
) -> None:
    first, again = simulate(baseline, scenario), simulate(baseline, scenario)
    assert np.array_equal(first.activity, again.activity)
    assert (first.activity >= 0).all()
    for run in range(scenario.runs):
        money: Any = run_money(first.cost, run)
        for year, total in enumerate(money.total):
            parts = [amounts[year] for amounts in money.parts.values()]
            assert all(p.as_tuple().exponent == -2 for p in parts)
            assert sum(parts, Decimal("0.00")) == total
