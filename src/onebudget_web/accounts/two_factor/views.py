"""The two-factor pages. Thin: ``actions`` check codes and write, ``presenters`` shape."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.models import Device

from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.two_factor import actions, presenters, rules


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: SignedInRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = request.user
    if rules.is_verified(user) or rules.authenticator_of(user) is None:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = actions.verify_second_factor(by=user, code=form.cleaned_data["code"])
        if outcome.device is not None:
            _mark_verified(request, outcome.device)
            if outcome.recovery_codes_left is not None:
                messages.info(request, _recovery_code_used(outcome.recovery_codes_left))
            return redirect(_next(request))
        form.add_error("code", outcome.problem)
    context = {"form": form, "errors": errors_of(form), "next": _next(request)}
    return render(request, "accounts/two_factor_verify.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def set_up(request: SignedInRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code,
    then see the recovery codes once. Replacing one needs a verified session."""
    user = request.user
    replacing = rules.authenticator_of(user) is not None
    if replacing and not rules.is_verified(user):
        return redirect(f"{reverse(rules.VERIFY)}?next={reverse(rules.SET_UP)}")
    device = actions.begin_set_up(by=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome, codes = actions.confirm_set_up(
            by=user, device=device, code=form.cleaned_data["code"]
        )
        if outcome.device is not None:
            _mark_verified(request, outcome.device)
            context = presenters.recovery_codes_page(codes) | {"next": _next(request)}
            return render(request, "accounts/two_factor_recovery_codes.html", context)
        form.add_error("code", outcome.problem)
    context = presenters.set_up_page(device, replacing=replacing)
    context |= {"form": form, "errors": errors_of(form), "next": _next(request)}
    context["required"] = rules.required_for(user)
    return render(request, "accounts/two_factor_set_up.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def account(request: SignedInRequest) -> HttpResponse:
    """Status; new recovery codes or removal, each with a current code."""
    user = request.user
    codes_form = CodeForm(request.POST if "new_codes" in request.POST else None, prefix="codes")
    remove_form = CodeForm(request.POST if "remove" in request.POST else None, prefix="remove")
    if codes_form.is_bound and codes_form.is_valid():
        outcome, codes = actions.make_new_recovery_codes(
            by=user, code=codes_form.cleaned_data["code"]
        )
        if outcome.device is not None:
            context = presenters.recovery_codes_page(codes) | {"next": reverse("two_factor")}
            return render(request, "accounts/two_factor_recovery_codes.html", context)
        codes_form.add_error("code", outcome.problem)
    if remove_form.is_bound and remove_form.is_valid():
        try:
            outcome = actions.remove_two_factor(by=user, code=remove_form.cleaned_data["code"])
        except ValidationError as refused:
            remove_form.add_error("code", refused.messages[0])
        else:
            if outcome.device is not None:
                messages.success(request, "Two-factor sign-in has been removed from your account.")
                return redirect("two_factor")
            remove_form.add_error("code", outcome.problem)
    context = presenters.account_page(user) | {
        "codes_form": codes_form,
        "remove_form": remove_form,
        "errors": errors_of(codes_form, remove_form),
    }
    return render(request, "accounts/two_factor.html", context)


def errors_of(*forms_: forms.Form) -> list[dict[str, str]]:
    """Each error with the id of its field, for the error summary's links."""
    return [
        {"id": form[name].id_for_label, "message": str(message)}
        for form in forms_
        if form.is_bound
        for name, messages_ in form.errors.items()
        for message in messages_
    ]


def _mark_verified(request: HttpRequest, device: Device) -> None:
    """The session has passed the second factor: a new session key (as at the password step,
    so a key seen before this point is worth nothing), then django-otp's record of it."""
    request.session.cycle_key()
    otp_login(request, device)


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


def _recovery_code_used(left: int) -> str:
    if left == 0:
        return "You have used your last recovery code. Make new ones on your two-factor page."
    return f"You used a recovery code: {left} left. Each works once."
