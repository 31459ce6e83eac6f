"""Better Care Fund plans in the service (issue 16, item 7): a plan recorded from YAML or its
workbook, the same problems as ``onebudget bcf check``, agreed by each partner's finance
lead, signed off by the board (a named person and a date), assured, read-only once signed
off, every step audited, and the pooled fund built from it and varied by a later version."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from typer.testing import CliRunner

from onebudget.bcf.plan import load_plan
from onebudget.bcf.workbook import plan_to_workbook
from onebudget.cli.main import app
from onebudget_web.accounts.models import User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.bcf import actions, fund_actions, selectors
from onebudget_web.bcf.models import BcfPlan
from onebudget_web.demo.loader import load_demo_place
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


def test_the_workbook_records_the_same_plan(client, place) -> None:
    client.force_login(person("commissioner"))
    workbook = plan_to_workbook(load_plan(TEXT))
    assert upload(client, "fernmouth.xlsx", workbook).status_code == 302
    version = selectors.latest_version(BcfPlan.objects.get())
    assert selectors.plan_from(version.text) == load_plan(TEXT)
    download = client.get(PAGE + "plan.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.content == workbook


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
    form = {"named_person": "", "day": "31", "month": "2", "year": "2025"}
    response = client.post(PAGE + "sign-off/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date must be a real date" in page
    form |= {"day": "20", "month": "3"}
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
    form = {"day": str(later.day), "month": str(later.month), "year": str(later.year)}
    assert "cannot be dated in the future" in client.post(PAGE + "assure/", form).content.decode()
    assert (
        client.post(PAGE + "assure/", {"day": "1", "month": "5", "year": "2025"}).status_code == 302
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
    assert plan["metrics"]["discharge_delays"]["Q3"] == "1.7"
    client.force_login(person("westvale"))  # a partner of another place only
    assert client.get("/api/places/fernmouth/better-care-fund/2025-26").status_code == 404
