"""The settlement page: the statement, its state (awaiting approval, posted, reversed), who
prepared and approved it, and the forms to prepare, approve, and reverse it. Thin: reads
from ``selectors``, writes through ``settlements`` and ``corrections``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.funds.actuals import unreported
from onebudget.funds.settlement import SettlementError
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.funds import corrections, presenters, selectors, settlements
from onebudget_web.funds.helpers import (
    approvable,
    can_post,
    partner_from,
    refusal,
    reversal_action,
)
from onebudget_web.funds.models import Fund

PAGE = "funds/settlement.html"
REPLACE_UNCONFIRMED = (
    "Tick the box to confirm that you understand the settlement awaiting approval will be "
    "replaced, and the approvals given to it will no longer count"
)


@require_http_methods(["GET", "POST"])
@login_required
def fund_settlement(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    if request.method == "POST":
        try:
            messages.success(request, _act(request, fund))
        except ValidationError as refused:
            form = {"form": request.POST, "nil_ticked": request.POST.getlist("nil")}
            context = _context(request, fund) | refusal(refused) | form
            return render(request, PAGE, context, status=400)
        except SettlementError as error:
            context = _context(request, fund) | {"errors": [str(error)]}
            return render(request, PAGE, context, status=400)
        return redirect("fund_settlement", code=fund.code)
    return render(request, PAGE, _context(request, fund))


def _act(request: SignedInRequest, fund: Fund) -> str:
    """Do what the form asks; returns the message to show."""
    do, by = request.POST.get("do"), request.user
    if do == "prepare":
        if _replacing(fund) and request.POST.get("replace") != "yes":
            raise ValidationError({"replace": [REPLACE_UNCONFIRMED]})
        override, nil = request.POST.get("override", ""), request.POST.getlist("nil")
        settlements.prepare_settlement(by=by, fund=fund, override=override, nil=nil)
        return "Settlement prepared: it now needs each partner's approval."
    if do == "approve":
        latest = selectors.latest_settlement(fund)
        organisation = partner_from(request, fund)
        if latest is None:
            raise Http404("Nothing to approve")
        settlements.approve_settlement(by=by, settlement=latest, organisation=organisation)
        return f"Approved for {organisation.name}."
    if do == "reverse":
        standing = selectors.standing_settlement(fund)
        if standing is None:
            raise ValidationError(["There is no posted settlement to reverse"])
        reason = request.POST.get("reason", "")
        corrections.prepare_reversal(by=by, fund=fund, reason=reason, settlement=standing)
        return "Reversal prepared: it is posted once a finance officer of each partner approves it."
    done = reversal_action(request, fund, do)
    if done is None:
        raise Http404("No such action")
    return done


def _replacing(fund: Fund) -> list[str]:
    """The partners that have approved the settlement awaiting approval, whose approvals a
    new settlement would set aside (none if no settlement awaits approval)."""
    latest = selectors.latest_settlement(fund)
    if latest is None or selectors.settlement_status(latest) != "awaiting approval":
        return []
    return [a.organisation.name for a in latest.approvals.select_related("organisation")]


def _context(request: SignedInRequest, fund: Fund) -> dict[str, Any]:
    latest = selectors.latest_settlement(fund)
    standing = selectors.standing_settlement(fund)
    manager = can_post(request, fund)
    pending = [r for r in selectors.pending_reversals(fund) if r.settlement_id]
    open_months = selectors.open_months(fund)
    return {
        "fund": fund,
        "settlement": latest,
        "status": selectors.settlement_status(latest) if latest else None,
        **_statement(fund, latest),
        "approvable": approvable(request, fund),
        "can_post": manager,
        "can_prepare": manager and standing is None,
        "can_reverse": manager and standing is not None and not pending,
        "open_months": presenters.months_in_words(open_months) if open_months else "",
        "unreported": _unreported(fund) if manager and standing is None else [],
        "replacing": _replacing(fund) if manager and standing is None else [],
        "pending": [
            {"reversal": r, "what": presenters.reversal_in_words(r), "approvals": r.approvals.all()}
            for r in pending
        ],
        "errors": [],
        "field_errors": {},
        "form": {},
        "nil_ticked": [],
    }


def _unreported(fund: Fund) -> list[dict[str, str]]:
    """The schemes with no actuals in the ledger, for the pool manager to declare nil."""
    agreement = selectors.agreement_of(fund)
    names = presenters.names_of(agreement)
    found = unreported(agreement, settlements.reported_spend(fund, agreement))
    return [{"value": n, "label": presenters.budget_in_words(n, names)} for n in found]


def _statement(fund: Fund, latest: Any) -> dict[str, Any]:
    if latest is None:
        return {"sheets": {}, "payments": [], "approvals": [], "override_months": "", "nil": []}
    names = presenters.names_of(selectors.agreement_of(fund))
    sheets = presenters.statement_rows(latest.statement)
    variances = [s["variance"] for s in sheets.get("Schemes", [])]
    return {
        "sheets": sheets,
        "overspent": any(v > 0 for v in variances),
        "underspent": any(v < 0 for v in variances),
        "payments": presenters.payments_in_words(sheets.get("Payments", []), names),
        "approvals": latest.approvals.select_related("organisation", "approver"),
        "override_months": presenters.months_in_words(latest.open_months)
        if latest.open_months
        else "",
        "nil": [presenters.budget_in_words(n, names) for n in latest.nil_schemes],
    }


@require_GET
@login_required
def fund_settlement_xlsx(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    latest = selectors.latest_settlement(fund)
    if latest is None:
        raise Http404("No settlement has been prepared")
    return xlsx_response(f"{fund.code}-settlement", presenters.statement_rows(latest.statement))
