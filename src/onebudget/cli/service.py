"""Start the web service from the CLI without importing it.

The library must never import Django (ADR 0003), so the CLI runs the web package as a
separate Python process (``python -m onebudget_web``) and only checks that it is installed.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from rich.console import Console

_MISSING = (
    "The web service is not installed in this environment. "
    "Install it with: pip install 'onebudget[web]' (or run `make demo`)."
)


def web_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("django", "onebudget_web"))


def run_service(command: str, *, host: str, port: int, console: Console) -> int:
    """Run ``python -m onebudget_web COMMAND`` in the foreground and return its exit code."""
    if not web_installed():
        console.print(f"[red]{_MISSING}[/red]")
        return 2
    args = [sys.executable, "-m", "onebudget_web", command, "--host", host, "--port", str(port)]
    try:
        return subprocess.call(args)
    except KeyboardInterrupt:
        return 130
