"""The one scoping rule: a user sees only records of organisations they hold a role in."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from onebudget.roles import Permission, Role
from onebudget_web.accounts import actions, selectors
from onebudget_web.places import selectors as place_selectors


def test_users_see_only_their_own_organisations(world) -> None:
    assert list(selectors.organisations_for(world.alice)) == [world.org_a]
    assert list(selectors.organisations_for(world.bob)) == [world.org_b]


def test_another_organisation_does_not_exist_for_a_user(world) -> None:
    assert selectors.get_organisation_for(world.alice, world.org_a.code) == world.org_a
    with pytest.raises(Http404):
        selectors.get_organisation_for(world.alice, world.org_b.code)


def test_places_follow_partnership(world) -> None:
    assert list(place_selectors.places_for(world.alice)) == [world.place_a]
    with pytest.raises(Http404):
        place_selectors.get_place_for(world.alice, world.place_b.slug)


def test_a_shared_place_is_seen_by_both_partners_but_their_pages_stay_apart(world) -> None:
    from onebudget_web.places.actions import add_partner

    add_partner(by="system:tests", place=world.place_a, organisation=world.org_b)
    assert world.place_a in place_selectors.places_for(world.bob)
    partners = dict(place_selectors.partners_of(world.place_a, world.bob))
    assert partners == {world.org_a: False, world.org_b: True}
    with pytest.raises(Http404):
        selectors.get_organisation_for(world.bob, world.org_a.code)


def test_anonymous_and_inactive_users_see_nothing(world) -> None:
    assert not selectors.organisations_for(AnonymousUser()).exists()
    world.alice.is_active = False
    assert not selectors.organisations_for(world.alice).exists()


def test_roles_and_permissions_are_per_organisation(world) -> None:
    assert selectors.roles_in(world.alice, world.org_a) == {Role.COMMISSIONER}
    assert selectors.roles_in(world.alice, world.org_b) == frozenset()
    assert selectors.has_permission(world.alice, world.org_a, Permission.COMMISSION)
    assert not selectors.has_permission(world.alice, world.org_a, Permission.POST_TO_POOL)
    assert not selectors.has_permission(world.alice, world.org_b, Permission.VIEW)


def test_members_are_listed_only_to_members(world) -> None:
    assert [m.user for m in selectors.members_of(world.alice, world.org_a)] == [world.alice]
    assert not selectors.members_of(world.bob, world.org_a).exists()


def test_a_new_role_opens_the_organisation(world) -> None:
    actions.grant_role(
        by="system:tests", user=world.bob, organisation=world.org_a, role=Role.VIEWER
    )
    bob = type(world.bob).objects.get(pk=world.bob.pk)  # a fresh object: no cached scope
    assert set(selectors.organisations_for(bob)) == {world.org_a, world.org_b}
