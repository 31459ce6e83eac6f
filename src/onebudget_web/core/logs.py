"""The server log says a client's mistake in one line: a 4xx answer (a bad Host header, a
missing CSRF cookie, a refused page) is routine and its traceback is noise that hides real
faults, so it is dropped. A 5xx keeps its traceback."""

from __future__ import annotations

import logging

CLIENT_ERROR_LOGGERS = ("django.security", "django.request", "django.server")


class OneLineClientErrors(logging.Filter):
    """On a handler: strip the traceback from records of client errors (status below 500, or
    any ``django.security`` record: Django answers a SuspiciousOperation with 400)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and _client_error(record):
            record.exc_info = None
            record.exc_text = None
        return True


def _client_error(record: logging.LogRecord) -> bool:
    if record.name.startswith("django.security"):
        return True
    status = getattr(record, "status_code", None)
    return record.name.startswith(CLIENT_ERROR_LOGGERS) and isinstance(status, int) and status < 500
