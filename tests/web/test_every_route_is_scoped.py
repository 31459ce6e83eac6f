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
    return world


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
            body = response.content.decode()
            if owner == other:
                assert response.status_code == 404, f"{user} opened {url}"
            elif owner == side:
                assert response.status_code == 200, f"{user} could not open {url}"
            for secret in world.secrets_of(other):
                assert secret not in body, f"{url} showed {other!r}'s {secret!r} to {user}"
        client.logout()
