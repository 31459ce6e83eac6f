"""Targets: set by commissioners of a place's partners, audited, judged by the interval."""

import pytest

from onebudget import demo
from onebudget_web.audit.models import AuditEvent
from onebudget_web.places.models import IndicatorTarget
from tests.web.conftest import demo_dataset_from

URL = "/places/fernmouth/outcomes/discharge-usual-residence/"


@pytest.fixture
def demo_place(db, demo_folders):
    demo_dataset_from(demo_folders(6000), persons=6000)


def sign_in(client, username: str):
    client.post("/sign-in/", {"username": username, "password": demo.DEMO_PASSWORD})
    return client


def test_a_commissioner_sets_a_target_and_sees_its_status(client, demo_place) -> None:
    sign_in(client, "commissioner")
    response = client.post(URL + "target/", {"value": "80", "note": "BCF plan 2025/26"})
    assert response.status_code == 302
    target = IndicatorTarget.objects.get()
    assert (str(target.value), target.year, target.set_by) == ("80.00", 2025, "commissioner")
    assert AuditEvent.objects.filter(action="target.set", actor_label="commissioner").exists()
    page = client.get(URL).content.decode()
    assert "Target for 2025: <strong>80.00%</strong>" in page
    assert "Status: <strong>Met</strong>" in page  # about 93% against 80%, higher is better
    outcomes = client.get("/places/fernmouth/outcomes/").content.decode()
    assert 'nhsuk-tag--green">Met' in outcomes


@pytest.mark.parametrize(
    "value", ["ninety", "1e30", "100.01", "-5", "NaN", "9" * 40, "92.555", "", "12,34"]
)
def test_a_bad_value_is_explained_and_nothing_is_saved(client, demo_place, value: str) -> None:
    """Not a number, too many decimal places, or over 100 for a percentage: never a 500."""
    sign_in(client, "commissioner")
    response = client.post(URL + "target/", {"value": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The target must be a percentage from 0 to 100, like 92.5" in body
    assert not IndicatorTarget.objects.exists()


def test_only_commissioners_of_a_partner_may_set_one(client, demo_place) -> None:
    sign_in(client, "analyst")
    response = client.post(URL + "target/", {"value": "90"})
    assert response.status_code == 403
    assert "analyst is not a commissioner of a partner of Fernmouth" in response.content.decode()
    assert "Save target" not in client.get(URL).content.decode()
    client.post("/sign-out/")
    sign_in(client, "westvale")  # a commissioner, but not of Fernmouth's partners
    assert client.post(URL + "target/", {"value": "90"}).status_code == 404
    assert not IndicatorTarget.objects.exists()
