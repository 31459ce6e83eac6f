"""Broken documents given to the service end in named problems, a 4xx, and nothing stored.

Every upload the service takes (monthly actuals as CSV and XLSX, an agreement for a new fund
or a variation, a partner's spend mapping and ledger as CSV and XLSX, a budget
configuration, NHS England's session JSON) is posted as a person would post it, with the
documents ``tests/property/test_cli_fuzz`` generates. The library's loader decides whether a
document is broken; when it is, the answer is a 400 whose page carries the error summary,
and no row, ledger transaction, audit event or kept file has been added. A document the
mutation left valid may be taken (a redirect, or the actuals' preview); never a 500.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from onebudget import demo
from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.places import PlacesError, read_session
from onebudget.allocation.targets import AllocationError
from onebudget.funds.actuals import ActualsError, parse_actuals
from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from onebudget.io.tables import TableError, read_table
from onebudget.spend.mapping import (
    EXAMPLES,
    LedgerFileError,
    MappingError,
    ledger_lines,
    load_mapping,
)
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.loader import load_demo_place
from onebudget_web.funds import selectors
from onebudget_web.funds.models import (
    ActualsImport,
    AgreementVersion,
    Fund,
    LedgerTransaction,
    PendingUpload,
)
from onebudget_web.places.models import Place
from onebudget_web.spend import actions as spend
from onebudget_web.spend.models import LedgerFile, MappingFile
from tests.property.test_cli_fuzz import (
    BUDGET,
    NEGATIVE_BASELINE,
    SESSION,
    broken_session,
    broken_yaml,
    csv_bytes,
    refuses,
    renamed,
    table_file,
    xlsx_bytes,
)
from tests.property.test_yaml_fuzz import AGREEMENT
from tests.web.conftest import demo_fund_from

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
# The error summary's titles: the funds and spend pages' count of problems, the shared one
SUMMARY_TITLE = (
    r"Nothing has been (saved|posted): \d+ problems? to fix"
    r"|There is a problem: nothing has been saved"
)
PLACE = demo.PLACES[0].slug
COUNCIL, ICB = demo.PLACES[0].gss_code, demo.DEMO_ICB


def sign_in(client: Any, name: str) -> Any:
    client.force_login(User.objects.get(username=name))
    return client


def kept_files() -> int:
    """Files the service keeps (uploaded ledgers, say) under its data directory."""
    folder = Path(django_settings.DATA_DIR) / "spend"
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def stored(*models: Any) -> dict[str, int]:
    """What an upload could add: the rows of ``models``, audit events and kept files."""
    counts = {m.__name__: m.objects.count() for m in models}
    return counts | {"AuditEvent": AuditEvent.objects.count(), "kept files": kept_files()}


def answered(
    response: Any, *, refused: bool, before: dict[str, int], after: dict[str, int]
) -> None:
    """A refused document is a 400 with the error summary and nothing stored; one the
    library takes may be taken (200 or a redirect), or refused the same way for a later
    rule (a fund with this id exists already, say)."""
    status = response.status_code
    if currently_in_test_context():  # plain tests use this too
        event(f"{'refused' if refused else 'taken'} by the library: {status}")
    if refused or 400 <= status < 500:
        page = response.content.decode()
        assert status in (400, 413), (status, page[-2_000:])
        assert "nhsuk-error-summary" in page, page[-2_000:]
        assert re.search(SUMMARY_TITLE, page)
        assert after == before
    else:
        assert status in (200, 302), status


def text_of(content: bytes) -> str:
    """As the views read an upload."""
    return content.decode("utf-8", errors="replace")


# -- the demo place, its fund, its spend and allocation --------------------------------------


@pytest.fixture
def place(db: None) -> Place:
    load_demo_place()
    return Place.objects.get(slug=PLACE)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture
def fund(place: Place, demo_folder: Path) -> Fund:
    """The demo fund, its synthetic data generated once for the module."""
    return demo_fund_from(demo_folder)


# -- monthly actuals -------------------------------------------------------------------------


def actuals_table(fund: Fund) -> tuple[list[str], list[list[str]]]:
    """A good file of the fund's year: a row for each pooled scheme and aligned budget."""
    agreement = load_agreement(selectors.current_version(fund).text)
    year = agreement.financial_year
    header = ["scheme_code", "month", "actual", "partner_code", "forecast_outturn"]
    header.append("financial_year")
    rows = []
    for i, scheme in enumerate(agreement.schemes):
        partners = (
            [""] if scheme.budget == "pooled" else sorted(agreement.contributions(scheme.code))
        )
        for partner in partners:
            month = f"{year}-{4 + i % 9:02d}"
            rows.append([scheme.code, month, "100.00", partner, "", f"{year}/{(year + 1) % 100}"])
    rows.append(
        [agreement.schemes[0].code, f"{year - 1}-05", "1.00", "", "", f"{year - 1}/{year % 100}"]
    )
    return header, rows


def actuals_refused(fund: Fund, name: str, content: bytes) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return True
    agreement = load_agreement(selectors.current_version(fund).text)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        return refuses(lambda: parse_actuals(read_table(path), agreement), TableError, ActualsError)


def test_the_good_actuals_are_previewed(client: Any, fund: Fund) -> None:
    """The fuzzing starts from files the service takes, so a refusal is the mutation's."""
    header, rows = actuals_table(fund)
    for kind, to_bytes in (("csv", csv_bytes), ("xlsx", xlsx_bytes)):
        upload = SimpleUploadedFile(f"actuals.{kind}", to_bytes([header, *rows]))
        response = sign_in(client, "pool-manager").post(
            f"/funds/{fund.code}/actuals/", {"file": upload}
        )
        assert response.status_code == 200
        assert "Check before posting" in response.content.decode()


@FUZZ
@given(
    kind=st.sampled_from(["csv", "xlsx"]),
    name=st.sampled_from(["actuals", "Actuals 2025-26", "a.b"]),
    data=st.data(),
)
def test_broken_actuals_are_refused_and_nothing_is_posted(
    client: Any, fund: Fund, kind: str, name: str, data: Any
) -> None:
    header, rows = actuals_table(fund)
    content = data.draw(table_file(header, rows, kind))
    file_name = f"{name}.{data.draw(st.sampled_from([kind, kind.upper(), 'txt']))}"
    refused = actuals_refused(fund, file_name, content)
    before = stored(LedgerTransaction, ActualsImport, PendingUpload)
    response = sign_in(client, "pool-manager").post(
        f"/funds/{fund.code}/actuals/", {"file": SimpleUploadedFile(file_name, content)}
    )
    after = stored(LedgerTransaction, ActualsImport, PendingUpload)
    answered(response, refused=refused, before=before, after=after)
    if response.status_code == 200:  # previewed, held, and not posted
        assert after["LedgerTransaction"] == before["LedgerTransaction"]
        assert after["PendingUpload"] == before["PendingUpload"] + 1


# -- an agreement: a new fund, or a variation of the demo fund's -----------------------------


def _ours(value: Any) -> Any:
    """AGREEMENT's partners A and B as the demo place's council and ICB."""
    codes = {"A": COUNCIL, "B": ICB}
    if isinstance(value, dict):
        return {codes.get(k, k): _ours(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ours(v) for v in value]
    return codes.get(value, value) if isinstance(value, str) else value


NEW_AGREEMENT = yamlio.dump(_ours(yamlio.load(AGREEMENT)))


def agreement_refused(content: bytes) -> bool:
    return refuses(lambda: load_agreement(text_of(content)), AgreementError)


def test_the_new_agreement_sets_up_a_fund(client: Any, place: Place) -> None:
    response = sign_in(client, "pool-manager").post(
        f"/places/{PLACE}/funds/new/", {"text": NEW_AGREEMENT}
    )
    assert response.status_code == 302
    assert Fund.objects.filter(code="s75-fuzz-2025").exists()


@FUZZ
@given(content=broken_yaml(NEW_AGREEMENT), as_file=st.booleans())
def test_a_broken_agreement_sets_up_no_fund(
    client: Any, place: Place, content: bytes, as_file: bool
) -> None:
    refused = agreement_refused(content)
    form = (
        {"file": SimpleUploadedFile("agreement.yaml", content)}
        if as_file
        else {"text": text_of(content)}
    )
    before = stored(Fund, AgreementVersion)
    response = sign_in(client, "pool-manager").post(f"/places/{PLACE}/funds/new/", form)
    answered(response, refused=refused, before=before, after=stored(Fund, AgreementVersion))


def test_an_agreement_id_without_a_letter_or_digit_is_a_named_problem(
    client: Any, place: Place
) -> None:
    text = NEW_AGREEMENT.replace("id: S75-FUZZ-2025", "id: '!!!'")
    before = stored(Fund, AgreementVersion)
    response = sign_in(client, "pool-manager").post(f"/places/{PLACE}/funds/new/", {"text": text})
    answered(response, refused=True, before=before, after=stored(Fund, AgreementVersion))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: S75-FUZZ-2025", "id: " + "A" * 61),
        ("name: A pooled budget", "name: " + "N" * 301),
        ("name: A pooled budget", 'name: "A pooled\\tbudget"'),
    ],
    ids=["id", "name", "tab"],
)
def test_an_agreement_id_or_name_too_long_to_keep_is_a_named_problem(
    client: Any, place: Place, old: str, new: str
) -> None:
    assert old in NEW_AGREEMENT
    before = stored(Fund, AgreementVersion)
    response = sign_in(client, "pool-manager").post(
        f"/places/{PLACE}/funds/new/", {"text": NEW_AGREEMENT.replace(old, new)}
    )
    answered(response, refused=True, before=before, after=stored(Fund, AgreementVersion))


@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_a_broken_variation_records_no_version(client: Any, fund: Fund, data: Any) -> None:
    agreed = fund.versions.get(number=1).text  # the same start, whatever a valid one adds
    content = data.draw(broken_yaml(agreed))
    refused = agreement_refused(content)
    before = stored(AgreementVersion)
    response = sign_in(client, "pool-manager").post(
        f"/funds/{fund.code}/agreement/", {"text": text_of(content), "note": "fuzz"}
    )
    answered(response, refused=refused, before=before, after=stored(AgreementVersion))


# -- a partner's spend mapping and ledger ----------------------------------------------------

MAPPING = (Path(str(EXAMPLES)) / f"{COUNCIL}.yaml").read_text(encoding="utf-8")
LEDGER_HEADER = ["Posting Date", "Cost Centre", "Subjective Code", "Description"]
LEDGER_HEADER += ["Supplier/Customer", "Document Number", "Amount"]
LEDGER_ROWS = [
    ["15/04/2025", "ASC110", "5001", "Residential April", "Harbour Care Ltd", "D1", "1000.00"],
    ["20/05/2025", "PH300", "5002", "Sexual health", "Community Trust", "D2", "250.50"],
    ["01/06/2025", "BCF900", "5003", "BCF01 reablement", "Council", "D3", "-10.00"],
    ["02/06/2025", "ASC130", "9001", "S75 income", "ICB", "S75-2025-06", "-500.00"],
]


def upload_spend(client: Any, kind: str, name: str, content: bytes) -> Any:
    return sign_in(client, "finance").post(
        f"/places/{PLACE}/spend/upload/",
        {"organisation": COUNCIL, "kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def confirmed(client: Any, response: Any) -> Any:
    """A ledger is previewed first (a redirect to its preview); confirming it keeps it."""
    assert response.status_code == 302
    return client.post(response["Location"], {"do": "confirm"})


def mapping_refused(content: bytes) -> bool:
    try:
        found = load_mapping(text_of(content), source="m.yaml")
    except MappingError:
        return True
    return found.partner != COUNCIL


@FUZZ
@given(content=broken_yaml(MAPPING))
@example(content=b"partner: E06099001\nname: x\nledger: {file: a.csv}\ncolumns: {}\n")
def test_a_broken_spend_mapping_is_refused_and_not_kept(
    client: Any, place: Place, content: bytes
) -> None:
    refused = mapping_refused(content)
    before = stored(MappingFile, LedgerFile)
    response = upload_spend(client, "mapping", f"{COUNCIL}.yaml", content)
    answered(response, refused=refused, before=before, after=stored(MappingFile, LedgerFile))


@pytest.fixture
def mapped(place: Place) -> Place:
    """The council's finance officer has uploaded its mapping (the shipped one)."""
    spend.upload_mapping(
        by=User.objects.get(username="finance"),
        place=place,
        organisation=Organisation.objects.get(code=COUNCIL),
        text=MAPPING,
        source=f"{COUNCIL}.yaml",
    )
    return place


def ledger_refused(kind: str, content: bytes) -> bool:
    mapping = load_mapping(MAPPING, source="m.yaml")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload.{kind}"
        path.write_bytes(content)
        return refuses(
            lambda: ledger_lines(
                read_table(path, sheet=mapping.sheet, header_row=mapping.header_row), mapping
            ),
            TableError,
            LedgerFileError,
        )


def test_the_good_ledger_is_kept(client: Any, mapped: Place) -> None:
    for kind, to_bytes in (("csv", csv_bytes), ("xlsx", xlsx_bytes)):
        content = to_bytes([LEDGER_HEADER, *LEDGER_ROWS])
        assert not ledger_refused(kind, content)
        response = upload_spend(client, "ledger", f"gl.{kind}", content)
        assert confirmed(client, response).status_code == 302
    assert LedgerFile.objects.filter(place=mapped).count() == 2


def test_a_ledger_with_a_long_file_name_is_kept_under_its_name_shortened(
    client: Any, mapped: Place
) -> None:
    """A browser sends a file's name of up to 255 characters; the name's column holds 200
    (on PostgreSQL a longer one was a 500)."""
    name = "g" * 230 + ".csv"
    response = upload_spend(client, "ledger", name, csv_bytes([LEDGER_HEADER, *LEDGER_ROWS]))
    assert confirmed(client, response).status_code == 302
    assert LedgerFile.objects.get(place=mapped).name == name[:200]


@FUZZ
@given(kind=st.sampled_from(["csv", "xlsx"]), data=st.data())
def test_a_broken_ledger_is_refused_and_not_kept(
    client: Any, mapped: Place, kind: str, data: Any
) -> None:
    content = data.draw(table_file(LEDGER_HEADER, LEDGER_ROWS, kind))
    refused = ledger_refused(kind, content)
    before = stored(LedgerFile)
    response = upload_spend(client, "ledger", f"ledger.{kind}", content)
    answered(response, refused=refused, before=before, after=stored(LedgerFile))


# -- a budget configuration and NHS England's session JSON -----------------------------------


def budget_refused(content: bytes) -> bool:
    text = text_of(content)
    return refuses(
        lambda: allocate_budget(load_budget(text, source="b.yaml")), BudgetError, AllocationError
    )


@FUZZ
@given(content=broken_yaml(BUDGET), as_file=st.booleans())
@example(content=NEGATIVE_BASELINE, as_file=False)
def test_a_broken_budget_configuration_is_refused_and_not_saved(
    client: Any, place: Place, content: bytes, as_file: bool
) -> None:
    refused = budget_refused(content)
    form = (
        {"file": SimpleUploadedFile("budget.yaml", content)}
        if as_file
        else {"text": text_of(content)}
    )
    before = stored(BudgetConfiguration)
    response = sign_in(client, "analyst").post(f"/places/{PLACE}/allocation/budget/", form)
    answered(response, refused=refused, before=before, after=stored(BudgetConfiguration))


def session_refused(content: bytes) -> bool:
    read = lambda: read_session(text_of(content), year="2025/26", source="s.json")  # noqa: E731
    return refuses(read, PlacesError)


def test_the_good_session_is_brought_in(client: Any, place: Place) -> None:
    response = sign_in(client, "analyst").post(
        f"/places/{PLACE}/allocation/session.json",
        {"file": SimpleUploadedFile("session.json", SESSION.encode()), "year": "2025/26"},
    )
    assert response.status_code == 302
    assert AllocationPlace.objects.filter(place=place).count() == 2


@FUZZ
@given(content=broken_session())
@example(content=SESSION.replace('"places": [', f'"n": {"9" * 5_000}, "places": [').encode())
@example(content=renamed(SESSION, "a\x00b"))  # PostgreSQL keeps no NUL: a 500 there
@example(content=renamed(SESSION, "\ud800"))  # not UTF-8 once decoded from JSON: a 500
@example(content=renamed(SESSION, "L" * 101))  # longer than the name's column
def test_a_broken_session_brings_in_no_places(client: Any, place: Place, content: bytes) -> None:
    refused = session_refused(content)
    before = stored(AllocationPlace)
    response = sign_in(client, "analyst").post(
        f"/places/{PLACE}/allocation/session.json",
        {"file": SimpleUploadedFile("session.json", content), "year": "2025/26"},
    )
    answered(response, refused=refused, before=before, after=stored(AllocationPlace))


def test_a_nul_in_any_form_field_is_refused_before_any_view(client: Any, fund: Fund) -> None:
    """PostgreSQL keeps no NUL: a variation note with one was a 500 there."""
    before = stored(AgreementVersion)
    agreed = fund.versions.get(number=1).text
    response = sign_in(client, "pool-manager").post(
        f"/funds/{fund.code}/agreement/", {"text": agreed, "note": "winter\x00pressures"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nhsuk-error-summary" in page
    assert "note: contains a NUL character" in page
    assert stored(AgreementVersion) == before
