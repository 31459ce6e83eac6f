"""The Monte Carlo engine: a place's activity and cost, year by year, under demographic
change, non-demographic growth, inflation and a portfolio of interventions, over many runs.

Vectorised over cells and runs, never over people: arrays are (runs, years + 1, segment,
age band, sex, point of delivery), so a place of a million people costs what a place of a
thousand does. Each run draws every uncertain figure once (``model.Uncertain.draw``, in a
fixed order from ``numpy.random.default_rng(seed)``: the same seed, the same runs).

How a year is worked out, in a run:

- **activity** in a cell = its baseline × the demographic growth of its age band and sex ×
  (1 + the POD's non-demographic growth) ** year;
- an intervention reaches, in each cell it targets, ``reach × uptake × ramp-up(year) ×
  scale`` of the cell's people (``scale``: the share of full scale chosen, 0 to 1); from the
  year after its lag, each effect changes the POD's activity of those reached by its
  ``change``. Effects of several interventions on one POD add, and a cell's activity never
  falls below nothing;
- **cost** = activity × the POD's unit cost × (1 + inflation) ** year, to the POD's payer;
  an intervention costs its ``per_person`` for each person taking it up, plus ``fixed``,
  inflated the same way, to its cost bearer; what each effect avoids is a **saving** to the
  partner it names.

Money is worked in floating point across runs and turned into exact pence at the outputs
(``summary``), where each partner's figures are rounded first and totals are their sums, so
the partners add up to the total to the penny.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from onebudget.scenarios.model import AGE_BANDS, PODS, SEGMENTS, SEXES, Uncertain
from onebudget.scenarios.projection import cumulative

POD_LIST = tuple(PODS)
OLDER = slice(AGE_BANDS.index("65-74"), None)  # the age bands of people aged 65 and over
ACUTE = frozenset(
    {"emergency_admission", "elective_admission", "bed_day", "ae_attendance", "outpatient"}
)


@dataclass(frozen=True)
class Payer:
    partner: str  # "council" or "icb"
    budget: str  # the budget line, in words


@dataclass(frozen=True)
class Baseline:
    """A place's year: people by cell (segment, age band, sex) and each POD's activity a
    year by cell, with each POD's unit cost (pounds) and who pays for it."""

    year: int
    people: np.ndarray  # (segments, age bands, sexes)
    activity: np.ndarray  # (segments, age bands, sexes, PODs)
    unit_costs: Mapping[str, float]
    payers: Mapping[str, Payer]

    def __post_init__(self) -> None:
        shape = (len(SEGMENTS), len(AGE_BANDS), len(SEXES))
        if self.people.shape != shape or self.activity.shape != (*shape, len(POD_LIST)):
            raise ValueError(f"people {shape} and activity {(*shape, len(POD_LIST))} by cell")
        missing = [p for p in POD_LIST if p not in self.unit_costs or p not in self.payers]
        if missing:
            raise ValueError(f"a unit cost and a payer for every POD; missing: {missing}")


@dataclass(frozen=True)
class Chosen:
    """An intervention at a scale (0 to 1 of its full scale), as the engine reads it."""

    id: str
    mask: np.ndarray  # (segments, age bands, sexes): 1 where it is offered
    reach: Uncertain
    uptake: Uncertain
    ramp_up: tuple[float, ...]  # share of full scale in year 1, 2, ... (the last holds)
    lag_years: int
    per_person: Uncertain | None
    fixed: Uncertain | None
    cost_bearer: Payer
    effects: tuple[tuple[str, Uncertain, Payer], ...]  # (POD, relative change, saving to)
    scale: float = 1.0


@dataclass(frozen=True)
class Scenario:
    years: int
    growth: np.ndarray  # (years + 1, age bands, sexes): demographic growth, year 0 = 1
    non_demographic: Mapping[str, Uncertain]  # by POD: growth a year (absent: none)
    inflation: Uncertain
    interventions: Sequence[Chosen] = ()
    runs: int = 1000
    seed: int = 2026


@dataclass(frozen=True)
class Runs:
    """Every run's figures by year: activity by POD, and pounds by (partner, budget)."""

    activity: np.ndarray  # (runs, years + 1, PODs)
    avoided: np.ndarray  # (runs, years + 1, PODs): activity the interventions avoided
    spend: np.ndarray  # (runs, years + 1, PODs): the activity's cost, inflated (pounds)
    older: np.ndarray  # (runs, years + 1, PODs): the activity of people aged 65 and over
    older_people: np.ndarray  # (years + 1,): people aged 65 and over
    cost: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # (runs, years+1)
    saving: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    intervention_cost: dict[str, np.ndarray] = field(default_factory=dict)  # by id
    intervention_fixed: dict[str, np.ndarray] = field(default_factory=dict)  # its fixed part


NONE = Uncertain(point=0.0)


def simulate(baseline: Baseline, scenario: Scenario) -> Runs:
    """Every run of the scenario (``runs`` of them, seeded)."""
    rng = np.random.default_rng(scenario.seed)
    n, years = scenario.runs, np.arange(scenario.years + 1)
    growth = np.stack(
        [scenario.non_demographic.get(p, NONE).draw(rng, n) for p in POD_LIST], axis=-1
    )  # (runs, PODs)
    inflation = cumulative(scenario.inflation.draw(rng, n), scenario.years)  # (runs, years+1)
    demand = _demand(baseline, scenario, growth, years)  # (runs, years+1, S, A, X, PODs)
    drawn = [_draw(c, rng, n) for c in scenario.interventions]
    change, sizes = _change(scenario, drawn, years)  # (runs, years+1, S, A, X, PODs)
    after = demand * np.maximum(1 + change, 0)
    return _money(
        baseline, scenario, demand, after, list(zip(drawn, sizes, strict=True)), inflation
    )


def _demand(
    baseline: Baseline, scenario: Scenario, growth: np.ndarray, years: np.ndarray
) -> np.ndarray:
    trend = np.stack(  # (runs, years+1, PODs)
        [cumulative(growth[:, i], scenario.years) for i in range(growth.shape[1])], axis=-1
    )
    cells = baseline.activity[None] * scenario.growth[:, None, :, :, None]  # (Y, S, A, X, P)
    return np.asarray(cells[None] * trend[:, :, None, None, None, :])


@dataclass(frozen=True)
class _Drawn:
    chosen: Chosen
    share: np.ndarray  # (runs, years+1): share of the targeted people taking it up
    per_person: np.ndarray  # (runs,)
    fixed: np.ndarray  # (runs,)
    changes: tuple[np.ndarray, ...]  # (runs,) per effect


def _draw(chosen: Chosen, rng: np.random.Generator, runs: int) -> _Drawn:
    """One intervention's figures for every run, in a fixed order (reach, uptake, costs,
    then each effect)."""
    reach, uptake = chosen.reach.draw(rng, runs), chosen.uptake.draw(rng, runs)
    per_person = (chosen.per_person or NONE).draw(rng, runs)
    fixed = (chosen.fixed or NONE).draw(rng, runs)
    changes = tuple(change.draw(rng, runs) for _, change, _ in chosen.effects)
    return _Drawn(chosen, _share(chosen, reach * uptake), per_person, fixed, changes)


def _share(chosen: Chosen, taken: np.ndarray) -> np.ndarray:
    """Year 0 is the baseline: no one reached yet; year t at the ramp-up's t-th share."""
    ramp = [0.0] + [chosen.ramp_up[min(t, len(chosen.ramp_up) - 1)] for t in range(99)]
    return np.asarray(taken[:, None] * np.asarray(ramp) * chosen.scale)


def _change(
    scenario: Scenario, drawn: Sequence[_Drawn], years: np.ndarray
) -> tuple[np.ndarray, list[tuple[np.ndarray, ...]]]:
    """The relative change in each cell's activity, and each intervention's effects' sizes
    by run and year (the share reached after the lag × the change): the savings use them."""
    shape = (scenario.runs, len(years), len(SEGMENTS), len(AGE_BANDS), len(SEXES), len(POD_LIST))
    change, sizes = np.zeros(shape), []
    for d in drawn:
        live = (years > d.chosen.lag_years).astype(float)  # effects start after the lag
        share = d.share[:, : len(years)] * live  # (runs, years+1)
        own = tuple(share * size[:, None] for size in d.changes)  # (runs, years+1) each
        for (pod, _, _), by_run in zip(d.chosen.effects, own, strict=True):
            change[..., POD_LIST.index(pod)] += (
                by_run[:, :, None, None, None] * d.chosen.mask[None, None]
            )
        sizes.append(own)
    return change, sizes


def _money(
    baseline: Baseline,
    scenario: Scenario,
    demand: np.ndarray,
    after: np.ndarray,
    drawn: Sequence[tuple[_Drawn, tuple[np.ndarray, ...]]],
    inflation: np.ndarray,
) -> Runs:
    prices = np.asarray([baseline.unit_costs[p] for p in POD_LIST])
    activity = after.sum(axis=(2, 3, 4))  # (runs, years+1, PODs)
    avoided = (demand - after).sum(axis=(2, 3, 4))
    spend = activity * prices * inflation[:, :, None]
    people = baseline.people[None] * scenario.growth[:, None, :, :]  # (years+1, S, A, X)
    runs = Runs(
        activity=activity, avoided=avoided, spend=spend,
        older=after[:, :, :, OLDER].sum(axis=(2, 3, 4)),
        older_people=people[:, :, OLDER].sum(axis=(1, 2, 3)),
    )  # fmt: skip
    for i, pod in enumerate(POD_LIST):
        _add(runs.cost, baseline.payers[pod], spend[:, :, i])
    for d, sizes in drawn:
        _intervention_money(d, sizes, people, demand, prices, inflation, runs)
    return runs


def _intervention_money(
    d: _Drawn,
    sizes: tuple[np.ndarray, ...],
    people: np.ndarray,
    demand: np.ndarray,
    prices: np.ndarray,
    inflation: np.ndarray,
    runs: Runs,
) -> None:
    """What the intervention costs its bearer, and what each of its effects saves, by run:
    the people taking it up are its share of the targeted cells' people that year."""
    years = demand.shape[1]
    targeted = (people * d.chosen.mask[None]).sum(axis=(1, 2, 3))  # (years+1,)
    taking = d.share[:, :years] * targeted[None, :]
    fixed = d.fixed[:, None] * (d.share[:, :years] > 0) * inflation
    paid = taking * d.per_person[:, None] * inflation + fixed
    runs.intervention_cost[d.chosen.id] = paid
    runs.intervention_fixed[d.chosen.id] = fixed
    _add(runs.cost, d.chosen.cost_bearer, paid)
    for (pod, _, to), live in zip(d.chosen.effects, sizes, strict=True):
        i = POD_LIST.index(pod)
        cells = demand[..., i] * live[:, :, None, None, None] * d.chosen.mask[None, None]
        saved = -cells.sum(axis=(2, 3, 4)) * prices[i] * inflation
        _add(runs.saving, to, saved)


def _add(into: dict[tuple[str, str], np.ndarray], payer: Payer, amount: np.ndarray) -> None:
    key = (payer.partner, payer.budget)
    into[key] = into[key] + amount if key in into else amount.copy()


def acute_to_community(runs: Runs) -> np.ndarray:
    """The ratio of acute hospital spend to community and social care spend (interventions
    count as community), by run and year; NaN where there is no community spend."""
    is_acute = np.asarray([p in ACUTE for p in POD_LIST])
    acute = runs.spend[:, :, is_acute].sum(axis=2)
    community = runs.spend[:, :, ~is_acute].sum(axis=2)
    for paid in runs.intervention_cost.values():
        community = community + paid
    ratio = np.divide(acute, community, out=np.full_like(acute, np.nan), where=community > 0)
    return np.asarray(ratio)
