"""Records, for the audit log, where each request comes from."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from onebudget_web.audit.context import Origin, origin


def client_ip(request: HttpRequest) -> str | None:
    if settings.ONEBUDGET_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        with origin(Origin(channel, client_ip(request), agent)):
            return self.get_response(request)
