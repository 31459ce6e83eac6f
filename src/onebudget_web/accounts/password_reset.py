"""Password reset by email, with Django's views and our pages (templates/registration).

The request page answers the same whether or not an account has the address, and the link
works once, for a limited time (``PASSWORD_RESET_TIMEOUT``). The new password meets every
validator. The reset does not sign the person in: they sign in with the new password and
then pass the second factor as usual (ADR 0017). Requests and resets are audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse
from django.views.generic.base import ContextMixin

from onebudget_web.accounts.models import User
from onebudget_web.audit.log import record


def link_lifetime() -> str:
    """How long a reset link works, in words for the pages and the email."""
    hours = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600))
    return "1 hour" if hours == 1 else f"{hours} hours"


class _SaysHowLong(ContextMixin):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"link_lifetime": link_lifetime()}


def record_reset_requested(*, user: User) -> None:
    """One event per account the address belongs to; none for an unknown address (the log
    is not shown to the person asking, so it cannot tell them either way)."""
    record(by=None, action="password.reset_requested", obj=user)


def record_reset(*, user: User) -> None:
    record(by=user, action="password.reset", obj=user)


class RequestResetView(_SaysHowLong, auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        for user in form.get_users(form.cleaned_data["email"]):
            record_reset_requested(user=user)
        self.extra_email_context = {"link_lifetime": link_lifetime()}
        return super().form_valid(form)


class ResetSentView(_SaysHowLong, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ChooseNewPasswordView(_SaysHowLong, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        record_reset(user=form.user)
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
