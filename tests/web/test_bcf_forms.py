"""Writing a Better Care Fund plan with forms: a scheme changed, added or removed, the
allocations, the national conditions and the metric trajectories. Each saves a new version
through ``actions.record_version``; every problem of the plan's model comes back beside its
field (400, nothing saved); a viewer is refused before the form is read; a signed-off
version is never changed."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from importlib import resources

import pytest

from onebudget.bcf.plan import Condition, Plan, load_plan
from onebudget_web.accounts.models import User
from onebudget_web.bcf import actions, plan_forms, selectors
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.demo.loader import load_demo_place
from onebudget_web.places.models import Place

TEXT = (
    resources.files("onebudget") / "definitions" / "bcf" / "plans" / "E06099001-2025-26.yaml"
).read_text(encoding="utf-8")
PAGE = "/places/fernmouth/better-care-fund/2025-26/"
F03 = PAGE + "schemes/F03/"
# The step-down beds (F03) as the form sends it, unchanged
F03_SENT = {
    "version": "1", "do": "save", "scheme-name": "Step-down intermediate care beds",
    "scheme-type": "Intermediate care", "sub-type": "Bed-based", "commissioner": "joint",
    "split-council": "60", "split-icb": "40",
    "provider": "Fernmouth Community Health Services NHS Trust", "source": "nhs_minimum",
    "spend": "4,277,800.00", "outputs": "1", "outputs-0-quantity": "38",
    "outputs-0-unit": "beds", "new": "yes", "nhs-out-of-hospital": "yes",
}  # fmt: skip


def person(name: str) -> User:
    return User.objects.get(username=name)


# The forms' writes go through the actions tested on both databases (test_bcf_plans): what is
# tested here is the same on any database, so it runs once, on SQLite
pytestmark = pytest.mark.once


@pytest.fixture
def first(db) -> PlanVersion:
    """The demo plan, recorded as version 1 by the council's commissioner."""
    load_demo_place()
    place = Place.objects.get(slug="fernmouth")
    sent = actions.PlanFile("fernmouth.yaml", text=TEXT)
    return actions.record_version(by=person("commissioner"), place=place, sent=sent)


@pytest.fixture
def commissioner(client, first):
    client.force_login(person("commissioner"))
    return client


def latest() -> PlanVersion:
    return selectors.latest_version(BcfPlan.objects.get())


def plan_of(version: PlanVersion) -> Plan:
    return selectors.plan_from(version.text)


def beside(page: str, field: str) -> str:
    """The error shown beside a field (its ``<id>-error`` message), as text."""
    found = re.search(rf'id="{field}-error"><span[^>]*>Error:</span> ([^<]*)<', page)
    assert found is not None, f"no error beside {field}"
    return found.group(1)


def refused_unchanged(response, status: int = 400) -> str:
    assert response.status_code == status
    assert PlanVersion.objects.count() == 1
    return response.content.decode()


def test_a_scheme_changed_by_the_form_is_a_new_version_with_just_that_change(
    commissioner, first
) -> None:
    page = commissioner.get(F03).content.decode()
    assert 'value="4,277,800.00"' in page  # the form starts from the scheme as it is
    assert 'id="split-council" name="split-council" type="text" value="60"' in page
    sent = F03_SENT | {"spend": "£4,300,000.00", "outputs-0-quantity": "40"}
    response = commissioner.post(F03, sent)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    version = latest()
    assert (version.number, version.source) == (2, "the scheme form")
    assert version.note == "Scheme F03 changed (spend, outputs)"
    old = plan_of(first)
    scheme = old.schemes[2].model_copy(
        update={"spend": Decimal("4300000.00"), "outputs": (old.schemes[2].outputs[0].model_copy(
            update={"quantity": Decimal(40)}),)}
    )  # fmt: skip
    schemes = (*old.schemes[:2], scheme, *old.schemes[3:])
    assert plan_of(version) == old.model_copy(update={"schemes": schemes})
    assert load_plan(version.text) == plan_of(version)  # saved as YAML a file could hold
    shown = commissioner.get(PAGE).content.decode()
    assert "Scheme F03 changed (spend, outputs): version 2 of the plan recorded." in shown
    assert "£22,200.00 over" in shown  # the year's checks, on the plan's page as for any


def test_the_scheme_as_it_was_saves_nothing(commissioner) -> None:
    response = commissioner.post(F03, F03_SENT, follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert PlanVersion.objects.count() == 1


def test_a_bad_spend_comes_back_beside_its_field_and_nothing_is_saved(commissioner) -> None:
    page = refused_unchanged(commissioner.post(F03, F03_SENT | {"spend": "lots"}))
    assert beside(page, "spend") == "Enter the planned spend in pounds, like 1,234.56"
    assert '<a href="#spend">Enter the planned spend' in page  # and in the summary
    assert "There is a problem: nothing has been saved" in page
    assert 'aria-describedby="spend-error"' in page
    assert 'value="lots"' in page  # what was typed, kept
    page = refused_unchanged(commissioner.post(F03, F03_SENT | {"spend": "12.345"}))
    assert beside(page, "spend") == "The planned spend must be in whole pence, like 1,234.56"


def test_a_split_not_adding_up_to_100_comes_back_beside_it(commissioner) -> None:
    page = refused_unchanged(commissioner.post(F03, F03_SENT | {"split-icb": "50"}))
    said = "The council&#x27;s and the ICB&#x27;s shares must add up to 100%, not 110%"
    assert beside(page, "split-council") == said
    page = refused_unchanged(commissioner.post(F03, F03_SENT | {"split-icb": "forty"}))
    said = "Enter the ICB&#x27;s share as a percentage from 0 to 100, like 60"
    assert beside(page, "split-icb") == said


def test_every_problem_is_placed_at_once(commissioner) -> None:
    sent = F03_SENT | {"scheme-name": "", "commissioner": "", "outputs-0-quantity": "many",
                       "source": "nowhere"}  # fmt: skip
    page = refused_unchanged(commissioner.post(F03, sent))
    assert beside(page, "scheme-name") == "Enter the scheme&#x27;s name"
    assert beside(page, "commissioner") == "Choose who commissions the scheme"
    assert beside(page, "outputs-0-quantity").startswith("Enter the quantity of output 1 as a")
    assert beside(page, "source") == "Choose the funding stream it is paid from"


def test_a_scheme_is_added_and_removed(commissioner, first) -> None:
    new = PAGE + "schemes/new/"
    sent = F03_SENT | {"scheme-id": "F11", "scheme-name": "Falls response", "commissioner": "icb"}
    page = refused_unchanged(commissioner.post(new, sent | {"scheme-id": "F02"}))
    said = "Another scheme of the plan has the id F02: choose another"
    assert beside(page, "scheme-id") == said
    assert commissioner.post(new, sent).status_code == 302
    added = plan_of(latest())
    assert added.schemes[-1].id == "F11"
    assert added.schemes[-1].split is None  # the split is for a joint scheme only
    assert latest().note == "Scheme F11 added"
    assert (
        "Remove the scheme Falls response?"
        in commissioner.get(PAGE + "schemes/F11/remove/").content.decode()
    )
    assert commissioner.post(PAGE + "schemes/F11/remove/", {"version": "2"}).status_code == 302
    assert plan_of(latest()) == plan_of(first)
    assert (latest().number, latest().note) == (3, "Scheme F11 removed")
    assert commissioner.get(PAGE + "schemes/F99/").status_code == 404


def test_another_output_is_a_row_more_and_saves_nothing(commissioner) -> None:
    response = commissioner.post(F03, F03_SENT | {"add": "output"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="outputs-1-quantity"' in page
    assert '<label class="nhsuk-label" for="outputs-1-unit">Unit of output 2</label>' in page
    assert PlanVersion.objects.count() == 1


def test_a_form_opened_on_an_earlier_version_saves_nothing(commissioner) -> None:
    page = refused_unchanged(commissioner.post(F03, F03_SENT | {"version": "0"}))
    assert "Version 1 of the plan was recorded after this form was opened" in page


def test_a_viewer_sees_no_form_and_is_refused_before_it_is_read(client, first) -> None:
    client.force_login(person("viewer"))
    page = client.get(F03).content.decode()
    assert "needs a commissioner" in page
    assert 'name="spend"' not in page
    for url in (F03, PAGE + "schemes/new/", F03 + "remove/", PAGE + "allocations/",
                PAGE + "conditions/", PAGE + "metrics/trajectories/"):  # fmt: skip
        assert client.post(url, {"spend": "lots"}).status_code == 403
    assert PlanVersion.objects.count() == 1
    assert "Change the allocations" not in client.get(PAGE).content.decode()


def test_a_signed_off_version_offers_no_form_and_is_never_changed(commissioner, first) -> None:
    for username, code in (("finance", "E06099001"), ("icb-finance", "QZZ")):
        org = first.plan.place.partners.get(code=code)
        actions.agree(by=person(username), version=first, organisation=org)
    actions.sign_off(
        by=person("commissioner"), version=first, named_person="Cllr Ada Byron, Chair",
        decided_on=date(2025, 3, 20),
    )  # fmt: skip
    for url in (F03, PAGE + "allocations/", PAGE + "conditions/", PAGE + "metrics/trajectories/"):
        page = commissioner.get(url).content.decode()
        assert "signed off by the Health and Wellbeing Board, so it is never changed" in page
        assert 'name="version"' not in page
    page = refused_unchanged(commissioner.post(F03, F03_SENT | {"spend": "1.00"}))
    assert "Version 1 is signed off, so it is never changed" in page
    assert "Change the allocations" not in commissioner.get(PAGE).content.decode()


def test_the_plan_page_links_to_the_forms_for_a_commissioner(commissioner) -> None:
    page = commissioner.get(PAGE).content.decode()
    for url in ("allocations/", "conditions/", "metrics/trajectories/", "schemes/new/",
                "schemes/F03/"):  # fmt: skip
        assert f'href="{PAGE}{url}"' in page


def test_the_conditions_form_saves_a_version(commissioner, first) -> None:
    url = PAGE + "conditions/"
    page = commissioner.get(url).content.decode()
    assert "Plans to be jointly agreed" in page  # the condition's wording
    sent = {"version": "1", "conditions-NC1-confirmed": "yes",
            "conditions-NC1-note": "Agreed by Fernmouth Council and the ICB's finance leads",
            "conditions-NC2-confirmed": "no", "conditions-NC2-note": "Awaiting the board",
            "conditions-NC3-note": "maintained"}  # fmt: skip
    page = refused_unchanged(commissioner.post(url, sent))
    assert beside(page, "conditions-NC3-confirmed") == "Choose yes or no for NC3"
    assert commissioner.post(url, sent | {"conditions-NC3-confirmed": "yes"}).status_code == 302
    conditions = plan_of(latest()).conditions
    assert conditions["NC2"] == Condition(confirmed=False, note="Awaiting the board")
    assert conditions["NC3"] == Condition(confirmed=True, note="maintained")
    assert conditions["NC1"] == plan_of(first).conditions["NC1"]
    assert "not confirmed" in commissioner.get(PAGE).content.decode()  # NC2, as checked


def test_the_allocations_form_saves_a_version(commissioner, first) -> None:
    url = PAGE + "allocations/"
    page = commissioner.get(url).content.decode()
    assert "Disabled Facilities Grant" in page  # streams by name
    assert 'value="2,950,000.00"' in page
    sent = {"version": "1", **plan_forms.allocation_values(plan_of(first))}
    page = refused_unchanged(commissioner.post(url, sent | {"allocations-dfg": "(5.00)"}))
    assert beside(page, "allocations-dfg").endswith("must be £0 or more")
    response = commissioner.post(url, sent | {"allocations-dfg": "3,000,000", "asc-last-year": ""})
    assert response.status_code == 302
    plan = plan_of(latest())
    assert plan.allocations["dfg"] == Decimal("3000000.00")
    assert plan.asc_last_year is None
    assert plan.allocations["nhs_minimum"] == plan_of(first).allocations["nhs_minimum"]
    assert "£50,000.00 short" in commissioner.get(PAGE).content.decode()


def test_the_metrics_form_saves_a_version(commissioner, first) -> None:
    url = PAGE + "metrics/trajectories/"
    page = commissioner.get(url).content.decode()
    assert "Q1: April to June" in page
    sent = {"version": "1", **plan_forms.metric_values(plan_of(first))}
    page = refused_unchanged(commissioner.post(url, sent | {"metrics-discharge-delays-Q1": "-1"}))
    said = "must be 0 or more"
    assert beside(page, "metrics-discharge-delays-Q1").endswith(said)
    sent |= {
        "metrics-discharge-delays-Q1": "1.4",
        "metrics-emergency-admissions-65-plus-Q4": "5,450",
    }
    assert commissioner.post(url, sent).status_code == 302
    metrics = plan_of(latest()).metrics
    assert metrics["discharge_delays"]["Q1"] == Decimal("1.4")
    assert metrics["emergency_admissions_65_plus"]["Q4"] == Decimal(5450)
    assert latest().note == "Metric trajectories changed"


@pytest.mark.parametrize(
    ("typed", "read"),
    [("60", Decimal(60)), ("60%", Decimal(60)), ("5,400", Decimal(5400)), ("1,5", "1,5"), ("", "")],
)
def test_numbers_are_read_as_typed_or_left_for_the_model(typed: str, read) -> None:
    assert plan_forms.decimal(typed) == read


class Fields(HTMLParser):
    """What a page's form needs for its fields to be read out: every field's id, the ids
    labels are for, each id a field is described by, and each box outside a fieldset."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []
        self.labelled: set[str] = set()
        self.ids: set[str] = set()
        self.described: set[str] = set()
        self.loose: list[str] = []
        self.fieldsets = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.ids |= {a["id"]} if "id" in a else set()
        self.described |= set(a.get("aria-describedby", "").split())
        self.fieldsets += tag == "fieldset"
        if tag == "label" and "for" in a:
            self.labelled.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.fields.append(a["id"])
            if a.get("type") in ("radio", "checkbox") and not self.fieldsets:
                self.loose.append(a["id"])

    def handle_endtag(self, tag: str) -> None:
        self.fieldsets -= tag == "fieldset"


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        (F03, None),
        (
            F03,
            F03_SENT | {"spend": "lots", "split-icb": "", "outputs-0-unit": "", "commissioner": ""},
        ),
        (PAGE + "schemes/new/", None),
        (F03 + "remove/", None),
        (PAGE + "allocations/", {"version": "1", "allocations-dfg": "x", "asc-last-year": "-1"}),
        (PAGE + "conditions/", {"version": "1", "conditions-NC1-note": "x"}),
        (PAGE + "metrics/trajectories/", {"version": "1", "metrics-discharge-delays-Q2": "y"}),
    ],
)
def test_every_field_is_labelled_and_described_by_what_is_there(commissioner, url, sent) -> None:
    response = commissioner.get(url) if sent is None else commissioner.post(url, sent)
    assert response.status_code == (200 if sent is None else 400)
    page = Fields()
    page.feed(response.content.decode())
    assert set(page.fields) <= page.labelled
    assert page.described <= page.ids
    assert page.loose == []  # radios and boxes are grouped, with a legend
    if sent is not None:  # each problem beside its field, which is described by it
        errors = {i.removesuffix("-error") for i in page.ids if i.endswith("-error")}
        assert errors
        assert {f"{e}-error" for e in errors} <= page.described
