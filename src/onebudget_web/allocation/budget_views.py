"""The budget by need: a form (total, places, components, pace of change), and YAML for
import and export. Both make the same configuration and save it through the same action
(``actions.save_budget``), so the library checks a budget the same way whichever is used.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.allocation.budget import load_budget
from onebudget.allocation.populations import YEARS
from onebudget.io import yamlio
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.allocation import actions, budget_form, wording
from onebudget_web.allocation.budget_checks import check, placed
from onebudget_web.allocation.budget_page import page, starting_form
from onebudget_web.allocation.builder import home
from onebudget_web.allocation.models import AllocationPlace
from onebudget_web.allocation.presenters import starter_budget
from onebudget_web.allocation.selectors import latest_budget, saved_places
from onebudget_web.core.error_summary import problem
from onebudget_web.core.refused import RefusedError
from onebudget_web.core.uploads import upload_text
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for

MAX_UPLOAD = 2 * 1024 * 1024
FORM = "the budget form"


def _form_page(
    request: SignedInRequest,
    place: Place,
    saved: list[AllocationPlace],
    form: budget_form.BudgetForm,
    errors: dict[str, list[str]],
    status: int = 200,
    notes: list[str] | None = None,
) -> HttpResponse:
    context = {
        "place": place,
        "notice": home(place, YEARS[-1]).notice,
        "saved": saved,
        "notes": notes or [],
        "can_save": actions.may_save(request.user, place),
    } | page(form, saved, errors)
    return render(request, "allocation/budget_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def place_allocation_budget_form(request: SignedInRequest, slug: str) -> HttpResponse:
    """GET: the latest budget in the form (or a starting one). POST: "Add another ..."
    shows the form again with a row more; "Allocate" saves it or shows every problem."""
    place = get_place_for(request.user, slug)
    saved = list(saved_places(place))
    if request.method == "GET":
        config = latest_budget(place)
        if config is None:
            return _form_page(request, place, saved, starting_form(saved), {})
        form, notes = budget_form.from_config(load_budget(config.text, source="saved"), saved)
        return _form_page(request, place, saved, form, {}, notes=notes)
    actions.acting_organisation(request.user, place)  # a refusal before anything is read
    form = budget_form.read(request.POST, saved)
    if request.POST.get("add"):
        return _form_page(request, place, saved, budget_form.add(form, request.POST["add"]), {})
    checked = check(form, saved)
    if checked.config is None:
        return _form_page(request, place, saved, form, checked.errors, status=400)
    text = yamlio.dump(checked.config)
    try:
        actions.save_budget(by=request.user, place=place, text=text, source=FORM)
    except RefusedError as refused:
        errors = placed(refused.problems, checked, form)
        return _form_page(request, place, saved, form, errors, status=400)
    messages.success(request, "Budget allocated.")
    return redirect("place_allocation", slug=place.slug)


def _yaml_page(
    request: SignedInRequest, place: Place, said: list[str] | None = None, **extra: Any
) -> HttpResponse:
    """The paste page; ``said``: the problems, beside the file if one was sent, else the
    text, and in the summary."""
    config = latest_budget(place)
    at = "budget-file" if request.FILES.get("file") is not None else "budget-text"
    context = {
        "place": place,
        "config": config,
        "text": config.text if config else starter_budget(list(saved_places(place))),
        "summary": [problem(m, at) for m in said or []],
        "file_errors": said if at == "budget-file" else [],
        "text_errors": said if at == "budget-text" else [],
        "can_save": actions.may_save(request.user, place),
    } | extra
    return render(request, "allocation/budget_yaml.html", context, status=400 if said else 200)


@require_http_methods(["GET", "POST"])
@login_required
def place_allocation_budget(request: SignedInRequest, slug: str) -> HttpResponse:
    """Paste a budget (YAML), or upload one: the import route, beside the form."""
    place = get_place_for(request.user, slug)
    if request.method == "GET":
        return _yaml_page(request, place)
    upload = request.FILES.get("file")
    text, source = request.POST.get("text", ""), "the budget"
    try:
        actions.acting_organisation(request.user, place)  # first
        if upload is not None:
            text = upload_text(upload, what="a budget configuration (YAML)", limit=MAX_UPLOAD)
            source = upload.name or "budget.yaml"
        actions.save_budget(by=request.user, place=place, text=text, source=source)
    except RefusedError as refused:
        within = f"In {source}" if upload is not None else ""
        said = [wording.plainly(p, within=within) for p in refused.problems]
        return _yaml_page(request, place, said, text=text)
    except ValidationError as refused:  # an upload that is not text, or too large
        return _yaml_page(request, place, refused.messages, text=text)
    messages.success(request, "Budget allocated.")
    return redirect("place_allocation", slug=place.slug)


@require_GET
@login_required
def place_allocation_budget_yaml(request: SignedInRequest, slug: str) -> HttpResponse:
    """The latest budget as the YAML it was saved as (the form's is written the same way)."""
    place = get_place_for(request.user, slug)
    config = latest_budget(place)
    if config is None:
        raise Http404("No budget has been allocated yet")
    response = HttpResponse(config.text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{place.slug}-budget.yaml"'
    return response
