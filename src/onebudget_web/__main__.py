"""``python -m onebudget_web demo|serve``: what the ``onebudget`` CLI runs (ADR 0003).

``demo`` prepares the embedded database and the demo place, prints how to sign in, and
serves; ``serve`` applies migrations and serves whatever database is configured.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _prepare(load_demo: bool) -> None:
    """Migrate, collect static files and (for the demo) load the demo place, saying what it
    is doing and how long each step took: a first start is never silent. The outcome
    results are left to ``_build_in_background``, so the service answers within a minute."""
    import django
    from django.core.management import call_command

    django.setup()
    with _step("Database: applying migrations"):
        call_command("migrate", interactive=False, verbosity=0)
    with _step("Static files: collecting"):
        call_command("collectstatic", interactive=False, verbosity=0)
    if load_demo:
        with _step("Demo place: loading"):
            call_command("load_demo", persons=_demo_persons(), results="later")


def _build_in_background() -> subprocess.Popen[bytes]:
    """Work out the outcome results that are missing in a process of their own, while the
    service answers: its pages say the results are being worked out until they are stored
    (``places.results``; a first start's only slow step, so it is never waited for)."""
    _say("Outcome results: being worked out in the background (the outcome pages say so)")
    # load_demo does only what is missing: the results, then the returns that read them
    persons = str(_demo_persons())
    command = [
        sys.executable,
        "-m",
        "django",
        "load_demo",
        "--results",
        "now",
        "--persons",
        persons,
    ]
    # our own interpreter and command, no user input: S603's untrusted input cannot arise
    return subprocess.Popen(command, env=os.environ.copy(), stdout=sys.stdout, stderr=sys.stderr)  # noqa: S603


def _demo_persons() -> int:
    from onebudget import demo

    return int(os.environ.get("ONEBUDGET_DEMO_PERSONS", demo.DEMO_PERSONS))


def _say(line: str) -> None:
    """A line on the terminal now (not when a buffer fills): progress a person is waiting for."""
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


@contextmanager
def _step(what: str) -> Iterator[None]:
    _say(f"{what}...")
    started = time.perf_counter()
    yield
    _say(f"{what}: done in {time.perf_counter() - started:.1f} s")


def _print_welcome(host: str, port: int, demo: bool) -> None:
    from django.conf import settings

    url = f"http://{host}:{port}/"
    _say(f"\nOneBudget is running at {url}")
    if demo:
        for line in _sign_ins():
            _say(line)
        if not settings.ONEBUDGET_REQUIRE_TWO_FACTOR:
            _say("Two-factor sign-in is offered but not required in the demo: its users share")
            _say("a published password.")
    _say("Press Ctrl+C to stop.\n")


def _sign_ins() -> list[str]:
    """The demo's sign-ins grouped by organisation, one short line each: fits 80 columns and
    stays readable when the log is piped or saved."""
    from onebudget import demo as demo_place

    lines = [f"\nDemo sign-ins (the password for all: {demo_place.DEMO_PASSWORD})"]
    for organisation in demo_place.ORGANISATIONS:
        users = [u for u in demo_place.USERS if u.organisation_code == organisation.code]
        if users:
            lines.append(f"  {organisation.name}")
        for u in users:
            roles = ", ".join(r.value.replace("_", " ") for r in u.roles)
            lines.append(f"    {u.username:<13} {roles:<13} {u.full_name}")
    return lines


def _serve(host: str, port: int) -> None:
    from gunicorn.app.base import BaseApplication

    from onebudget_web.wsgi import application

    # gunicorn ships no types, so its BaseApplication is Any to mypy (subclassing Any).
    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", int(os.environ.get("ONEBUDGET_WORKERS", "2")))
            self.cfg.set("accesslog", "-" if os.environ.get("ONEBUDGET_ACCESS_LOG") else None)
            self.cfg.set("control_socket_disable", True)  # one per user: instances would clash

        def load(self) -> object:
            return application

    Server().run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onebudget_web")
    parser.add_argument("command", choices=["demo", "serve"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, even piped
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onebudget_web.settings.base")
    demo = args.command == "demo"
    # Anyone may sign in as a demo user (the password is published): a second factor that
    # they must set up would lock out everyone but the first to set it up.
    if demo:
        os.environ.setdefault("ONEBUDGET_REQUIRE_TWO_FACTOR", "false")
    _prepare(load_demo=demo)
    builder = _build_in_background() if demo else None
    _print_welcome(args.host, args.port, demo)
    try:
        _serve(args.host, args.port)
    finally:
        if builder is not None and builder.poll() is None:
            builder.terminate()  # a build stopped part way stores nothing (one transaction)
    return 0


if __name__ == "__main__":
    sys.exit(main())
