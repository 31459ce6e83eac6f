"""The year-end settlement's rules: one posted settlement per fund and year, the preparer
never approves, no preparing while months are open without a recorded reason, and a posted
settlement undone only as a whole by an approved reversal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from onebudget.io.tables import RawTable
from onebudget.roles import NotPermitted, Role
from onebudget_web.accounts.actions import grant_role
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.funds import actions, bookkeeping, corrections, selectors, settlements
from onebudget_web.funds.models import ActualsImport, Fund, PostedSettlement, Settlement
from tests.web.conftest import demo_fund_from


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(name="fund")
def demo_fund(db: None, demo_folder: Path) -> Fund:
    """The demo fund, as conftest's ``fund``, but its synthetic data generated once per
    module rather than once per test."""
    return demo_fund_from(demo_folder)


def user(name: str) -> User:
    return User.objects.get(username=name)


def partner(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


COUNCIL, ICB = "E06099001", "QZZ"


def close_to_the_last_month(fund: Fund) -> None:
    """Close January and February (the demo closes April to December; March takes the
    settlement)."""
    for period in (f"{fund.financial_year + 1}-01", f"{fund.financial_year + 1}-02"):
        actions.close_period(by=user("pool-manager"), fund=fund, period=period)


def post_a_settlement(fund: Fund) -> Settlement:
    settlement = settlements.prepare_settlement(by=user("pool-manager"), fund=fund)
    settlements.approve_settlement(
        by=user("finance"), settlement=settlement, organisation=partner(COUNCIL)
    )
    settlements.approve_settlement(
        by=user("icb-finance"), settlement=settlement, organisation=partner(ICB)
    )
    assert selectors.settlement_status(settlement) == "posted"
    return settlement


def due(fund: Fund) -> dict[str, object]:
    return {k: v for k, v in selectors.balances(fund).items() if k.startswith("due:")}


def test_a_second_settlement_for_a_posted_year_is_refused(fund: Fund) -> None:
    close_to_the_last_month(fund)
    post_a_settlement(fund)
    after_one = due(fund)
    assert after_one
    with pytest.raises(ValidationError, match="already posted"):
        settlements.prepare_settlement(by=user("pool-manager"), fund=fund)
    # A settlement prepared before the first was posted cannot be approved after it either
    assert fund.posted_settlements.count() == 1
    assert due(fund) == after_one


def test_a_settlement_prepared_alongside_cannot_be_posted_second(fund: Fund) -> None:
    close_to_the_last_month(fund)
    manager = user("pool-manager")
    first = settlements.prepare_settlement(by=manager, fund=fund)
    second = settlements.prepare_settlement(by=manager, fund=fund)
    for approver, code in (("finance", COUNCIL), ("icb-finance", ICB)):
        settlements.approve_settlement(
            by=user(approver), settlement=second, organisation=partner(code)
        )
    with pytest.raises(ValidationError) as refused:
        settlements.approve_settlement(
            by=user("finance"), settlement=first, organisation=partner(COUNCIL)
        )
    assert any("already posted" in m for m in refused.value.messages)
    assert selectors.settlement_status(first) == "awaiting approval"


def test_the_preparer_cannot_approve_their_own_settlement(client, fund: Fund) -> None:
    close_to_the_last_month(fund)
    manager = user("pool-manager")
    grant_role(by="system:tests", user=manager, organisation=partner(COUNCIL), role=Role.FINANCE)
    settlement = settlements.prepare_settlement(by=manager, fund=fund)
    with pytest.raises(ValidationError, match="You prepared this settlement"):
        settlements.approve_settlement(
            by=manager, settlement=settlement, organisation=partner(COUNCIL)
        )
    assert not settlement.approvals.exists()
    client.force_login(manager)
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Approve for Fernmouth Council" not in page
    assert "You prepared this settlement, so a finance officer other than you must" in page
    response = client.post(
        f"/funds/{fund.code}/settlement/", {"do": "approve", "organisation": COUNCIL}
    )
    assert response.status_code == 400
    assert "You prepared this settlement" in response.content.decode()


def test_preparing_with_months_open_needs_a_reason_which_is_audited_and_shown(
    client, fund: Fund
) -> None:
    manager = user("pool-manager")
    with pytest.raises(ValidationError) as refused:
        settlements.prepare_settlement(by=manager, fund=fund)
    assert refused.value.message_dict["override"] == [
        "January to February 2026 are still open. Close them first, or give the reason the "
        "settlement must be prepared now."
    ]
    assert not fund.settlements.exists()
    client.force_login(manager)
    response = client.post(f"/funds/{fund.code}/settlement/", {"do": "prepare", "override": " "})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="override-error"' in page
    assert "nhsuk-form-group--error" in page
    assert not fund.settlements.exists()

    reason = "The board signs the accounts on 20 February; the February actuals are final"
    response = client.post(f"/funds/{fund.code}/settlement/", {"do": "prepare", "override": reason})
    assert response.status_code == 302
    settlement = fund.settlements.get()
    assert settlement.override_reason == reason
    assert settlement.open_months == ["2026-01", "2026-02"]
    event = AuditEvent.objects.get(action="fund.settlement_prepared")
    assert event.detail["override"] == reason
    assert event.detail["open_months"] == ["2026-01", "2026-02"]
    client.force_login(user("viewer"))
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Prepared while months were open" in page
    assert reason in page
    assert "January to February 2026 were still open" in page


NEW_SCHEME = """\
- code: NEW
  name: Falls response
  contributions: {QZZ: 5000.00}
"""


def test_a_scheme_without_actuals_is_declared_nil_or_preparing_is_refused(
    client, fund: Fund
) -> None:
    """A pooled scheme with nothing in the ledger is never settled as a silent full
    underspend: the pool manager imports its actuals or declares that it spent nothing."""
    close_to_the_last_month(fund)
    text = selectors.current_version(fund).text.replace("schemes:\n", "schemes:\n" + NEW_SCHEME)
    actions.record_variation(by=user("pool-manager"), fund=fund, text=text, note="Falls")
    manager = user("pool-manager")
    with pytest.raises(ValidationError) as refused:
        settlements.prepare_settlement(by=manager, fund=fund)
    assert refused.value.message_dict["nil"] == [
        "Falls response (NEW) has no actuals for the year. Import them, or tick it if it spent "
        "nothing."
    ]
    client.force_login(manager)
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert 'value="NEW"' in page
    assert "Falls response (NEW) spent nothing" in page
    response = client.post(f"/funds/{fund.code}/settlement/", {"do": "prepare"})
    assert response.status_code == 400
    assert 'id="nil-error"' in response.content.decode()
    assert not fund.settlements.exists()

    response = client.post(f"/funds/{fund.code}/settlement/", {"do": "prepare", "nil": "NEW"})
    assert response.status_code == 302
    settlement = fund.settlements.get()
    assert settlement.nil_schemes == ["NEW"]
    new = next(r for r in settlement.statement["Schemes"] if r["scheme"] == "NEW")
    assert (new["expenditure"], new["variance"]) == ("0.00", "-5000.00")
    event = AuditEvent.objects.get(action="fund.settlement_prepared")
    assert event.detail["nil"] == ["NEW"]
    post = [("finance", COUNCIL), ("icb-finance", ICB)]
    for name, code in post:  # approval settles with the same declaration
        settlements.approve_settlement(
            by=user(name), settlement=settlement, organisation=partner(code)
        )
    assert selectors.settlement_status(settlement) == "posted"
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Declared to have spent nothing this year: Falls response (NEW)." in page


def test_no_settlement_is_prepared_once_the_last_month_is_closed(fund: Fund) -> None:
    close_to_the_last_month(fund)
    actions.close_period(by=user("pool-manager"), fund=fund, period="2026-03")
    with pytest.raises(ValidationError, match="March 2026 is closed"):
        settlements.prepare_settlement(by=user("pool-manager"), fund=fund, override="late")


def test_a_reversal_posts_the_exact_negation_and_then_a_new_settlement_may_be_posted(
    client, fund: Fund
) -> None:
    close_to_the_last_month(fund)
    before = selectors.balances(fund)
    first = post_a_settlement(fund)
    after_one = selectors.balances(fund)
    mark = PostedSettlement.objects.get(settlement=first)
    manager = user("pool-manager")
    with pytest.raises(ValidationError, match="reason"):
        corrections.prepare_reversal(by=manager, fund=fund, reason="  ", settlement=mark)
    with pytest.raises(NotPermitted):
        corrections.prepare_reversal(by=user("finance"), fund=fund, reason="x", settlement=mark)
    reversal = corrections.prepare_reversal(
        by=manager, fund=fund, reason="The ICB's contribution was varied", settlement=mark
    )
    assert selectors.settlement_status(first) == "posted"  # until both partners approve
    corrections.approve_reversal(
        by=user("finance"), reversal=reversal, organisation=partner(COUNCIL)
    )
    assert selectors.balances(fund) == after_one
    corrections.approve_reversal(
        by=user("icb-finance"), reversal=reversal, organisation=partner(ICB)
    )
    assert selectors.settlement_status(first) == "reversed"
    assert selectors.balances(fund) == before
    originals = {
        t.pk: selectors.as_record(t) for t in fund.transactions.filter(source__settlement=mark)
    }
    assert originals
    for row in fund.transactions.filter(reverses__in=list(originals)):
        undo, original = selectors.as_record(row), originals[row.reverses_id]
        assert sorted(undo.postings, key=str) == sorted(
            (type(p)(p.account, -p.amount) for p in original.postings), key=str
        )
        assert undo.on == original.on
    assert fund.transactions.filter(reverses__in=list(originals)).count() == len(originals)

    second = post_a_settlement(fund)
    assert selectors.balances(fund) == after_one  # posted once more, not doubled
    assert PostedSettlement.objects.get(settlement=second).replaces == mark
    client.force_login(user("viewer"))
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Approved and posted" in page
    assert "Prepare a reversal" not in page
    client.force_login(manager)
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Prepare a reversal" in page
    assert "Fernmouth Council (E06099001) pays NHS Fernmouth Integrated Care Board (QZZ)" in page


def test_the_settlement_page_offers_a_reversal_only_to_the_pool_manager(client, fund) -> None:
    close_to_the_last_month(fund)
    post_a_settlement(fund)
    client.force_login(user("finance"))
    assert (
        "Prepare a reversal" not in client.get(f"/funds/{fund.code}/settlement/").content.decode()
    )
    client.force_login(user("pool-manager"))
    response = client.post(f"/funds/{fund.code}/settlement/", {"do": "reverse", "reason": ""})
    assert response.status_code == 400
    assert 'id="reason-error"' in response.content.decode()
    response = client.post(
        f"/funds/{fund.code}/settlement/", {"do": "reverse", "reason": "Wrong agreement version"}
    )
    assert response.status_code == 302
    client.force_login(user("icb-finance"))
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Reversals awaiting approval" in page
    assert "Wrong agreement version" in page
    assert "Approve the reversal for NHS Fernmouth" in page
    assert "Approved and posted" in page  # the settlement stands until the reversal is posted


def test_new_actuals_are_refused_while_a_settlement_stands(client, fund: Fund) -> None:
    """Actuals posted after the settlement would leave it settling figures the ledger no
    longer holds: the settlement is reversed first."""
    close_to_the_last_month(fund)
    post_a_settlement(fund)
    imports = ActualsImport.objects.filter(fund=fund).count()
    table = RawTable(
        "late.csv", ("scheme_code", "month", "actual"), ((2, ("BCF01", "2026-03", "1.00")),)
    )
    with pytest.raises(ValidationError) as refused:
        bookkeeping.import_actuals(by=user("pool-manager"), fund=fund, table=table)
    assert refused.value.messages == [selectors.SETTLED]
    client.force_login(user("pool-manager"))
    upload = SimpleUploadedFile("late.csv", b"scheme_code,month,actual\nBCF01,2026-03,1.00\n")
    response = client.post(f"/funds/{fund.code}/actuals/", {"file": upload})
    assert response.status_code == 400
    assert "reverse it first" in response.content.decode()
    assert ActualsImport.objects.filter(fund=fund).count() == imports


def test_a_pending_reversal_is_withdrawn_with_a_reason_and_can_no_longer_be_approved(
    client, fund: Fund
) -> None:
    close_to_the_last_month(fund)
    mark = PostedSettlement.objects.get(settlement=post_a_settlement(fund))
    manager = user("pool-manager")
    reversal = corrections.prepare_reversal(
        by=manager, fund=fund, reason="Prepared against the wrong year", settlement=mark
    )
    corrections.approve_reversal(
        by=user("finance"), reversal=reversal, organisation=partner(COUNCIL)
    )
    with pytest.raises(NotPermitted):
        corrections.withdraw_reversal(by=user("finance"), reversal=reversal, reason="no")
    with pytest.raises(ValidationError, match="Enter the reason for withdrawing"):
        corrections.withdraw_reversal(by=manager, reversal=reversal, reason=" ")
    client.force_login(manager)
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Withdraw the reversal" in page
    response = client.post(
        f"/funds/{fund.code}/settlement/",
        {
            "do": "withdraw-reversal",
            "reversal": reversal.pk,
            "reason": "Prepared in error",
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    assert selectors.pending_reversals(fund) == []
    with pytest.raises(ValidationError, match="withdrawn"):
        corrections.approve_reversal(
            by=user("icb-finance"), reversal=reversal, organisation=partner(ICB)
        )
    assert selectors.standing_settlement(fund) == mark  # the settlement still stands
    event = AuditEvent.objects.get(action="fund.reversal_withdrawn")
    assert event.detail["reason"] == "Prepared in error"
    with pytest.raises(ValidationError, match="withdrawn"):
        corrections.withdraw_reversal(by=manager, reversal=reversal, reason="again")
    # a new reversal of the same settlement may be prepared
    corrections.prepare_reversal(by=manager, fund=fund, reason="The right one", settlement=mark)
