"""Writing a Better Care Fund plan and moving it on: a version from a file (YAML or the
workbook), a partner's agreement, the board's sign-off, assurance, and the pooled fund built
or varied from the signed-off plan. Each view hands the action what the person sent and shows
the action's refusal beside the field it concerns."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from onebudget.roles import NotPermitted
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.bcf import actions, fund_actions, selectors
from onebudget_web.bcf.actions import PlanFile
from onebudget_web.bcf.dates import read_date
from onebudget_web.bcf.models import BcfPlan
from onebudget_web.core.error_summary import problem
from onebudget_web.core.refused import said_of
from onebudget_web.core.uploads import upload_text
from onebudget_web.places.selectors import get_place_for

MAX_UPLOAD = 5 * 1024 * 1024
AT = {"date": "date-day", "named_person": "named-person"}  # a field's first box


def _sent(request: SignedInRequest) -> PlanFile:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(["Choose the plan's file (.yaml or .xlsx)"])
    name = upload.name or "plan"
    if name.lower().endswith(".xlsx"):
        if (upload.size or 0) > MAX_UPLOAD:
            raise ValidationError([f"{name}: larger than 5 MB; a plan's workbook is smaller"])
        return PlanFile(name=name, workbook=upload.read())
    return PlanFile(name=name, text=upload_text(upload, what="a plan (YAML)", limit=MAX_UPLOAD))


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_upload(request: SignedInRequest, slug: str) -> HttpResponse:
    """A plan's next version (its first creates the plan) from YAML or the workbook."""
    place = get_place_for(request.user, slug)
    said: list[str] = []
    if request.method == "POST":
        try:
            actions.commissioning_partner(request.user, place)  # refused before reading
            note = request.POST.get("note", "").strip()
            version = actions.record_version(
                by=request.user, place=place, sent=_sent(request), note=note
            )
        except ValidationError as error:
            said = said_of(error)
        else:
            messages.success(request, f"Version {version.number} of the plan recorded.")
            return redirect("place_bcf_plan", slug=place.slug, year=version.plan.slug)
    context = {
        "place": place,
        "can_write": actions.may_write(request.user, place),
        "said": said,
        "summary": [problem(m, "plan-file") for m in said],
    }
    return render(request, "bcf/upload.html", context, status=400 if said else 200)


def _plan(request: SignedInRequest, slug: str, year: str) -> BcfPlan:
    return selectors.get_plan(get_place_for(request.user, slug), year)


@require_POST
@login_required
def place_bcf_agree(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    plan = _plan(request, slug, year)
    version = selectors.latest_version(plan)
    organisation = plan.place.partners.filter(code=request.POST.get("partner", "")).first()
    if organisation is None:
        raise NotPermitted("Agreeing the plan is done for one of its partners")
    try:
        actions.agree(by=request.user, version=version, organisation=organisation)
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"{organisation.name} has agreed version {version.number}.")
    return redirect("place_bcf_plan", slug=slug, year=year)


def _dated_form(
    request: SignedInRequest, slug: str, year: str, what: str, record: Any
) -> HttpResponse:
    """The sign-off or assurance form: GET shows it, POST records it or shows why not."""
    plan = _plan(request, slug, year)
    version = selectors.latest_version(plan)
    fields: dict[str, Any] = {"day": "", "month": "", "year": "", "named_person": "", "note": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        fields |= {k: request.POST.get(k, "").strip() for k in ("named_person", "note")}
        fields |= {k: request.POST.get(f"date-{k}", "").strip() for k in ("day", "month", "year")}
        day, date_errors = read_date(fields["day"], fields["month"], fields["year"])
        if date_errors:
            errors["date"] = date_errors
        else:
            try:
                record(version, day, fields)
            except ValidationError as error:
                errors = (
                    error.message_dict if hasattr(error, "error_dict") else {"form": error.messages}
                )
        if not errors:
            return redirect("place_bcf_plan", slug=slug, year=year)
    context = {
        "place": plan.place, "plan": plan, "version": version, "what": what,
        "fields": fields, "errors": errors,
        "summary": [problem(m, AT.get(k, "")) for k, ms in errors.items() for m in ms],
    }  # fmt: skip
    return render(request, "bcf/step_form.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_sign_off(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    def record(version: Any, day: date, fields: dict[str, str]) -> None:
        actions.sign_off(
            by=request.user, version=version, named_person=fields["named_person"],
            decided_on=day, note=fields["note"],
        )  # fmt: skip
        messages.success(request, f"Version {version.number} recorded as signed off.")

    return _dated_form(request, slug, year, "sign_off", record)


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_assure(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    def record(version: Any, day: date, fields: dict[str, str]) -> None:
        actions.assure(by=request.user, version=version, assured_on=day, note=fields["note"])
        messages.success(request, f"Version {version.number} recorded as assured.")

    return _dated_form(request, slug, year, "assure", record)


@require_POST
@login_required
def place_bcf_fund(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    """Build the pooled fund from the signed-off plan, or vary it by a later version."""
    plan = _plan(request, slug, year)
    try:
        if request.POST.get("do") == "vary":
            fund = fund_actions.vary_fund(by=request.user, plan=plan)
            messages.success(request, f"{fund.name}: the agreement is varied to the plan.")
        else:
            fund = fund_actions.build_fund(
                by=request.user, plan=plan, host=request.POST.get("host", ""),
                pool_manager=request.POST.get("pool_manager", "").strip(),
            )  # fmt: skip
            messages.success(request, f"{fund.name} is set up from the plan.")
    except ValidationError as error:
        for m in said_of(error):
            messages.error(request, m)
    return redirect("place_bcf_plan", slug=slug, year=year)
