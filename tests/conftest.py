"""Suite-wide rules.

- Tests that touch the database are marked ``database`` automatically, so the PostgreSQL
  run (``pytest -m database`` with ``DATABASE_URL`` set) selects exactly them.
- Tests marked ``postgresql`` test PostgreSQL-only behaviour; on another database they are
  deselected (not skipped), so a plain ``pytest`` works anywhere. Tests marked ``once``
  (the same on any database, like the accessibility walk) are deselected on all but SQLite.
- In CI (``CI=true``) a skipped test is a failure: nothing may quietly not run there, and
  Hypothesis is derandomised.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings

DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct-horse-battery-staple-1"

# CI runs the same examples every time (a red build is reproducible); developers' runs keep
# exploring new ones, so a latent disagreement is found at a desk rather than in CI.
settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    settings.load_profile("ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    keep, dropped = [], []
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)
        if (item.get_closest_marker("postgresql") and connection.vendor != "postgresql") or (
            item.get_closest_marker("once") and connection.vendor != "sqlite"
        ):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


@dataclass
class World:
    """Two organisations in two places that must never see each other's records."""

    org_a: object
    org_b: object
    place_a: object
    place_b: object
    alice: object
    bob: object

    def secrets_of(self, side: str) -> list[str]:
        """Strings that identify one side's records: none may reach the other side."""
        org, place, user = (
            (self.org_a, self.place_a, self.alice)
            if side == "a"
            else (self.org_b, self.place_b, self.bob)
        )
        return [org.code, org.name, place.slug, place.name, user.username, user.full_name]


@pytest.fixture
def world(db: None) -> World:
    from onebudget.organisations import OrganisationKind
    from onebudget.roles import Role
    from onebudget_web.accounts import actions
    from onebudget_web.places.actions import create_place

    by = "system:tests"
    council = OrganisationKind.LOCAL_AUTHORITY
    org_a = actions.create_organisation(
        by=by, code="E06099101", name="Aldmoor Council", kind=council
    )
    org_b = actions.create_organisation(
        by=by, code="E06099102", name="Brindlecombe Council", kind=council
    )
    place_a = create_place(
        by=by, name="Aldmoor Place", slug="aldmoor-place", kind="council_area", partners=[org_a]
    )
    place_b = create_place(
        by=by,
        name="Brindlecombe Place",
        slug="brindlecombe-place",
        kind="council_area",
        partners=[org_b],
    )
    alice = actions.create_user(
        by=by, username="aldmoor-alice", full_name="Alice Aldmoor-Jones", password=PASSWORD
    )
    bob = actions.create_user(
        by=by, username="brindle-bob", full_name="Bob Brindlecombe-Smith", password=PASSWORD
    )
    actions.grant_role(by=by, user=alice, organisation=org_a, role=Role.COMMISSIONER)
    actions.grant_role(by=by, user=bob, organisation=org_b, role=Role.FINANCE)
    return World(org_a, org_b, place_a, place_b, alice, bob)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """pytest-django's test databases, and before they are dropped at the end of the run, no
    other session left on them: a connection still open there (a server thread's, say) made
    PostgreSQL refuse DROP DATABASE ("being accessed by other users") and fail a green run.
    What is ended is printed, so the log names the session that was left open."""
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    import sys

    from django.db import connection, connections

    if connection.vendor == "postgresql":
        others = (
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pid, state, left(query, 120) {others}")
            for row in cursor.fetchall():
                sys.stderr.write(f"test database still in use at the end, ended: {row}\n")
            cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
    connections.close_all()
