"""``python -m onebudget_web demo|serve``: what the ``onebudget`` CLI runs (ADR 0003).

``demo`` prepares the embedded database and the demo place, prints how to sign in, and
serves; ``serve`` applies migrations and serves whatever database is configured.
"""

from __future__ import annotations

import argparse
import os
import sys


def _prepare(load_demo: bool) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if load_demo:
        from onebudget import demo

        persons = int(os.environ.get("ONEBUDGET_DEMO_PERSONS", demo.DEMO_PERSONS))
        call_command("load_demo", persons=persons)


def _print_welcome(host: str, port: int, demo: bool) -> None:
    from django.conf import settings
    from rich.console import Console
    from rich.table import Table

    from onebudget import demo as demo_place

    console = Console()
    url = f"http://{host}:{port}/"
    console.print(f"\n[bold]OneBudget[/bold] is running at [link={url}]{url}[/link]")
    if demo:
        table = Table(title=f"Demo sign-ins (password for all: {demo_place.DEMO_PASSWORD})")
        for column in ("username", "who", "organisation", "roles"):
            table.add_column(column)
        names = {o.code: o.name for o in demo_place.ORGANISATIONS}
        for u in demo_place.USERS:
            roles = ", ".join(r.value for r in u.roles)
            table.add_row(u.username, u.full_name, names[u.organisation_code], roles)
        console.print(table)
        if not settings.ONEBUDGET_REQUIRE_TWO_FACTOR:
            console.print(
                "Two-factor sign-in is offered but not required in the demo: its users share "
                "a published password."
            )
    console.print("Press Ctrl+C to stop.\n")


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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onebudget_web.settings.base")
    demo = args.command == "demo"
    # Anyone may sign in as a demo user (the password is published): a second factor that
    # they must set up would lock out everyone but the first to set it up.
    if demo:
        os.environ.setdefault("ONEBUDGET_REQUIRE_TWO_FACTOR", "false")
    _prepare(load_demo=demo)
    _print_welcome(args.host, args.port, demo)
    _serve(args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
