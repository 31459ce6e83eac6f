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
    assert "£5,400,000,000.00 for 2025/26 shared between 5 places of NHS West Yorkshire ICB" in page
    assert (
        "Fernmouth is a synthetic place made for the demo. Its money and people are made up, "
        "so allocation here uses the real practices of NHS West Yorkshire ICB as a stand-in."
    ) in page
    assert "Pace of change from the baseline" in page
    assert "Change the budget allocation" not in page  # a viewer saves nothing
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
    assert '<a href="#name">Enter a name for the place, such as Kirklees East</a>' in text
    beside = '<span class="nhsuk-u-visually-hidden">Error:</span> Practice A81001: a GP practice'
    assert beside in text


def test_a_viewer_cannot_save_or_delete_and_a_session_upload_is_all_or_nothing(
    client, demo
) -> None:
    sign_in(client, "viewer")
    assert client.post(PAGE + "builder/", {"name": "X", "practices": CHECK}).status_code == 403
    pk = AllocationPlace.objects.get(name="Leeds").pk
    assert client.post(f"{PAGE}places/{pk}/delete/").status_code == 403
    assert client.get(f"{PAGE}places/{pk}/delete/").status_code == 403
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
    said = "Place A&#x27;s council areas (E09000001): no practice of QWO"
    assert said in response.content.decode()
    assert BudgetConfiguration.objects.count() == before
    good = fixed.replace("{council: E09000001}", "{council: E08000034}")
    assert client.post(PAGE + "budget/", {"text": good}).status_code == 302
    assert BudgetConfiguration.objects.count() == before + 1
    page = client.get(PAGE).content.decode()
    assert "£100.00 for 2025/26 shared between 2 places" in page


def test_the_api_gives_the_indices_and_budget_as_exact_text(client, demo) -> None:
    body = sign_in(client, "viewer").get("/api/places/fernmouth/allocation").json()
    assert body["icb_indices"]["QWO 2025/26"]["Overall core"] == "1.017"
    check = next(p for p in body["places"] if p["name"] == "Huddersfield South")
    assert check["indices"]["Overall core"] == "0.946"
    assert sum(Decimal(r["target"]) for r in body["budget"]) == Decimal("5400000000.00")
    assert sign_in(client, "westvale").get("/api/places/fernmouth/allocation").status_code == 404


# Saved places belong to an organisation (issue 12, item 8): only its analysts replace or
# delete one, and the audit event is filed against it, whoever's analyst does it.

ICB = "NHS Fernmouth and Westvale Integrated Care Board"


@pytest.fixture
def council_analyst(demo) -> User:
    """An analyst of the council, the place's other partner (the demo's places are the ICB's)."""
    from onebudget.roles import Role
    from onebudget_web.accounts.actions import create_user, grant_role
    from onebudget_web.accounts.models import Organisation

    user = create_user(
        by="system:tests", username="council-analyst", full_name="Cal Analyst",
        password="correct-horse-battery-staple-1",
    )  # fmt: skip
    council = Organisation.objects.get(code="E06099001")
    grant_role(by="system:tests", user=user, organisation=council, role=Role.ANALYST)
    return user


def test_another_partners_analyst_cannot_replace_or_delete_a_saved_place(
    client, council_analyst
) -> None:
    leeds = AllocationPlace.objects.get(name="Leeds")
    practices = leeds.practices
    client.force_login(council_analyst)
    page = client.get(PAGE).content.decode()
    assert f'<td class="nhsuk-table__cell">{ICB}</td>' in page  # whose each place is
    assert f"Only {ICB}'s analysts may delete it" in page
    assert f"places/{leeds.pk}/delete/" not in page
    refused = client.post(f"{PAGE}places/{leeds.pk}/delete/")
    assert refused.status_code == 403
    assert f"Leeds belongs to {ICB}: only its analysts may delete it." in refused.content.decode()
    replaced = client.post(
        PAGE + "builder/", {"name": "Leeds", "year": "2025/26", "icb": "QWO", "practices": CHECK}
    )
    assert replaced.status_code == 403
    assert f"Leeds belongs to {ICB}: only its analysts may replace it." in replaced.content.decode()
    session = {
        "Fresh": {"gps": ["B85005: x"], "icb": "NHS West Yorkshire ICB"},
        "Leeds": {"gps": ["B85022: y"], "icb": "NHS West Yorkshire ICB"},
        "places": ["Fresh", "Leeds"],
    }
    upload = SimpleUploadedFile("session.json", json.dumps(session).encode())
    imported = client.post(PAGE + "session.json", {"file": upload, "year": "2025/26"})
    assert imported.status_code == 403
    assert "Leeds belongs to" in imported.content.decode()
    assert not AllocationPlace.objects.filter(name="Fresh").exists()  # all or nothing
    leeds.refresh_from_db()
    assert (leeds.practices, leeds.organisation.code) == (practices, "QZZ")
    assert leeds.saved_by.username == "analyst"
    assert not AuditEvent.objects.filter(
        action__in=["allocation.place_replaced", "allocation.place_deleted"]
    ).exists()


def test_the_owners_analysts_replace_and_delete_and_the_event_names_the_owner(
    client, council_analyst
) -> None:
    from onebudget.roles import Role
    from onebudget_web.accounts.actions import grant_role

    client.force_login(council_analyst)
    fields = {"name": "Council's own", "year": "2025/26", "icb": "QWO", "practices": CHECK}
    assert client.post(PAGE + "builder/", fields).status_code == 302
    own = AllocationPlace.objects.get(name="Council's own")
    assert own.organisation.code == "E06099001"
    saved = AuditEvent.objects.get(action="allocation.place_saved", object_id=str(own.pk))
    assert saved.organisation == own.organisation
    # the ICB's analyst may not touch the council's place, but replaces the ICB's own
    sign_in(client, "analyst")
    assert client.post(f"{PAGE}places/{own.pk}/delete/").status_code == 403
    leeds = AllocationPlace.objects.get(name="Leeds")
    fields = {"name": "Leeds", "year": "2025/26", "icb": "QWO", "practices": CHECK[:2]}
    asked = client.post(PAGE + "builder/", fields)  # replacing is confirmed first
    assert asked.status_code == 200
    assert "Replace Leeds?" in asked.content.decode()
    assert sorted(AllocationPlace.objects.get(pk=leeds.pk).practices) != sorted(CHECK[:2])
    assert client.post(PAGE + "builder/", fields | {"replace": "yes"}).status_code == 302
    leeds.refresh_from_db()
    assert sorted(leeds.practices) == sorted(CHECK[:2])
    replaced = AuditEvent.objects.get(action="allocation.place_replaced")
    assert (replaced.object_id, replaced.organisation.code) == (str(leeds.pk), "QZZ")
    # an analyst at both partners deletes the ICB's place: filed against the ICB (the
    # owner), not the council (the organisation the user would save new places for)
    icb = leeds.organisation
    grant_role(by="system:tests", user=council_analyst, organisation=icb, role=Role.ANALYST)
    client.force_login(council_analyst)
    assert client.post(f"{PAGE}places/{leeds.pk}/delete/").status_code == 302
    assert not AllocationPlace.objects.filter(pk=leeds.pk).exists()
    deleted = AuditEvent.objects.get(action="allocation.place_deleted")
    assert (deleted.object_id, deleted.organisation) == (str(leeds.pk), icb)
    assert deleted.actor == council_analyst
    assert client.post(f"{PAGE}places/{own.pk}/delete/").status_code == 302
    assert AuditEvent.objects.filter(
        action="allocation.place_deleted", organisation=own.organisation
    ).exists()


def test_the_api_names_each_saved_places_owner(client, demo) -> None:
    body = sign_in(client, "viewer").get("/api/places/fernmouth/allocation").json()
    assert {p["owner"] for p in body["places"]} == {"QZZ"}


GOOD_BUDGET = (
    "year: 2025/26\nbudget: 100.00\nicb: QWO\nplaces:\n  A: {council: E08000034}\n"
    "  B: {practices: [B85005]}\ncomponents:\n  - {name: X, share: 1, index: Overall core}\n"
)


HOSTILE_BUDGETS = {
    "deep-flow": ("year: 2025/26\nplaces: " + "{a: " * 20_000 + "1" + "}" * 20_000, "nested more"),
    "deep-block": ("components:\n" + "- " * 20_000 + "x\n", "nested more than 50"),
    "aliases": (
        "\n".join(
            ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
            + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
        ),
        "aliases (*name) are not allowed",
    ),
    "exponent": (GOOD_BUDGET.replace("100.00", "1e400"), "The total budget (1e400): not written"),
    "29 digits": (GOOD_BUDGET.replace("100.00", "1" * 29), "more than £92,233,720,368,547,758.07"),
    "float 1e30": (GOOD_BUDGET.replace("budget: 100.00", "budget: 1.0e+30"), "more than £92,233"),
    "area cost": (
        GOOD_BUDGET.replace(
            "index: Overall core}", "population: registered, area_cost: {A: 1e400}}"
        ),
        "Component 1s area cost adjustment for A (1e400)",
    ),
    "text": (
        GOOD_BUDGET + "baseline: {A: fifty, B: 10%}\npace: {floor: 0.01}\n",
        "The baseline for A (fifty)",
    ),
}


def test_a_hostile_or_out_of_range_budget_is_a_400_with_its_problems(client, demo) -> None:
    sign_in(client, "analyst")
    before = BudgetConfiguration.objects.count()
    for name, (text, expected) in HOSTILE_BUDGETS.items():
        response = client.post(PAGE + "budget/", {"text": text})
        assert response.status_code == 400, name
        page = response.content.decode().replace("&#x27;", "")
        assert "There is a problem: nothing has been saved" in page, name
        assert expected in page, name
        assert len(page) < 300_000, name
    assert BudgetConfiguration.objects.count() == before
    assert client.post(PAGE + "budget/", {"text": GOOD_BUDGET}).status_code == 302
