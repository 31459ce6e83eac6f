"""Targets: set by commissioners of a place's partners for any financial year of the data or
the next, audited, each year judged by its interval: the years' targets are a trajectory."""

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
    response = client.post(URL + "target/", {"year": "2024", "value": "80", "note": "BCF plan"})
    assert response.status_code == 302
    assert response["Location"] == URL + "?year=2024"
    target = IndicatorTarget.objects.get()
    assert (str(target.value), target.year, target.set_by) == ("80.00", 2024, "commissioner")
    assert AuditEvent.objects.filter(action="target.set", actor_label="commissioner").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Target for 2024/25 saved." in page
    assert "Target for 2024/25: <strong>80.00%</strong>" in page
    assert "Status: <strong>Met</strong>" in page  # about 93% against 80%, higher is better
    outcomes = client.get("/places/fernmouth/outcomes/").content.decode()
    assert 'nhsuk-tag--green">Met' in outcomes
    earlier = client.get("/places/fernmouth/outcomes/?year=2023").content.decode()
    assert 'nhsuk-tag--green">Met' not in earlier  # the target is 2024/25's alone


def test_without_a_year_the_target_is_for_the_year_the_page_shows(client, demo_place) -> None:
    sign_in(client, "commissioner")
    assert client.post(URL + "target/", {"value": "85"}).status_code == 302
    assert IndicatorTarget.objects.get().year == 2024


def test_targets_year_by_year_are_a_trajectory_against_the_actual_values(
    client, demo_place
) -> None:
    """2023/24 and 2024/25 have data; 2025/26, the next year, has a target and no data."""
    sign_in(client, "commissioner")
    for year, value in (("2023", "99"), ("2024/25", "80"), ("2025", "95.5")):
        assert client.post(URL + "target/", {"year": year, "value": value}).status_code == 302
    assert sorted(IndicatorTarget.objects.values_list("year", flat=True)) == [2023, 2024, 2025]
    page = client.get(URL).content.decode()
    table = page[page.index("By year, against the targets") :]
    rows = table[: table.index("</table>")].split('<tr class="nhsuk-table__row">')[1:]
    assert [r.split("Financial year </span>")[1][:7] for r in rows] == [
        "2023/24",
        "2024/25",
        "2025/26",
    ]
    for row, shown in zip(
        rows,
        (("99.00%", 'nhsuk-tag--red">Not met'), ("80.00%", 'nhsuk-tag--green">Met')),
        strict=False,
    ):
        assert shown[0] in row
        assert shown[1] in row
    assert "95.50%" in rows[2]
    assert "No data yet" in rows[2]
    assert "Not yet known" in rows[2]
    assert '<option value="2025">2025/26</option>' in page  # the next year may have one


@pytest.mark.parametrize("year", ["2022", "2026", "last year", "2024/26"])
def test_a_year_outside_the_data_and_the_next_is_refused_beside_the_field(
    client, demo_place, year: str
) -> None:
    sign_in(client, "commissioner")
    response = client.post(URL + "target/", {"year": year, "value": "90"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    rule = "Choose a financial year from 2023/24 to 2025/26"
    assert f'<a href="#target-year">{rule}</a>' in body
    hidden = '<span class="nhsuk-u-visually-hidden">Error:</span>'
    assert f'id="target-year-error">{hidden} {rule}' in body
    assert 'value="90"' in body  # what they typed is kept
    assert not IndicatorTarget.objects.exists()


@pytest.mark.parametrize(
    "value", ["ninety", "1e30", "100.01", "-5", "NaN", "9" * 40, "92.555", "", "12,34"]
)
def test_a_bad_value_is_explained_and_nothing_is_saved(client, demo_place, value: str) -> None:
    """Not a number, too many decimal places, or over 100 for a percentage: never a 500."""
    sign_in(client, "commissioner")
    response = client.post(URL + "target/", {"year": "2024", "value": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The target must be a percentage from 0 to 100, like 92.5" in body
    assert 'id="target-value-error"' in body
    assert not IndicatorTarget.objects.exists()


def test_only_commissioners_of_a_partner_may_set_one(client, demo_place) -> None:
    sign_in(client, "analyst")
    response = client.post(URL + "target/", {"year": "2024", "value": "90"})
    assert response.status_code == 403
    assert "analyst is not a commissioner of a partner of Fernmouth" in response.content.decode()
    assert "Save target" not in client.get(URL).content.decode()
    client.post("/sign-out/")
    sign_in(client, "westvale")  # a commissioner, but not of Fernmouth's partners
    assert client.post(URL + "target/", {"year": "2024", "value": "90"}).status_code == 404
    assert not IndicatorTarget.objects.exists()
