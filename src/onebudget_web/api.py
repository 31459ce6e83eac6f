"""The JSON API under /api/ (django-ninja), with its OpenAPI schema at /api/openapi.json.

Every operation needs a signed-in session or a personal bearer token, and reads through the
same scoped selectors as the pages, so the API can never show more than the pages do.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer, django_auth

from onebudget import __version__
from onebudget_web.accounts.actions import record_token_use, token_digest
from onebudget_web.accounts.api import router as accounts_router
from onebudget_web.accounts.models import ApiToken
from onebudget_web.allocation.api import router as allocation_router
from onebudget_web.funds.api import router as funds_router
from onebudget_web.places.api import router as places_router


class BearerToken(HttpBearer):
    """``Authorization: Bearer ob_…``: a personal token from ``manage.py issue_api_token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """A token that is not revoked, not expired, of an active user, and (read-only, as
        every token is) used only to read; each use recorded."""
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(
                digest=token_digest(token),
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
                user__is_active=True,
            )
            .first()
        )
        if api_token is None or request.method not in ("GET", "HEAD", "OPTIONS"):
            return None
        record_token_use(api_token=api_token, method=request.method, path=request.path)
        request.user = api_token.user
        return api_token.user


class Problem(Schema):
    detail: str


api = NinjaAPI(
    title="OneBudget API",
    version=__version__,
    description=(
        "Integrated commissioning of health and social care. Authenticate with a session "
        "cookie or `Authorization: Bearer <token>`. You see only your organisations' records."
    ),
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/places", places_router)
api.add_router("/places", allocation_router)
api.add_router("/funds", funds_router)
