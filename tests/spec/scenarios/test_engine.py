"""Spec (issue 18): the Monte Carlo engine on a tiny place, worked by hand.

One cell holds everyone: 100 women aged 85 and over living with frailty, with 50 emergency
admissions a year at £1,000 each (every other POD none). The age band grows by 10% in year 1
and 20% by year 2; there is no other growth and no inflation. A falls-prevention service
reaches half of them, of whom 80% take it up, at half scale in year 1 and full scale from
year 2, costing £100 a person taking it up (the council's), and cuts their emergency
admissions by 20% (a saving to the ICB's acute budget).

- Year 1: demand 50 × 1.1 = 55 admissions. Share taking it up 0.5 × 0.8 × 0.5 = 0.2, so the
  admissions change by 0.2 × −20% = −4%: 52.8 admissions, 2.2 avoided, saving £2,200. People
  taking it up: 0.2 × 110 = 22, costing £2,200.
- Year 2: demand 60; share 0.4; change −8%: 55.2 admissions, 4.8 avoided, saving £4,800;
  0.4 × 120 = 48 people, costing £4,800.
"""

from __future__ import annotations

import numpy as np
import pytest

from onebudget.scenarios.engine import (
    POD_LIST,
    Baseline,
    Chosen,
    Payer,
    Scenario,
    acute_to_community,
    simulate,
)
from onebudget.scenarios.model import AGE_BANDS, SEGMENTS, SEXES, Uncertain

CELL = (SEGMENTS.index("Frailty and dementia"), AGE_BANDS.index("85+"), SEXES.index("female"))
EMERGENCY = POD_LIST.index("emergency_admission")
ICB_ACUTE, COUNCIL_ASC = Payer("icb", "acute"), Payer("council", "adult social care")


def tiny_place() -> Baseline:
    people = np.zeros((len(SEGMENTS), len(AGE_BANDS), len(SEXES)))
    people[CELL] = 100
    activity = np.zeros((*people.shape, len(POD_LIST)))
    activity[(*CELL, EMERGENCY)] = 50
    costs = {p: 1000.0 if p == "emergency_admission" else 10.0 for p in POD_LIST}
    payers = {p: ICB_ACUTE if p == "emergency_admission" else COUNCIL_ASC for p in POD_LIST}
    return Baseline(2025, people, activity, costs, payers)


def falls_prevention(**changed: object) -> Chosen:
    mask = np.zeros((len(SEGMENTS), len(AGE_BANDS), len(SEXES)))
    mask[CELL] = 1
    fields: dict[str, object] = {
        "id": "falls-prevention", "mask": mask,
        "reach": Uncertain(point=0.5), "uptake": Uncertain(point=0.8),
        "ramp_up": (0.5, 1.0), "lag_years": 0,
        "per_person": Uncertain(point=100), "fixed": None, "cost_bearer": COUNCIL_ASC,
        "effects": (("emergency_admission", Uncertain(point=-0.2), ICB_ACUTE),),
    }  # fmt: skip
    return Chosen(**(fields | changed))  # type: ignore[arg-type]


def scenario(*chosen: Chosen, runs: int = 3) -> Scenario:
    growth = np.ones((3, len(AGE_BANDS), len(SEXES)))
    growth[1], growth[2] = 1.1, 1.2
    return Scenario(2, growth, {}, Uncertain(point=0.0), chosen, runs=runs, seed=1)


def test_demand_grows_with_the_age_band() -> None:
    runs = simulate(tiny_place(), scenario())
    assert runs.activity[0, :, EMERGENCY] == pytest.approx([50, 55, 60])
    assert runs.cost[("icb", "acute")][0] == pytest.approx([50_000, 55_000, 60_000])


def test_an_intervention_avoids_activity_costs_its_bearer_and_saves_its_partner() -> None:
    runs = simulate(tiny_place(), scenario(falls_prevention()))
    assert runs.activity[0, :, EMERGENCY] == pytest.approx([50, 52.8, 55.2])
    assert runs.avoided[0, :, EMERGENCY] == pytest.approx([0, 2.2, 4.8])
    assert runs.saving[("icb", "acute")][0] == pytest.approx([0, 2200, 4800])
    assert runs.intervention_cost["falls-prevention"][0] == pytest.approx([0, 2200, 4800])
    assert runs.cost[("council", "adult social care")][0] == pytest.approx([0, 2200, 4800])
    assert runs.cost[("icb", "acute")][0] == pytest.approx([50_000, 52_800, 55_200])
    ratio = acute_to_community(runs)[0]
    assert np.isnan(ratio[0])  # no community spend in the baseline year
    assert ratio[1:] == pytest.approx([52_800 / 2200, 55_200 / 4800])


def test_a_lag_delays_the_effect_but_not_the_cost() -> None:
    runs = simulate(tiny_place(), scenario(falls_prevention(lag_years=1)))
    assert runs.avoided[0, :, EMERGENCY] == pytest.approx([0, 0, 4.8])
    assert runs.intervention_cost["falls-prevention"][0] == pytest.approx([0, 2200, 4800])


def test_half_scale_halves_the_take_up_and_activity_never_falls_below_nothing() -> None:
    half = simulate(tiny_place(), scenario(falls_prevention(scale=0.5)))
    assert half.avoided[0, :, EMERGENCY] == pytest.approx([0, 1.1, 2.4])
    total = falls_prevention(
        effects=(("emergency_admission", Uncertain(point=-1.0), ICB_ACUTE),),
        reach=Uncertain(point=1), uptake=Uncertain(point=1), ramp_up=(1.0,),
    )  # fmt: skip
    both = simulate(tiny_place(), scenario(total, total))  # two cuts of 100%: activity 0
    assert both.activity[0, 1:, EMERGENCY] == pytest.approx([0, 0])


def test_ranges_are_drawn_once_a_run_and_the_seed_repeats_them() -> None:
    wide = falls_prevention(uptake=Uncertain(uniform=(0.6, 1.0)))
    first = simulate(tiny_place(), scenario(wide, runs=200))
    again = simulate(tiny_place(), scenario(wide, runs=200))
    assert np.array_equal(first.activity, again.activity)
    avoided = first.avoided[:, 2, EMERGENCY]  # year 2: 60 × 0.5 × uptake × 20%
    assert avoided.min() >= 60 * 0.5 * 0.6 * 0.2 - 1e-9
    assert avoided.max() <= 60 * 0.5 * 1.0 * 0.2 + 1e-9
    assert len(set(np.round(avoided, 9))) > 100  # each run its own draw
