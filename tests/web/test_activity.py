"""An organisation's administrators see its audit trail; nobody else does."""

from onebudget.roles import Role
from onebudget_web.accounts.actions import grant_role
from onebudget_web.places.actions import add_partner
from tests.conftest import PASSWORD


def activity_url(org) -> str:
    return f"/organisations/{org.code}/activity/"


def test_members_without_the_admin_role_are_refused(client, world) -> None:
    client.force_login(world.alice)  # a commissioner, not an admin
    response = client.get(activity_url(world.org_a))
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()
    assert (
        "See who changed what"
        not in client.get(f"/organisations/{world.org_a.code}/").content.decode()
    )


def test_an_admin_sees_changes_and_sign_ins_of_their_organisation_only(client, world) -> None:
    grant_role(by="system:tests", user=world.alice, organisation=world.org_a, role=Role.ADMIN)
    # Bob, also a member of A, does something in B: A's admin must not see it.
    grant_role(by="system:tests", user=world.bob, organisation=world.org_a, role=Role.VIEWER)
    add_partner(by=world.bob, place=world.place_b, organisation=world.org_b)  # no-op, exists
    grant_role(by="system:tests", user=world.bob, organisation=world.org_b, role=Role.ANALYST)
    client.post("/sign-in/", {"username": "brindle-bob", "password": PASSWORD})
    client.post("/sign-out/")

    client.force_login(world.alice)
    body = client.get(activity_url(world.org_a)).content.decode()
    assert "role.granted" in body
    assert "organisation.created" in body
    assert "login.succeeded" in body  # Bob is a member of A
    assert "analyst" not in body  # Bob's role in B is B's business
    assert world.org_b.code not in body


def test_the_organisation_page_links_to_activity_for_admins(client, world) -> None:
    grant_role(by="system:tests", user=world.alice, organisation=world.org_a, role=Role.ADMIN)
    client.force_login(world.alice)
    body = client.get(f"/organisations/{world.org_a.code}/").content.decode()
    assert activity_url(world.org_a) in body
