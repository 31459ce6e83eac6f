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


def test_the_outcomes_page_shows_every_indicator_in_the_latest_financial_year(signed_in) -> None:
    """The demo data run from January 2023 to December 2025: whole financial years 2023/24
    and 2024/25. Today's year (2026/27 or later) has none, so the latest is shown."""
    page = signed_in.get("/places/fernmouth/outcomes/").content.decode()
    for indicator in indicators().values():
        assert indicator.spec.name in page
    assert "<h1>Outcomes, financial year 2024/25</h1>" in page
    assert "financial year 2024/25 (April 2024 to March 2025)" in page
    assert '<option value="2024" selected>2024/25</option>' in page
    assert '<option value="2023">2023/24</option>' in page
    assert "2025/26" not in page  # April to December 2025 only: not a whole year
    assert "rounded to the nearest 5" in page
    assert "Whole-person health and care cost by segment, 2024/25" in page
    assert "Frailty and dementia" in page
    assert "All people" in page
    assert signed_in.get("/places/fernmouth/").content.decode().count("/outcomes/") == 1


def test_another_year_is_chosen_and_its_figures_are_that_years(signed_in) -> None:
    from onebudget_web.places import outcomes
    from onebudget_web.places.models import Place

    page = signed_in.get("/places/fernmouth/outcomes/?year=2023").content.decode()
    assert "<h1>Outcomes, financial year 2023/24</h1>" in page
    assert '<option value="2023" selected>2023/24</option>' in page
    assert "Whole-person health and care cost by segment, 2023/24" in page
    assert "/outcomes/falls-65-plus/?year=2023" in page
    found = outcomes.outcomes_for(Place.objects.get(slug="fernmouth"))
    assert found is not None
    rows = {r["period"]: r for r in outcomes.summary(found, "falls-65-plus")}
    earlier, later = rows["2023/24"], rows["2024/25"]
    assert earlier["value"] != later["value"]
    shown = f"{earlier['lower']:,.1f} to {earlier['upper']:,.1f}"
    assert shown in page
    assert f"{later['lower']:,.1f} to {later['upper']:,.1f}" not in page


def test_a_year_without_data_says_so_and_shows_the_latest(signed_in) -> None:
    page = signed_in.get("/places/fernmouth/outcomes/?year=2019").content.decode()
    assert "There are no outcomes for 2019/20. These are for 2024/25." in page
    assert "<h1>Outcomes, financial year 2024/25</h1>" in page
    assert signed_in.get("/places/fernmouth/outcomes/?year=nonsense").status_code == 200


def test_an_indicator_page_has_its_years_and_charts(signed_in) -> None:
    page = signed_in.get("/places/fernmouth/outcomes/non-elective-admissions/").content.decode()
    assert "<h1>Emergency hospital admissions per 1,000 people</h1>" in page
    assert page.count("<svg") == 2  # the NHS logo and the monthly SPC chart
    assert "GP practices, 2024/25" in page  # a one-practice demo place: too few for a funnel
    assert "statistical process control" in page
    assert ">2023/24</td>" in page
    assert ">2024/25</td>" in page


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
    assert "financial year 2024/25" in page
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
