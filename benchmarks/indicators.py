"""Benchmark: the outcomes framework on DuckDB against hand-written DuckDB SQL and pandas.

Six indicators covering every kind of measure (count, sum, population, proportion, a
standardised rate by age band, "followed by", people once each at their highest tier), three
years, on synthetic linked data. All three must agree on every count before any time is printed.
Goals (issue 4): framework <= 1.5 x hand-written SQL, >= 10 x faster than pandas, time
growing linearly from 100,000 to 1,000,000 people. Spark on 1,000,000 is timed if installed.

    .venv/bin/python benchmarks/indicators.py [--persons 100000 1000000] [--no-spark]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb

from indicators_handwritten import SQL, Counts, run_pandas, run_sql
from onebudget.outcomes.calendar import Period
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.engines import Engine
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.population.synth.generate import SynthConfig, generate

PERIODS = [Period.calendar_year(y) for y in (2023, 2024, 2025)]
CHOSEN = list(SQL)
REPEATS = 3


def best_of(fn: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def framework_counts(engine: Engine) -> Counts:
    """The framework's raw (pre-disclosure) counts, shaped like the comparators'."""
    out: Counts = {}
    for name in CHOSEN:
        ind = indicators()[name]
        by = ["esp_band"] if ind.spec.method == "dsr" else []
        num = engine.evaluate(ind.numerator, PERIODS, by)
        den = engine.evaluate(ind.denominator, PERIODS, by)
        keys = sorted(set(num) | set(den), key=str)
        out[name] = {
            (k[0], int(k[1]) if by else 0): (int(num.get(k, 0)), int(den.get(k, 0))) for k in keys
        }
    return out


def run_framework(engine: Engine) -> None:
    for name in CHOSEN:
        compute(indicators()[name], engine, PERIODS)


def check(name: str, got: Counts, expected: Counts) -> None:
    for indicator, cells in expected.items():
        if got[indicator] != cells:
            raise SystemExit(f"{name} disagrees with the framework on {indicator}")


def one_size(persons: int) -> dict[str, float]:
    data = generate(SynthConfig(persons=persons, seed=2026))
    engine = DuckDBEngine(data.tables)
    con = duckdb.connect()
    for table_name, table in data.tables.items():
        con.register(f"t_{table_name}", table)
    frames = {k: v.to_pandas(date_as_object=False) for k, v in data.tables.items()}
    expected = framework_counts(engine)
    check("hand-written SQL", run_sql(con), expected)
    check("pandas", run_pandas(frames), expected)
    # a fresh engine each run: it keeps answers, which helps within a run (shared
    # denominators) but must not make later runs free
    framework, _ = best_of(lambda: run_framework(DuckDBEngine(data.tables)))
    sql, _ = best_of(lambda: run_sql(con))
    pandas, _ = best_of(lambda: run_pandas(frames))
    return {"persons": persons, "framework": framework, "sql": sql, "pandas": pandas, "data": data}  # type: ignore[dict-item]


def spark_time(data: Any) -> tuple[float, float]:
    """Spark reads the Parquet files itself, as it would at national scale."""
    import tempfile

    from onebudget.outcomes.engines.spark import SparkEngine, local_session
    from onebudget.population.synth.writer import write

    folder = Path(tempfile.mkdtemp(prefix="onebudget-spark-"))
    write(data, folder, finance=False)
    started = time.perf_counter()
    local_session()
    paths = {name: folder / f"{name}.parquet" for name in data.tables}
    SparkEngine(paths)
    loaded = time.perf_counter() - started
    best, _ = best_of(lambda: run_framework(SparkEngine(paths)))
    return loaded, best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    print(f"{len(CHOSEN)} indicators x 3 years; best of {REPEATS}; counts checked equal first")
    print(
        f"{'persons':>10} {'framework s':>12} {'SQL s':>8} {'pandas s':>9} "
        f"{'fw/SQL':>7} {'pandas/fw':>10}"
    )
    results = []
    for persons in args.persons:
        r = one_size(persons)
        results.append(r)
        print(
            f"{persons:>10,} {r['framework']:>12.3f} {r['sql']:>8.3f} {r['pandas']:>9.3f} "
            f"{r['framework'] / r['sql']:>7.2f} {r['pandas'] / r['framework']:>10.1f}"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        size, time_ratio = (
            last["persons"] / first["persons"],
            last["framework"] / first["framework"],
        )
        print(
            f"framework time x{time_ratio:.1f} for x{size:.0f} people (linear would be x{size:.0f})"
        )
    if not args.no_spark:
        try:
            loaded, best = spark_time(results[-1]["data"])
            print(
                f"Spark (local, 2 cores) on {results[-1]['persons']:,}: load {loaded:.1f} s, "
                f"indicators {best:.2f} s"
            )
        except RuntimeError as error:
            print(f"Spark not timed: {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
