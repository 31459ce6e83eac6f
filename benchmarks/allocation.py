"""Benchmark: all nine need indices for all 42 ICBs, and for 1,000 random places (issue 7);
then the same places written to and read back from NHS England's session JSON, and every
council of England given a budget by need (index, deprivation-adjusted population, by age).

Goal: under 0.5 s for the ICBs. The year's file is read first (not timed); places are
random sets of 5 to 40 practices of a random ICB (seeded).

    .venv/bin/python benchmarks/allocation.py [--year 2025/26] [--places 1000]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from onebudget.allocation.budget import allocate_budget, load_budget
from onebudget.allocation.indices import icb_indices, place_indices
from onebudget.allocation.places import Place, areas, read_session, write_session
from onebudget.allocation.populations import practices
from onebudget.io import yamlio

GOAL = 0.5


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", default="2025/26")
    parser.add_argument("--places", type=int, default=1000)
    args = parser.parse_args()
    everyone = practices(args.year)  # read once, as the service does
    icbs = sorted({p.icb for p in everyone})
    started = time.perf_counter()
    for icb in icbs:
        icb_indices(args.year, icb)
    icb_seconds = time.perf_counter() - started
    rng = np.random.default_rng(2026)
    by_icb = {icb: [p.code for p in everyone if p.icb == icb] for icb in icbs}
    places = []
    for _ in range(args.places):
        icb = icbs[int(rng.integers(len(icbs)))]
        size = int(rng.integers(5, min(40, len(by_icb[icb])) + 1))
        places.append((icb, list(rng.choice(by_icb[icb], size=size, replace=False))))
    started = time.perf_counter()
    for icb, codes in places:
        place_indices(args.year, icb, codes)
    place_seconds = time.perf_counter() - started
    verdict = "met" if icb_seconds < GOAL else "MISSED"
    print(f"{len(icbs)} ICBs x 9 indices: {icb_seconds:.3f} s (goal < {GOAL} s: {verdict})")
    print(f"{len(places):,} random places x 9 indices: {place_seconds:.3f} s")
    _session(args.year, places)
    _budgets(args.year, icbs, rng)
    return 0


def _session(year: str, places: list[tuple[str, list[str]]]) -> None:
    named = [
        Place(f"Place {i}", icb, tuple(sorted(codes))) for i, (icb, codes) in enumerate(places)
    ]
    started = time.perf_counter()
    text = write_session(named, year=year)
    back = read_session(text, year=year, source="benchmark")
    seconds = time.perf_counter() - started
    same = "unchanged" if back == named else "CHANGED"
    print(f"session JSON of {len(named):,} places written and read back ({same}): {seconds:.3f} s")


def _budgets(year: str, icbs: list[str], rng: np.random.Generator) -> None:
    """Each ICB's councils get a budget of three components, one by age group."""
    groups = ["18-64", "65-84", "85+"]
    started, councils = time.perf_counter(), 0
    for icb in icbs:
        names = [a.code for a in areas(year, icb)["councils"]]
        councils += len(names)
        config = {
            "year": year, "budget": "1000000000.00", "icb": icb,
            "places": {c: {"council": c} for c in names},
            "components": [
                {"name": "NHS", "share": "0.8", "index": "Overall core"},
                {"name": "PH", "share": "0.05", "population": "registered",
                 "deprivation_weight": "1"},
                {"name": "ASC", "share": "0.15", "population": "by_age",
                 "age_weights": {"18-64": 1, "65-84": 4, "85+": 12},
                 "population_by_age": {c: {g: int(rng.integers(1000, 500000)) for g in groups}
                                       for c in names},
                 "deprivation_weight": "0.5"},
            ],
        }  # fmt: skip
        allocate_budget(load_budget(yamlio.dump(config), source=icb))
    seconds = time.perf_counter() - started
    print(f"{len(icbs)} ICB budgets to {councils} council areas by need: {seconds:.3f} s")


if __name__ == "__main__":
    sys.exit(main())
