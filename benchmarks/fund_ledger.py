"""Benchmark: 1,000,000 ledger postings and the year-end settlement (issue 5).

500,000 balanced transactions of two postings each are posted to a pooled fund through the
service's own action (``post_transactions``: the library's ``Ledger`` checking every rule
over the service's database store, 10,000 a batch, one database transaction a batch), then
the settlement is prepared from the ledger. Runs on SQLite (a fresh embedded database) and,
if ``ONEBUDGET_TEST_POSTGRES_URL`` or ``DATABASE_URL`` names one, on PostgreSQL (a fresh
database is created there and dropped). The same ``Ledger`` over its in-memory store is
timed too, one ``post`` a transaction. Goal: under 60 s for each database.

    .venv/bin/python benchmarks/fund_ledger.py [--postings N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BATCH = 10_000
GOAL = 60.0
AGREEMENT = """\
id: S75-BENCH
name: Benchmark pooled fund
financial_year: 2025
host: E06099001
pool_manager: Pool manager
cascade: true
risk_reserve: {E06099001: 50000.00, QZZ: 50000.00}
partners:
  - {code: E06099001, name: Fernmouth Council}
  - {code: QZZ, name: NHS Fernmouth ICB}
schemes:
"""


def agreement_text(schemes: int = 9) -> str:
    lines = [
        f"  - {{code: S{i}, name: Scheme {i}, contributions: {{QZZ: 4000000.00, "
        f"E06099001: 1000000.00}}, overspend: {{rule: pro_rata}}}}"
        for i in range(schemes)
    ]
    return AGREEMENT + "\n".join(lines) + "\n"


def transactions(postings: int) -> list:
    """Spending lines spread over the year and the schemes: two postings each."""
    from onebudget.funds.ledger import Posting, Transaction
    from onebudget.money import from_pence

    start = date(2025, 4, 1)
    out = []
    for n in range(postings // 2):
        amount = from_pence(1 + (n * 7919) % 1_000_00)
        scheme = f"S{n % 9}"
        legs = (Posting(f"{scheme}:expenditure", amount), Posting("bank", -amount))
        out.append(Transaction(f"line-{n}", start + timedelta(days=n % 365), "Invoice", legs))
    return out


def library(postings: int) -> float:
    from onebudget.funds.ledger import Ledger
    from onebudget.funds.ledger_store import MemoryStore

    txs = transactions(postings)
    ledger = Ledger(MemoryStore())
    started = time.perf_counter()
    for tx in txs:
        ledger.post(tx)
    return time.perf_counter() - started


# Where posting time goes: the store's look-ups (for the library's checks), its writes, and
# the commits (where PostgreSQL runs its deferred checks); the rest is mostly the library.
PARTS = {"reads": ("fetch", "reversed_among", "revisions", "closed_periods"), "writes": ("append",)}


def timed_parts() -> dict[str, float]:
    """Wrap the database store's methods and the commit in timers; returns the running sums."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    from onebudget_web.funds.ledger_store import DjangoLedgerStore

    spent = dict.fromkeys([*PARTS, "commit"], 0.0)

    def timer(part: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[part] += time.perf_counter() - started

        return timed

    for part, names in PARTS.items():
        for name in names:
            setattr(DjangoLedgerStore, name, timer(part, getattr(DjangoLedgerStore, name)))
    BaseDatabaseWrapper._commit = timer("commit", BaseDatabaseWrapper._commit)  # type: ignore[method-assign]
    return spent


def service(postings: int) -> tuple[float, float, dict[str, float]]:
    """Run inside a process whose settings point at an empty database."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from onebudget_web.accounts.models import User
    from onebudget_web.demo.loader import load_demo_place
    from onebudget_web.funds import actions, bookkeeping
    from onebudget_web.places.models import Place

    load_demo_place()
    manager = User.objects.get(username="pool-manager")
    place = Place.objects.get(slug="fernmouth")
    fund = actions.create_fund(by=manager, place=place, text=agreement_text())
    txs = transactions(postings)
    spent = timed_parts()
    started = time.perf_counter()
    for i in range(0, len(txs), BATCH):
        actions.post_transactions(by=manager, fund=fund, transactions=txs[i : i + BATCH])
    posted = time.perf_counter() - started
    parts = dict(spent)
    started = time.perf_counter()
    bookkeeping.prepare_settlement(
        by=manager, fund=fund, override="Benchmark data: no month is closed"
    )
    return posted, time.perf_counter() - started, parts


def run_backend(name: str, url: str | None, postings: int) -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ONEBUDGET_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src")}
        env["DJANGO_SETTINGS_MODULE"] = "onebudget_web.settings.base"
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        code = (
            "import sys; sys.path.insert(0, 'benchmarks'); import fund_ledger as b; "
            f"p, s, parts = b.service({postings}); print(p, s, *parts.values())"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            print(f"{name}: failed\n{result.stderr[-2000:]}")
            return
        fields = result.stdout.split()[-(len(PARTS) + 3) :]  # posting, settlement, parts
        post, settle, *parts = (float(x) for x in fields)
        verdict = "met" if post + settle < GOAL else "MISSED"
        print(
            f"{name:10s} {postings:>9,} postings {post:7.2f} s, settlement {settle:5.2f} s, "
            f"total {post + settle:6.2f} s (goal < {GOAL:.0f} s: {verdict})"
        )
        reads, writes, commit = parts
        print(
            f"{'':10s} posting: store reads {reads:.2f} s, writes {writes:.2f} s, "
            f"commits {commit:.2f} s, rest (library, actions) {post - sum(parts):.2f} s"
        )


def postgres_database(url: str) -> tuple[str, object]:
    """A fresh database beside the one in ``url``, and a function that drops it."""
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"onebudget_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"{base}/{name}", drop


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=1_000_000)
    postings = parser.parse_args().postings
    print(f"library    {postings:>9,} postings {library(postings):7.2f} s (in memory)")
    run_backend("sqlite", None, postings)
    url = os.environ.get("ONEBUDGET_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres"):
        fresh, drop = postgres_database(url)
        try:
            run_backend("postgresql", fresh, postings)
        finally:
            drop()  # type: ignore[operator]
    else:
        print("postgresql: not run (set ONEBUDGET_TEST_POSTGRES_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
