"""``onebudget demo`` on a fresh data directory: the command a newcomer runs first."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_demo_creates_the_database_loads_the_place_and_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        ONEBUDGET_DATA_DIR=str(tmp_path / "data"),
        ONEBUDGET_WORKERS="1",
        ONEBUDGET_DEMO_PERSONS="2000",
    )
    cli = Path(sys.executable).with_name("onebudget")
    process = subprocess.Popen(
        [str(cli), "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", seconds=60)
        sign_in = wait_for(f"http://127.0.0.1:{port}/sign-in/", seconds=5)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert '"status": "ok"' in health
    assert "Sign in to OneBudget" in sign_in
    assert f"http://127.0.0.1:{port}/" in output
    assert "pool-manager" in output
    assert "onebudget-demo" in output
    assert (tmp_path / "data" / "onebudget.sqlite3").exists()
    assert (tmp_path / "data" / "places" / "fernmouth" / "manifest.json").exists()
    assert "Synthetic linked data for Fernmouth (2,000 people)" in output
    assert "Allocation: West Yorkshire places saved and a budget allocated" in output
