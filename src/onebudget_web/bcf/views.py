"""Better Care Fund pages: a place's plans, one plan (where it stands, its problems, its
funding by stream, its national conditions), its schemes and metrics, and its downloads.
Writes are in ``step_views``; the checks shown are ``onebudget bcf check``'s."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onebudget.bcf.plan import dump_plan
from onebudget.bcf.workbook import plan_to_workbook
from onebudget.bcf.workflow import Stage
from onebudget.figures import pounds
from onebudget.roles import Permission
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.bcf import actions, fund_actions, presenters, selectors
from onebudget_web.bcf.metric_data import metric_data
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.core.downloads import workbook_response
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for, partners_for


@require_GET
@login_required
def place_bcf(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    rows = []
    for plan in selectors.plans_of(place).select_related("fund"):
        latest = selectors.latest_version(plan)
        rows.append({"plan": plan, "version": latest, "stage": selectors.stage_of(latest).label})
    context = {"place": place, "rows": rows, "can_write": actions.may_write(request.user, place)}
    return render(request, "bcf/plans.html", context)


def _version(plan: BcfPlan, request: SignedInRequest) -> PlanVersion:
    """The version asked for (``?version=2``), else the latest."""
    number = request.GET.get("version", "")
    if number.isdigit():
        found = plan.versions.filter(number=int(number)).first()
        if found is not None:
            return found
    return selectors.latest_version(plan)


def _common(request: SignedInRequest, slug: str, year: str) -> dict[str, Any]:
    place = get_place_for(request.user, slug)
    plan = selectors.get_plan(place, year)
    version = _version(plan, request)
    found = selectors.checked(version)
    return {
        "place": place,
        "plan": plan,
        "version": version,
        "latest": selectors.latest_version(plan).number == version.number,
        "found": found,
        "stage": selectors.stage_of(version),
        "can_write": actions.may_write(request.user, place),
    }


@require_GET
@login_required
def place_bcf_plan(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    context = _common(request, slug, year)
    found, version, place = context["found"], context["version"], context["place"]
    context |= {
        "problems": presenters.problem_rows(found),
        "unchecked": [*(f"{presenters.where(g.path, found.plan, found.framework)}: {g.rule}"
                        for g in found.gaps), *found.notes],
        "streams": presenters.stream_rows(found),
        "conditions": presenters.condition_rows(found.plan, found.framework),
        "steps": presenters.step_rows(version),
        "versions": context["plan"].versions.select_related("recorded_by"),
        "may_agree_as": _may_agree_as(request, place, found, context["stage"]),
        "needs_variation": fund_actions.needs_variation(context["plan"]),
        "hosts": _hosts(request, place, found),
    }  # fmt: skip
    return render(request, "bcf/plan.html", context)


def _may_agree_as(
    request: SignedInRequest, place: Place, found: selectors.Checked, stage: Stage
) -> list[Any]:
    """The plan's partners the user is a finance lead of, while the version is a draft."""
    if stage is not Stage.DRAFT:
        return []
    codes = selectors.partner_codes(found.plan)
    return [
        o
        for o in partners_for(request.user, place)
        if o.code in codes and has_permission(request.user, o, Permission.APPROVE_SETTLEMENT)
    ]


def _hosts(request: SignedInRequest, place: Place, found: selectors.Checked) -> list[Any]:
    """The plan's partners the user may set up a pooled fund for (as its host)."""
    codes = selectors.partner_codes(found.plan)
    return [
        o
        for o in partners_for(request.user, place)
        if o.code in codes and has_permission(request.user, o, Permission.POST_TO_POOL)
    ]


@require_GET
@login_required
def place_bcf_schemes(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    context = _common(request, slug, year)
    found = context["found"]
    context["schemes"] = presenters.scheme_rows(found.plan, found.framework)
    context["total"] = pounds(sum((s.spend for s in found.plan.schemes), 0))
    return render(request, "bcf/schemes.html", context)


@require_GET
@login_required
def place_bcf_metrics(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    context = _common(request, slug, year)
    found = context["found"]
    data = metric_data(context["place"], found)
    context |= {
        "metrics": presenters.metric_tables(data.report),
        "linked": data.linked,
        "building": data.building,
    }
    return render(request, "bcf/metrics.html", context)


@require_GET
@login_required
def place_bcf_capacity(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    """The capacity and demand plan for intermediate care, month by month."""
    context = _common(request, slug, year)
    found = context["found"]
    context["lines"] = presenters.capacity_tables(found.plan)
    context["short"] = presenters.capacity_shortfalls(found.plan)
    context["asked"] = found.framework.capacity_and_demand if found.framework else None
    return render(request, "bcf/capacity.html", context)


@require_GET
@login_required
def place_bcf_download(request: SignedInRequest, slug: str, year: str, kind: str) -> HttpResponse:
    """The version as YAML (as saved) or as the workbook ``onebudget bcf export`` writes."""
    if kind not in ("yaml", "xlsx"):
        raise Http404("A plan is downloaded as YAML or XLSX")
    context = _common(request, slug, year)
    version, name = context["version"], f"bcf-plan-{context['place'].slug}-{year}"
    name += f"-v{version.number}"
    if kind == "xlsx":
        return workbook_response(name, plan_to_workbook(context["found"].plan))
    text = version.text or dump_plan(context["found"].plan)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
    return response
