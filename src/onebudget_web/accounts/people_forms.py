"""The forms of the People pages: inviting a person, and choosing a password on the link.
Errors are worded for the page, beside the field they are about."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from onebudget.roles import Role
from onebudget_web.accounts.models import Invitation, User


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        max_length=200, error_messages={"required": "Enter the person's full name"}
    )
    username = forms.CharField(
        max_length=150, error_messages={"required": "Enter a username for the person"}
    )
    email = forms.EmailField(
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.nhs.uk, or leave it"},
    )
    roles = forms.MultipleChoiceField(
        choices=[(r.value, r.label) for r in Role],
        error_messages={
            "required": "Choose at least one role",
            "invalid_choice": "Choose at least one role",
        },
    )


class ChoosePasswordForm(forms.Form):
    """The invited person's password, twice, against every ``AUTH_PASSWORD_VALIDATORS`` rule
    (judged against the account to be: not like their name or username)."""

    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, invitation: Invitation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = User(
            username=invitation.username, full_name=invitation.full_name, email=invitation.email
        )

    def clean_password1(self) -> str:
        password = str(self.cleaned_data["password1"])
        validate_password(password, self.account)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are different: type the same one")
        return cleaned
