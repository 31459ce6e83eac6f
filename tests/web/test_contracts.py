"""Provider contracts in the service (issue 17, items 3, 5 and 6): the demo's seven contracts
recorded, two quarters of statements worked out by the library and posted to the Better Care
Fund's ledger (which stays balanced, its schemes' spending growing by exactly what the
statements pay), a provider who sees only its own contracts and statements, a dispute of a
line and its decision (audited), and every refusal named with nothing kept."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from python_calamine import CalamineWorkbook

from onebudget.contracts.load import load_contract
from onebudget.money import from_pence
from onebudget_web.accounts.models import User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.contracts import statement_actions
from onebudget_web.contracts.models import Dispute, PeriodStatement, ProviderContract
from onebudget_web.demo.bcf import load_demo_bcf
from onebudget_web.demo.contracts import FOLDER, load_demo_contracts
from onebudget_web.demo.loader import load_demo_place
from onebudget_web.funds.models import LedgerEntry
from onebudget_web.places.models import Place

BASE = "/places/fernmouth/contracts/"
KINDS = 7


@pytest.fixture
def place(db) -> Place:
    """Fernmouth with its Better Care Fund plan and fund, and the demo contracts."""
    load_demo_place()
    place = Place.objects.get(slug="fernmouth")
    load_demo_bcf(place)
    assert load_demo_contracts(place) == KINDS
    return place


def person(name: str) -> User:
    return User.objects.get(username=name)


def contract(code: str) -> ProviderContract:
    return ProviderContract.objects.get(code=code)


def test_the_demo_contracts_are_paid_and_posted_keeping_the_ledger_balanced(place) -> None:
    statements = PeriodStatement.objects.all()
    assert statements.count() == 2 * (5 + 3 + 3)  # five one-provider kinds, alliance, prime
    fund = place.funds.get(bcf_plan__isnull=False)
    entries = LedgerEntry.objects.filter(transaction__fund=fund)
    assert entries.aggregate(total=Sum("pence"))["total"] == 0
    keys = set(fund.transactions.values_list("key", flat=True))
    funded = statements.exclude(ledger_key="")
    assert funded.count() == statements.count() - 2  # the acute contract is the ICB's own
    assert {s.ledger_key for s in funded if s.total_pence} <= keys
    alliance = contract("C-FERN-2025-INTERMEDIATE").statements.all()
    paid = sum((s.total for s in alliance), Decimal(0))
    posted = entries.filter(transaction__key__startswith="contract:C-FERN-2025-INTERMEDIATE")
    spent = posted.filter(account="BCF-F03:expenditure").aggregate(total=Sum("pence"))["total"]
    assert from_pence(spent) == paid
    assert AuditEvent.objects.filter(action="contract.statements_worked").count() == 2 * KINDS


def test_posting_again_changes_nothing_and_needs_the_pool_manager(place) -> None:
    homecare = contract("C-FERN-2025-HOMECARE")
    fund = homecare.fund
    before = fund.transactions.count()
    again = statement_actions.post_statements(
        by=person("pool-manager"), contract=homecare, period="2025-Q1"
    )
    assert again == 0
    assert fund.transactions.count() == before


@pytest.mark.once  # pages and files: the same on any database
def test_a_commissioner_sees_every_contract_and_its_statements(client, place) -> None:
    client.force_login(person("commissioner"))
    page = client.get(BASE).content.decode()
    for name in ("Carers&#x27; breaks and support", "Intermediate care alliance"):
        assert name in page
    assert "Reablement at home (prime provider)" in page
    assert "£9,000,000.00" in page
    alliance = contract("C-FERN-2025-INTERMEDIATE")
    detail = client.get(f"{BASE}{alliance.pk}/").content.decode()
    assert "July to September 2025" in detail
    assert "Posted" in detail
    assert "\u2212\u2060£12,820.00" in detail  # the trust's share of Q2's pain, capped
    statement = client.get(f"{BASE}{alliance.pk}/statements/2025-Q2/RZZ/").content.decode()
    assert "Payment statement for July to September 2025" in statement
    assert "posted to the fund's ledger" in statement


@pytest.mark.once  # pages and files: the same on any database
def test_the_statement_downloads_as_a_workbook_adding_up_to_its_total(client, place) -> None:
    client.force_login(person("finance"))
    homecare = contract("C-FERN-2025-HOMECARE")
    response = client.get(f"{BASE}{homecare.pk}/statements/2025-Q1/ZZC01/statement.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_name("Statement")
        .to_python()
    )
    amounts = [Decimal(str(r[3])) for r in rows[1:-1]]
    assert rows[-1][0] == "Total"
    assert sum(amounts) == Decimal(str(rows[-1][3])) == Decimal("2142250.00")


@pytest.mark.once  # pages and files: the same on any database
def test_a_provider_sees_only_its_own_contracts_and_statements(client, place) -> None:
    client.force_login(person("provider"))  # Harbourside Care, ZZC01
    page = client.get(BASE).content.decode()
    assert "Home care to support discharge" in page
    assert "Intermediate care alliance" in page
    assert "Carers&#x27; breaks" not in page
    assert "Acute hospital services" not in page
    alliance = contract("C-FERN-2025-INTERMEDIATE")
    detail = client.get(f"{BASE}{alliance.pk}/").content.decode()
    assert "Harbourside Care Ltd<span" in detail
    assert "£14,980.00" not in detail  # the trust's gain: another member's statement
    assert 'href="/funds/' not in detail  # not a partner of the fund: its name, no link
    assert client.get(f"{BASE}{alliance.pk}/statements/2025-Q1/RZZ/").status_code == 404
    assert client.get(f"{BASE}{alliance.pk}/statements/2025-Q1/ZZC01/").status_code == 200
    carers = contract("C-FERN-2025-CARERS")
    assert client.get(f"{BASE}{carers.pk}/").status_code == 404


def test_a_provider_disputes_a_line_and_the_commissioner_decides(client, place) -> None:
    homecare = contract("C-FERN-2025-HOMECARE")
    statement = f"{BASE}{homecare.pk}/statements/2025-Q1/ZZC01/"
    client.force_login(person("provider"))
    refused = client.post(statement + "dispute/", {"step": "0", "reason": "  "})
    assert refused.status_code == 400
    assert "Say why you dispute this line" in refused.content.decode()
    sent = client.post(statement + "dispute/", {"step": "1", "reason": "Night visits: 3,150"})
    assert sent.status_code == 302
    dispute = Dispute.objects.get(statement__period="2025-Q1")
    assert (dispute.step, dispute.organisation.code) == (1, "ZZC01")
    client.force_login(person("commissioner"))
    url = f"{statement}disputes/{dispute.pk}/"
    assert client.post(url, {"reason": "Checked"}).status_code == 400  # upheld not chosen
    decided = client.post(url, {"upheld": "no", "reason": "The rota shows 3,100 visits"})
    assert decided.status_code == 302
    assert client.post(url, {"upheld": "yes", "reason": "Again"}).status_code == 400
    client.force_login(person("provider"))
    page = client.get(statement).content.decode()
    assert "Not upheld" in page
    assert "The rota shows 3,100 visits" in page
    actions = AuditEvent.objects.filter(action__startswith="contract.dispute")
    assert set(actions.values_list("action", flat=True)) == {
        "contract.disputed", "contract.dispute_decided"
    }  # fmt: skip


def test_only_the_paid_provider_may_dispute(client, place) -> None:
    homecare = contract("C-FERN-2025-HOMECARE")
    client.force_login(person("commissioner"))
    url = f"{BASE}{homecare.pk}/statements/2025-Q1/ZZC01/dispute/"
    assert client.post(url, {"step": "0", "reason": "Not ours"}).status_code == 403
    assert not Dispute.objects.filter(statement__period="2025-Q1").exists()


def upload(client, name: str, text: str):
    return client.post(BASE + "record/", {"file": SimpleUploadedFile(name, text.encode())})


def test_a_contract_file_with_problems_is_refused_with_each_and_nothing_kept(client, place) -> None:
    client.force_login(person("commissioner"))
    text = (FOLDER / "1-block.yaml").read_text(encoding="utf-8")
    before = ProviderContract.objects.count()
    broken = text.replace("id: C-FERN-2025-CARERS", "id: C-NEW").replace(
        "annual: 480000.00", "annual: lots"
    )
    response = upload(client, "broken.yaml", broken)
    assert response.status_code == 400
    assert "mechanism.annual" in response.content.decode()
    unfunded = text.replace("id: C-FERN-2025-CARERS", "id: C-NEW").replace(
        "scheme: BCF-F06", "scheme: BCF-F99"
    )
    page = upload(client, "other.yaml", unfunded).content.decode()
    assert "funding.scheme" in page
    assert "BCF-F99" in page
    elsewhere = text.replace("id: C-FERN-2025-CARERS", "id: C-NEW").replace(
        "fund: BCF-E06099001-2025-26", "fund: S75-NOWHERE"
    )
    assert "funding.fund" in upload(client, "nowhere.yaml", elsewhere).content.decode()
    assert ProviderContract.objects.count() == before
    assert upload(client, "same.yaml", text).status_code == 400  # the same as version 1


def test_a_period_that_cannot_be_paid_is_refused_naming_every_problem(client, place) -> None:
    client.force_login(person("commissioner"))
    homecare = contract("C-FERN-2025-HOMECARE")
    url = f"{BASE}{homecare.pk}/statements/new/"
    empty = SimpleUploadedFile("q3.yaml", b"2025-Q3: {volume: {}}\n")
    page = client.post(url, {"period": "2025-Q3", "file": empty})
    assert page.status_code == 400
    said = page.content.decode()
    assert "inputs.volume.home-care-hours" in said
    assert "inputs.volume.night-visits" in said
    again = SimpleUploadedFile("q1.yaml", b"2025-Q1: {volume: {}}\n")
    assert client.post(url, {"period": "2025-Q1", "file": again}).status_code == 400
    later = SimpleUploadedFile("q1.yaml", b"2026-Q1: {volume: {}}\n")
    assert "term" in client.post(url, {"period": "2026-Q1", "file": later}).content.decode()
    assert not homecare.statements.filter(period__in=["2025-Q3", "2026-Q1"]).exists()


FORM = {
    "id": "C-FERN-2026-DAY", "name": "Day opportunities", "commissioners": ["E06099001"],
    "provider_name": "Fernmouth Carers Together", "provider_code": "zzv01",
    "start-day": "1", "start-month": "4", "start-year": "2025",
    "end-day": "31", "end-month": "3", "end-year": "2026",
    "annual_value": "60,000.00", "periods": "quarterly",
    "fund": "BCF-E06099001-2025-26", "scheme": "BCF-F06",
}  # fmt: skip


def test_a_contract_written_in_the_form_is_the_yaml_the_cli_reads(client, place) -> None:
    client.force_login(person("commissioner"))
    response = client.post(BASE + "write/", FORM)
    assert response.status_code == 302
    written = contract("C-FERN-2026-DAY")
    text = written.versions.get().text
    found = load_contract(text)
    assert found.mechanism.kind == "block"
    assert found.mechanism.annual == Decimal("60000.00")
    assert found.providers[0].code == "ZZV01"
    assert written.fund is not None
    edit = f"{BASE}{written.pk}/edit/"
    assert 'value="60000.00"' in client.get(edit).content.decode()
    changed = FORM | {"annual_value": "64000.00", "name": "Day opportunities and breaks"}
    assert client.post(edit, changed).status_code == 302
    latest = load_contract(written.versions.order_by("-number").first().text)
    assert (latest.name, latest.mechanism.annual) == ("Day opportunities and breaks", 64000)


def test_the_form_puts_each_problem_beside_its_field_and_keeps_nothing(client, place) -> None:
    client.force_login(person("commissioner"))
    wrong = FORM | {"end-year": "2024", "annual_value": "lots", "commissioners": []}
    response = client.post(BASE + "write/", wrong)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="annual_value-error"' in page
    assert 'id="commissioners-error"' in page
    late = FORM | {"end-year": "2024"}
    page = client.post(BASE + "write/", late).content.decode()
    assert 'id="end-error"' in page  # a term that ends before it starts, by the library
    unpaid = FORM | {"scheme": "BCF-F99"}
    assert 'id="scheme-error"' in client.post(BASE + "write/", unpaid).content.decode()
    assert not ProviderContract.objects.filter(code="C-FERN-2026-DAY").exists()


def test_changing_an_activity_contract_keeps_how_it_pays(client, place) -> None:
    client.force_login(person("commissioner"))
    homecare = contract("C-FERN-2025-HOMECARE")
    before = load_contract(homecare.versions.get().text)
    sent = FORM | {"name": "Home care (discharge)", "annual_value": "9100000.00",
                   "scheme": "BCF-F01"}  # fmt: skip
    assert client.post(f"{BASE}{homecare.pk}/edit/", sent).status_code == 302
    after = load_contract(homecare.versions.order_by("-number").first().text)
    assert after.mechanism == before.mechanism
    assert after.providers == before.providers
    assert after.name == "Home care (discharge)"


def test_the_api_shows_a_provider_only_its_own_contracts_and_statements(client, place) -> None:
    client.force_login(person("provider"))
    found = client.get("/api/places/fernmouth/contracts").json()
    assert {c["code"] for c in found} == {
        "C-FERN-2025-HOMECARE", "C-FERN-2025-INTERMEDIATE", "C-FERN-2025-REABLEMENT"
    }  # fmt: skip
    alliance = contract("C-FERN-2025-INTERMEDIATE")
    statements = client.get(f"/api/places/fernmouth/contracts/{alliance.pk}/statements").json()
    assert {(s["period"], s["provider"]["code"]) for s in statements} == {
        ("2025-Q1", "ZZC01"), ("2025-Q2", "ZZC01")
    }  # fmt: skip
    assert [s["total"] for s in statements] == ["9362.50", "-8012.50"]
    assert all(s["posted"] for s in statements)
    carers = contract("C-FERN-2025-CARERS")
    assert client.get(f"/api/places/fernmouth/contracts/{carers.pk}/statements").status_code == 404
