"""Sign in, sign out, home and organisation pages. Thin: selectors read, presenters shape."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onebudget_web.accounts import actions, presenters, selectors
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.audit.selectors import activity_of
from onebudget_web.audit.words import action_in_words


class ChangePasswordView(auth_views.PasswordChangeView):
    """The signed-in person changes their password: the old one first, the new one twice,
    every validator applied; the session stays signed in; audited."""

    template_name = "registration/password_change.html"

    def get_success_url(self) -> str:
        return str(reverse("home"))

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        actions.record_password_changed(user=form.user)
        messages.success(self.request, "Your password has been changed.")
        return response


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        actions.record_sign_in(user=form.get_user())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        actions.record_failed_sign_in(
            username=str(form.data.get("username", "")),
            locked_out=bool(getattr(self.request, "axes_locked_out", False)),
        )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            actions.record_sign_out(user=request.user)
        return super().post(request, *args, **kwargs)


@require_GET
@login_required
def home(request: SignedInRequest) -> HttpResponse:
    return render(request, "accounts/home.html", presenters.home_page(request.user))


@require_GET
@login_required
def organisation_detail(request: SignedInRequest, code: str) -> HttpResponse:
    organisation = selectors.get_organisation_for(request.user, code)
    context = presenters.organisation_page(request.user, organisation)
    return render(request, "accounts/organisation_detail.html", context)


@require_GET
@login_required
def organisation_activity(request: SignedInRequest, code: str) -> HttpResponse:
    organisation = selectors.get_organisation_for(request.user, code)
    events = [(e, action_in_words(e.action)) for e in activity_of(request.user, organisation)]
    context = {"organisation": organisation, "events": events}
    return render(request, "accounts/organisation_activity.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    """The person's own API tokens: when each expires and was last used; revoke any."""
    mine = request.user.api_tokens.order_by("-created_at")
    if request.method == "POST":
        found = mine.filter(pk=_int(request.POST.get("token"))).first()
        if found is None:
            raise Http404("No such token")
        actions.revoke_api_token(by=request.user, api_token=found)
        messages.success(request, f"Token {found.prefix}… ({found.name}) revoked.")
        return redirect("api_tokens")
    return render(request, "accounts/api_tokens.html", {"tokens": mine, "now": timezone.now()})


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return 0
