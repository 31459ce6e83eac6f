"""Walk every URL route as users of two organisations.

Fails if any route shows one organisation's records to the other, or if a route exists that
this test does not know about: a new route must be added to ``ROUTES`` with what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from onebudget.roles import Role
from onebudget_web.accounts.actions import grant_role
from tests.conftest import World

# Route name -> (URLs to try, the side whose record each URL shows, or None if no one's).
Target = tuple[str, str | None]
ROUTES: dict[str, Callable[[World], list[Target]]] = {
    "home": lambda w: [("/", None)],
    "login": lambda w: [("/sign-in/", None)],
    "logout": lambda w: [("/sign-out/", None)],
    "password_change": lambda w: [("/account/password/", None)],
    "api_tokens": lambda w: [("/account/tokens/", None)],
    "healthz": lambda w: [("/healthz", None)],
    "organisation": lambda w: [
        (f"/organisations/{w.org_a.code}/", "a"),
        (f"/organisations/{w.org_b.code}/", "b"),
    ],
    "organisation_activity": lambda w: [
        (f"/organisations/{w.org_a.code}/activity/", "a"),
        (f"/organisations/{w.org_b.code}/activity/", "b"),
    ],
    "place": lambda w: [
        (f"/places/{w.place_a.slug}/", "a"),
        (f"/places/{w.place_b.slug}/", "b"),
    ],
    "place_outcomes": lambda w: [
        (f"/places/{w.place_a.slug}/outcomes/", "a"),
        (f"/places/{w.place_b.slug}/outcomes/", "b"),
    ],
    "place_indicator": lambda w: [
        (f"/places/{w.place_a.slug}/outcomes/falls-65-plus/", "a"),
        (f"/places/{w.place_b.slug}/outcomes/discharge-usual-residence/", "b"),
    ],
    # POST only: a GET answers 405 and shows nothing; its scoping is tested in test_targets
    "place_indicator_target": lambda w: [
        (f"/places/{w.place_a.slug}/outcomes/falls-65-plus/target/", None),
        (f"/places/{w.place_b.slug}/outcomes/falls-65-plus/target/", None),
    ],
    "fund": lambda w: [("/funds/s75-a/", "a"), ("/funds/s75-b/", "b")],
    "fund_agreement": lambda w: [
        ("/funds/s75-a/agreement.yaml", "a"),
        ("/funds/s75-b/agreement.yaml", "b"),
    ],
    "fund_ledger": lambda w: [("/funds/s75-a/ledger/", "a"), ("/funds/s75-b/ledger/", "b")],
    "fund_period": lambda w: [
        ("/funds/s75-a/ledger/2025-04/", "a"),
        ("/funds/s75-b/ledger/2025-04/", "b"),
    ],
    "fund_actuals": lambda w: [("/funds/s75-a/actuals/", "a"), ("/funds/s75-b/actuals/", "b")],
    "fund_monitoring": lambda w: [
        ("/funds/s75-a/monitoring/", "a"),
        ("/funds/s75-b/monitoring/", "b"),
    ],
    "fund_agreement_edit": lambda w: [
        ("/funds/s75-a/agreement/", "a"),
        ("/funds/s75-b/agreement/", "b"),
    ],
    "place_spend": lambda w: [
        (f"/places/{w.place_a.slug}/spend/", "a"),
        (f"/places/{w.place_b.slug}/spend/", "b"),
    ],
    # POST only: a GET answers 405; its scoping is tested in test_spend
    "place_spend_upload": lambda w: [
        (f"/places/{w.place_a.slug}/spend/upload/", None),
        (f"/places/{w.place_b.slug}/spend/upload/", None),
    ],
    "place_new_fund": lambda w: [
        (f"/places/{w.place_a.slug}/funds/new/", "a"),
        (f"/places/{w.place_b.slug}/funds/new/", "b"),
    ],
    "fund_settlement": lambda w: [
        ("/funds/s75-a/settlement/", "a"),
        ("/funds/s75-b/settlement/", "b"),
    ],
    "fund_settlement_xlsx": lambda w: [
        ("/funds/s75-a/settlement.xlsx", "a"),
        ("/funds/s75-b/settlement.xlsx", "b"),
    ],
    "place_allocation": lambda w: [
        (f"/places/{w.place_a.slug}/allocation/", "a"),
        (f"/places/{w.place_b.slug}/allocation/", "b"),
    ],
    "place_allocation_builder": lambda w: [
        (f"/places/{w.place_a.slug}/allocation/builder/", "a"),
        (f"/places/{w.place_b.slug}/allocation/builder/", "b"),
    ],
    "place_allocation_session": lambda w: [
        (f"/places/{w.place_a.slug}/allocation/session.json", "a"),
        (f"/places/{w.place_b.slug}/allocation/session.json", "b"),
    ],
    # POST only: a GET answers 405; saving and deleting are tested in test_allocation
    "place_allocation_budget": lambda w: [
        (f"/places/{w.place_a.slug}/allocation/budget/", None),
        (f"/places/{w.place_b.slug}/allocation/budget/", None),
    ],
    "place_allocation_delete": lambda w: [
        (f"/places/{w.place_a.slug}/allocation/places/1/delete/", None),
        (f"/places/{w.place_b.slug}/allocation/places/2/delete/", None),
    ],
    "api:api-root": lambda w: [("/api/", None)],
    "api:openapi-json": lambda w: [("/api/openapi.json", None)],
    "api:openapi-view": lambda w: [("/api/docs", None)],
    "api:me": lambda w: [("/api/me", None)],
    "api:list_organisations": lambda w: [("/api/organisations", None)],
    "api:get_organisation": lambda w: [
        (f"/api/organisations/{w.org_a.code}", "a"),
        (f"/api/organisations/{w.org_b.code}", "b"),
    ],
    "api:list_places": lambda w: [("/api/places", None)],
    "api:list_funds": lambda w: [("/api/funds", None)],
    "api:get_fund": lambda w: [("/api/funds/s75-a", "a"), ("/api/funds/s75-b", "b")],
    "api:get_settlement": lambda w: [
        ("/api/funds/s75-a/settlement", "a"),
        ("/api/funds/s75-b/settlement", "b"),
    ],
    "api:get_allocation": lambda w: [
        (f"/api/places/{w.place_a.slug}/allocation", "a"),
        (f"/api/places/{w.place_b.slug}/allocation", "b"),
    ],
    "api:get_place": lambda w: [
        (f"/api/places/{w.place_a.slug}", "a"),
        (f"/api/places/{w.place_b.slug}", "b"),
    ],
}


def route_names(patterns: list, namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}"


def test_every_route_is_in_the_walk() -> None:
    names = set(route_names(get_resolver().url_patterns))
    assert names == set(ROUTES), (
        f"routes missing from the walk: {sorted(names - set(ROUTES))}; "
        f"routes no longer there: {sorted(set(ROUTES) - names)}"
    )


@pytest.fixture
def with_data(world, tmp_path):
    """Each side's place gets its own small synthetic dataset, so outcome pages have data."""
    import json

    from onebudget.population.synth.generate import SynthConfig, generate
    from onebudget.population.synth.writer import write
    from onebudget_web.places.actions import register_dataset

    for seed, place in enumerate((world.place_a, world.place_b), start=1):
        out = tmp_path / place.slug
        write(generate(SynthConfig(persons=1500, seed=seed, name=place.name)), out, finance=False)
        manifest = json.loads((out / "manifest.json").read_text())
        register_dataset(by="system:tests", place=place, path=str(out), manifest=manifest)
    for side, place, org, user in (
        ("a", world.place_a, world.org_a, world.alice),
        ("b", world.place_b, world.org_b, world.bob),
    ):
        _fund(side, place, org, user)
        _allocation(place, user)
    return world


def _allocation(place, user) -> None:
    """A saved place named after the side's place, and a budget for it."""
    from onebudget.allocation.places import Choice
    from onebudget_web.allocation import actions as allocation

    name = f"{place.name} practices"
    allocation.save_place(
        by=user, place=place, name=name, year="2025/26", icb="QWO",
        choice=Choice(practices=("B85005", "B85022")),
    )  # fmt: skip
    text = (
        f"year: 2025/26\nbudget: 1000.00\nicb: QWO\nplaces:\n  {name}: {{practices: [B85005]}}\n"
        "  Other: {practices: [B85022]}\ncomponents:\n  - {name: C, share: 1, index: G&A}\n"
    )
    allocation.save_budget(by=user, place=place, text=text, source="budget.yaml")


def _fund(side: str, place, org, user) -> None:
    """A pooled fund in each side's place, with its instalments and a prepared settlement."""
    from onebudget.organisations import OrganisationKind
    from onebudget_web.accounts.actions import create_organisation
    from onebudget_web.funds import actions as funds
    from onebudget_web.funds import bookkeeping
    from onebudget_web.places.actions import add_partner

    icb = create_organisation(
        by="system:tests",
        code=f"Q{side.upper()}{side.upper()}",
        name=f"ICB {side}",
        kind=OrganisationKind.ICB,
    )
    add_partner(by="system:tests", place=place, organisation=icb)
    grant_role(by="system:tests", user=user, organisation=org, role=Role.POOL_MANAGER)
    text = (
        f"id: S75-{side.upper()}\nname: {place.name} pooled fund\nfinancial_year: 2025\n"
        f"host: {org.code}\npool_manager: {user.full_name}\n"
        f"partners:\n- {{code: {org.code}, name: {org.name}}}\n- {{code: {icb.code}, name: ICB}}\n"
        f"schemes:\n- {{code: A, name: Home care, contributions: {{{icb.code}: 1200.00}}}}\n"
    )
    fund = funds.create_fund(by=user, place=place, text=text)
    bookkeeping.post_instalments(by=user, fund=fund)
    bookkeeping.prepare_settlement(
        by=user, fund=fund, override="Test data: no month is closed", nil=["A"]
    )


def text_of(response) -> str:
    """A page's text, or for a workbook the text of every part inside it."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "".join(book.read(n).decode() for n in book.namelist())
    return response.content.decode()


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_no_route_shows_one_organisation_to_the_other(client, with_data, route: str) -> None:
    world = with_data
    # Administrators of their own organisation, so every page of their own side opens.
    grant_role(by="system:tests", user=world.alice, organisation=world.org_a, role=Role.ADMIN)
    grant_role(by="system:tests", user=world.bob, organisation=world.org_b, role=Role.ADMIN)
    users = {"a": world.alice, "b": world.bob}
    for side, user in users.items():
        other = "b" if side == "a" else "a"
        client.force_login(user)
        for url, owner in ROUTES[route](world):
            response = client.get(url)
            body = text_of(response)
            if owner == other:
                assert response.status_code == 404, f"{user} opened {url}"
            elif owner == side:
                assert response.status_code == 200, f"{user} could not open {url}"
            for secret in world.secrets_of(other):
                assert secret not in body, f"{url} showed {other!r}'s {secret!r} to {user}"
        client.logout()
