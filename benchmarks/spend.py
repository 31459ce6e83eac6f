"""Benchmark: map, eliminate and reconcile 1,000,000 ledger lines (issue 6).

Lines are drawn (seeded) from the synthetic council's and ICB's cost centres, accounts and
references, mapped with the example mapping files in src/onebudget/definitions/mappings.
Goal: under 30 s on 2 cores. Prints lines, seconds and lines per second, and checks that
every ledger reconciles.

    .venv/bin/python benchmarks/spend.py [--lines N]
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

from onebudget.spend.engine import identify
from onebudget.spend.mapping import EXAMPLES, read_mapping
from onebudget.spend.rules import SpendLine

ROOT = Path(__file__).resolve().parents[1]
GOAL = 30.0
COUNCIL = ("ASC110", "ASC120", "ASC130", "ASC140", "ASC150", "ASC160", "ASC170", "ASC180",
           "BCF900", "PH300", "XX999")  # fmt: skip
ICB = ("601100", "601200", "601300", "601400", "601500", "601600", "601700", "608200",
       "609100", "999999")  # fmt: skip


def lines(n: int, seed: int = 2026) -> list[SpendLine]:
    rng = np.random.default_rng(seed)
    pence = rng.integers(1, 5_000_000, size=n)
    which = rng.integers(0, 100, size=n)
    out = []
    for i in range(n):
        month = f"2025-{(i % 12) + 1:02d}"
        amount = Decimal(int(pence[i])) / 100
        if which[i] < 2:  # a Section 75 transfer: both sides, same reference
            ref = f"S75-{i}"
            out.append(
                SpendLine(
                    "E06099001", "gl.csv", i, "BCF900", "9310", "S75", month, -amount, reference=ref
                )
            )
            out.append(
                SpendLine(
                    "QZZ", "gl.xlsx", i, "608100", "521310", "S75", month, amount, reference=ref
                )
            )
        elif which[i] < 50:
            cc = COUNCIL[i % len(COUNCIL)]
            text = f"BCF0{i % 9 + 1} scheme" if cc == "BCF900" else "Care"
            out.append(
                SpendLine(
                    "E06099001", "gl.csv", i, cc, "5410", text, month, amount, reference=f"AP{i}"
                )
            )
        else:
            cc = ICB[i % len(ICB)]
            out.append(
                SpendLine(
                    "QZZ",
                    "gl.xlsx",
                    i,
                    cc,
                    "521110",
                    "Services",
                    month,
                    amount,
                    reference=f"INV{i}",
                )
            )
    return out[:n]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    n = parser.parse_args().lines
    mappings = [read_mapping(Path(str(EXAMPLES)) / f"{c}.yaml") for c in ("E06099001", "QZZ")]
    rules = {m.partner: m.rules for m in mappings}
    data = lines(n)
    started = time.perf_counter()
    view = identify(data, rules)
    seconds = time.perf_counter() - started
    if not all(r.balances for r in view.reconciliations):
        raise SystemExit("a ledger does not reconcile")
    verdict = "met" if seconds < GOAL else "MISSED"
    print(
        f"{len(data):,} lines mapped, eliminated and reconciled in {seconds:.2f} s "
        f"({len(data) / seconds:,.0f} lines/s; goal < {GOAL:.0f} s: {verdict}); "
        f"{len(view.unmapped):,} unmapped, {len(view.transfers):,} transfers"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
