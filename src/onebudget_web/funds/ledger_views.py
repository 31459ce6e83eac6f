"""The ledger pages: months and balances, closing a month (asked first, then confirmed), and
corrections (reversing a transaction or a whole actuals file, and approving reversals).
Thin: reads from ``selectors``, writes through the actions modules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Manager
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.funds import actions, bookkeeping, corrections, presenters, selectors
from onebudget_web.funds.helpers import (
    approvable,
    can_post,
    refusal,
    reversal_action,
)
from onebudget_web.funds.models import Fund


@require_http_methods(["GET", "POST"])
@login_required
def fund_ledger(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "close" and request.POST.get("confirm") != "yes":
                return _confirm_close(request, fund)
            messages.success(request, _act(request, fund))
        except ValidationError as refused:
            context = _context(request, fund, request.POST.get("target", ""))
            context |= refusal(refused) | {"form": request.POST}
            return render(request, "funds/ledger.html", context, status=400)
        return redirect("fund_ledger", code=fund.code)
    context = _context(request, fund, request.GET.get("reverse", ""))
    return render(request, "funds/ledger.html", context)


def _confirm_close(request: SignedInRequest, fund: Fund) -> HttpResponse:
    """Closing a month is for good, so it is asked first: which month of which fund, and
    what closing it means. Nothing is closed here; the page's form confirms it."""
    period = request.POST.get("period", "").strip()
    actions.may_close_period(by=request.user, fund=fund, period=period)
    closed = selectors.closed_months(fund)
    closing = presenters.closing_in_words(period, fund.financial_year, closed)
    if period in closed:
        raise ValidationError({"period": [f"{closing['month']} is already closed"]})
    return render(request, "funds/close_confirm.html", {"fund": fund} | closing)


def _act(request: SignedInRequest, fund: Fund) -> str:
    """Do what the form asks; returns the message to show."""
    do, by = request.POST.get("do"), request.user
    if do == "instalments":
        count = bookkeeping.post_instalments(by=by, fund=fund)
        return f"{count} instalments posted."
    if do == "close":  # confirmed (``_confirm_close``)
        period = request.POST.get("period", "").strip()
        actions.close_period(by=by, fund=fund, period=period)
        return f"{presenters.months_in_words([period])} is closed."
    if do == "reverse":
        what = _target(fund, request.POST.get("target", ""))
        corrections.prepare_reversal(
            by=by, fund=fund, reason=request.POST.get("reason", ""), **what
        )
        return "Reversal prepared: it is posted once a finance officer of each partner approves it."
    done = reversal_action(request, fund, do)
    if done is None:
        raise Http404("No such action")
    return done


def _target(fund: Fund, text: str) -> dict[str, Any]:
    """``transaction:<id>`` or ``actuals:<id>``, as the keyword for ``prepare_reversal``."""
    kind, _, pk = text.partition(":")
    managers: dict[str, Manager[Any]] = {"transaction": fund.transactions, "actuals": fund.imports}
    rows = managers.get(kind)
    found = rows.filter(pk=int(pk)).first() if rows is not None and pk.isdigit() else None
    if found is None:
        raise Http404("Nothing to reverse")
    return {kind: found}


def _context(request: SignedInRequest, fund: Fund, chosen: str) -> dict[str, Any]:
    manager = can_post(request, fund)
    names = presenters.names_of(selectors.agreement_of(fund))
    balances = selectors.balances(fund)
    return {
        "fund": fund,
        "periods": [
            p | {"month": presenters.months_in_words([p["period"]])}
            for p in selectors.by_period(fund)
        ],
        "balances": [(presenters.account_in_words(a, names), b) for a, b in balances.items()],
        "can_post": manager,
        "imports": selectors.imports_of(fund) if manager else [],
        "target": _chosen(fund, chosen, names) if manager else None,
        "pending": _pending(fund, names),
        "approvable": approvable(request, fund),
        "errors": [],
        "field_errors": {},
        "form": {},
    }


def _chosen(fund: Fund, text: str, names: dict[str, str]) -> dict[str, str] | None:
    """The transaction or file the pool manager chose to reverse, in words."""
    try:
        what = _target(fund, text)
    except Http404:
        return None
    ((kind, found),) = what.items()
    if kind == "transaction":
        return {"value": text, "label": presenters.transaction_label(found, names)}
    return {"value": text, "label": f"the actuals file {found.file_name}"}


def _pending(fund: Fund, names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "reversal": r,
            "what": presenters.reversal_in_words(r, names),
            "approvals": r.approvals.all(),
        }
        for r in selectors.pending_reversals(fund)
    ]


@require_GET
@login_required
def fund_period(request: SignedInRequest, code: str, period: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    transactions = selectors.transactions_in(fund, period)
    if not transactions:
        raise Http404("No postings in this period")
    reversible = (
        dict(selectors.reversible_transactions(fund).filter(period=period).values_list("key", "pk"))
        if can_post(request, fund)
        else {}
    )
    names = presenters.names_of(selectors.agreement_of(fund))
    context = {
        "fund": fund,
        "month": presenters.months_in_words([period]),
        "rows": [
            (
                tx,
                presenters.description_in_words(
                    tx.description, [p.account for p in tx.postings], names
                ),
                reversible.get(tx.key),
                presenters.postings_in_words(tx, names),
            )
            for tx in transactions
        ],
    }
    return render(request, "funds/period.html", context)
