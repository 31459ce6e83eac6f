"""The forms of a Better Care Fund plan's figures: the allocations by stream, the national
conditions and the metric trajectories. Each reads its fields, makes the plan through
``plan_forms`` and saves a new version as the scheme form does (``form_views``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from onebudget.bcf.plan import QUARTERS, Plan
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.bcf import plan_forms
from onebudget_web.bcf.form_views import (
    MONTHS,
    Editing,
    editing_of,
    field,
    form_page,
    refusal,
    save_version,
)
from onebudget_web.bcf.plan_forms import Built, Errors


@dataclass(frozen=True)
class Figures:
    """A form of the plan's figures: its page, the note on the version it records, its
    fields (name -> words), the fields filled from the plan, the plan it makes, its rows."""

    template: str
    note: str
    labels: Callable[[Editing], dict[str, str]]
    values: Callable[[Plan], dict[str, str]]
    build: Callable[[Editing, dict[str, str], dict[str, str]], Built]
    rows: Callable[[Editing, dict[str, str], Errors, dict[str, str]], dict[str, Any]]


def _figures(request: SignedInRequest, slug: str, year: str, spec: Figures) -> HttpResponse:
    e = editing_of(request, slug, year)
    labels = spec.labels(e)

    def again(typed: dict[str, str], errors: Errors) -> HttpResponse:
        rows = spec.rows(e, typed, errors, labels)
        return form_page(request, e, spec.template, errors, order=list(labels), **rows)

    if request.method == "GET":
        return again(spec.values(e.plan), {})
    refused = refusal(request, e)
    typed = plan_forms.read(request.POST, labels)
    if refused:
        return again(typed, refused)
    built = spec.build(e, typed, labels)
    source = f"the {spec.template.removeprefix('form_').removesuffix('.html')} form"
    return save_version(request, e, built, source, spec.note, lambda errors: again(typed, errors))


def _out_of_hospital(e: Editing) -> bool:
    """Whether the form asks for the out-of-hospital minimum: unless the year has none."""
    has_none = e.year.out_of_hospital.status == "not_in_framework"
    return not has_none or e.plan.out_of_hospital_minimum is not None


def _allocation_rows(
    e: Editing, typed: dict[str, str], errors: Errors, labels: dict[str, str]
) -> dict[str, Any]:
    uplift = e.year.asc_uplift_percent.value
    more = f", uplifted by {uplift:f}%" if uplift is not None else ""
    asked = {
        "asc-last-year": ("Last year's NHS minimum contribution to adult social care",
                          f"This year's is at least this{more}"),
        "out-of-hospital-minimum": ("Minimum NHS-commissioned out-of-hospital spend",
                                    "As published with the area's allocations"),
    }  # fmt: skip
    minimums = [field(n, typed.get(n, ""), errors, *words, takes="money")
                for n, words in asked.items() if n in labels]  # fmt: skip
    streams = []
    for s in e.year.streams:
        name = plan_forms.field_of("allocations", s.id)
        streams.append(field(name, typed.get(name, ""), errors, s.name, takes="money"))
    return {"streams": streams, "minimums": minimums}


def _condition_rows(
    e: Editing, typed: dict[str, str], errors: Errors, labels: dict[str, str]
) -> dict[str, Any]:
    rows = []
    for c in e.year.national_conditions.items or ():
        name, note = (
            plan_forms.field_of("conditions", c.id, part) for part in ("confirmed", "note")
        )
        note_field = field(note, typed.get(note, ""), errors, f"Note on {c.id} (optional)")
        rows.append({"id": c.id, "wording": c.wording, "name": name, "note": note_field,
                     "answer": typed.get(name, ""), "errors": errors.get(name, [])})  # fmt: skip
    return {"conditions": rows}


def _metric_rows(
    e: Editing, typed: dict[str, str], errors: Errors, labels: dict[str, str]
) -> dict[str, Any]:
    rows = []
    for m in e.year.metrics.items or ():
        names = {q: plan_forms.field_of("metrics", m.id, q) for q in QUARTERS}
        quarters = [field(n, typed.get(n, ""), errors, f"{q}: {MONTHS[q]}", takes="decimal")
                    for q, n in names.items()]  # fmt: skip
        rows.append({"id": m.id, "name": m.name, "unit": m.unit, "quarters": quarters})
    return {"metrics": rows}


ALLOCATIONS = Figures(
    "form_allocations.html", "Allocations changed",
    lambda e: plan_forms.allocation_labels(e.year, _out_of_hospital(e)),
    plan_forms.allocation_values,
    lambda e, typed, labels: plan_forms.with_allocations(e.plan, e.year, typed, labels),
    _allocation_rows,
)  # fmt: skip
CONDITIONS = Figures(
    "form_conditions.html", "National conditions changed",
    lambda e: plan_forms.condition_labels(e.year), plan_forms.condition_values,
    lambda e, typed, labels: plan_forms.with_conditions(e.plan, e.year, typed), _condition_rows,
)  # fmt: skip
METRICS = Figures(
    "form_metrics.html", "Metric trajectories changed",
    lambda e: plan_forms.metric_labels(e.year), plan_forms.metric_values,
    lambda e, typed, labels: plan_forms.with_metrics(e.plan, e.year, typed), _metric_rows,
)  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_allocations(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    return _figures(request, slug, year, ALLOCATIONS)


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_conditions(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    return _figures(request, slug, year, CONDITIONS)


@require_http_methods(["GET", "POST"])
@login_required
def place_bcf_trajectories(request: SignedInRequest, slug: str, year: str) -> HttpResponse:
    return _figures(request, slug, year, METRICS)
