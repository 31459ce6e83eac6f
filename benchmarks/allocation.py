"""Benchmark: all nine need indices for all 42 ICBs, and for 1,000 random places (issue 7).

Goal: under 0.5 s for the ICBs. The year's file is read first (not timed); places are
random sets of 5 to 40 practices of a random ICB (seeded).

    .venv/bin/python benchmarks/allocation.py [--year 2025/26] [--places 1000]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from onebudget.allocation.indices import icb_indices, place_indices
from onebudget.allocation.populations import practices

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
