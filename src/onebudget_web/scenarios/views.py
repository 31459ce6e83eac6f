"""A place's saved scenarios: the list, one scenario's page, its file, workbook and proposed
variation, saving one (from the form or a YAML file) and withdrawing one. Thin: the
selectors scope, the actions write, the presenters shape."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.outcomes.targets import data_years
from onebudget.roles import Permission
from onebudget.scenarios.interventions import read_interventions
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.core.error_summary import problem, problems
from onebudget_web.core.refused import RefusedError, said_of
from onebudget_web.core.uploads import chosen_yaml
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for
from onebudget_web.scenarios import actions, forms, presenters, selectors
from onebudget_web.scenarios.actions import ScenarioFile
from onebudget_web.scenarios.modelling import ProjectionFile, ProjectionRefusedError
from onebudget_web.scenarios.models import SavedScenario

MAX_UPLOAD = 256 * 1024


@require_GET
@login_required
def place_scenarios(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    found = [presenters.summary(s) for s in selectors.scenarios_for(request.user, place)]
    context = {
        "place": place,
        "current": [s for s in found if s["withdrawn"] is None],
        "withdrawn": [s for s in found if s["withdrawn"] is not None],
        "can_save": actions.may_save(request.user, place),
        "has_data": place.datasets.exists(),
    }
    return render(request, "scenarios/scenarios.html", context)


@require_GET
@login_required
def place_scenario(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    place = get_place_for(request.user, slug)
    saved = selectors.get_scenario_for(request.user, place, number)
    context = {
        "place": place,
        "saved": saved,
        "withdrawal": getattr(saved, "withdrawal", None),
        "shown": presenters.page(saved),
        "can_withdraw": has_permission(request.user, saved.owner, Permission.ANALYSE),
    }
    return render(request, "scenarios/scenario.html", context)


@require_GET
@login_required
def place_scenario_file(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    """The scenario as YAML, as saved: to edit and save again, or to run with the CLI."""
    saved = _saved(request, slug, number)
    name = f"{saved.place.slug}-scenario-{saved.number}.yaml"
    return _download(saved.text, "application/yaml; charset=utf-8", name)


@require_GET
@login_required
def place_scenario_projection(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    """The area's rows of the ONS projection the scenario was modelled on (404: national)."""
    saved = _saved(request, slug, number)
    if not saved.projection_rows:
        return HttpResponse("No projection file", status=404, content_type="text/plain")
    name = f"{saved.place.slug}-scenario-{saved.number}-projection.csv"
    return _download(saved.projection_rows, "text/csv; charset=utf-8", name)


@require_GET
@login_required
def place_scenario_workbook(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    """Every table of the scenario, one sheet each, money as exact amounts."""
    saved = _saved(request, slug, number)
    return xlsx_response(f"{saved.place.slug}-scenario-{saved.number}", presenters.tables(saved))


@require_GET
@login_required
def place_scenario_variation(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    """The pooled fund's agreement with the scenario's scheme added: a proposed variation
    for the fund's pool manager to record."""
    saved = _saved(request, slug, number)
    text = saved.proposal.get("agreement")
    if not text:
        return HttpResponse("No proposed variation", status=404, content_type="text/plain")
    name = f"{saved.proposal['fund']}-with-scenario-{saved.number}.yaml"
    return _download(text, "application/yaml; charset=utf-8", name)


def _saved(request: SignedInRequest, slug: str, number: int) -> SavedScenario:
    place = get_place_for(request.user, slug)
    return selectors.get_scenario_for(request.user, place, number)


def _download(body: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def place_scenario_new(request: SignedInRequest, slug: str) -> HttpResponse:
    """A scenario written in the form, modelled and saved."""
    place = get_place_for(request.user, slug)
    selectors.scenarios_for(request.user, place)  # 404 for those who may not see them
    shipped, years = read_interventions(), _years(place)
    errors: dict[str, list[str]] = {}
    fields = forms.initial(years, shipped)
    if request.method == "POST":
        actions.analyst_for(request.user, place)  # refused before the form is read
        fields = forms.as_sent(request.POST)
        text, errors = forms.read(request.POST, years, shipped)
        if text is not None:
            try:
                saved = actions.save_scenario(
                    by=request.user, place=place, sent=ScenarioFile("the form", text)
                )
            except RefusedError as error:
                errors = forms.placed(error.problems)
            else:
                return _saved_message(request, saved)
    context = {
        "place": place, "fields": fields, "errors": errors, "years": years,
        "interventions": shipped, "can_save": actions.may_save(request.user, place),
        "summary": problems(forms.in_order(errors), {"interventions": "interventions"}),
    }  # fmt: skip
    return render(request, "scenarios/form.html", context, status=400 if errors else 200)


def _years(place: Place) -> list[int]:
    """Financial years the place's latest data cover whole (a scenario's baseline)."""
    dataset = place.datasets.first()
    if dataset is None:
        return []
    return [y for y in data_years(dataset.first_year, dataset.last_year) if y < dataset.last_year]


def _saved_message(request: SignedInRequest, saved: SavedScenario) -> HttpResponse:
    messages.success(request, f"Scenario {saved.number} saved and modelled.")
    return redirect("place_scenario", slug=saved.place.slug, number=saved.number)


@require_http_methods(["GET", "POST"])
@login_required
def place_scenario_upload(request: SignedInRequest, slug: str) -> HttpResponse:
    """A scenario from its YAML file (as `onebudget scenario run` reads it)."""
    place = get_place_for(request.user, slug)
    selectors.scenarios_for(request.user, place)
    said: list[str] = []
    said_projection: list[str] = []
    if request.method == "POST":
        try:
            actions.analyst_for(request.user, place)  # refused before reading
            saved = actions.save_scenario(
                by=request.user, place=place, sent=_sent(request), projection=_projection(request)
            )
        except ProjectionRefusedError as error:
            said_projection = list(error.messages)
        except ValidationError as error:
            said = said_of(error)
        else:
            return _saved_message(request, saved)
    context = {
        "place": place, "said": said, "said_projection": said_projection,
        "can_save": actions.may_save(request.user, place),
        "summary": [*(problem(m, "scenario-file") for m in said),
                    *(problem(m, "projection-file") for m in said_projection)],
    }  # fmt: skip
    failed = said or said_projection
    return render(request, "scenarios/upload.html", context, status=400 if failed else 200)


def _sent(request: SignedInRequest) -> ScenarioFile:
    return ScenarioFile(*chosen_yaml(request, what="scenario", limit=MAX_UPLOAD))


def _projection(request: SignedInRequest) -> list[ProjectionFile]:
    """The ONS projection files sent with the scenario, if any (the upload middleware has
    refused any request over the service's upload limit)."""
    return [
        ProjectionFile(name=f.name or "projection.csv", content=f.read())
        for f in request.FILES.getlist("projection")
    ]


@require_http_methods(["GET", "POST"])
@login_required
def place_scenario_withdraw(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    saved = _saved(request, slug, number)
    said: list[str] = []
    if request.method == "POST":
        try:
            actions.withdraw_scenario(
                by=request.user, scenario=saved, reason=str(request.POST.get("reason", ""))
            )
        except ValidationError as error:
            said = said_of(error)
        else:
            messages.success(request, f"Scenario {saved.number} withdrawn.")
            return redirect("place_scenarios", slug=saved.place.slug)
    context = {
        "place": saved.place, "saved": saved, "said": said,
        "withdrawal": getattr(saved, "withdrawal", None),
        "can_withdraw": has_permission(request.user, saved.owner, Permission.ANALYSE),
        "summary": [problem(m, "reason") for m in said],
    }  # fmt: skip
    return render(request, "scenarios/withdraw.html", context, status=400 if said else 200)
