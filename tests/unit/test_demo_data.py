"""The demo place is consistent: every reference resolves and every code is valid."""

from onebudget import demo
from onebudget.organisations import OrganisationKind, code_problems
from onebudget.roles import Role


def test_demo_codes_are_valid_and_unique() -> None:
    codes = [o.code for o in demo.ORGANISATIONS]
    assert len(codes) == len(set(codes))
    for org in demo.ORGANISATIONS:
        assert code_problems(org.kind, org.code) == []


def test_demo_place_has_every_kind_of_partner_the_issue_asks_for() -> None:
    kinds = {o.code: o.kind for o in demo.ORGANISATIONS}
    main_place = demo.PLACES[0]
    partner_kinds = [kinds[c] for c in main_place.partner_codes]
    assert OrganisationKind.LOCAL_AUTHORITY in partner_kinds
    assert OrganisationKind.ICB in partner_kinds
    assert partner_kinds.count(OrganisationKind.NHS_TRUST) >= 2  # acute and community
    assert OrganisationKind.PROVIDER in partner_kinds


def test_there_is_a_demo_user_for_every_role() -> None:
    held = {role for user in demo.USERS for role in user.roles}
    assert held == set(Role)


def test_demo_users_belong_to_demo_organisations() -> None:
    codes = {o.code for o in demo.ORGANISATIONS}
    assert all(u.organisation_code in codes for u in demo.USERS)
    assert len({u.username for u in demo.USERS}) == len(demo.USERS)
