"""Better Care Fund plans in the service (issue 16, item 7): a plan recorded from YAML or its
workbook, the same problems as ``onebudget bcf check``, agreed by each partner's finance
lead, signed off by the board (a named person and a date), assured, read-only once signed
off, every step audited, and the pooled fund built from it and varied by a later version."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.bcf.capacity import capacity_gaps
from onebudget.bcf.plan import load_plan
from onebudget.bcf.workbook import plan_to_workbook
from onebudget.cli.main import app
from onebudget.io.tables import RawTable
from onebudget_web.accounts.models import User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.bcf import actions, fund_actions, selectors
from onebudget_web.bcf.models import BcfPlan
from onebudget_web.demo.loader import load_demo_place
from onebudget_web.funds import bookkeeping
from onebudget_web.funds.selectors import agreement_of
from onebudget_web.places.models import Place

PLAN_FILE = (
    resources.files("onebudget") / "definitions" / "bcf" / "plans" / "E06099001-2025-26.yaml"
)
TEXT = PLAN_FILE.read_text(encoding="utf-8")
BASE = "/places/fernmouth/better-care-fund/"
PAGE = BASE + "2025-26/"


@pytest.fixture
def place(db) -> Place:
    """The demo place."""
    load_demo_place()
    return Place.objects.get(slug="fernmouth")


def person(name: str) -> User:
    return User.objects.get(username=name)


def upload(client, name: str, data: bytes, note: str = ""):
    sent = SimpleUploadedFile(name, data)
    return client.post(BASE + "upload/", {"file": sent, "note": note})


def short_of(text: str, pounds: str) -> str:
    """The plan with F06 planning ``pounds`` less (so the NHS minimum is not all planned)."""
    return text.replace("spend: 1500000.00", f"spend: {Decimal('1500000.00') - Decimal(pounds)}")


def agree_and_sign(version) -> None:
    for username, code in (("finance", "E06099001"), ("icb-finance", "QZZ")):
        org = version.plan.place.partners.get(code=code)
        actions.agree(by=person(username), version=version, organisation=org)
    actions.sign_off(
        by=person("commissioner"), version=version, named_person="Cllr Ada Byron, Chair",
        decided_on=date(2025, 3, 20),
    )  # fmt: skip


@pytest.mark.once  # pages and files: the same on any database
def test_a_commissioner_records_a_plan_and_its_pages_show_it(client, place) -> None:
    client.force_login(person("commissioner"))
    response = upload(client, "fernmouth.yaml", TEXT.encode())
    assert response.status_code == 302
    assert response["Location"] == PAGE
    page = client.get(PAGE).content.decode()
    assert "Better Care Fund plan 2025/26" in page
    assert "Draft" in page
    assert "£24,860,000.00" in page  # the NHS minimum, planned in full
    assert "No problems" in page
    schemes = client.get(PAGE + "schemes/").content.decode()
    assert "Step-down intermediate care beds" in schemes
    assert "£4,277,800.00" in schemes
    assert "Council £2,566,680.00, ICB £1,711,120.00" in schemes  # 60/40 of F03
    metrics = client.get(PAGE + "metrics/").content.decode()
    assert "Discharge delays" in metrics
    assert "5,700" in metrics
    assert AuditEvent.objects.filter(action="bcf.version_recorded").count() == 1


@pytest.mark.once  # pages and files: the same on any database
def test_the_workbook_records_the_same_plan(client, place) -> None:
    client.force_login(person("commissioner"))
    workbook = plan_to_workbook(load_plan(TEXT))
    assert upload(client, "fernmouth.xlsx", workbook).status_code == 302
    version = selectors.latest_version(BcfPlan.objects.get())
    assert selectors.plan_from(version.text) == load_plan(TEXT)
    download = client.get(PAGE + "plan.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.content == workbook


@pytest.mark.once  # pages and files: the same on any database
def test_a_bad_file_is_refused_with_every_problem_and_nothing_kept(client, place) -> None:
    client.force_login(person("commissioner"))
    broken = TEXT.replace("spend: 3400000.00", "spend: lots").replace("year: 2025/26", "year: 25")
    response = upload(client, "fernmouth.yaml", broken.encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert "schemes.1.spend" in page
    assert "year" in page
    assert "There is a problem" in page
    other = TEXT.replace("hwb: {code: E06099001", "hwb: {code: E06099002")
    page = upload(client, "other.yaml", other.encode()).content.decode()
    assert "another Health and Wellbeing Board than Fernmouth" in page
    assert not BcfPlan.objects.exists()


@pytest.mark.once  # pages and files: the same on any database
def test_service_and_cli_report_the_same_problems(place, tmp_path: Path) -> None:
    text = short_of(TEXT, "1234.56")
    version = actions.record_version(
        by=person("commissioner"), place=place, sent=actions.PlanFile("p.yaml", text=text)
    )
    found = selectors.checked(version)
    service = {(p.path, p.rule, p.line) for p in (*found.problems, *found.gaps)}
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["bcf", "check", str(tmp_path / "p.yaml"), "--json"])
    assert result.exit_code == 2
    cli = {(p["path"], p["rule"], p["line"]) for p in json.loads(result.stdout)["problems"]}
    assert service == cli
    assert any("£1,234.56" in rule for _, rule, _ in service)  # the shortfall, named


def test_the_workflow_runs_in_order_and_is_audited(client, place) -> None:
    version = actions.record_version(
        by=person("commissioner"), place=place, sent=actions.PlanFile("p.yaml", text=TEXT)
    )
    client.force_login(person("commissioner"))
    assert "Record the board" not in client.get(PAGE).content.decode()
    client.force_login(person("finance"))
    page = client.get(PAGE).content.decode()
    assert "Agree version 1 for Fernmouth Council" in page
    client.post(PAGE + "agree/", {"partner": "E06099001"})
    assert selectors.stage_of(version).value == "draft"
    client.force_login(person("icb-finance"))
    client.post(PAGE + "agree/", {"partner": "QZZ"})
    assert selectors.stage_of(version).value == "agreed"
    client.force_login(person("commissioner"))
    form = {"named_person": "", "date-day": "31", "date-month": "2", "date-year": "2025"}
    response = client.post(PAGE + "sign-off/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date must be a real date" in page
    form |= {"date-day": "20", "date-month": "3"}
    page = client.post(PAGE + "sign-off/", form).content.decode()
    assert "Enter the name and role of the person" in page
    form["named_person"] = "Cllr Ada Byron, Chair of Fernmouth Health and Wellbeing Board"
    assert client.post(PAGE + "sign-off/", form).status_code == 302
    assert selectors.read_only(version)
    page = client.get(PAGE).content.decode()
    assert "Cllr Ada Byron" in page
    assert "20 March 2025" in page
    tomorrow = timezone.localdate().toordinal() + 1
    later = date.fromordinal(tomorrow)
    form = {
        "date-day": str(later.day),
        "date-month": str(later.month),
        "date-year": str(later.year),
    }
    assert "cannot be dated in the future" in client.post(PAGE + "assure/", form).content.decode()
    assert (
        client.post(
            PAGE + "assure/", {"date-day": "1", "date-month": "5", "date-year": "2025"}
        ).status_code
        == 302
    )
    assert selectors.stage_of(version).value == "assured"
    steps = AuditEvent.objects.filter(action__in=["bcf.agreed", "bcf.signed_off", "bcf.assured"])
    assert steps.count() == 4
    assert {e.actor_label for e in steps} == {"finance", "icb-finance", "commissioner"}


def test_a_plan_with_problems_cannot_be_agreed_and_roles_are_checked(client, place) -> None:
    version = actions.record_version(
        by=person("commissioner"), place=place,
        sent=actions.PlanFile("p.yaml", text=short_of(TEXT, "0.01")),
    )  # fmt: skip
    client.force_login(person("finance"))
    client.post(PAGE + "agree/", {"partner": "E06099001"})
    assert not version.steps.exists()
    client.force_login(person("finance"))
    assert client.post(PAGE + "agree/", {"partner": "QZZ"}).status_code == 403
    client.force_login(person("viewer"))
    assert upload(client, "p.yaml", TEXT.encode()).status_code == 403
    assert client.post(PAGE + "sign-off/", {"named_person": "X"}).status_code in (400, 403)
    assert not version.steps.exists()


def test_the_fund_is_built_from_the_signed_off_plan_and_varied_by_the_next(place) -> None:
    commissioner, manager = person("commissioner"), person("pool-manager")
    first = actions.record_version(
        by=commissioner, place=place, sent=actions.PlanFile("p.yaml", text=TEXT)
    )
    agree_and_sign(first)
    plan = first.plan
    fund = fund_actions.build_fund(by=manager, plan=plan, host="E06099001", pool_manager="Pat Pool")
    assert fund.partners.count() == 2
    agreement = agreement_of(fund)
    # paid by each stream's contributor, whoever commissions: the NHS minimum by the ICB,
    # the grant, the DFG and the council's additional contribution by the council
    assert agreement.fund_contributions() == {
        "E06099001": Decimal("10420000.00") + Decimal("2950000.00") + Decimal("1200000.00"),
        "QZZ": Decimal("24860000.00"),
    }
    moved = TEXT.replace("spend: 3400000.00", "spend: 3390000.00").replace(
        "spend: 2600000.00", "spend: 2610000.00"
    )
    second = actions.record_version(
        by=commissioner, place=place, sent=actions.PlanFile("p2.yaml", text=moved), note="Moved"
    )
    assert not selectors.read_only(second)
    assert selectors.read_only(first)
    plan.refresh_from_db()
    assert not fund_actions.needs_variation(plan)
    agree_and_sign(second)
    assert fund_actions.needs_variation(plan)
    fund_actions.vary_fund(by=manager, plan=plan)
    varied = agreement_of(fund)
    assert len(varied.variations) == 2
    assert {(v.scheme, v.partner, v.change) for v in varied.variations} == {
        ("BCF-F02", "QZZ", Decimal("-10000.00")),
        ("BCF-F05", "QZZ", Decimal("10000.00")),
    }
    plan.refresh_from_db()
    assert not fund_actions.needs_variation(plan)


@pytest.mark.once  # pages and files: the same on any database
def test_the_api_reads_the_plan_as_the_pages_do(client, place) -> None:
    version = actions.record_version(
        by=person("commissioner"), place=place,
        sent=actions.PlanFile("p.yaml", text=short_of(TEXT, "0.01")),
    )  # fmt: skip
    client.force_login(person("viewer"))
    listed = client.get("/api/places/fernmouth/better-care-fund").json()
    assert listed == [{"year": "2025/26", "version": 1, "stage": "draft", "fund": None}]
    plan = client.get("/api/places/fernmouth/better-care-fund/2025-26").json()
    blocking = [p for p in plan["problems"] if p["blocks_agreement"]]
    assert [p["shortfall"] for p in blocking] == ["0.01"]
    assert blocking[0]["rule"] == selectors.checked(version).problems[0].rule
    assert plan["schemes"][2]["spend"] == "4277800.00"
    assert plan["metrics"]["discharge_delays"]["Q3"] == "0.72"
    client.force_login(person("westvale"))  # a partner of another place only
    assert client.get("/api/places/fernmouth/better-care-fund/2025-26").status_code == 404


def spend_posted(place: Place):
    """The plan signed off, its fund set up, and spend posted in April, May and July 2025."""
    version = actions.record_version(
        by=person("commissioner"), place=place, sent=actions.PlanFile("p.yaml", text=TEXT)
    )
    agree_and_sign(version)
    manager = person("pool-manager")
    fund = fund_actions.build_fund(
        by=manager, plan=version.plan, host="E06099001", pool_manager="Pat Pool"
    )
    rows = (
        (2, ("BCF-F01", "2025-04", "800000.10")),
        (3, ("BCF-F01", "2025-05", "900000.20")),
        (4, ("BCF-F02", "2025-07", "300000.05")),
    )
    table = RawTable("spend.csv", ("scheme_code", "month", "actual"), rows)
    bookkeeping.import_actuals(by=manager, fund=fund, table=table)
    return version


def test_a_quarters_return_reports_the_funds_spend_and_is_kept_as_recorded(client, place) -> None:
    version = spend_posted(place)
    client.force_login(person("commissioner"))
    page = client.get(PAGE + "returns/Q2/").content.decode()
    # F01: £1,700,000.30 to date, nothing in July to September; F02: £300,000.05 in Q2
    assert "£1,700,000.30" in page
    assert "£300,000.05" in page
    assert "£2,000,000.35" in page  # the year to date in all
    assert "£8,482,199.70 to spend" in page  # F01 against its year's £10,182,200.00
    form = {"emergency_admissions_65_plus-challenges": "Winter came early"}
    response = client.post(PAGE + "returns/Q2/", form)
    assert response.status_code == 302
    kept = version.plan.returns.get()
    assert kept.spent_to_date == Decimal("2000000.35")
    assert kept.narrative["emergency_admissions_65_plus"]["challenges"] == "Winter came early"
    book = CalamineWorkbook.from_filelike(io.BytesIO(bytes(kept.workbook)))
    assert "4. Expenditure" in book.sheet_names
    download = client.get(PAGE + f"returns/Q2/{kept.pk}.xlsx")
    assert download.content == bytes(kept.workbook)
    assert AuditEvent.objects.filter(action="bcf.return_recorded").count() == 1
    too_long = {"discharge_delays-support_needs": "x" * 2001}
    response = client.post(PAGE + "returns/Q2/", too_long)
    assert response.status_code == 400
    assert "Write no more than 2,000 characters" in response.content.decode()
    assert version.plan.returns.count() == 1


def test_only_a_signed_off_plan_has_returns_and_only_commissioners_record_them(
    client, place
) -> None:
    actions.record_version(
        by=person("commissioner"), place=place, sent=actions.PlanFile("p.yaml", text=TEXT)
    )
    client.force_login(person("commissioner"))
    assert "not been signed off" in client.get(PAGE + "returns/").content.decode()
    assert client.get(PAGE + "returns/Q1/").status_code == 404
    version = selectors.latest_version(BcfPlan.objects.get())
    agree_and_sign(version)
    client.force_login(person("viewer"))
    assert client.get(PAGE + "returns/Q1/").status_code == 200
    assert client.post(PAGE + "returns/Q1/", {}).status_code == 403
    assert client.get(PAGE + "returns/Q5/").status_code == 404


@pytest.mark.once  # pages and files: the same on any database
def test_without_linked_data_an_actual_is_entered_and_marked_as_entered(client, place) -> None:
    version = spend_posted(place)  # the demo place here has no linked data
    client.force_login(person("commissioner"))
    page = client.get(PAGE + "returns/Q1/").content.decode()
    assert "Actual, entered by hand" in page
    bad = client.post(PAGE + "returns/Q1/", {"emergency_admissions_65_plus-actual": "lots"})
    assert bad.status_code == 400
    assert "Enter the actual as a number of 0 or more" in bad.content.decode()
    assert not version.plan.returns.exists()
    sent = {"emergency_admissions_65_plus-actual": "5,150"}
    assert client.post(PAGE + "returns/Q1/", sent).status_code == 302
    kept = version.plan.returns.get()
    book = CalamineWorkbook.from_filelike(io.BytesIO(bytes(kept.workbook)))
    rows = book.get_sheet_by_name("5. Metrics").to_python()
    header = rows[0]
    found = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    mine = next(r for r in found if r["Metric ID"] == "emergency_admissions_65_plus")
    assert (mine["Actual"], mine["Source"], mine["On track"]) == (5150, "Entered", "On track")
    q2 = client.get(PAGE + "returns/Q2/?format=xlsx").content  # Q1's entered actual carried
    rows = CalamineWorkbook.from_filelike(io.BytesIO(q2)).get_sheet_by_name("5. Metrics")
    carried = [r for r in rows.to_python() if r[1] == "emergency_admissions_65_plus"]
    assert [r[5] for r in carried] == [5150, ""]


@pytest.mark.once  # pages and files: the same on any database
def test_the_capacity_page_shows_each_month_and_where_capacity_falls_short(client, place) -> None:
    actions.record_version(
        by=person("commissioner"), place=place, sent=actions.PlanFile("p.yaml", text=TEXT)
    )
    client.force_login(person("viewer"))
    page = client.get(PAGE + "capacity/").content.decode()
    plan = load_plan(TEXT)
    assert plan.capacity_demand  # the demo plan has its capacity and demand lines
    for line in plan.capacity_demand:
        assert line.label in page
    gaps = capacity_gaps(plan)
    assert gaps  # the demo plan is short in winter
    assert page.count(" short</strong>") == len(gaps)
    assert f"{gaps[0].shortfall:,f} short" in page
    plan_page = client.get(PAGE).content.decode()
    assert "below demand" not in plan_page  # not among what is not checked
