"""The outcomes pages of a place: every indicator, disclosure-controlled, with charts."""

import pytest

from onebudget import demo
from onebudget.outcomes.definitions import indicators
from onebudget_web.demo.loader import load_demo_place
from tests.web.conftest import demo_dataset_from


@pytest.fixture
def signed_in(client, db, demo_folders):
    demo_dataset_from(demo_folders(6000), persons=6000)
    client.post("/sign-in/", {"username": "analyst", "password": demo.DEMO_PASSWORD})
    return client


def test_the_outcomes_page_lists_every_indicator_with_its_latest_value(signed_in) -> None:
    page = signed_in.get("/places/fernmouth/outcomes/").content.decode()
    for indicator in indicators().values():
        assert indicator.spec.name in page
    assert "rounded to the nearest 5" in page
    assert "Whole-person health and care cost by segment, 2025" in page
    assert "Frailty and dementia" in page
    assert "All people" in page
    assert "2025" in page
    assert signed_in.get("/places/fernmouth/").content.decode().count("/outcomes/") == 1


def test_an_indicator_page_has_its_years_and_charts(signed_in) -> None:
    page = signed_in.get("/places/fernmouth/outcomes/non-elective-admissions/").content.decode()
    assert "<h1>Emergency hospital admissions per 1,000 people</h1>" in page
    assert page.count("<svg") == 2  # the NHS logo and the monthly SPC chart
    assert "GP practices" in page  # a one-practice demo place: too few for a funnel plot
    assert "statistical process control" in page


def test_cost_per_head_is_shown_in_pounds_without_an_interval(signed_in) -> None:
    summary = signed_in.get("/places/fernmouth/outcomes/").content.decode()
    page = signed_in.get("/places/fernmouth/outcomes/whole-person-cost/").content.decode()
    assert "None" not in summary
    assert "None" not in page
    assert "not applicable" in page
    assert "pounds per head" in page
    assert page.count("<svg") == 2  # the NHS logo and the monthly trend
    assert "this indicator is a mean cost per head" in page  # a mean has no funnel plot


def test_unknown_indicators_and_places_without_data_say_so(signed_in) -> None:
    assert signed_in.get("/places/fernmouth/outcomes/no-such-thing/").status_code == 404
    page = signed_in.get("/places/westvale/outcomes/").content.decode()
    assert "No linked data has been loaded for Westvale" in page


def _admin_grants(analyst: str, **kw: object):
    from onebudget_web.accounts.models import Organisation, User
    from onebudget_web.accounts.waivers import grant_disclosure_waiver

    return grant_disclosure_waiver(
        by=User.objects.get(username="admin"),
        user=User.objects.get(username=analyst),
        organisation=Organisation.objects.get(code="QZZ"),
        reason=kw.get("reason", "Validating a practice-level audit with the GP federation"),
        days=kw.get("days", 14),
    )


def test_unsuppressed_figures_need_a_waiver(signed_in) -> None:
    assert signed_in.get("/places/fernmouth/outcomes/?unsuppressed=1").status_code == 403
    page = signed_in.get("/places/fernmouth/outcomes/").content.decode()
    assert "show unsuppressed figures" not in page


def test_a_waiver_shows_unsuppressed_figures_and_every_view_is_audited(signed_in) -> None:
    from onebudget_web.audit.models import AuditEvent

    _admin_grants("analyst")
    published = signed_in.get("/places/fernmouth/outcomes/").content.decode()
    assert "show unsuppressed figures" in published
    page = signed_in.get("/places/fernmouth/outcomes/?unsuppressed=1").content.decode()
    assert "Not disclosure-controlled" in page
    assert "Validating a practice-level audit" in page
    assert AuditEvent.objects.filter(action="disclosure_waiver.granted").count() == 1
    assert (
        AuditEvent.objects.filter(
            action="outputs.viewed_unsuppressed", actor_label="analyst"
        ).count()
        == 1
    )


def test_only_admins_grant_and_only_to_analysts(db) -> None:
    from django.core.exceptions import ValidationError

    load_demo_place()
    with pytest.raises(ValidationError) as refused:
        _admin_grants("icb-finance", reason="short", days=365)
    messages = " ".join(refused.value.messages)
    assert "icb-finance is not an analyst of QZZ" in messages
    assert "at least 10 characters" in messages
    assert "1 to 90 days, not 365" in messages


def test_a_revoked_or_expired_waiver_no_longer_works(signed_in) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from onebudget_web.accounts.waivers import revoke_disclosure_waiver

    waiver = _admin_grants("analyst")
    revoke_disclosure_waiver(by="system:tests", waiver=waiver)
    assert signed_in.get("/places/fernmouth/outcomes/?unsuppressed=1").status_code == 403
    other = _admin_grants("analyst")
    type(other).objects.filter(pk=other.pk).update(expires_at=timezone.now() - timedelta(1))
    assert signed_in.get("/places/fernmouth/outcomes/?unsuppressed=1").status_code == 403
