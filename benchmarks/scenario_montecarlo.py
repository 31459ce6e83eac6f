"""Benchmark: the scenario engine's Monte Carlo runs (issue 18): 1,000 runs over five years
for a place of 1,000,000 people, with seven interventions each drawing its reach, uptake,
cost and effects, non-demographic growth for every POD and inflation as ranges.

Goal: under 30 s on 2 cores. The engine works over cells (segment × age band × sex × POD),
never over people, so the place's size changes the numbers in the cells, not the work; the
baseline here is seeded random activity scaled to a million people (a real place's comes
from its linked data). Prints the time, the peak memory the arrays took (tracemalloc) and
one result, so the figures can be quoted.

    .venv/bin/python benchmarks/scenario_montecarlo.py [--runs 1000] [--years 5]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc

import numpy as np

from onebudget.scenarios.engine import POD_LIST, Baseline, Chosen, Payer, Scenario, simulate
from onebudget.scenarios.model import AGE_BANDS, SEGMENTS, SEXES, Uncertain
from onebudget.scenarios.summary import money_spread

GOAL = 30.0
PERSONS = 1_000_000
CELLS = (len(SEGMENTS), len(AGE_BANDS), len(SEXES))
COUNCIL, ICB = Payer("council", "adult social care"), Payer("icb", "acute")


def baseline(rng: np.random.Generator) -> Baseline:
    people = rng.dirichlet(np.ones(int(np.prod(CELLS)))).reshape(CELLS) * PERSONS
    activity = rng.uniform(0, 0.3, (*CELLS, len(POD_LIST))) * people[..., None]  # a year
    prices = rng.integers(30, 6000, len(POD_LIST))
    costs = {p: float(c) for p, c in zip(POD_LIST, prices, strict=True)}
    payers = {p: ICB if i < 6 else COUNCIL for i, p in enumerate(POD_LIST)}
    return Baseline(2025, people, activity, costs, payers)


def intervention(n: int, rng: np.random.Generator) -> Chosen:
    mask = (rng.uniform(size=CELLS) < 0.4).astype(float)
    pods = rng.choice(len(POD_LIST), 3, replace=False)
    effects = tuple(
        (POD_LIST[i], Uncertain(triangular=(-0.3, -0.15, 0.0)), ICB if i < 6 else COUNCIL)
        for i in pods
    )
    return Chosen(
        id=f"intervention-{n}", mask=mask, reach=Uncertain(triangular=(0.2, 0.4, 0.6)),
        uptake=Uncertain(uniform=(0.5, 0.9)), ramp_up=(0.3, 0.7, 1.0), lag_years=n % 2,
        per_person=Uncertain(triangular=(150, 300, 600)), fixed=Uncertain(point=50_000),
        cost_bearer=COUNCIL, effects=effects,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    place = baseline(rng)
    growth = np.cumprod(np.full(args.years + 1, 1.012))[:, None, None] / 1.012
    scenario = Scenario(
        years=args.years,
        growth=np.broadcast_to(growth, (args.years + 1, *CELLS[1:])).copy(),
        non_demographic={p: Uncertain(triangular=(0.0, 0.01, 0.03)) for p in POD_LIST},
        inflation=Uncertain(triangular=(0.015, 0.025, 0.04)),
        interventions=tuple(intervention(n, rng) for n in range(7)),
        runs=args.runs,
        seed=7,
    )
    tracemalloc.start()
    started = time.perf_counter()
    runs = simulate(place, scenario)
    spread = money_spread(runs.cost[("icb", "acute")])
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"place: {PERSONS:,} people in {int(np.prod(CELLS))} cells × {len(POD_LIST)} PODs")
    print(f"runs: {args.runs:,} × {args.years} years, 7 interventions, every figure drawn")
    print(f"time: {seconds:.2f} s (goal under {GOAL:.0f} s); peak memory {peak:,.0f} MiB")
    print(f"ICB acute spend in year {args.years}: median £{spread.median[-1]:,}, "
          f"10th–90th percentile £{spread.p10[-1]:,} to £{spread.p90[-1]:,}")  # fmt: skip
    return 0 if seconds < GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
