"""Benchmark: the demo service under concurrent signed-in readers (issue 15).

Starts the demo service on loopback as ``onebudget demo`` does (``python -m onebudget_web
demo``: gunicorn, two workers) with a fresh data directory; its outcome results are built
first, as loading the data does (``build_outcome_results``; ``--cold`` leaves them to the
pages' fallback). Signs in ``--users`` sessions through the sign-in form (CSRF and all; the
demo does not require a second factor), round robin over the demo users of Fernmouth's
partners. Each session then asks for the main pages in a seeded random order for
``--seconds``, pausing between pages as a person reading them does (``--think``, seconds
drawn uniformly from a range; 1–5 s, the pause Locust's documentation gives its users;
``--think 0`` asks without pausing, a stress test rather than 50 people). Prints requests,
errors, p50/p95/p99 per page and overall, and the peak memory of the service's processes
(the sum of their RSS from /proc), each beside its goal: p95 under 300 ms, no errors,
under 1.5 GB in all.

    .venv/bin/python benchmarks/service_load.py [--people N] [--users 50] [--seconds 60]
        [--think 1-5] [--keep DIR]

The issue's target size is ``--people 1000000``; the default is the demo's own size.
``--keep DIR`` builds the place in DIR once and reuses it on later runs (a 1,000,000-person
place takes about five minutes to build).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "onebudget-demo"  # noqa: S105 (the demo's published password)
USERS = ("viewer", "analyst", "finance", "icb-finance", "commissioner", "pool-manager", "admin")
PLACE = "/places/fernmouth/"
GOAL_P95_MS, GOAL_MEMORY_GB = 300.0, 1.5


def pages(fund: str) -> dict[str, str]:
    return {
        "place overview": PLACE,
        "outcomes": f"{PLACE}outcomes/",
        "indicator": f"{PLACE}outcomes/falls-65-plus/",
        "spend": f"{PLACE}spend/",
        "fund": f"/funds/{fund}/",
        "ledger": f"/funds/{fund}/ledger/",
        "monitoring": f"/funds/{fund}/monitoring/",
        "settlement": f"/funds/{fund}/settlement/",
        "allocation": f"{PLACE}allocation/",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(data_dir: Path, people: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ONEBUDGET_DATA_DIR=str(data_dir),
        ONEBUDGET_DEMO_PERSONS=str(people),
        DJANGO_SETTINGS_MODULE="onebudget_web.settings.base",
        ONEBUDGET_REQUIRE_TWO_FACTOR="false",  # as `onebudget demo` sets it
    )
    env.pop("DATABASE_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> float:
    """Run a management command to its end; the seconds it took."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "django", *args], env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


def start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """The service, answering on ``port``; stopped again if it does not start."""
    args = [sys.executable, "-m", "onebudget_web", "demo", "--port", str(port)]
    with open(log, "ab") as out:  # its own session: it and its workers stop together
        server = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
        )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the service stopped at start ({server.returncode}); see {log}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop(server)
    raise SystemExit("the service did not answer within 10 minutes")


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def sign_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/sign-in/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if token is None:
        raise SystemExit("no CSRF token on the sign-in page")
    answer = session.post(
        f"{base}/sign-in/",
        data={"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/sign-in/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "sign-in" in answer.headers.get("Location", ""):
        raise SystemExit(f"{username} could not sign in ({answer.status_code})")
    return session


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every process below it (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo += [p for p, parent in parents.items() if parent == pid and p not in found]
    total = 0
    for pid in found:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(rss[1]) * 1024 if rss else 0
    return total


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    peak_rss: int = 0


def reader(base: str, session: requests.Session, urls: dict[str, str], seed: int,
           until: float, tally: Tally, think: tuple[float, float]) -> None:  # fmt: skip
    rng = np.random.default_rng(seed)
    names = list(urls)
    time.sleep(rng.uniform(0, think[1]))  # people do not all arrive in the same second
    while time.monotonic() < until:
        name = names[int(rng.integers(len(names)))]
        started = time.perf_counter()
        try:
            answer = session.get(base + urls[name], allow_redirects=False, timeout=60)
            ok = answer.status_code == 200
        except requests.RequestException:
            ok = False
        took = (time.perf_counter() - started) * 1000
        with tally.lock:
            tally.times[name].append(took)
            tally.errors[name] += 0 if ok else 1
        time.sleep(rng.uniform(*think))


def watch_memory(pid: int, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        tally.peak_rss = max(tally.peak_rss, tree_rss(pid))
        time.sleep(0.5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(tally: Tally, seconds: float) -> bool:
    print(f"\n{'page':<16} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8}  goal: p95 < {GOAL_P95_MS:.0f} ms, no errors")  # fmt: skip
    ok = True
    rows = [*tally.times.items(), ("all", [t for v in tally.times.values() for t in v])]
    for name, times in rows:
        errors = sum(tally.errors.values()) if name == "all" else tally.errors[name]
        p95 = percentile(times, 0.95)
        met = p95 < GOAL_P95_MS and errors == 0
        ok &= met
        p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
        verdict = "met" if met else "NOT MET"
        print(
            f"{name:<16} {len(times):>9,} {errors:>7,} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} "
            f" {verdict}"
        )
    total = len(rows[-1][1])
    print(f"{total:,} requests in {seconds:.0f} s: {total / seconds:,.1f} a second")
    gb = tally.peak_rss / 1e9
    verdict = "met" if gb < GOAL_MEMORY_GB else "NOT MET"
    print(
        f"peak memory of the service's processes: {gb:.2f} GB "
        f" goal < {GOAL_MEMORY_GB} GB: {verdict}"
    )
    return ok and gb < GOAL_MEMORY_GB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=260_000, help="the demo place's size")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cold", action="store_true", help="do not build outcome results first")
    parser.add_argument("--think", type=think_range, default=(1.0, 5.0),
                        help="seconds between one user's pages: a range, 1-5, or 0")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="build the place here once and reuse it")
    args = parser.parse_args()
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="onebudget-load-"))
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    env = environment(data_dir, args.people)
    print(f"Demo place of {args.people:,} people; data in {data_dir}")
    print(f"{args.users} users, each pausing {args.think[0]:g}-{args.think[1]:g} s between pages")
    try:
        if not (data_dir / "built").exists():
            prepare(env, args)
            if args.keep:
                (data_dir / "built").write_text(f"{args.people}\n")
        return run(env, args)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def prepare(env: dict[str, str], args: argparse.Namespace) -> None:
    print(f"migrate: {manage(env, 'migrate', '--verbosity', '0'):.1f} s")
    print(f"load_demo: {manage(env, 'load_demo', '--persons', str(args.people)):.1f} s")
    if not args.cold:
        print(f"build_outcome_results: {manage(env, 'build_outcome_results'):.1f} s")


def run(env: dict[str, str], args: argparse.Namespace) -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(env, port, Path(env["ONEBUDGET_DATA_DIR"]) / "service.log")
    try:
        sessions = [sign_in(base, USERS[i % len(USERS)]) for i in range(args.users)]
        fund = re.search(r'href="/funds/([^/"]+)/"', sessions[0].get(base + PLACE).text)
        if fund is None:
            raise SystemExit("no pooled fund on the place's page")
        urls = pages(fund[1])
        for session in sessions[: len(USERS)]:  # each user's first view of each page
            for url in urls.values():
                session.get(base + url, timeout=600)
        print(f"{len(sessions)} sessions signed in; service memory after warming up: "
              f"{tree_rss(server.pid) / 1e9:.2f} GB")  # fmt: skip
        tally = Tally()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=reader, args=(base, s, urls, i, until, tally, args.think))
            for i, s in enumerate(sessions)
        ]
        threads.append(threading.Thread(target=watch_memory, args=(server.pid, until, tally)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return 0 if report(tally, time.monotonic() - started) else 1
    finally:
        stop(server)


if __name__ == "__main__":
    sys.exit(main())
