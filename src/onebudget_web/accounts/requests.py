"""The request a signed-in person's page or API operation gets, for the type checker."""

from __future__ import annotations

from django.http import HttpRequest

from onebudget_web.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request behind ``login_required`` or the API's authentication, whose ``user`` is
    therefore a ``User``, never ``AnonymousUser``. Only an annotation: Django still passes a
    plain ``HttpRequest`` (the pattern django-stubs documents for authenticated views)."""

    user: User
