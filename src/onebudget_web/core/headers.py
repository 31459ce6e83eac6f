"""Security headers on every response.

- ``Cache-Control: no-store, private`` on responses to a signed-in person or an API token:
  pages, downloads and API answers hold the partners' money and person-level outcomes, and
  the back button on a shared computer after signing out, or a cache between, keep none.
- A strict Content-Security-Policy: scripts, styles, fonts and images only from the service
  itself (no inline script or style anywhere), map tiles from the configured tile server
  only, no plugins, no framing, forms posted only to the service.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
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


def content_security_policy() -> str:
    tiles = urlsplit(settings.ONEBUDGET_MAP_TILES.replace("{s}", "*"))
    tile_origin = f" {tiles.scheme}://{tiles.netloc}" if tiles.scheme and tiles.netloc else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data:{tile_origin}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
