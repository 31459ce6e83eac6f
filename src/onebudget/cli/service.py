"""Start the web service from the CLI without importing it.

The library must never import Django (ADR 0003), so the CLI runs the web package as a
separate Python process (``python -m onebudget_web``) and only checks that it is installed.
"""

from __future__ import annotations

import subprocess
import sys

from rich.console import Console

from onebudget.cli.extras import install_hint, missing


def web_installed() -> bool:
    return not missing("web")


def run_service(command: str, *, host: str, port: int, console: Console) -> int:
    """Run ``python -m onebudget_web COMMAND`` in the foreground and return its exit code;
    2, with how to install it, if the web extra is not installed (a module missing from it
    would otherwise be a traceback from the child process)."""
    absent = missing("web")
    if absent:
        hint = install_hint("The web service", "web")
        console.print(
            f"{hint} (or run `make demo`); not installed: {', '.join(absent)}",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return 2
    args = [sys.executable, "-m", "onebudget_web", command, "--host", host, "--port", str(port)]
    try:
        return subprocess.call(args)
    except KeyboardInterrupt:
        return 130
