"""No form field may hold a NUL character: refused once, for every form of the service.

PostgreSQL cannot store NUL in text, so a note, a reason or a name with one was a server
error there (and stored as given on SQLite). Django's own form fields refuse it; the
service's pages read ``request.POST`` directly, so this middleware refuses it for all of
them, with a page that says which field, before any view runs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class NoNulInFormsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORMS:
            fields = sorted({k for k, vs in request.POST.lists() if any("\x00" in v for v in vs)})
            if fields:
                errors = [f"{f}: contains a NUL character, which no text may hold" for f in fields]
                context = {"errors": errors, "back": request.path}
                return render(request, "form_refused.html", context, status=400)
        return self.get_response(request)


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
