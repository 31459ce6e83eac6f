"""Allocation pages for a place's partners: a place builder (practice list and map), need
indices with a chart, the budget allocation with pace of change, session JSON and XLSX.

Indices come from public data, so every partner sees them; saving needs an analyst's role
(``actions``). Views stay thin: presenters build the tables, actions do the writes. What
replaces or deletes a saved place is confirmed first, naming what it does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.allocation.places import (
    Choice,
    PlacesError,
    read_session,
    write_session,
)
from onebudget.allocation.places import Place as Drawn
from onebudget.allocation.populations import YEARS
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.allocation import actions, wording
from onebudget_web.allocation.budget_views import (  # the budget's routes, for urls.py
    place_allocation_budget as place_allocation_budget,
)
from onebudget_web.allocation.budget_views import (
    place_allocation_budget_form as place_allocation_budget_form,
)
from onebudget_web.allocation.budget_views import (
    place_allocation_budget_yaml as place_allocation_budget_yaml,
)
from onebudget_web.allocation.builder import builder_context, home
from onebudget_web.allocation.models import AllocationPlace
from onebudget_web.allocation.presenters import (
    budget_result,
    budget_tables,
    deleting,
    index_groups,
    workbook,
)
from onebudget_web.allocation.selectors import (
    as_library_place,
    latest_budget,
    saved_place,
    saved_places,
)
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.core.error_summary import problem, problems
from onebudget_web.core.refused import RefusedError
from onebudget_web.core.uploads import upload_text
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for

MAX_UPLOAD = 2 * 1024 * 1024


def _context(request: SignedInRequest, place: Place, **extra: Any) -> dict[str, Any]:
    saved = list(saved_places(place))
    config = latest_budget(place)
    result = budget_result(config)
    return {
        "place": place,
        "notice": home(place, YEARS[-1]).notice,
        "groups": index_groups(saved),
        "config": config,
        "budget": budget_tables(result) if result else None,
        "can_save": actions.may_save(request.user, place),
        "changeable": _changeable(request, saved),
        "years": YEARS,
        "errors": [],
        "session_errors": [],
    } | extra


@require_GET
@login_required
def place_allocation(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    if request.GET.get("format") == "xlsx":
        saved = list(saved_places(place))
        result = budget_result(latest_budget(place))
        return xlsx_response(f"{place.slug}-allocation", workbook(saved, result))
    return render(request, "allocation/allocation.html", _context(request, place))


@require_http_methods(["GET", "POST"])
@login_required
def place_allocation_builder(request: SignedInRequest, slug: str) -> HttpResponse:
    """GET: the builder. POST: save the place; one of the same name is replaced only once
    the user has said so on the page that asks."""
    place = get_place_for(request.user, slug)
    if request.method == "GET":
        context = builder_context(place, request.GET) | {
            "can_save": actions.may_save(request.user, place)
        }
        return render(request, "allocation/builder.html", context)
    context = builder_context(place, request.POST) | {"can_save": True}
    name, ticked = request.POST.get("name", ""), request.POST.getlist("practices")
    try:
        saved = actions.save_place(
            by=request.user, place=place, name=name, year=context["year"], icb=context["icb"],
            choice=Choice(practices=tuple(ticked)), replace=request.POST.get("replace") == "yes",
        )  # fmt: skip
    except actions.UnconfirmedError as asked:
        context["replacing"] = asked.replacing[0]
        return render(request, "allocation/builder.html", context)
    except RefusedError as refused:
        fields = wording.builder_problems(refused.problems, name)
        if not ticked and "practices" not in fields:  # the library names the first problem
            fields["practices"] = ["Select at least one practice, on the list or on the map"]
        return _builder_refused(request, context, fields, 400)
    except actions.NotOwner as refused:
        return _builder_refused(request, context, {"name": refused.messages}, 403)
    messages.success(request, f"{saved.name} saved with {len(saved.practices)} practices.")
    return redirect("place_allocation", slug=place.slug)


def _builder_refused(
    request: SignedInRequest, context: dict[str, Any], fields: dict[str, list[str]], status: int
) -> HttpResponse:
    """The builder again with each problem beside its field and linked from the summary."""
    first = next((p["p"].code for p in context["practices"]), "")
    ids = {"name": "name", "icb": "icb", "practices": f"practice-{first}"}
    context["field_errors"] = fields
    context["errors"] = problems(fields, ids)
    return render(request, "allocation/builder.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def place_allocation_session(request: SignedInRequest, slug: str) -> HttpResponse:
    """GET: the saved places as NHS England's session JSON. POST: bring places from one; if
    that replaces saved places, the user is asked first (the places are carried over in the
    confirmation's form as session JSON, read and checked again when confirmed)."""
    place = get_place_for(request.user, slug)
    if request.method == "GET":
        saved = list(saved_places(place))
        text = write_session(
            [as_library_place(s) for s in saved], year={s.name: s.year for s in saved}
        )
        response = HttpResponse(text, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{place.slug}-session.json"'
        return response
    upload = request.FILES.get("file")
    year = request.POST.get("year", "")
    named = upload.name if upload is not None else request.POST.get("source", "")
    source = (named or "session.json")[:100]
    try:
        actions.acting_organisation(request.user, place)  # first
        places = read_session(_session_text(request, year), year=year, source=source)
        actions.save_places(
            by=request.user, place=place, places=places, year=year, source=source,
            replace=request.POST.get("replace") == "yes",
        )  # fmt: skip
    except actions.UnconfirmedError as asked:
        return _confirm_session(request, place, places, asked.replacing, year, source)
    except PlacesError as error:
        said = [wording.plainly(p, within=f"In {source}") for p in error.problems]
        return _session_refused(request, place, said, 400)
    except ValidationError as refused:
        return _session_refused(request, place, refused.messages, 400)
    except actions.NotOwner as refused:
        return _session_refused(request, place, refused.messages, 403)
    messages.success(request, f"{len(places)} places brought in from {source}.")
    return redirect("place_allocation", slug=place.slug)


def _session_text(request: SignedInRequest, year: str) -> str:
    """The uploaded file's text, or the session carried over by the confirmation."""
    upload, carried = request.FILES.get("file"), request.POST.get("session", "")
    if year not in YEARS or (upload is None and not carried):
        raise ValidationError(["Choose a session file (at most 2 MB) and an allocation year"])
    if upload is not None:
        return upload_text(upload, what="a session file (JSON)", limit=MAX_UPLOAD)
    if len(carried) > MAX_UPLOAD:
        raise ValidationError(["The session is larger than 2 MB; choose the file again"])
    return carried


def _confirm_session(
    request: SignedInRequest,
    place: Place,
    places: list[Drawn],
    replacing: list[AllocationPlace],
    year: str,
    source: str,
) -> HttpResponse:
    context = {
        "place": place,
        "places": places,
        "replacing": replacing,
        "year": year,
        "source": source,
        "session": write_session(places, year=year),
    }
    return render(request, "allocation/session_confirm.html", context)


def _session_refused(
    request: SignedInRequest, place: Place, said: list[str], status: int
) -> HttpResponse:
    """The allocation page again, the problems beside the session file and in the summary."""
    errors = [problem(m, "session-file") for m in said]
    context = _context(request, place, errors=errors, session_errors=said)
    return render(request, "allocation/allocation.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def place_allocation_delete(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    """GET: what deleting the saved place does, to confirm it. POST: delete it."""
    place = get_place_for(request.user, slug)
    saved = saved_place(place, pk)
    try:
        if request.method == "GET":
            actions.may_delete(by=request.user, saved=saved)
            context = {"place": place, "saved": saved} | deleting(saved, latest_budget(place))
            return render(request, "allocation/delete_confirm.html", context)
        actions.delete_place(by=request.user, saved=saved)
    except actions.NotOwner as refused:
        errors = [problem(m) for m in refused.messages]
        context = _context(request, place, errors=errors)
        return render(request, "allocation/allocation.html", context, status=403)
    messages.success(request, f"{saved.name} deleted.")
    return redirect("place_allocation", slug=place.slug)


def _changeable(request: SignedInRequest, saved: list[AllocationPlace]) -> set[int]:
    """The saved places the user may replace or delete: those of an organisation where the
    user is an analyst (asked once per owning organisation)."""
    owners = {s.organisation_id: s for s in saved}
    mine = {o for o, s in owners.items() if actions.may_change(request.user, s)}
    return {s.pk for s in saved if s.organisation_id in mine}
