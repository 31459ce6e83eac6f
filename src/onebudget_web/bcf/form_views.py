"""Forms to write a Better Care Fund plan: a scheme (changed, added or removed), the
allocations, the national conditions and the metric trajectories. The YAML and the workbook
stay for import and export; these change the latest version, never one the board has signed
off, and save a new version through ``actions.record_version`` as a file would, so the
plan's page then shows the year's checks as for any version. The permission is checked
before a form is read; what a form makes of the plan is ``plan_forms``'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from onebudget.bcf.framework import Framework, framework
from onebudget.bcf.plan import Plan, Scheme, dump_plan
from onebudget.figures import pounds
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.bcf import actions, plan_forms, selectors
from onebudget_web.bcf.actions import PlanFile
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.bcf.plan_forms import FORM, Built, Errors, SchemeForm
from onebudget_web.core.error_summary import problem
from onebudget_web.core.refused import RefusedError
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for

SCHEME_FORM = "the scheme form"
MONTHS = {"Q1": "April to June", "Q2": "July to September", "Q3": "October to December",
          "Q4": "January to March"}  # fmt: skip
COMMISSIONERS = {
    "council": "The council",
    "icb": "The integrated care board (ICB)",
    "joint": "Both, jointly: each commissions a share",
}
BOXES = {
    "new": "It is a new scheme this year",
    "adult-social-care": "It counts towards the NHS minimum contribution to adult social care",
    "nhs-out-of-hospital": "It is NHS-commissioned out-of-hospital spend",
}
# A scheme's text fields as the page shows them: label, hint, what they take
TEXT = {
    "scheme-id": ("Scheme id", "Up to 20 letters and digits with no spaces, like F11", ""),
    "scheme-name": ("Name", "", ""),
    "scheme-type": ("Scheme type", "As the year's list names it, like Home care", ""),
    "sub-type": ("Sub-type (optional)", "Where the type has them, like Bed-based", ""),
    "provider": ("Provider", "", ""),
    "spend": ("Planned spend for the year", "", "money"),
    "split-council": (
        "The council's share",
        "Only for a scheme commissioned jointly: the two shares add up to 100%, like 60 and 40",
        "decimal",
    ),
    "split-icb": ("The ICB's share", "", "decimal"),
}


@dataclass(frozen=True)
class Editing:
    """The latest version of a place's plan, and what the person may do with it."""

    place: Place
    bcf: BcfPlan
    version: PlanVersion
    plan: Plan
    year: Framework
    can_write: bool
    editable: bool  # not signed off


def editing_of(request: SignedInRequest, slug: str, year: str) -> Editing:
    place = get_place_for(request.user, slug)
    bcf = selectors.get_plan(place, year)
    version = selectors.latest_version(bcf)
    plan = selectors.plan_from(version.text)
    may = actions.may_write(request.user, place)
    return Editing(
        place, bcf, version, plan, framework(plan.year), may, not selectors.read_only(version)
    )


def refusal(request: SignedInRequest, e: Editing) -> Errors:
    """Why a form sent may not change the plan; for want of a role, refused (403) here,
    before anything sent is read."""
    actions.commissioning_partner(request.user, e.place)
    if not e.editable:
        return {FORM: [f"Version {e.version.number} is signed off, so it is never changed"]}
    if request.POST.get("version") != str(e.version.number):
        said = (f"Version {e.version.number} of the plan was recorded after this form was "
                "opened: check the form against it, then save again")  # fmt: skip
        return {FORM: [said]}
    return {}


def _said(error: ValidationError) -> list[str]:
    if isinstance(error, RefusedError):
        return [f"{p.path}: {p.rule}" for p in error.problems]
    return list(error.messages)


def save_version(
    request: SignedInRequest, e: Editing, built: Built, source: str, note: str,
    again: Callable[[Errors], HttpResponse],
) -> HttpResponse:  # fmt: skip
    """A new version with the plan the form made, or the form again with why not."""
    if built.plan is None:
        return again(built.errors)
    to_plan = redirect("place_bcf_plan", slug=e.place.slug, year=e.bcf.slug)
    if built.plan == e.plan:
        messages.info(request, "Nothing was changed, so no new version was recorded.")
        return to_plan
    sent = PlanFile(name=source, text=dump_plan(built.plan))
    try:
        with transaction.atomic():  # no other version recorded since the form was read
            BcfPlan.objects.select_for_update().get(pk=e.bcf.pk)
            if selectors.latest_version(e.bcf).number != e.version.number:
                return again({FORM: ["Another version was recorded meanwhile: save again"]})
            version = actions.record_version(by=request.user, place=e.place, sent=sent, note=note)
    except ValidationError as error:
        return again({FORM: _said(error)})
    messages.success(request, f"{note}: version {version.number} of the plan recorded.")
    return to_plan


def form_page(
    request: SignedInRequest, e: Editing, template: str, errors: Errors, **more: Any
) -> HttpResponse:
    """A form's page: 400 with every problem beside its field and in the summary, in the
    order of ``order`` (the fields' names, as on the page)."""
    order = [FORM, *more.pop("order", [])]
    ranked = sorted(
        errors.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
    )
    schemes = template.startswith("form_scheme")
    back = reverse(f"place_bcf_{'schemes' if schemes else 'plan'}", args=[e.place.slug, e.bcf.slug])
    context = {
        "place": e.place, "plan": e.bcf, "version": e.version, "latest": True,
        "can_write": e.can_write, "editable": e.editable, "errors": errors,
        "summary": [problem(m, "" if at == FORM else at) for at, said in ranked for m in said],
        "back": back, "back_text": "Schemes" if schemes else f"Better Care Fund plan {e.bcf.year}",
    } | more  # fmt: skip
    return render(request, f"bcf/{template}", context, status=400 if errors else 200)


def field(
    name: str, value: str, errors: Errors, label: str, hint: str = "", takes: str = ""
) -> dict[str, Any]:
    """A text field as ``includes/text_input.html`` shows it; ``takes``: ``money`` (with
    the pound sign) or ``decimal`` (a number), if either."""
    return {"name": name, "id": name, "value": value, "errors": errors.get(name, []),
            "label": label, "hint": hint, takes or "text": True}  # fmt: skip


def _index(plan: Plan, scheme: str) -> int:
    found = next((i for i, s in enumerate(plan.schemes) if s.id == scheme), None)
    if found is None:
        raise Http404("No such scheme in the latest version of the plan")
    return found


def _streams(e: Editing, old: Scheme | None) -> dict[str, str]:
    """The streams a scheme may be paid from, by id: the year's, and the scheme's own."""
    streams = {s.id: s.name for s in e.year.streams}
    if old is not None and old.source not in streams:
        streams[old.source] = old.source
    return streams


def _scheme_fields(
    e: Editing, old: Scheme | None, form: SchemeForm, errors: Errors
) -> dict[str, Any]:
    """The scheme form's fields as the page shows them (text fields by ``scheme_name``)."""
    text = form.text
    streams = _streams(e, old)
    source = field("source", "", errors, "The funding stream it is paid from")
    source["options"] = [{"value": v, "text": t, "selected": text["source"] == v}
                         for v, t in streams.items()]  # fmt: skip
    return {
        "fields": {n.replace("-", "_"): field(n, text[n], errors, *w) for n, w in TEXT.items()},
        "commissioners": [{"value": v, "text": t, "checked": text["commissioner"] == v,
                           "id": "commissioner" if v == "council" else f"commissioner-{v}"}
                          for v, t in COMMISSIONERS.items()],
        "source": source,
        "outputs": [{"quantity": field(f"outputs-{i}-quantity", q, errors,
                                       f"Quantity of output {i + 1}", takes="decimal"),
                     "unit": field(f"outputs-{i}-unit", u, errors, f"Unit of output {i + 1}")}
                    for i, (q, u) in enumerate(form.padded().outputs)],
        "boxes": [{"id": b, "text": t, "checked": b in form.boxes} for b, t in BOXES.items()],
    }  # fmt: skip


def _scheme_page(
    request: SignedInRequest, e: Editing, old: Scheme | None, form: SchemeForm, errors: Errors
) -> HttpResponse:
    order = list(plan_forms.SCHEME_LABELS)
    more = _scheme_fields(e, old, form, errors)
    return form_page(request, e, "form_scheme.html", errors, scheme=old, order=order, **more)


def _scheme_form(request: SignedInRequest, e: Editing, index: int | None) -> HttpResponse:
    """GET: the form, filled from the scheme. POST: "Add another output" shows the form
    again with a row more; "Save" records the plan with the scheme as typed, or shows why
    not."""
    old = None if index is None else e.plan.schemes[index]
    if request.method == "GET":
        return _scheme_page(request, e, old, plan_forms.scheme_form(old), {})
    refused = refusal(request, e)
    form = plan_forms.read_scheme(request.POST)
    if refused or request.POST.get("add") == "output":
        form = form if refused else form.add_output()
        return _scheme_page(request, e, old, form, refused)
    built = plan_forms.with_scheme(e.plan, index, form, e.year, _streams(e, old))
    at = len(e.plan.schemes) if index is None else index
    note = f"Scheme {form.text['scheme-id']} added"
    if old is not None and built.plan is not None:
        fields = plan_forms.changed(old, built.plan.schemes[at])
        note = f"Scheme {old.id} changed ({', '.join(fields)})"
    again = lambda errors: _scheme_page(request, e, old, form, errors)  # noqa: E731
    return save_version(request, e, built, SCHEME_FORM, note, again)


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_scheme(request: SignedInRequest, slug: str, year: str, scheme: str) -> HttpResponse:
    e = editing_of(request, slug, year)
    return _scheme_form(request, e, _index(e.plan, scheme))


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_scheme_new(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    return _scheme_form(request, editing_of(request, slug, year), None)


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_scheme_remove(
    request: SignedInRequest, slug: str, year: str, scheme: str
) -> HttpResponse:
    """GET: are you sure? POST: the plan without the scheme, as a new version."""
    e = editing_of(request, slug, year)
    index = _index(e.plan, scheme)
    old = e.plan.schemes[index]

    def again(errors: Errors) -> HttpResponse:
        spend = pounds(old.spend)
        return form_page(request, e, "form_scheme_remove.html", errors, scheme=old, spend=spend)

    if request.method == "GET":
        return again({})
    refused = refusal(request, e)
    if refused:
        return again(refused)
    built = plan_forms.without_scheme(e.plan, index)
    return save_version(request, e, built, SCHEME_FORM, f"Scheme {old.id} removed", again)
