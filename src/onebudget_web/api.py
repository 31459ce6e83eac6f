"""The JSON API under /api/ (django-ninja), with its OpenAPI schema at /api/openapi.json.

Every operation needs a signed-in session or a personal bearer token, and reads through the
same scoped selectors as the pages, so the API can never show more than the pages do. The
schema and its docs (/api/docs) too: they are for the people who may call the API.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Schema
from ninja.openapi.views import openapi_view
from ninja.security import HttpBearer, django_auth

from onebudget import __version__
from onebudget.roles import NotPermitted
from onebudget_web.accounts.actions import record_token_use, token_digest
from onebudget_web.accounts.api import router as accounts_router
from onebudget_web.accounts.models import ApiToken, User
from onebudget_web.allocation.api import router as allocation_router
from onebudget_web.bcf.api import router as bcf_router
from onebudget_web.contracts.api import router as contracts_router
from onebudget_web.core.api_docs import ServiceDocs
from onebudget_web.core.refusals import refused
from onebudget_web.funds.api import router as funds_router
from onebudget_web.places.api import router as places_router
from onebudget_web.scenarios.api import router as scenarios_router


class BearerToken(HttpBearer):
    """``Authorization: Bearer ob_…``: a personal token from ``manage.py issue_api_token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
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


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and the docs page for signed-in people only (a session or a token), GET
    and HEAD alone: anyone else gets 401 from the schema, as from every operation, and is
    sent to sign in from the docs page."""
    docs_page = getattr(view, "func", view) is openapi_view  # ninja passes a partial

    @require_safe
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or BearerToken()(request) is not None:
            return view(request, *args, **kwargs)
        if docs_page:
            return redirect_to_login(request.get_full_path())
        return JsonResponse({"detail": "Unauthorized"}, status=401)

    return guarded


api = NinjaAPI(
    title="OneBudget API",
    version=__version__,
    description=(
        "Integrated commissioning of health and social care. Authenticate with a session "
        "cookie or `Authorization: Bearer <token>`. You see only your organisations' records."
    ),
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs_decorator=signed_in_only,
    docs=ServiceDocs(),
)
# Under DEBUG django-ninja answers any exception itself; a refusal is still a 403
api.add_exception_handler(NotPermitted, refused)
api.add_router("/", accounts_router)
api.add_router("/places", places_router)
api.add_router("/places", allocation_router)
api.add_router("/places", bcf_router)
api.add_router("/places", contracts_router)
api.add_router("/places", scenarios_router)
api.add_router("/funds", funds_router)
