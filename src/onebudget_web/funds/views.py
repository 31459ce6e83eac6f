"""Pages of a pooled fund. Thin: scoped reads from ``selectors``, writes through ``actions``."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.funds import report
from onebudget.funds.monitoring import forecast_settlement, positions
from onebudget.funds.settlement import SettlementError
from onebudget.io.tables import TableError, read_table
from onebudget.periods import month_start
from onebudget.roles import Permission
from onebudget_web.accounts.selectors import has_permission, visible_organisation_ids
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.funds import actions, bookkeeping, presenters, selectors
from onebudget_web.funds.models import Fund

UPLOAD_SUFFIXES = (".csv", ".xlsx")


def _can_post(request: HttpRequest, fund: Fund) -> bool:
    return has_permission(request.user, fund.host, Permission.POST_TO_POOL)


@require_GET
@login_required
def fund_detail(request: HttpRequest, code: str) -> HttpResponse:
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
def fund_agreement(request: HttpRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    version = selectors.current_version(fund)
    response = HttpResponse(version.text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{fund.code}-v{version.number}.yaml"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def fund_ledger(request: HttpRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "instalments":
                count = bookkeeping.post_instalments(by=request.user, fund=fund)  # type: ignore[arg-type]
                messages.success(request, f"{count} instalments posted.")
            elif request.POST.get("do") == "close":
                period = request.POST.get("period", "")
                actions.close_period(by=request.user, fund=fund, period=period)  # type: ignore[arg-type]
                messages.success(request, f"Period {period} closed.")
        except ValidationError as refused:
            for message in refused.messages:
                messages.error(request, message)
        return redirect("fund_ledger", code=fund.code)
    context = {
        "fund": fund,
        "periods": selectors.by_period(fund),
        "balances": selectors.balances(fund),
        "can_post": _can_post(request, fund),
    }
    return render(request, "funds/ledger.html", context)


@require_GET
@login_required
def fund_period(request: HttpRequest, code: str, period: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    transactions = selectors.transactions_in(fund, period)
    if not transactions:
        raise Http404("No postings in this period")
    context = {"fund": fund, "period": period, "transactions": transactions}
    return render(request, "funds/period.html", context)


def _upload_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@require_http_methods(["GET", "POST"])
@login_required
def fund_actuals(request: HttpRequest, code: str) -> HttpResponse:
    """Upload monthly actuals: a preview (every error, or what would be posted), then post."""
    fund = selectors.get_fund_for(request.user, code)
    if not _can_post(request, fund):
        raise PermissionDenied("Only the pool manager uploads actuals")
    context: dict[str, object] = {"fund": fund, "errors": [], "figures": []}
    if request.method == "POST" and request.POST.get("token"):
        return _post_upload(request, fund, request.POST["token"])
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None or suffix not in UPLOAD_SUFFIXES:
            context["errors"] = ["Choose a .csv or .xlsx file of monthly actuals."]
        else:
            token = uuid.uuid4().hex
            path = _upload_dir() / f"{token}{suffix}"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            request.session[f"upload:{token}"] = [str(path), upload.name, fund.code]
            context |= _preview(fund, path, upload.name, token)
    status = 400 if context["errors"] else 200
    return render(request, "funds/actuals.html", context, status=status)


def _preview(fund: Fund, path: Path, name: str, token: str) -> dict[str, object]:
    try:
        table = read_table(path)
    except TableError as error:
        return {"errors": [str(error)]}
    table = table.__class__(name, table.header, table.rows)
    figures, errors = bookkeeping.preview_actuals(fund, table)
    return {
        "errors": errors,
        "figures": figures,
        "token": "" if errors else token,
        "file_name": name,
    }


def _post_upload(request: HttpRequest, fund: Fund, token: str) -> HttpResponse:
    stored = request.session.pop(f"upload:{token}", None)
    if stored is None or stored[2] != fund.code:
        raise Http404("No such upload")
    path, name, _ = stored
    try:
        table = read_table(Path(path))
        table = table.__class__(name, table.header, table.rows)
        count = bookkeeping.import_actuals(by=request.user, fund=fund, table=table)  # type: ignore[arg-type]
    except (ValidationError, TableError) as refused:
        errors = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
        return render(
            request,
            "funds/actuals.html",
            {"fund": fund, "errors": errors, "figures": []},
            status=400,
        )
    finally:
        Path(path).unlink(missing_ok=True)
    messages.success(request, f"{count} monthly figures posted from {name}.")
    return redirect("fund_ledger", code=fund.code)


@require_http_methods(["GET", "POST"])
@login_required
def fund_settlement(request: HttpRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    if request.method == "POST":
        _settlement_action(request, fund)
        return redirect("fund_settlement", code=fund.code)
    latest = fund.settlements.order_by("-prepared_at", "-pk").first()
    mine = fund.partners.filter(id__in=visible_organisation_ids(request.user))
    approvable = [o for o in mine if has_permission(request.user, o, Permission.APPROVE_SETTLEMENT)]
    context = {
        "fund": fund,
        "settlement": latest,
        "sheets": presenters.statement_rows(latest.statement) if latest else {},
        "approvals": latest.approvals.select_related("organisation", "approver") if latest else [],
        "approved": bool(latest) and bookkeeping.is_approved(latest),  # type: ignore[arg-type]
        "approvable": approvable,
        "can_post": _can_post(request, fund),
    }
    return render(request, "funds/settlement.html", context)


def _settlement_action(request: HttpRequest, fund: Fund) -> None:
    try:
        if request.POST.get("do") == "prepare":
            bookkeeping.prepare_settlement(by=request.user, fund=fund)  # type: ignore[arg-type]
            messages.success(request, "Settlement prepared: it now needs each partner's approval.")
        elif request.POST.get("do") == "approve":
            latest = fund.settlements.order_by("-prepared_at", "-pk").first()
            organisation = fund.partners.filter(
                code=request.POST.get("organisation", ""),
                id__in=visible_organisation_ids(request.user),
            ).first()
            if latest is None or organisation is None:
                raise Http404("Nothing to approve")
            bookkeeping.approve_settlement(
                by=request.user, settlement=latest, organisation=organisation
            )  # type: ignore[arg-type]
            messages.success(request, f"Approved for {organisation.name}.")
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    except SettlementError as error:
        messages.error(request, str(error))


@require_GET
@login_required
def fund_settlement_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    latest = fund.settlements.order_by("-prepared_at", "-pk").first()
    if latest is None:
        raise Http404("No settlement has been prepared")
    return xlsx_response(f"{fund.code}-settlement", presenters.statement_rows(latest.statement))


@require_GET
@login_required
def fund_monitoring(request: HttpRequest, code: str) -> HttpResponse:
    """Variance to date and forecast outturn by scheme, and the settlement the forecast would
    give each partner: the pool manager's report for any month (a quarter's end, say)."""
    fund = selectors.get_fund_for(request.user, code)
    agreement = selectors.agreement_of(fund)
    figures = selectors.monthly_figures(fund, agreement)
    latest = max((f.month for f in figures), default=0)
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
    context = {
        "fund": fund,
        "month": month,
        "month_name": _month_name(agreement.financial_year, month),
        "months": [(m, _month_name(agreement.financial_year, m)) for m in range(1, 13)],
        "rows": rows,
        "forecast": forecast,
        "can_post": _can_post(request, fund),
    }
    return render(request, "funds/monitoring.html", context)


def _month_name(financial_year: int, month: int) -> str:
    return month_start(financial_year, month).strftime("%B %Y")


@require_http_methods(["GET", "POST"])
@login_required
def fund_agreement_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Record a variation: the agreement's YAML, edited, becomes a new version."""
    fund = selectors.get_fund_for(request.user, code)
    if not _can_post(request, fund):
        raise PermissionDenied("Only the pool manager records variations")
    text, errors = selectors.current_version(fund).text, []
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            actions.record_variation(
                by=request.user, fund=fund, text=text, note=request.POST.get("note", "")[:300]
            )  # type: ignore[arg-type]
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
def place_new_fund(request: HttpRequest, slug: str) -> HttpResponse:
    """Set up a pooled fund for a place from its agreement (a YAML file or text)."""
    from onebudget_web.places.selectors import get_place_for

    place = get_place_for(request.user, slug)
    allowed = [
        o for o in place.partners.all() if has_permission(request.user, o, Permission.POST_TO_POOL)
    ]
    if not allowed:
        raise PermissionDenied("Setting up a fund is for the host partner's pool manager")
    errors: list[str] = []
    text = request.POST.get("text", "")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is not None:
            text = upload.read(1_000_000).decode("utf-8", errors="replace")
        try:
            fund = actions.create_fund(
                by=request.user,
                place=place,
                text=text,
                source=upload.name if upload else "agreement.yaml",
            )  # type: ignore[arg-type]
        except (ValidationError, PermissionDenied) as refused:
            errors = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
        else:
            messages.success(request, f"{fund.name} is set up.")
            return redirect("fund", code=fund.code)
    context = {"place": place, "text": text, "errors": errors}
    return render(request, "funds/new_fund.html", context, status=400 if errors else 200)
