"""The one place a refusal for want of a role (``onebudget.roles.NotPermitted``) becomes an
answer: 403 with the reason, as a page or, for the API, as JSON.

Actions and views raise ``NotPermitted`` and never build a 403 themselves. Answered here, a
routine refusal is logged as one line ("Forbidden"), not as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from onebudget.roles import NotPermitted

API_PREFIX = "/api/"


def refused(request: HttpRequest, refusal: object) -> HttpResponse:
    """403, saying why: the reason names the permission and the organisation, never a record
    the person may not see."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": str(refusal)}, status=403)
    return render(request, "403.html", {"exception": str(refusal)}, status=403)


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return refused(request, exception) if isinstance(exception, NotPermitted) else None
