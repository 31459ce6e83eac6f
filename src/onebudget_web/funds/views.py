"""Pages of a pooled fund. Thin: scoped reads from ``selectors``, writes through the
actions modules. The ledger, actuals and settlement pages are in their own modules and
exported here, where the URLs find them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.funds import report
from onebudget.funds.monitoring import forecast_settlement, latest_month, positions
from onebudget.periods import month_start
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.core.uploads import upload_text
from onebudget_web.funds import actions, presenters, selectors
from onebudget_web.funds.actuals_views import fund_actuals
from onebudget_web.funds.helpers import can_post as _can_post
from onebudget_web.funds.ledger_views import fund_ledger, fund_period
from onebudget_web.funds.settlement_views import fund_settlement, fund_settlement_xlsx

AGREEMENT_LIMIT = 1024 * 1024  # what the YAML reader reads

__all__ = [
    "fund_actuals",
    "fund_agreement",
    "fund_agreement_edit",
    "fund_detail",
    "fund_ledger",
    "fund_monitoring",
    "fund_period",
    "fund_settlement",
    "fund_settlement_xlsx",
    "place_new_fund",
]


@require_GET
@login_required
def fund_detail(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    agreement = selectors.agreement_of(fund)
    context = {
        "fund": fund,
        "agreement": agreement,
        "schemes": presenters.schemes(agreement, selectors.balances(fund)),
        "versions": fund.versions.select_related("recorded_by"),
        "can_post": _can_post(request, fund),
    }
    return render(request, "funds/fund_detail.html", context)


@require_GET
@login_required
def fund_agreement(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    version = selectors.current_version(fund)
    response = HttpResponse(version.text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{fund.code}-v{version.number}.yaml"'
    return response


@require_GET
@login_required
def fund_monitoring(request: SignedInRequest, code: str) -> HttpResponse:
    """Variance to date and forecast outturn by scheme, and the settlement the forecast would
    give each partner: the pool manager's report for any month (a quarter's end, say)."""
    fund = selectors.get_fund_for(request.user, code)
    agreement = selectors.agreement_of(fund)
    figures = selectors.monthly_figures(fund, agreement)
    latest = latest_month(figures)
    try:
        month = min(max(int(request.GET.get("month", latest or 1)), 1), 12)
    except ValueError:
        month = latest or 1
    rows = report.position_rows(positions(agreement, figures, month))
    forecast = report.partner_rows(forecast_settlement(agreement, figures, month))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"{fund.code}-month-{month}", {"Schemes": rows, "Forecast by partner": forecast}
        )
    names = presenters.names_of(agreement)
    context = {
        "fund": fund,
        "month": month,
        "month_name": _month_name(agreement.financial_year, month),
        "months": [(m, _month_name(agreement.financial_year, m)) for m in range(1, 13)],
        "rows": [{"name": names.get(r["scheme"], r["scheme"]), **r} for r in rows],
        "forecast": forecast,
        "can_post": _can_post(request, fund),
    }
    return render(request, "funds/monitoring.html", context)


def _month_name(financial_year: int, month: int) -> str:
    return month_start(financial_year, month).strftime("%B %Y")


@require_http_methods(["GET", "POST"])
@login_required
def fund_agreement_edit(request: SignedInRequest, code: str) -> HttpResponse:
    """Record a variation: the agreement's YAML, edited, becomes a new version."""
    fund = selectors.get_fund_for(request.user, code)
    if not _can_post(request, fund):
        raise NotPermitted("Only the pool manager records variations")
    text, errors = selectors.current_version(fund).text, []
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            actions.record_variation(
                by=request.user, fund=fund, text=text, note=request.POST.get("note", "")[:300]
            )
        except ValidationError as refused:
            errors = refused.messages
        else:
            messages.success(
                request, "The variation is recorded as a new version of the agreement."
            )
            return redirect("fund", code=fund.code)
    context = {"fund": fund, "text": text, "errors": errors}
    return render(request, "funds/agreement_edit.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def place_new_fund(request: SignedInRequest, slug: str) -> HttpResponse:
    """Set up a pooled fund for a place from its agreement (a YAML file or text)."""
    from onebudget_web.places.selectors import get_place_for

    place = get_place_for(request.user, slug)
    allowed = [
        o for o in place.partners.all() if has_permission(request.user, o, Permission.POST_TO_POOL)
    ]
    if not allowed:
        raise NotPermitted("Setting up a fund is for the host partner's pool manager")
    errors: list[str] = []
    text = request.POST.get("text", "")
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                text = upload_text(upload, what="an agreement (YAML)", limit=AGREEMENT_LIMIT)
            fund = actions.create_fund(
                by=request.user,
                place=place,
                text=text,
                source=(upload.name if upload else None) or "agreement.yaml",
            )
        except ValidationError as refused:
            errors = refused.messages
        else:
            messages.success(request, f"{fund.name} is set up.")
            return redirect("fund", code=fund.code)
    context = {"place": place, "text": text, "errors": errors}
    return render(request, "funds/new_fund.html", context, status=400 if errors else 200)
