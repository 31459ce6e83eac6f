"""The demo on SQLite under a burst of writes: 20 signed-in clients save allocation places at
once through the real service (gunicorn, its worker processes, CSRF and all), 200 writes in
all. None may fail with ``database is locked``; every write must be stored (ADR 0015)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from onebudget import demo
from tests.integration.test_demo_command import free_port, wait_for

pytestmark = pytest.mark.slow

CLIENTS = 20
WRITES_EACH = 10
# Demo users with an analyst's permission at a partner of the demo place: four sessions each.
WRITERS = ("analyst", "finance", "icb-finance", "commissioner", "pool-manager")
PRACTICES = ["B85005", "B85022", "B85061", "B85026"]
WORKERS = "2"  # the demo's own default: two gunicorn processes, each its own connection


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302 is the answer we want to see, not follow


class Client:
    """A browser-like session: cookies, the CSRF token from a form, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def csrf(self) -> str:
        return next(c.value or "" for c in self.cookies if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 (loopback)

    def post(self, path: str, fields: dict[str, str | list[str]]) -> tuple[int, str]:
        """The status, and the page redirected to (for a 302) or the body."""
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}, doseq=True)
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base + path, data=data.encode(), headers={"Referer": self.base + path}
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx and 5xx
            if answer.code == 302:
                return 302, answer.headers.get("Location", "")
            return int(answer.code), answer.read().decode(errors="replace")
        except OSError as error:  # no answer at all (a worker killed, a timeout): a failure too
            return 0, repr(error)

    def sign_in(self, username: str) -> tuple[int, str]:
        self.get("/sign-in/")
        fields = {"username": username, "password": demo.DEMO_PASSWORD, "next": "/"}
        return self.post("/sign-in/", fields)


def write_burst(base: str) -> list[tuple[str, int, str]]:
    """Each client signs in, waits for the others, then saves its places as fast as it can.
    The answers: what was asked (a sign-in, or the place's name), status, page or body."""
    ready = threading.Barrier(CLIENTS)
    path = f"/places/{demo.PLACES[0].slug}/allocation/builder/"

    def one_client(n: int) -> list[tuple[str, int, str]]:
        client = Client(base)
        username = WRITERS[n % len(WRITERS)]
        answers = [(f"sign-in {n:02d} as {username}", *client.sign_in(username))]
        client.get(path)  # a fresh CSRF token for the form, as a browser would have
        ready.wait(timeout=120)
        for k in range(WRITES_EACH):
            name = f"Burst {n:02d}-{k:02d}"
            fields = {"name": name, "year": "2025/26", "icb": "QWO", "practices": PRACTICES}
            status, body = client.post(path, fields)
            answers.append((name, status, body))
        return answers

    with ThreadPoolExecutor(CLIENTS) as pool:
        return [a for answers in pool.map(one_client, range(CLIENTS)) for a in answers]


def test_twenty_clients_writing_at_once_to_the_demo_on_sqlite_all_succeed(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(ONEBUDGET_DATA_DIR=str(data), ONEBUDGET_WORKERS=WORKERS, ONEBUDGET_DEMO_PERSONS="0")
    cli = Path(sys.executable).with_name("onebudget")
    log = tmp_path / "server.log"  # a file, not a pipe: a full pipe would stall the server
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(cli), "demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/healthz", seconds=90)
            answers = write_burst(base)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    output = log.read_text()

    signed_in = [a for a in answers if a[0].startswith("sign-in")]
    writes = [a for a in answers if not a[0].startswith("sign-in")]
    failed = [(what, status) for what, status, _ in answers if status >= 500 or status == 0]
    assert not failed, (
        f"{sum(1 for f in failed if not f[0].startswith('sign-in'))} of {len(writes)} writes "
        f"and {sum(1 for f in failed if f[0].startswith('sign-in'))} of {len(signed_in)} "
        f"sign-ins failed ({output.count('database is locked')} lines of the server's log say "
        f"'database is locked'): {failed[:5]}"
    )
    assert len(signed_in) == CLIENTS
    assert all(status == 302 and page == "/" for _, status, page in signed_in), signed_in[:3]
    home = f"/places/{demo.PLACES[0].slug}/allocation/"
    refused = [(name, status, re.sub(r"\s+", " ", body)[:300]) for name, status, body in writes]
    refused = [r for r in refused if r[1:] != (302, home)]
    assert not refused, f"writes not saved: {refused[:3]}"
    with sqlite3.connect(data / "onebudget.sqlite3") as db:
        names = {r[0] for r in db.execute("SELECT name FROM allocation_allocationplace")}
        events = db.execute(
            "SELECT count(*) FROM audit_auditevent WHERE action = 'allocation.place_saved'"
            " AND detail LIKE '%fernmouth%' AND object_id IN"
            " (SELECT CAST(id AS TEXT) FROM allocation_allocationplace WHERE name LIKE 'Burst %')"
        ).fetchone()[0]
    assert {name for name, _, _ in writes} <= names
    assert len(writes) == CLIENTS * WRITES_EACH == 200
    assert events == 200
