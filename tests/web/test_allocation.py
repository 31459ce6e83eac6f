"""Allocation pages: places built from practices or brought from NHS England's tool, their
indices, the budget by need with pace of change; saving needs an analyst of a partner."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from onebudget_web.accounts.models import User
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.loader import load_demo_allocation, load_demo_place

PAGE = "/places/fernmouth/allocation/"
CHECK = ["B85005", "B85022", "B85061", "B85026"]


@pytest.fixture
def demo(db):
    load_demo_place()
    return load_demo_allocation()


def sign_in(client, name: str):
    client.force_login(User.objects.get(username=name))
    return client


def test_partners_see_the_demo_indices_and_allocation_and_others_do_not(client, demo) -> None:
    assert demo == 6
    page = sign_in(client, "viewer").get(PAGE).content.decode()
    assert "NHS West Yorkshire ICB (QWO), 2025/26" in page
    # the published check: the ICB's core index and the place's, side by side
    assert '<th scope="row" class="nhsuk-table__cell">Overall core</th>' in page
    assert ">1.017</td>" in page
    assert ">0.946</td>" in page
    assert "<svg" in page
    assert "£5,400,000,000.00 shared between 5 places" in page
    assert "Pace of change from the baseline" in page
    assert "Allocate the budget" not in page  # a viewer saves nothing
    assert sign_in(client, "westvale").get(PAGE).status_code == 404


def test_the_workbook_and_the_session_file_carry_the_saved_places(client, demo) -> None:
    sign_in(client, "viewer")
    book = CalamineWorkbook.from_filelike(BytesIO(client.get(PAGE + "?format=xlsx").content))
    assert book.sheet_names == ["Indices", "Places", "Allocation"]
    indices = book.get_sheet_by_name("Indices").to_python()
    core = [r for r in indices if r[2] == "Overall core" and r[3] == "Huddersfield South"]
    assert core[0][5] == pytest.approx(0.946)
    allocation = book.get_sheet_by_name("Allocation").to_python()
    target = allocation[0].index("target")
    assert sum(r[target] for r in allocation[1:]) == pytest.approx(5_400_000_000)
    session = json.loads(client.get(PAGE + "session.json").content)
    assert "Huddersfield South" in session["places"]
    assert session["Huddersfield South"]["icb"] == "NHS West Yorkshire ICB"
    assert len(session["Huddersfield South"]["gps"]) == 4


def test_an_analyst_builds_a_place_by_council_and_by_ticking_practices(client, demo) -> None:
    sign_in(client, "analyst")
    page = client.get(PAGE + "builder/?year=2025/26&icb=QWO&pick=council:E08000033")
    text = page.content.decode()
    assert 'value="council:E08000033" selected' in text
    ticked = text.count(" checked>")
    assert ticked > 10  # Calderdale's practices are ticked for the analyst to adjust
    assert "vendor/leaflet/leaflet.js" in text
    assert 'data-tiles=""' in text  # no tile server unless one is configured
    saved = client.post(
        PAGE + "builder/", {"name": "Four practices", "year": "2025/26", "icb": "QWO",
                            "practices": CHECK},
    )  # fmt: skip
    assert saved.status_code == 302
    kept = AllocationPlace.objects.get(name="Four practices")
    assert sorted(kept.practices) == sorted(CHECK)
    assert AuditEvent.objects.filter(action="allocation.place_saved", object_id=str(kept.pk))
    refused = client.post(
        PAGE + "builder/", {"name": "", "year": "2025/26", "icb": "QWO", "practices": ["A81001"]}
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "a place has a name" in text
    assert "A81001" in text


def test_a_viewer_cannot_save_or_delete_and_a_session_upload_is_all_or_nothing(
    client, demo
) -> None:
    sign_in(client, "viewer")
    assert client.post(PAGE + "builder/", {"name": "X", "practices": CHECK}).status_code == 403
    pk = AllocationPlace.objects.get(name="Leeds").pk
    assert client.post(f"{PAGE}places/{pk}/delete/").status_code == 403
    sign_in(client, "analyst")
    bad = {
        "Good": {"gps": ["B85005: x"], "icb": "NHS West Yorkshire ICB"},
        "Bad": {"gps": ["Z99999: gone"], "icb": "NHS West Yorkshire ICB"},
        "places": ["Good", "Bad"],
    }
    upload = SimpleUploadedFile("session.json", json.dumps(bad).encode())
    response = client.post(PAGE + "session.json", {"file": upload, "year": "2025/26"})
    assert response.status_code == 400
    assert "Z99999" in response.content.decode()
    assert not AllocationPlace.objects.filter(name="Good").exists()
    del bad["Bad"]
    bad["places"] = ["Good"]
    upload = SimpleUploadedFile("session.json", json.dumps(bad).encode())
    response = client.post(PAGE + "session.json", {"file": upload, "year": "2025/26"})
    assert response.status_code == 302
    assert AllocationPlace.objects.get(name="Good").practices == ["B85005"]
    assert client.post(f"{PAGE}places/{pk}/delete/").status_code == 302
    assert not AllocationPlace.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="allocation.place_deleted").count() == 1


def test_a_budget_with_problems_is_refused_with_every_problem_and_nothing_saved(
    client, demo
) -> None:
    sign_in(client, "analyst")
    before = BudgetConfiguration.objects.count()
    text = (
        "year: 2025/26\nbudget: 100.00\nicb: QWO\nplaces:\n  A: {council: E09000001}\n"
        "  B: {practices: [B85005]}\ncomponents:\n  - {name: X, share: 0.5, index: Overall core}\n"
    )
    response = client.post(PAGE + "budget/", {"text": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "shares add up to 1" in page
    not_yaml = client.post(PAGE + "budget/", {"text": "year: [\n"})
    assert not_yaml.status_code == 400
    assert "not YAML" in not_yaml.content.decode()
    fixed = text.replace("share: 0.5", "share: 1")
    response = client.post(PAGE + "budget/", {"text": fixed})
    assert response.status_code == 400
    assert "places.A.council" in response.content.decode()
    assert BudgetConfiguration.objects.count() == before
    good = fixed.replace("{council: E09000001}", "{council: E08000034}")
    assert client.post(PAGE + "budget/", {"text": good}).status_code == 302
    assert BudgetConfiguration.objects.count() == before + 1
    page = client.get(PAGE).content.decode()
    assert "£100.00 shared between 2 places" in page


def test_the_api_gives_the_indices_and_budget_as_exact_text(client, demo) -> None:
    body = sign_in(client, "viewer").get("/api/places/fernmouth/allocation").json()
    assert body["icb_indices"]["QWO 2025/26"]["Overall core"] == "1.017"
    check = next(p for p in body["places"] if p["name"] == "Huddersfield South")
    assert check["indices"]["Overall core"] == "0.946"
    assert sum(Decimal(r["target"]) for r in body["budget"]) == Decimal("5400000000.00")
    assert sign_in(client, "westvale").get("/api/places/fernmouth/allocation").status_code == 404
