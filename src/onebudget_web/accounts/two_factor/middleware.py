"""Until a signed-in person has passed the second factor they owe, every page but sign-in,
sign-out, password reset, the two-factor pages, static files and ``/healthz`` sends them to
it. The API with a session is sent there too; an API request with a bearer token is
answered on the token alone (as if the session were not there)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from onebudget_web.accounts.two_factor import rules

OPEN_ROUTES = ("login", "logout", "healthz", rules.VERIFY, rules.SET_UP)
OPEN_PREFIXES = ("/account/password-reset/",)


@cache
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_ROUTES)


def is_open(path: str) -> bool:
    """Pages anyone signed in may reach before the second factor."""
    return path in _open_paths() or path.startswith(
        (settings.STATIC_URL or "/static/", *OPEN_PREFIXES)
    )


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_open(request.path):
            return self.get_response(request)
        if user.is_verified():
            return self.get_response(request)
        step = rules.owed_step(user)
        if step is None:
            return self.get_response(request)
        if request.path.startswith("/api/") and "Authorization" in request.headers:
            request.user = AnonymousUser()  # the token must speak for itself
            return self.get_response(request)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")
