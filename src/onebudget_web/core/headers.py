"""Responses to a signed-in person (or an API token) are never stored by a browser or proxy.

Pages, downloads and API answers hold the partners' money and person-level outcomes: with
``Cache-Control: no-store, private`` the back button on a shared computer after signing
out, and any cache between, keep none of it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "Authorization" in request.headers:
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response
