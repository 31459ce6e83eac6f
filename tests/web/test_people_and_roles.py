"""An organisation's admins manage its people: grant and withdraw roles, disable a leaver,
revoke a member's API token. Nobody else can, by page or by action, and nobody changes their
own roles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from onebudget.roles import NotPermitted, Role
from onebudget_web.accounts import actions, invitations, leavers, selectors
from onebudget_web.accounts.models import ApiToken, Invitation, Membership, User
from onebudget_web.audit.models import AuditEvent
from tests.conftest import PASSWORD, World


@dataclass
class Team:
    """Aldmoor (A): Alice its admin, Carol a viewer. Bob works for Brindlecombe (B) only."""

    world: World
    carol: User
    carol_viewer: Membership
    carol_token: str
    bob_membership: Membership
    invitation: Invitation


@pytest.fixture
def team(world: World) -> Team:
    by = "system:tests"
    actions.grant_role(by=by, user=world.alice, organisation=world.org_a, role=Role.ADMIN)
    carol = actions.create_user(
        by=by, username="carol-c", full_name="Carol Calloway", password=PASSWORD
    )
    viewer = actions.grant_role(by=by, user=carol, organisation=world.org_a, role=Role.VIEWER)
    token, _ = actions.issue_api_token(by=by, user=carol, name="Carol's notebook")
    actions.issue_api_token(by=by, user=world.bob, name="Bob's notebook")
    _, invitation = invitations.create_invitation(
        by=world.alice,
        organisation=world.org_a,
        full_name="Dev Dhillon",
        username="dev-d",
        email="",
        roles=["analyst"],
    )
    bob_membership = Membership.objects.get(user=world.bob)
    return Team(world, carol, viewer, token, bob_membership, invitation)


def people_url(org, tail: str = "") -> str:
    return f"/organisations/{org.code}/people/{tail}"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(user: User) -> User:
    """The user as stored now (no cached scope)."""
    return User.objects.get(pk=user.pk)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# Every page and form of the People pages, with real ids of Aldmoor's records, so that a
# refusal can only come from who is asking.
def every_request(team: Team) -> list[tuple[str, str, dict[str, object]]]:
    org, carol = team.world.org_a, team.carol
    token = ApiToken.objects.get(user=carol)
    return [
        ("get", people_url(org), {}),
        ("get", people_url(org, "invite/"), {}),
        (
            "post",
            people_url(org, "invite/"),
            {"full_name": "Eve", "username": "eve", "roles": "admin"},
        ),
        ("post", people_url(org, "invitations/withdraw/"), {"invitation": team.invitation.pk}),
        ("post", people_url(org, "roles/grant/"), {"user": carol.pk, "role": "admin"}),
        ("post", people_url(org, "roles/withdraw/"), {"membership": team.carol_viewer.pk}),
        ("post", people_url(org, "tokens/revoke/"), {"token": token.pk}),
        ("get", people_url(org, f"{carol.pk}/disable/"), {}),
        ("post", people_url(org, f"{carol.pk}/disable/"), {}),
    ]


def nothing_changed(team: Team) -> None:
    assert set(selectors.roles_in(fresh(team.carol), team.world.org_a)) == {Role.VIEWER}
    assert fresh(team.carol).is_active
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    assert Invitation.objects.get(pk=team.invitation.pk).state() == "pending"
    assert not Invitation.objects.filter(username="eve").exists()


def test_a_member_who_is_not_an_admin_is_refused_every_page_and_form(team: Team) -> None:
    grant = actions.grant_role(
        by="system:tests", user=team.world.bob, organisation=team.world.org_a, role=Role.FINANCE
    )
    for user in (team.carol, team.world.bob):  # a viewer; a finance officer of A too
        client = signed_in(user)
        for method, url, data in every_request(team):
            response = getattr(client, method)(url, data)
            assert response.status_code == 403, (user, method, url)
            assert "You do not have permission" in response.content.decode()
    actions.withdraw_role(by="system:tests", membership=grant)
    nothing_changed(team)


def test_an_outsider_finds_no_people_page_nor_form(team: Team) -> None:
    client = signed_in(team.world.bob)  # Brindlecombe only
    for method, url, data in every_request(team):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
        for secret in ("Carol Calloway", "carol-c", "Dev Dhillon", "Carol's notebook"):
            assert secret not in response.content.decode()
    nothing_changed(team)


def test_signed_out_every_page_and_form_asks_to_sign_in(team: Team) -> None:
    for method, url, data in every_request(team):
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/sign-in/")
    nothing_changed(team)


def test_the_admin_sees_members_by_name_their_roles_tokens_and_waiting_invitations(
    team: Team,
) -> None:
    body = signed_in(team.world.alice).get(people_url(team.world.org_a)).content.decode()
    waiting, members = body.split("<h2>Members</h2>")
    assert "Dev Dhillon" in waiting  # the invitation waiting
    assert "dev-d" in waiting
    assert members.index("Carol Calloway") < members.index("carol-c")  # names first
    assert members.index("Alice Aldmoor-Jones") < members.index("Carol Calloway")  # by name
    assert "Carol&#x27;s notebook" in body
    assert team.carol_token[:10] in body  # the prefix, to tell tokens apart
    assert team.carol_token not in body  # never the token
    assert "You cannot change your own roles" in body
    for secret in [*team.world.secrets_of("b"), "Bob&#x27;s notebook"]:
        assert secret not in body


def test_the_organisation_page_links_to_people_for_admins_only(team: Team) -> None:
    org = team.world.org_a
    admin = signed_in(team.world.alice).get(f"/organisations/{org.code}/").content.decode()
    viewer = signed_in(team.carol).get(f"/organisations/{org.code}/").content.decode()
    assert people_url(org) in admin
    assert people_url(org) not in viewer


def test_the_admin_grants_and_withdraws_a_role(team: Team) -> None:
    org, client = team.world.org_a, signed_in(team.world.alice)
    response = client.post(
        people_url(org, "roles/grant/"), {"user": team.carol.pk, "role": "analyst"}
    )
    assert response.status_code == 302
    assert selectors.roles_in(fresh(team.carol), org) == {Role.VIEWER, Role.ANALYST}
    granted = events("role.granted")[-1]
    assert (granted.actor, granted.organisation) == (team.world.alice, org)
    assert granted.detail == {"user": "carol-c", "role": "analyst"}

    response = client.post(people_url(org, "roles/withdraw/"), {"membership": team.carol_viewer.pk})
    assert response.status_code == 302
    assert selectors.roles_in(fresh(team.carol), org) == {Role.ANALYST}
    withdrawn = events("role.withdrawn")[-1]
    assert withdrawn.actor == team.world.alice
    assert withdrawn.detail == {"user": "carol-c", "role": "viewer"}


def test_a_role_that_is_not_one_is_refused_beside_the_form(team: Team) -> None:
    org = team.world.org_a
    response = signed_in(team.world.alice).post(
        people_url(org, "roles/grant/"), {"user": team.carol.pk, "role": "superuser"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a role to grant" in body
    assert f'id="role-{team.carol.pk}-error"' in body
    assert selectors.roles_in(fresh(team.carol), org) == {Role.VIEWER}


def test_nobody_raises_or_changes_their_own_roles(team: Team) -> None:
    alice, org = team.world.alice, team.world.org_a
    admin_role = Membership.objects.get(user=alice, organisation=org, role="admin")
    client = signed_in(alice)
    raise_self = client.post(people_url(org, "roles/grant/"), {"user": alice.pk, "role": "finance"})
    assert raise_self.status_code == 403
    lock_out = client.post(people_url(org, "roles/withdraw/"), {"membership": admin_role.pk})
    assert lock_out.status_code == 403
    with pytest.raises(NotPermitted):
        actions.grant_role(by=alice, user=alice, organisation=org, role=Role.FINANCE)
    with pytest.raises(NotPermitted):
        actions.withdraw_role(by=alice, membership=admin_role)
    assert selectors.roles_in(fresh(alice), org) == {Role.ADMIN, Role.COMMISSIONER}
    assert not AuditEvent.objects.filter(actor=alice, action__startswith="role.").exists()


def test_the_actions_refuse_anyone_who_does_not_administer_the_organisation(team: Team) -> None:
    world, carol = team.world, team.carol
    with pytest.raises(NotPermitted):  # a viewer of A
        actions.grant_role(by=carol, user=world.alice, organisation=world.org_a, role=Role.VIEWER)
    alice_admin = Membership.objects.get(user=world.alice, role="admin")
    with pytest.raises(NotPermitted):
        actions.withdraw_role(by=carol, membership=alice_admin)
    with pytest.raises(NotPermitted):  # A's admin, in B
        actions.grant_role(by=world.alice, user=carol, organisation=world.org_b, role=Role.VIEWER)
    with pytest.raises(NotPermitted):
        actions.withdraw_role(by=world.alice, membership=team.bob_membership)
    with pytest.raises(NotPermitted):  # a string that is not a system process
        actions.grant_role(by="carol-c", user=carol, organisation=world.org_a, role=Role.ADMIN)
    with pytest.raises(NotPermitted):
        actions.grant_role(by=None, user=carol, organisation=world.org_a, role=Role.ADMIN)
    disabled = fresh(world.alice)
    disabled.is_active = False
    with pytest.raises(NotPermitted):  # an admin whose account is closed
        actions.grant_role(by=disabled, user=carol, organisation=world.org_a, role=Role.ADMIN)
    assert selectors.roles_in(fresh(carol), world.org_a) == {Role.VIEWER}
    assert Membership.objects.filter(user=world.bob).count() == 1


def test_system_processes_keep_granting_and_withdrawing(team: Team) -> None:
    world = team.world
    granted = actions.grant_role(
        by="system:demo", user=world.bob, organisation=world.org_a, role=Role.ANALYST
    )
    assert selectors.roles_in(fresh(world.bob), world.org_a) == {Role.ANALYST}
    actions.withdraw_role(by="system:tests", membership=granted)
    assert selectors.roles_in(fresh(world.bob), world.org_a) == frozenset()
    assert [e.actor_label for e in events("role.withdrawn")] == ["system:tests"]


def test_tampered_ids_and_codes_reach_no_other_organisation(team: Team) -> None:
    world, client = team.world, signed_in(team.world.alice)
    a, b = world.org_a, world.org_b
    bob_token = ApiToken.objects.get(user=world.bob)
    _, b_invitation = invitations.create_invitation(
        by=_admin_of(b), organisation=b, full_name="Fay", username="fay", email="", roles=["viewer"]
    )
    refused = [
        (people_url(a, "roles/grant/"), {"user": world.bob.pk, "role": "viewer"}),
        (people_url(a, "roles/withdraw/"), {"membership": team.bob_membership.pk}),
        (people_url(a, "tokens/revoke/"), {"token": bob_token.pk}),
        (people_url(a, "invitations/withdraw/"), {"invitation": b_invitation.pk}),
        (people_url(a, f"{world.bob.pk}/disable/"), {}),
        (people_url(b, "roles/grant/"), {"user": world.bob.pk, "role": "admin"}),
        (people_url(b, "roles/withdraw/"), {"membership": team.bob_membership.pk}),
        (people_url(a, "roles/withdraw/"), {"membership": "not a number"}),
    ]
    for url, data in refused:
        assert client.post(url, data).status_code == 404, (url, data)
    assert set(Membership.objects.filter(user=world.bob).values_list("role", flat=True)) == {
        "finance"
    }
    assert Membership.objects.get(pk=team.bob_membership.pk).organisation == b
    assert ApiToken.objects.get(pk=bob_token.pk).revoked_at is None
    assert Invitation.objects.get(pk=b_invitation.pk).state() == "pending"
    assert fresh(world.bob).is_active


def _admin_of(organisation) -> User:
    admin = actions.create_user(
        by="system:tests",
        username=f"admin-{organisation.code}",
        full_name="An Admin",
        password=None,
    )
    actions.grant_role(by="system:tests", user=admin, organisation=organisation, role=Role.ADMIN)
    return fresh(admin)


def test_disabling_a_leaver_ends_their_sessions_tokens_and_roles(team: Team) -> None:
    org, carol = team.world.org_a, team.carol
    actions.grant_role(by="system:tests", user=carol, organisation=org, role=Role.ANALYST)
    carols_browser = signed_in(carol)
    assert carols_browser.get("/").status_code == 200
    bobs_browser = signed_in(team.world.bob)
    admin = signed_in(team.world.alice)

    page = admin.get(people_url(org, f"{carol.pk}/disable/"))
    assert page.status_code == 200
    assert "Disable Carol Calloway's account" in page.content.decode()
    assert admin.post(people_url(org, f"{carol.pk}/disable/")).status_code == 302

    carol = fresh(carol)
    assert not carol.is_active
    assert not carol.memberships.exists()
    assert ApiToken.objects.get(user=carol).revoked_at is not None
    signed_in_as = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(carol.pk) not in signed_in_as
    assert str(team.world.alice.pk) in signed_in_as
    assert carols_browser.get("/")["Location"].startswith("/sign-in/")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {team.carol_token}"}
    assert Client().get("/api/me", **bearer).status_code == 401
    sign_in = Client().post("/sign-in/", {"username": "carol-c", "password": PASSWORD})
    assert sign_in.status_code == 200  # the form again: refused
    assert bobs_browser.get("/").status_code == 200  # nobody else is signed out
    assert admin.get(people_url(org)).status_code == 200

    disabled = events("user.disabled")
    assert len(disabled) == 1
    assert disabled[0].actor == team.world.alice
    assert disabled[0].detail["sessions_ended"] == 1
    assert disabled[0].detail["tokens_revoked"] == [team.carol_token[:10]]
    withdrawn = [e.detail["role"] for e in events("role.withdrawn")]
    assert sorted(withdrawn) == ["analyst", "viewer"]  # one event per role
    assert len(events("api_token.revoked")) == 1


def test_nobody_disables_themself(team: Team) -> None:
    alice, org = team.world.alice, team.world.org_a
    client = signed_in(alice)
    page = client.get(people_url(org, f"{alice.pk}/disable/")).content.decode()
    assert "You cannot disable your own account" in page
    assert client.post(people_url(org, f"{alice.pk}/disable/")).status_code == 403
    with pytest.raises(NotPermitted):
        leavers.disable_user(by=alice, user=alice, organisation=org)
    assert fresh(alice).is_active


def test_someone_who_also_works_elsewhere_keeps_their_account(team: Team) -> None:
    world, carol = team.world, team.carol
    actions.grant_role(by="system:tests", user=carol, organisation=world.org_b, role=Role.VIEWER)
    client = signed_in(world.alice)
    body = client.get(people_url(world.org_a)).content.decode()
    assert "also works for an organisation you do not administer" in body
    assert people_url(world.org_a, f"{carol.pk}/disable/") not in body
    assert client.post(people_url(world.org_a, f"{carol.pk}/disable/")).status_code == 403
    assert fresh(carol).is_active
    # Withdrawing her role here is Aldmoor's business; her role in Brindlecombe stays.
    client.post(people_url(world.org_a, "roles/withdraw/"), {"membership": team.carol_viewer.pk})
    assert selectors.roles_in(fresh(carol), world.org_a) == frozenset()
    assert selectors.roles_in(fresh(carol), world.org_b) == {Role.VIEWER}
    # An admin of both organisations may close the account.
    actions.grant_role(by="system:tests", user=carol, organisation=world.org_a, role=Role.VIEWER)
    actions.grant_role(
        by="system:tests", user=world.alice, organisation=world.org_b, role=Role.ADMIN
    )
    leavers.disable_user(by=fresh(world.alice), user=carol, organisation=world.org_a)
    assert not fresh(carol).is_active


def test_a_disabled_admins_invitations_stop_working(team: Team) -> None:
    org = team.world.org_a
    dan = _admin_of(org)
    token, invitation = invitations.create_invitation(
        by=dan, organisation=org, full_name="Gil", username="gil", email="", roles=["viewer"]
    )
    leavers.disable_user(by=team.world.alice, user=dan, organisation=org)
    assert Invitation.objects.get(pk=invitation.pk).state() == "withdrawn"
    assert Invitation.objects.get(pk=team.invitation.pk).state() == "pending"  # Alice's
    assert Client().get(f"/invitations/{token}/").status_code == 410


def test_the_admin_revokes_a_members_token_and_a_non_admin_cannot(team: Team) -> None:
    org, token = team.world.org_a, ApiToken.objects.get(user=team.carol)
    viewer = actions.create_user(by="system:tests", username="vic", full_name="Vic", password=None)
    actions.grant_role(by="system:tests", user=viewer, organisation=org, role=Role.VIEWER)
    refused = signed_in(viewer).post(people_url(org, "tokens/revoke/"), {"token": token.pk})
    assert refused.status_code == 403
    with pytest.raises(NotPermitted):
        actions.revoke_api_token(by=fresh(viewer), api_token=token)
    with pytest.raises(NotPermitted):  # B's finance officer: not Carol's organisation
        actions.revoke_api_token(by=team.world.bob, api_token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None

    response = signed_in(team.world.alice).post(
        people_url(org, "tokens/revoke/"), {"token": token.pk}
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    revoked = events("api_token.revoked")
    assert len(revoked) == 1
    assert (revoked[0].actor, revoked[0].organisation) == (team.world.alice, org)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {team.carol_token}"}
    assert Client().get("/api/me", **bearer).status_code == 401


def test_a_holder_still_revokes_their_own_token(team: Team) -> None:
    token = ApiToken.objects.get(user=team.world.bob)
    actions.revoke_api_token(by=team.world.bob, api_token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_every_change_on_the_people_pages_leaves_an_audit_event(team: Team) -> None:
    org, client = team.world.org_a, signed_in(team.world.alice)
    token = ApiToken.objects.get(user=team.carol)
    before = AuditEvent.objects.count()
    invite = {"full_name": "Hal Hughes", "username": "hal", "roles": ["viewer"]}
    assert client.post(people_url(org, "invite/"), invite).status_code == 200
    client.post(people_url(org, "invitations/withdraw/"), {"invitation": team.invitation.pk})
    client.post(people_url(org, "roles/grant/"), {"user": team.carol.pk, "role": "analyst"})
    client.post(people_url(org, "roles/withdraw/"), {"membership": team.carol_viewer.pk})
    client.post(people_url(org, "tokens/revoke/"), {"token": token.pk})
    client.post(people_url(org, f"{team.carol.pk}/disable/"))
    done = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.actor_label) for e in done] == [
        ("invitation.created", "aldmoor-alice"),
        ("invitation.withdrawn", "aldmoor-alice"),
        ("role.granted", "aldmoor-alice"),
        ("role.withdrawn", "aldmoor-alice"),
        ("api_token.revoked", "aldmoor-alice"),
        ("role.withdrawn", "aldmoor-alice"),  # disabling: her last role, then the account
        ("user.disabled", "aldmoor-alice"),
    ]
    assert all(e.organisation == org and e.channel == "web" for e in done)


def test_an_invitation_with_problems_names_each_beside_its_field_and_in_the_summary(
    team: Team,
) -> None:
    """No name and no role: the summary lists both, each a link to its field (the roles to
    their first box), and each is said beside its field; nothing is made."""
    org = team.world.org_a
    client = signed_in(team.world.alice)
    page = client.post(people_url(org, "invite/"), {"full_name": "", "username": "ed-e"})
    assert page.status_code == 400
    body = page.content.decode()
    summary = body.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert '<a href="#id_full_name">Enter the person&#x27;s full name</a>' in summary
    assert '<a href="#roles-0">Choose at least one role</a>' in summary
    assert 'id="roles-0"' in body
    assert body.count("Choose at least one role") == 2  # in the summary and beside the boxes
    assert not Invitation.objects.filter(username="ed-e").exists()
