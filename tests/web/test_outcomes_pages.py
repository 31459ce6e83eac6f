"""The outcomes pages of a place: every indicator, disclosure-controlled, with charts."""

import pytest

from onebudget import demo
from onebudget.outcomes.definitions import indicators
from onebudget_web.demo.loader import load_demo_data, load_demo_place


@pytest.fixture
def signed_in(client, db, tmp_path):
    load_demo_place()
    load_demo_data(tmp_path, persons=6000)
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
    assert "<h1>Emergency (non-elective) hospital admissions per 1,000 people</h1>" in page
    assert page.count("<svg") == 2  # monthly SPC chart and GP-practice funnel
    assert "statistical process control" in page


def test_unknown_indicators_and_places_without_data_say_so(signed_in) -> None:
    assert signed_in.get("/places/fernmouth/outcomes/no-such-thing/").status_code == 404
    page = signed_in.get("/places/westvale/outcomes/").content.decode()
    assert "No linked data has been loaded for Westvale" in page
