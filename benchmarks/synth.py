"""Benchmark: synthetic linked data for 10,000 and 1,000,000 persons (3 years).

Targets (issue 3): 1,000,000 persons in under 60 s and under 4 GiB on 2 cores; 10,000 in
under 2 s. Each size runs in a fresh process so that peak memory is that size's own.
Prints one line per size: persons, seconds (generate + write), peak RSS, rows written.

    .venv/bin/python benchmarks/synth.py [SIZES...]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {10_000: (2.0, 4.0), 1_000_000: (60.0, 4.0)}  # seconds, GiB


def run_one(persons: int) -> dict[str, float]:
    from onebudget.population.synth.generate import SynthConfig, generate
    from onebudget.population.synth.writer import write

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        data = generate(SynthConfig(persons=persons, seed=2026))
        generated = time.perf_counter()
        write(data, Path(out))
        finished = time.perf_counter()
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    rows = sum(t.num_rows for t in data.tables.values())
    return {
        "persons": persons,
        "generate_s": generated - started,
        "total_s": finished - started,
        "peak_gib": peak_gib,
        "rows": rows,
    }


def main(sizes: list[int]) -> int:
    failed = False
    print(f"{'persons':>10} {'generate s':>11} {'total s':>8} {'peak GiB':>9} {'rows':>11}  target")
    for persons in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(persons)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        seconds, gib = TARGETS.get(persons, (float("inf"), float("inf")))
        ok = r["total_s"] < seconds and r["peak_gib"] < gib
        failed |= not ok
        target = f"< {seconds:.0f} s, < {gib:.0f} GiB: " if persons in TARGETS else ""
        print(
            f"{persons:>10,} {r['generate_s']:>11.2f} {r['total_s']:>8.2f} "
            f"{r['peak_gib']:>9.2f} {int(r['rows']):>11,}  {target}{'met' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]))))
    else:
        raise SystemExit(main([int(a) for a in sys.argv[1:]] or sorted(TARGETS)))
