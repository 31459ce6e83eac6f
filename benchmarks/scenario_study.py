"""Benchmark: everything a saved scenario holds (issue 18, part 3), as the service works it
out when a scenario is saved: 1,000 runs of the chosen portfolio over five years, each
shipped intervention alone for the optimiser, the best portfolio, the frontier (nine
budgets) and the next pound's value, the deterministic run, who pays and who gains, the
tornado (two runs for each uncertain figure), and every table.

The place is the demo scenario's file (``definitions/scenarios/fernmouth.yaml``, seven
interventions) over a seeded random baseline of 1,000,000 people: the engine works over
cells, so the place's size changes the numbers in them, not the work. Prints each step's
time and the peak memory (tracemalloc), so the figures can be quoted.

    .venv/bin/python benchmarks/scenario_study.py [--runs 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from importlib import resources

import numpy as np

from onebudget.scenarios import results
from onebudget.scenarios.baseline import PAYERS, unit_costs
from onebudget.scenarios.config import load_config
from onebudget.scenarios.engine import POD_LIST, Baseline
from onebudget.scenarios.interventions import read_interventions
from onebudget.scenarios.model import AGE_BANDS, SEGMENTS, SEXES
from onebudget.scenarios.study import study

GOAL = 60.0  # seconds: a person waits for the page once, when saving
PERSONS = 1_000_000
CELLS = (len(SEGMENTS), len(AGE_BANDS), len(SEXES))
FILE = resources.files("onebudget") / "definitions" / "scenarios" / "fernmouth.yaml"


def baseline(rng: np.random.Generator) -> Baseline:
    people = rng.dirichlet(np.ones(int(np.prod(CELLS)))).reshape(CELLS) * PERSONS
    activity = rng.uniform(0, 0.3, (*CELLS, len(POD_LIST))) * people[..., None]
    costs = {p: float(c) for p, c in unit_costs().items()}
    return Baseline(2024, people, activity, costs, PAYERS)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    shipped = read_interventions()
    config = load_config(FILE.read_text(encoding="utf-8"), str(FILE), set(shipped))
    place = baseline(np.random.default_rng(2026))
    growth = np.broadcast_to(
        np.cumprod(np.full(config.years + 1, 1.012))[:, None, None] / 1.012,
        (config.years + 1, len(AGE_BANDS), len(SEXES)),
    ).copy()
    tracemalloc.start()
    started = time.perf_counter()
    found = study(config, shipped, place, growth, runs=args.runs)
    studied = time.perf_counter() - started
    tables = results.stored(results.sheets(found))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rows = sum(len(t) for t in tables.values())
    print(f"{args.runs:,} runs, {len(found.interventions)} interventions, {PERSONS:,} people")
    print(f"study (runs, optimiser, frontier, tornado): {studied:.1f} s")
    print(f"and every table ({len(tables)} sheets, {rows:,} rows): {seconds:.1f} s in all")
    print(f"peak memory: {peak:,.0f} MiB; tornado bars: {len(found.tornado.bars)}")
    print(f"chosen: {', '.join(f'{k} {v:.0%}' for k, v in found.scales.items() if v > 0)}")
    print(f"goal: under {GOAL:.0f} s: {'met' if seconds < GOAL else 'NOT met'}")
    return 0 if seconds < GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
