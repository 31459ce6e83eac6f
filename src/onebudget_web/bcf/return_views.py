"""The plan's returns: the periods and the returns recorded for each; a period's return as it
stands (spend by scheme from the fund's ledger, metric progress, conditions) with the
narrative form, its workbook, and a recorded return's workbook as it was sent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.bcf.returns import Period, Return
from onebudget.bcf.returns_workbook import return_to_workbook
from onebudget.figures import pounds
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.bcf import actions, selectors
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.bcf.return_actions import record_return
from onebudget_web.bcf.returns_data import (
    NARRATIVE,
    NARRATIVE_WORDS,
    PERIOD_WORDS,
    as_period,
    draft_return,
)
from onebudget_web.core.downloads import workbook_response
from onebudget_web.core.error_summary import problems as summary_of
from onebudget_web.core.refused import said_of
from onebudget_web.places.selectors import get_place_for


def _plan(request: SignedInRequest, slug: str, year: str) -> tuple[BcfPlan, PlanVersion | None]:
    plan = selectors.get_plan(get_place_for(request.user, slug), year)
    return plan, selectors.signed_off_version(plan)


@require_GET
@login_required
def place_bcf_returns(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    plan, version = _plan(request, slug, year)
    recorded = plan.returns.select_related("recorded_by", "version")
    periods = [
        {"period": p, "words": w, "recorded": [r for r in recorded if r.period == p]}
        for p, w in PERIOD_WORDS.items()
    ]
    context: dict[str, Any] = {"place": plan.place, "plan": plan, "version": version}
    context |= {"periods": periods, "latest": True}
    return render(request, "bcf/returns.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_return(request: SignedInRequest, slug: str, year: str, period: str) -> HttpResponse:
    """GET: the return as it stands (``?format=xlsx``: its workbook). POST: record it."""
    plan, version = _plan(request, slug, year)
    which = as_period(period)
    if which is None or version is None:
        raise Http404("No such return: a return is of a signed-off plan, for Q1-Q4 or year-end")
    narrative = _narrative(request, version, which)
    errors: dict[str, list[str]] = {}
    said: list[str] = []
    if request.method == "POST":
        try:
            kept = record_return(by=request.user, plan=plan, period=which, narrative=narrative)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = error.message_dict
            else:
                said = said_of(error)
        else:
            messages.success(request, f"The {PERIOD_WORDS[which]} return is recorded.")
            return redirect("place_bcf_return", slug=slug, year=year, period=kept.period)
    found = draft_return(plan, version, which, narrative)
    if request.GET.get("format") == "xlsx":
        name = f"bcf-return-{plan.place.slug}-{plan.slug}-{which}"
        return workbook_response(name, return_to_workbook(found))
    context = _return_page(request, plan, version, which, found) | {
        "metrics": _metric_forms(found, narrative, errors),
        "summary": summary_of(errors) + summary_of({"": said}),
    }
    return render(request, "bcf/return.html", context, status=400 if errors or said else 200)


def _narrative(
    request: SignedInRequest, version: PlanVersion, period: Period
) -> dict[str, dict[str, str]]:
    """What the form sent, or else what the latest recorded return of the period said."""
    plan = selectors.plan_from(version.text)
    ids = list(plan.metrics)
    if request.method == "POST":
        parts = (*NARRATIVE, "actual")
        return {m: {k: request.POST.get(f"{m}-{k}", "").strip() for k in parts} for m in ids}
    last = version.returns.filter(period=period).order_by("-recorded_at", "-pk").first()
    return dict(last.narrative) if last else {}


def _return_page(
    request: SignedInRequest, plan: BcfPlan, version: PlanVersion, period: Period, found: Return
) -> dict[str, Any]:
    n = len(found.quarters)
    return {
        "place": plan.place, "plan": plan, "version": version, "latest": True,
        "period": period, "words": PERIOD_WORDS[period], "found": found,
        "today": timezone.localdate(),
        "start": found.dates()[1], "end": found.dates()[2],
        "schemes": [_spent(s, n) | {"name": s.name, "id": s.scheme_id or s.code}
                    for s in found.schemes],
        "total": _spent(found.total, n),
        "problems": [str(p.rule) for p in found.problems],
        "recorded": plan.returns.filter(period=period).select_related("recorded_by"),
        "can_write": actions.may_write(request.user, plan.place),
    }  # fmt: skip


def _metric_forms(
    found: Return, narrative: dict[str, dict[str, str]], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The return quarter's metrics, each with its narrative boxes (value and errors) and,
    where the linked data give no actual, a box to type it in."""
    return [
        {
            "metric": m,
            "actual": _actual_field(m, narrative, errors),
            "fields": [
                {
                    "name": f"{m.metric}-{part}",
                    "label": label,
                    "value": narrative.get(m.metric, {}).get(part, ""),
                    "errors": errors.get(f"{m.metric}-{part}", []),
                }
                for part, label in NARRATIVE_WORDS.items()
            ],
        }
        for m in found.metrics
        if m.quarter == found.quarters[-1]
    ]


def _actual_field(
    m: Any, narrative: dict[str, dict[str, str]], errors: dict[str, list[str]]
) -> dict[str, Any] | None:
    if m.progress is not None and m.progress.source == "from data":
        return None
    name = f"{m.metric}-actual"
    value = narrative.get(m.metric, {}).get("actual", "")
    return {"name": name, "value": value, "errors": errors.get(name, [])}


def _spent(s: Any, n: int) -> dict[str, str]:
    return {
        "planned": pounds(s.planned),
        "quarter": pounds(s.in_quarter),
        "to_date": pounds(s.to_date),
        "variance": _variance(s.variance),
    }


def _variance(amount: Decimal) -> str:
    """Spend to date less the year's plan, in words: still to spend, or over."""
    if amount < 0:
        return f"{pounds(-amount)} to spend"
    return f"{pounds(amount)} over" if amount > 0 else "On plan"


@require_GET
@login_required
def place_bcf_return_file(
    request: SignedInRequest, slug: str, year: str, period: str, pk: int
) -> HttpResponse:
    plan, _ = _plan(request, slug, year)
    kept = get_object_or_404(plan.returns, period=period, pk=pk)
    name = f"bcf-return-{plan.place.slug}-{plan.slug}-{period}-recorded-{kept.pk}"
    return workbook_response(name, bytes(kept.workbook))
