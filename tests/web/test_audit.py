"""Every write records who, what, when and from where; the log itself is never changed."""

import pytest
from django.db import DatabaseError, connection, transaction

from onebudget.organisations import OrganisationKind
from onebudget.roles import Role
from onebudget_web.accounts import actions
from onebudget_web.audit.context import Origin, origin
from onebudget_web.audit.models import AppendOnlyError, AuditEvent


def test_each_action_records_one_event(world) -> None:
    actions_seen = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions_seen == [
        "organisation.created",
        "organisation.created",
        "place.created",
        "place.partner_added",
        "place.created",
        "place.partner_added",
        "user.created",
        "user.created",
        "role.granted",
        "role.granted",
    ]


def test_an_event_says_who_what_when_and_from_where(world) -> None:
    actions.grant_role(
        by="system:tests", user=world.alice, organisation=world.org_a, role=Role.ADMIN
    )
    with origin(Origin("web", "203.0.113.9", "Firefox")):
        actions.grant_role(
            by=world.alice, user=world.bob, organisation=world.org_a, role=Role.ANALYST
        )
    event = AuditEvent.objects.first()
    assert event is not None
    assert (event.actor, event.actor_label) == (world.alice, "aldmoor-alice")
    assert event.action == "role.granted"
    assert event.organisation == world.org_a
    assert (event.channel, event.ip_address, event.user_agent) == ("web", "203.0.113.9", "Firefox")
    assert event.detail == {"user": "brindle-bob", "role": "analyst"}
    assert event.at is not None


def test_a_refused_write_leaves_no_record_and_no_event(db) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(Exception, match="GSS code"):
        actions.create_organisation(
            by="system:tests", code="QWO", name="Wrong", kind=OrganisationKind.LOCAL_AUTHORITY
        )
    assert AuditEvent.objects.count() == before


def test_python_refuses_to_change_or_remove_events(world) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update_even_in_raw_sql(world) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = 'tampered'")
    assert not AuditEvent.objects.filter(action="tampered").exists()


@pytest.mark.postgresql
def test_postgresql_refuses_a_delete_even_in_raw_sql(world) -> None:
    count = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == count
