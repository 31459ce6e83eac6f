"""Where the current change comes from: web request, API call, command line or system job.

Actions do not take the request as an argument (they are called from commands and tests
too), so the middleware puts the request's origin in a context variable that ``record``
reads. Outside a request the origin is the process itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    channel: str  # "web", "api", "cli" or "system"
    ip_address: str | None = None
    user_agent: str = ""


SYSTEM = Origin("system")
_current: ContextVar[Origin] = ContextVar("onebudget_audit_origin", default=SYSTEM)


def current_origin() -> Origin:
    return _current.get()


@contextmanager
def origin(value: Origin) -> Iterator[Origin]:
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)
