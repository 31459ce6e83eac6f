"""Invitations: an admin invites a person; the one-time link lets them choose a password and
join with the roles chosen; a used, expired or withdrawn link says so and does nothing."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from onebudget.roles import NotPermitted, Role
from onebudget_web.accounts import actions, invitations, selectors
from onebudget_web.accounts.models import Invitation, Membership, Organisation, User
from onebudget_web.audit.models import AuditEvent
from tests.conftest import World

GOOD_PASSWORD = "kettle-orchard-lantern-57"


@pytest.fixture
def admin(world: World) -> User:
    actions.grant_role(
        by="system:tests", user=world.alice, organisation=world.org_a, role=Role.ADMIN
    )
    return User.objects.get(pk=world.alice.pk)


def invite(
    admin: User,
    organisation: Organisation,
    username: str = "nia-n",
    roles: tuple[str, ...] = ("analyst",),
) -> tuple[str, Invitation]:
    return invitations.create_invitation(
        by=admin,
        organisation=organisation,
        full_name="Nia Newcombe",
        username=username,
        email="",
        roles=list(roles),
    )


def link(token: str) -> str:
    return f"/invitations/{token}/"


def choose(client: Client, token: str, first: str, second: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(link(token), {"password1": first, "password2": second or first})


def test_invited_accepted_and_signed_in_with_the_roles(client, world, admin) -> None:
    client.force_login(admin)
    url = f"/organisations/{world.org_a.code}/people/invite/"
    assert client.get(url).status_code == 200
    form = {
        "full_name": "Nia Newcombe",
        "username": "nia-n",
        "email": "nia@example.org",
        "roles": ["analyst", "viewer"],
    }
    shown = client.post(url, form)
    assert shown.status_code == 200
    found = re.search(r"http://testserver/invitations/([\w-]+)/", shown.content.decode())
    assert found is not None
    token = found.group(1)
    invitation = Invitation.objects.get(username="nia-n")
    assert invitation.digest == hashlib.sha256(token.encode()).hexdigest()  # never the token
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@example.org"]
    assert link(token) in mail.outbox[0].body
    assert (
        client.get(f"/organisations/{world.org_a.code}/people/").content.decode().count(token) == 0
    )  # shown once, never again

    newcomer = Client()
    page = newcomer.get(link(token))
    assert page.status_code == 200
    assert "Join Aldmoor Council" in page.content.decode()
    done = choose(newcomer, token, GOOD_PASSWORD)
    assert done.status_code == 302
    assert done["Location"] == "/"
    home = newcomer.get("/")
    assert home.status_code == 200
    assert "Aldmoor Council" in home.content.decode()

    nia = User.objects.get(username="nia-n")
    assert (nia.full_name, nia.email, nia.is_active) == ("Nia Newcombe", "nia@example.org", True)
    assert nia.check_password(GOOD_PASSWORD)
    assert selectors.roles_in(nia, world.org_a) == {Role.ANALYST, Role.VIEWER}
    granted_by = set(Membership.objects.filter(user=nia).values_list("granted_by", flat=True))
    assert granted_by == {"aldmoor-alice"}
    invitation.refresh_from_db()
    assert invitation.state() == "used"
    assert invitation.user == nia
    trail = [
        (e.action, e.actor_label)
        for e in AuditEvent.objects.filter(id__gt=_first_event_of(invitation)).order_by("id")
    ]
    assert trail == [
        ("invitation.emailed", "aldmoor-alice"),
        ("user.created", "aldmoor-alice"),
        ("role.granted", "aldmoor-alice"),
        ("role.granted", "aldmoor-alice"),
        ("invitation.accepted", "nia-n"),
        ("login.succeeded", "nia-n"),
    ]


def _first_event_of(invitation: Invitation) -> int:
    created = AuditEvent.objects.get(action="invitation.created", object_id=str(invitation.pk))
    assert created.detail["roles"] == ["analyst", "viewer"]
    return created.pk


def test_a_link_works_once(world, admin) -> None:
    token, _ = invite(admin, world.org_a)
    assert choose(Client(), token, GOOD_PASSWORD).status_code == 302
    again = Client()
    page = again.get(link(token))
    assert page.status_code == 410
    assert "already been used" in page.content.decode()
    replay = choose(again, token, "another-long-passphrase-9")
    assert replay.status_code == 410
    assert User.objects.get(username="nia-n").check_password(GOOD_PASSWORD)


def test_an_expired_link_is_refused(world, admin, settings) -> None:
    settings.ONEBUDGET_INVITATION_DAYS = 2
    token, invitation = invite(admin, world.org_a)
    lasts = invitation.expires_at - invitation.created_at
    assert abs(lasts - timedelta(days=2)) < timedelta(seconds=5)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    page = Client().get(link(token))
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert choose(Client(), token, GOOD_PASSWORD).status_code == 410
    assert not User.objects.filter(username="nia-n").exists()


def test_a_withdrawn_link_is_refused(client, world, admin) -> None:
    token, invitation = invite(admin, world.org_a)
    client.force_login(admin)
    url = f"/organisations/{world.org_a.code}/people/invitations/withdraw/"
    assert client.post(url, {"invitation": invitation.pk}).status_code == 302
    page = Client().get(link(token))
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()
    assert choose(Client(), token, GOOD_PASSWORD).status_code == 410
    assert not User.objects.filter(username="nia-n").exists()
    event = AuditEvent.objects.get(action="invitation.withdrawn")
    assert (event.actor, event.organisation) == (admin, world.org_a)
    with pytest.raises(ValidationError, match="withdrawn"):
        invitations.withdraw_invitation(
            by=admin, invitation=Invitation.objects.get(pk=invitation.pk)
        )


def test_a_made_up_link_is_not_found_in_plain_english(world) -> None:
    page = Client().get(link("not-a-real-token"))
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()
    assert Client().post(link("not-a-real-token"), {"password1": "x"}).status_code == 404


def test_a_weak_password_is_refused_beside_the_field(world, admin, caplog) -> None:
    token, _ = invite(admin, world.org_a)
    newcomer = Client()
    for first, second, field, words in [
        ("password", "password", "password1", "too common"),
        ("nia-nn-n", "nia-nn-n", "password1", "too similar to the username"),
        ("8301947265", "8301947265", "password1", "entirely numeric"),
        ("short", "short", "password1", "too short"),
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "password2", "different"),
        ("", "", "password1", "Enter a password"),
    ]:
        page = choose(newcomer, token, first, second)
        assert page.status_code == 200, first  # the form again, with the error
        body = page.content.decode()
        assert "There is a problem" in body
        beside = body.find(f'id="id_{field}-error"')  # the message beside its field
        assert beside != -1, (first, field)
        assert words in body[beside : beside + 400], (first, words)
    assert not User.objects.filter(username="nia-n").exists()
    assert Invitation.objects.get(username="nia-n").state() == "pending"
    assert token not in caplog.text  # a link that still works is never written to the log


def test_a_username_taken_meanwhile_is_refused_in_words(world, admin) -> None:
    token, _ = invite(admin, world.org_a)
    actions.create_user(by="system:tests", username="nia-n", full_name="Another Nia", password=None)
    page = choose(Client(), token, GOOD_PASSWORD)
    assert page.status_code == 200
    assert "has been taken since you were invited" in page.content.decode()
    assert Invitation.objects.get(username="nia-n").state() == "pending"
    assert not User.objects.get(username="nia-n").memberships.exists()


def test_an_inviter_who_is_no_longer_admin_cannot_bring_anyone_in(world, admin) -> None:
    token, _ = invite(admin, world.org_a)
    actions.withdraw_role(
        by="system:tests", membership=Membership.objects.get(user=admin, role="admin")
    )
    page = choose(Client(), token, GOOD_PASSWORD)
    assert page.status_code == 200
    assert "is no longer an admin of Aldmoor Council" in page.content.decode()
    assert not User.objects.filter(username="nia-n").exists()


def test_an_invitation_is_refused_beside_each_field(client, world, admin) -> None:
    client.force_login(admin)
    url = f"/organisations/{world.org_a.code}/people/invite/"
    page = client.post(url, {"full_name": "", "username": "brindle-bob", "email": "nope"})
    assert page.status_code == 400
    body = page.content.decode()
    for field, words in [
        ("id_full_name", "Enter the person&#x27;s full name"),
        ("id_email", "Enter an email address"),
        ("roles", "Choose at least one role"),
    ]:
        assert f'id="{field}-error"' in body
        assert words in body
    page = client.post(url, {"full_name": "B", "username": "brindle-bob", "roles": ["viewer"]})
    assert page.status_code == 400
    assert "That username is already taken" in page.content.decode()  # an existing account
    page = client.post(url, {"full_name": "B", "username": "no spaces", "roles": ["viewer"]})
    assert "Enter a username of up to 150 letters" in page.content.decode()
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation.created").exists()


def test_only_an_admin_of_the_organisation_invites(world, admin) -> None:
    with pytest.raises(NotPermitted):  # a finance officer of B
        invite(world.bob, world.org_b)
    with pytest.raises(NotPermitted):  # A's admin, in B
        invite(admin, world.org_b)
    with pytest.raises(NotPermitted):  # a process names no one to answer for it
        invitations.create_invitation(
            by="system:tests",  # type: ignore[arg-type]
            organisation=world.org_a,
            full_name="N",
            username="n",
            email="",
            roles=["viewer"],
        )
    assert not Invitation.objects.exists()


def test_an_invited_admin_is_an_admin_and_an_accepted_user_is_signed_in_only_once(
    world, admin
) -> None:
    token, _ = invite(admin, world.org_a, username="ola-o", roles=("admin",))
    newcomer = Client()
    assert choose(newcomer, token, GOOD_PASSWORD).status_code == 302
    ola = User.objects.get(username="ola-o")
    assert selectors.roles_in(ola, world.org_a) == {Role.ADMIN}
    assert newcomer.session["_auth_user_id"] == str(ola.pk)
