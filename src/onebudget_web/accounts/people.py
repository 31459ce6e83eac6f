"""The People pages of an organisation, for its admins: invite a person, grant and withdraw
roles, disable a leaver, revoke a member's API token; and the invitation link itself.

Every page and form answers 404 to an outsider and 403 to a member who is not an admin, before
reading anything the form names; each record a form names is looked up within this
organisation only. The actions check the same rules again: a view is not the only guard.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onebudget.roles import NotPermitted, Permission, Role
from onebudget_web.accounts import actions, invitations, leavers, presenters, selectors
from onebudget_web.accounts.models import Invitation, Organisation, User
from onebudget_web.accounts.people_forms import ChoosePasswordForm, InvitationForm
from onebudget_web.accounts.requests import SignedInRequest

PAGE = "accounts/people.html"
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _administered(request: SignedInRequest, code: str) -> Organisation:
    """The organisation, if the person administers it: 404 to outsiders, 403 to members."""
    organisation = selectors.get_organisation_for(request.user, code)
    if not selectors.has_permission(request.user, organisation, Permission.MANAGE_MEMBERS):
        raise NotPermitted("Only the organisation's admins manage its people")
    return organisation


def _id(request: SignedInRequest, name: str) -> int:
    try:
        return int(request.POST.get(name) or "")
    except ValueError:
        return 0


def _back(organisation: Organisation) -> HttpResponse:
    return redirect("people", code=organisation.code)


@require_GET
@login_required
def people(request: SignedInRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    return render(request, PAGE, presenters.people_page(request.user, organisation))


@require_http_methods(["GET", "POST"])
@login_required
def people_invite(request: SignedInRequest, code: str) -> HttpResponse:
    """The invitation form; on success, the link, shown this once."""
    organisation = _administered(request, code)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            token, invitation = invitations.create_invitation(
                by=request.user,
                organisation=organisation,
                **form.cleaned_data,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            link = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
            if invitation.email:
                invitations.send_invitation_email(invitation=invitation, link=link)
            context = {"organisation": organisation, "invitation": invitation, "link": link}
            return render(request, "accounts/invitation_created.html", context)
    context = {
        "organisation": organisation,
        "form": form,
        "days": settings.ONEBUDGET_INVITATION_DAYS,
    }
    return render(
        request, "accounts/people_invite.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def people_invitation_withdraw(request: SignedInRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    invitation = selectors.invitation_in(request.user, organisation, _id(request, "invitation"))
    invitations.withdraw_invitation(by=request.user, invitation=invitation)
    messages.success(request, f"Invitation to {invitation.full_name} withdrawn: the link is dead.")
    return _back(organisation)


@require_POST
@login_required
def people_role_grant(request: SignedInRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    member = selectors.member_of(request.user, organisation, _id(request, "user"))
    try:
        role = Role(request.POST.get("role", ""))
    except ValueError:
        context = presenters.people_page(request.user, organisation)
        context |= {"errors": ["Choose a role to grant"], "error_for": member.pk}
        return render(request, PAGE, context, status=400)
    actions.grant_role(by=request.user, user=member, organisation=organisation, role=role)
    messages.success(
        request, f"{member.display_name()} is now {role.label} in {organisation.name}."
    )
    return _back(organisation)


@require_POST
@login_required
def people_role_withdraw(request: SignedInRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    membership = selectors.membership_in(request.user, organisation, _id(request, "membership"))
    actions.withdraw_role(by=request.user, membership=membership)
    label, name = Role(membership.role).label, membership.user.display_name()
    done = f"{label} withdrawn from {name} in {organisation.name}."
    if not selectors.roles_in(membership.user, organisation):
        done += f" That was their last role here: they no longer see {organisation.name}."
    messages.success(request, done)
    return _back(organisation)


@require_POST
@login_required
def people_token_revoke(request: SignedInRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    api_token = selectors.member_token(request.user, organisation, _id(request, "token"))
    actions.revoke_api_token(by=request.user, api_token=api_token, organisation=organisation)
    who = api_token.user.display_name()
    messages.success(request, f"{who}'s token {api_token.prefix}… ({api_token.name}) revoked.")
    return _back(organisation)


@require_http_methods(["GET", "POST"])
@login_required
def people_disable(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Ask first (GET), then disable (POST): the account closed, roles, tokens and sessions
    ended. Only for a member who works for no organisation the admin does not administer."""
    organisation = _administered(request, code)
    member = selectors.member_of(request.user, organisation, pk)
    if request.method == "POST":
        leavers.disable_user(by=request.user, user=member, organisation=organisation)
        messages.success(request, f"{member.display_name()}'s account is disabled.")
        return _back(organisation)
    context = {
        "organisation": organisation,
        "member": member,
        "is_you": member.pk == request.user.pk,
        "works_elsewhere": member.pk in selectors.working_elsewhere(request.user, organisation),
    }
    return render(request, "accounts/people_disable.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link: no sign-in needed (the link is the credential). A dead link says why."""
    invitation = selectors.invitation_with_digest(actions.token_digest(token))
    if invitation is None:
        return render(request, "accounts/invitation_gone.html", {"state": "unknown"}, status=404)
    if (state := invitation.state()) != "pending":
        context = {"state": state, "invitation": invitation}
        return render(request, "accounts/invitation_gone.html", context, status=410)
    form = ChoosePasswordForm(invitation, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = invitations.accept_invitation(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            return _welcome(request, user, invitation)
    # A refused password answers 200, as Django's password change does: a 4xx is logged with
    # its path, and this path holds a link that still works.
    context = {"invitation": invitation, "roles": presenters.role_labels(invitation.roles)}
    return render(request, "accounts/invitation_accept.html", context | {"form": form})


def _welcome(request: HttpRequest, user: User, invitation: Invitation) -> HttpResponse:
    login(request, user, backend=SIGN_IN_BACKEND)
    actions.record_sign_in(user=user)
    messages.success(
        request, f"Welcome to OneBudget. You have joined {invitation.organisation.name}."
    )
    return redirect("home")
