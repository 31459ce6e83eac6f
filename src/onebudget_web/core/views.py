"""Service-wide views: the liveness check used by deployments and monitors."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from onebudget import __version__


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Up, and the database answers. Says nothing about any organisation."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": __version__})
