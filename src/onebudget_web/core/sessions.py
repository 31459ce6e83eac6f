"""An absolute limit on a signed-in session, beside the idle limit.

The idle limit is the session cookie's age, renewed by every request
(``SESSION_SAVE_EVERY_REQUEST``): ``ONEBUDGET_IDLE_MINUTES`` without a request and the
person signs in again. A session kept alive by constant use still ends
``ONEBUDGET_ABSOLUTE_HOURS`` after signing in, so a stolen session cookie is not good for ever.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "onebudget_signed_in_at"


@receiver(user_logged_in)
def _note_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


class AbsoluteTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _expired(request):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def _expired(request: HttpRequest) -> bool:
    since = request.session.get(SIGNED_IN_AT)
    if since is None:  # signed in before this rule, or by a test client: start it now
        request.session[SIGNED_IN_AT] = time.time()
        return False
    return bool(time.time() - float(since) > settings.ONEBUDGET_ABSOLUTE_HOURS * 3600)
