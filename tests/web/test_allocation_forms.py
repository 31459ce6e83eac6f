"""The allocation pages' forms (issue 15, items 4 and 8): the builder opens on the place's
own ICB and council area, or says what stands in for it; the budget is a form that makes
the same budget as its YAML; deleting or replacing a saved place is confirmed first; every
problem is said in plain English beside its field and linked from the summary."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onebudget.allocation.budget import allocate_budget, load_budget
from onebudget.allocation.places import Choice, choose
from onebudget.organisations import OrganisationKind
from onebudget.roles import Role
from onebudget_web.accounts.models import User
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.loader import load_demo_allocation, load_demo_place

PAGE = "/places/fernmouth/allocation/"
FORM = PAGE + "allocate/"
D = Decimal


@pytest.fixture
def demo(db):
    load_demo_place()
    return load_demo_allocation()


def sign_in(client, name: str):
    client.force_login(User.objects.get(username=name))
    return client


def real_place(*, icb: str, gss: str, slug: str):
    """A place whose partners are a real ICB and council, with an analyst at the ICB."""
    from onebudget_web.accounts import actions as accounts
    from onebudget_web.places.actions import create_place

    by = "system:tests"
    org = accounts.create_organisation(
        by=by, code=icb, name=f"ICB {icb}", kind=OrganisationKind.ICB
    )
    council = accounts.create_organisation(
        by=by, code=gss, name=f"Council {gss}", kind=OrganisationKind.LOCAL_AUTHORITY
    )
    place = create_place(
        by=by, name=slug.title(), slug=slug, kind="council_area", partners=[org, council],
        gss_code=gss,
    )  # fmt: skip
    user = accounts.create_user(
        by=by, username=f"{slug}-analyst", full_name="Real Analyst", password=None
    )
    accounts.grant_role(by=by, user=user, organisation=org, role=Role.ANALYST)
    return place, user


def ticked(page: str) -> set[str]:
    return set(re.findall(r'name="practices" type="checkbox" value="(\w+)" checked>', page))


# -- where the builder opens --------------------------------------------------------------


def test_a_real_place_opens_on_its_own_icb_with_its_council_areas_practices_ticked(
    client, db
) -> None:
    place, user = real_place(icb="QWO", gss="E08000034", slug="kirklees")
    client.force_login(user)
    page = client.get(f"/places/{place.slug}/allocation/builder/").content.decode()
    kirklees, _ = choose("2025/26", "QWO", "k", Choice(councils=("E08000034",)))
    assert kirklees is not None
    assert ticked(page) == set(kirklees.practices)
    assert '<option value="QWO" selected>NHS West Yorkshire ICB (QWO)</option>' in page
    assert 'value="council:E08000034" selected' in page
    assert (
        "Kirklees's council area is Kirklees (E08000034): its practices in 2025/26 are ticked"
        in page
    )
    assert 'data-testid="stand-in"' not in page
    # choosing "None" is a choice: nothing is ticked for the analyst then
    chosen = client.get(f"/places/{place.slug}/allocation/builder/?year=2025/26&icb=QWO&pick=")
    assert ticked(chosen.content.decode()) == set()


def test_a_place_of_another_real_icb_opens_there(client, db) -> None:
    place, user = real_place(icb="QJK", gss="E06000027", slug="torbay")
    client.force_login(user)
    page = client.get(f"/places/{place.slug}/allocation/builder/").content.decode()
    assert '<option value="QJK" selected>NHS Devon ICB (QJK)</option>' in page
    assert "Practices of NHS Devon ICB in 2025/26" in page
    torbay, _ = choose("2025/26", "QJK", "t", Choice(councils=("E06000027",)))
    assert torbay is not None
    assert ticked(page) == set(torbay.practices)


def test_the_synthetic_demo_place_says_what_stands_in_for_it(client, demo) -> None:
    page = sign_in(client, "analyst").get(PAGE + "builder/").content.decode()
    assert (
        "Fernmouth is a synthetic place made for the demo. Its money and people are made up, "
        "so allocation here uses the real practices of NHS West Yorkshire ICB as a stand-in."
    ) in page
    assert '<option value="QWO" selected>' in page
    assert ticked(page) == set()  # its council area is not a real one: nothing to tick


# -- the budget form ----------------------------------------------------------------------


def form_fields(page: str) -> dict[str, list[str]]:
    """What a browser would send from the form as shown: text fields, ticked boxes and the
    selected option of each select."""
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        fields.setdefault(name.group(1), []).append(value.group(1) if value else "")
    for name, body in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        fields[name] = [chosen.group(1) if chosen else ""]
    return {
        k: [v.replace("&amp;", "&").replace("&#x27;", "'") for v in vs] for k, vs in fields.items()
    }


def test_the_form_shows_the_latest_budget_and_sending_it_back_makes_the_same_budget(
    client, demo
) -> None:
    sign_in(client, "analyst")
    shown = client.get(FORM).content.decode()
    fields = form_fields(shown)
    assert fields["total"] == ["£5,400,000,000.00"]
    assert len(fields["place"]) == 5  # the five council areas; Huddersfield South is not in it
    assert [fields[f"c{i}-share"][0] for i in range(4)] == ["80", "8", "9", "3"]
    assert [fields[f"c{i}-need"][0] for i in range(4)] == [
        "Overall core", "Primary medical care", "registered", "registered"
    ]  # fmt: skip
    assert (fields["floor"], fields["cap"]) == (["1"], ["6"])
    before = BudgetConfiguration.objects.get()
    response = client.post(FORM, {**fields, "do": "allocate"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    after = BudgetConfiguration.objects.latest("pk")
    assert after.pk != before.pk
    yaml_result = allocate_budget(load_budget(before.text, source="yaml"))
    form_result = allocate_budget(load_budget(after.text, source="form"))
    assert form_result.by_place == yaml_result.by_place  # to the penny
    assert form_result.paced == yaml_result.paced
    assert AuditEvent.objects.filter(
        action="allocation.budget_saved", detail__file="the budget form"
    ).exists()


def test_the_form_says_where_it_differs_from_the_latest_budget(client, demo) -> None:
    from onebudget_web.allocation import actions

    analyst = User.objects.get(username="analyst")
    place = AllocationPlace.objects.get(name="Leeds").place
    actions.save_place(
        by=analyst, place=place, name="Leeds", year="2025/26", icb="QWO",
        choice=Choice(practices=("B86002", "B86003")),
    )  # fmt: skip
    AllocationPlace.objects.filter(name="Wakefield").delete()
    page = sign_in(client, "analyst").get(FORM).content.decode()
    assert "Leeds in the latest budget is not the same practices as the saved place Leeds" in page
    assert "Wakefield is in the latest budget but is not a saved place" in page
    assert len(form_fields(page)["place"]) == 4


def a_form(demo_places: dict[str, int], **more: str) -> dict[str, object]:
    return {"total": "£1,234,567", "place": list(demo_places.values()), "rows": "2", **more}


@pytest.fixture
def places(demo) -> dict[str, int]:
    return {s.name: s.pk for s in AllocationPlace.objects.filter(name__in=["Leeds", "Kirklees"])}


def test_a_share_and_amounts_make_a_budget_that_adds_up_to_the_penny(client, places) -> None:
    """Half of £1,234,567 as a share, the rest as two amounts (a third of the budget is not
    a decimal share): each amount comes back exact, and the form shows them as given."""
    fields = a_form(
        places,
        rows="3",
        **{"c0-name": "Core", "c0-share": "50%", "c0-need": "Overall core",
           "c1-name": "Public health", "c1-amount": "£411,522.33", "c1-need": "registered",
           "c1-deprivation": "1",
           "c2-name": "Community", "c2-amount": "205,761.17", "c2-need": "Community"},
    )  # fmt: skip
    response = sign_in(client, "analyst").post(FORM, fields)
    assert response.status_code == 302, response.content.decode()[-3000:]
    config = load_budget(BudgetConfiguration.objects.latest("pk").text, source="saved")
    assert config.budget == D("1234567.00")
    assert sorted(config.places) == ["Kirklees", "Leeds"]
    assert config.places["Leeds"].practices == AllocationPlace.objects.get(name="Leeds").practices
    assert sum(c.share for c in config.components) == 1
    result = allocate_budget(config)
    for name, given in (("Public health", "411522.33"), ("Community", "205761.17")):
        assert sum(parts[name] for parts in result.by_place.values()) == D(given), name
    assert config.components[1].deprivation_weight == 1
    shown = form_fields(client.get(FORM).content.decode())
    assert [shown[f"c{i}-share"][0] for i in range(3)] == ["50", "", ""]
    assert [shown[f"c{i}-amount"][0] for i in range(3)] == ["", "£411,522.33", "£205,761.17"]


def test_every_problem_is_beside_its_field_and_linked_from_the_summary(client, places) -> None:
    leeds = places["Leeds"]
    fields = a_form(
        places,
        total="fifty pounds",
        **{"c0-name": "Core", "c0-share": "60", "c0-amount": "£10", "c0-need": "Overall core",
           "c1-name": "Other", "c1-share": "30", f"baseline-{leeds}": "£100"},
    )  # fmt: skip
    sign_in(client, "analyst")
    response = client.post(FORM, fields)
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    expected = {
        "total": "Enter the total budget as an amount of money, like £1,234,567",
        f"baseline-{places['Kirklees']}": (
            "Enter a baseline for Kirklees, or leave every baseline empty"
        ),
        "floor": "Enter the minimum growth each year, like 1.5%",
        "c0-share": "Enter a share or an amount for Core, not both",
        "c1-need": "Choose the need Other follows",
    }
    for field, message in expected.items():
        assert f'<a href="#{field}">{message}</a>' in page, field
        assert page.index(f'id="{field}-error"') < page.index(f'id="{field}"'), field
    assert "There is a problem: nothing has been saved" in page
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert summary.count("<li>") == len(expected)
    assert "Traceback" not in page
    assert "components.0" not in page
    assert BudgetConfiguration.objects.count() == 1  # the demo's


def test_parts_that_do_not_add_up_are_said_in_money(client, places) -> None:
    fields = a_form(
        places,
        **{"c0-name": "Core", "c0-share": "60", "c0-need": "Overall core",
           "c1-name": "Other", "c1-amount": "100,000", "c1-need": "G&A"},
    )  # fmt: skip
    page = sign_in(client, "analyst").post(FORM, fields).content.decode()
    assert (
        "The components come to £840,740.20 (68.10% of the budget), not the total budget of "
        "£1,234,567.00"
    ) in page


def test_a_problem_the_library_finds_comes_back_beside_the_form(client, places) -> None:
    """A baseline so large that the floor's growth alone is more than the budget: the
    engine refuses it, and the form says so in words, beside the total."""
    leeds, kirklees = places["Leeds"], places["Kirklees"]
    fields = a_form(
        places,
        floor="1",
        **{"c0-name": "Core", "c0-share": "100", "c0-need": "Overall core",
           f"baseline-{leeds}": "£1,000,000", f"baseline-{kirklees}": "£1,000,000"},
    )  # fmt: skip
    response = sign_in(client, "analyst").post(FORM, fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#total">The budget: the budget, 1,234,567.00, is' in page
    assert BudgetConfiguration.objects.count() == 1


def test_add_another_component_and_age_group_show_the_form_again_with_a_row_more(
    client, places
) -> None:
    fields = a_form(places, **{"c0-name": "Core", "c0-share": "100", "c0-need": "G&A"})
    fields["rows"] = "1"
    page = sign_in(client, "analyst").post(FORM, fields | {"add": "component"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="rows" value="2"' in text  # the row given and a new one
    assert 'value="Core"' in text
    assert 'id="c1-name"' in text
    more = client.post(FORM, fields | {"add": "age-0", "c0-ages": "3"}).content.decode()
    assert 'name="c0-ages" value="4"' in more
    assert BudgetConfiguration.objects.count() == 1


def test_a_component_by_age_group_is_the_budget_its_yaml_would_be(client, places) -> None:
    leeds, kirklees = places["Leeds"], places["Kirklees"]
    fields = a_form(
        places,
        **{"rows": "1", "c0-name": "Adult social care", "c0-share": "100", "c0-need": "by_age",
           "c0-ages": "2", "c0-age0-group": "18-64", "c0-age0-weight": "1",
           f"c0-age0-people-{leeds}": "520,000", f"c0-age0-people-{kirklees}": "270000",
           "c0-age1-group": "65+", "c0-age1-weight": "4",
           f"c0-age1-people-{leeds}": "126000", f"c0-age1-people-{kirklees}": "",
           f"c0-cost-{leeds}": "1.02"},
    )  # fmt: skip
    sign_in(client, "analyst")
    refused = client.post(FORM, fields)
    assert refused.status_code == 400
    assert (
        "Enter the number of people aged 65+ in Kirklees, like 52,000" in refused.content.decode()
    )
    fields[f"c0-age1-people-{kirklees}"] = "71000"
    assert client.post(FORM, fields).status_code == 302
    saved = load_budget(BudgetConfiguration.objects.latest("pk").text, source="form")
    codes = {pk: json.dumps(AllocationPlace.objects.get(pk=pk).practices) for pk in places.values()}
    yaml = load_budget(
        "year: 2025/26\nbudget: 1234567\nicb: QWO\nplaces:\n"
        f"  Kirklees: {{practices: {codes[kirklees]}}}\n"
        f"  Leeds: {{practices: {codes[leeds]}}}\n"
        "components:\n  - name: Adult social care\n    share: 1\n    population: by_age\n"
        "    age_weights: {18-64: 1, 65+: 4}\n"
        "    population_by_age: {Leeds: {18-64: 520000, 65+: 126000}, "
        "Kirklees: {18-64: 270000, 65+: 71000}}\n    area_cost: {Leeds: 1.02}\n",
        source="yaml",
    )
    assert allocate_budget(saved).by_place == allocate_budget(yaml).by_place
    assert saved.components == yaml.components


def test_a_viewer_sees_the_form_page_but_may_not_send_it(client, places) -> None:
    sign_in(client, "viewer")
    page = client.get(FORM).content.decode()
    assert "Allocating a budget needs an analyst's role" in page
    assert 'name="total"' not in page
    assert client.post(FORM, a_form(places, **{"add": "component"})).status_code == 403


def test_the_budget_downloads_as_yaml_and_pastes_back(client, demo) -> None:
    sign_in(client, "viewer")
    download = client.get(PAGE + "budget.yaml")
    assert download["Content-Disposition"] == 'attachment; filename="fernmouth-budget.yaml"'
    text = download.content.decode()
    assert text == BudgetConfiguration.objects.get().text
    paste = client.get(PAGE + "budget/").content.decode()
    assert "Paste a budget (YAML)" in paste
    assert 'name="text"' not in paste
    sign_in(client, "analyst")
    assert "budget: 5400000000.00" in client.get(PAGE + "budget/").content.decode()
    assert client.post(PAGE + "budget/", {"text": text}).status_code == 302
    assert BudgetConfiguration.objects.count() == 2


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("places.Leeds.lad", "Place Leeds's districts"),
        ("components.0.share", "Component 1's share"),
        ("components.2.area_cost.Leeds", "Component 3's area cost adjustment for Leeds"),
        ("baseline.Kirklees", "The baseline for Kirklees"),
        ("pace.floor", "The pace of change's minimum growth"),
        ("budget", "The total budget"),
        ("Kirklees East.gps", "Place Kirklees East's practices"),
        ("places.3", "Name 4 in the list of places"),
    ],
)
def test_a_problems_place_is_said_in_words_not_as_a_path(path: str, said: str) -> None:
    from onebudget_web.allocation.wording import where

    assert where(path) == said


# -- confirming what deletes or replaces --------------------------------------------------


def test_deleting_a_saved_place_is_confirmed_naming_what_it_does_to_the_budget(
    client, demo
) -> None:
    leeds = AllocationPlace.objects.get(name="Leeds")
    sign_in(client, "analyst")
    listing = client.get(PAGE).content.decode()
    assert f'<a href="{PAGE}places/{leeds.pk}/delete/">Delete' in listing  # a link, not a POST
    page = client.get(f"{PAGE}places/{leeds.pk}/delete/").content.decode()
    assert "<h1>Delete Leeds?</h1>" in page
    result = allocate_budget(load_budget(BudgetConfiguration.objects.get().text, source="b"))
    target = sum(result.by_place["Leeds"].values())
    assert f"gives Leeds a target of £{target:,}" in page
    assert "so it stays as it is" in page
    assert (
        '<button class="nhsuk-button nhsuk-button--warning" type="submit">Delete Leeds</button>'
        in page
    )
    assert f'<a href="{PAGE}">Cancel</a>' in page
    assert AllocationPlace.objects.filter(pk=leeds.pk).exists()  # asking deletes nothing
    south = AllocationPlace.objects.get(name="Huddersfield South")
    other = client.get(f"{PAGE}places/{south.pk}/delete/").content.decode()
    assert "No budget allocation shares money to Huddersfield South" in other
    assert client.post(f"{PAGE}places/{leeds.pk}/delete/").status_code == 302
    assert not AllocationPlace.objects.filter(pk=leeds.pk).exists()


def test_a_session_that_replaces_saved_places_is_confirmed_first(client, demo) -> None:
    leeds = AllocationPlace.objects.get(name="Leeds")
    session = {
        "Leeds": {"gps": ["B85005: x", "B85022: y"], "icb": "NHS West Yorkshire ICB"},
        "New": {"gps": ["B85061: z"], "icb": "NHS West Yorkshire ICB"},
        "places": ["Leeds", "New"],
    }
    upload = SimpleUploadedFile("mine.json", json.dumps(session).encode())
    sign_in(client, "analyst")
    asked = client.post(PAGE + "session.json", {"file": upload, "year": "2025/26"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "<h1>Replace 1 saved place?</h1>" in page
    assert "mine.json has 2 places for 2025/26" in page
    assert not AllocationPlace.objects.filter(name="New").exists()  # nothing yet
    carried = re.search(r'name="session" value="([^"]*)"', page)
    assert carried is not None
    text = carried.group(1).replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    done = client.post(
        PAGE + "session.json",
        {"session": text, "year": "2025/26", "replace": "yes", "source": "mine.json"},
    )
    assert done.status_code == 302
    leeds.refresh_from_db()
    assert sorted(leeds.practices) == ["B85005", "B85022"]
    assert AllocationPlace.objects.get(name="New").practices == ["B85061"]


def test_session_problems_are_said_in_words_beside_the_file_field(client, demo) -> None:
    bad = {"Bad": {"gps": ["Z99999: gone"], "icb": "NHS West Yorkshire ICB"}, "places": ["Bad"]}
    upload = SimpleUploadedFile("bad.json", json.dumps(bad).encode())
    response = sign_in(client, "analyst").post(
        PAGE + "session.json", {"file": upload, "year": "2025/26"}
    )
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    said = "In bad.json, place Bad's practices (Z99999): not in the weighted populations"
    assert f'<a href="#session-file">{said}' in page
    assert page.index('id="session-file-error"') < page.index('id="session-file"')
