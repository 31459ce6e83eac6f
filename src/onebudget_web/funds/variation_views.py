"""Recording a variation: the agreement as the same form as a new fund's, filled in; what
it changes, scheme by scheme and in pounds, to confirm; then a new version of the
agreement through ``actions.record_variation`` (versions kept, audited). The YAML edit
stays as a second route and is confirmed the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onebudget.funds.agreement import Agreement, AgreementError
from onebudget.funds.validation import dump_agreement, load_agreement
from onebudget.funds.variation import Changes, compare
from onebudget.periods import year_label
from onebudget.roles import NotPermitted
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.funds import actions, selectors
from onebudget_web.funds.agreement_build import Errors, add, build_variation, parse_date
from onebudget_web.funds.agreement_forms import Form, from_agreement, read, with_another_row
from onebudget_web.funds.agreement_presenters import changes_in_words, form_fields, kept_clauses
from onebudget_web.funds.agreement_problems import SUMMARY, validate
from onebudget_web.funds.helpers import can_post
from onebudget_web.funds.models import AgreementVersion, Fund

EDIT_PAGE = "funds/agreement_edit.html"
CONFIRM_PAGE = "funds/agreement_confirm.html"
NOTHING = (
    "Nothing has changed yet: change a contribution, a clause or the risk reserve, or add a scheme"
)
NO_REASON = "Enter the reason for the variation"
YAML_STEPS = ("review-yaml", "change-yaml", "confirm-yaml")
NOT_CARRIED = ("csrfmiddlewaretoken", "do", "version")


@dataclass(frozen=True)
class Current:
    """The fund and its agreement as last varied."""

    fund: Fund
    version: AgreementVersion
    agreement: Agreement

    @property
    def names(self) -> dict[str, str]:
        return {p.code: p.name for p in self.agreement.partners}


@require_http_methods(["GET", "POST"])
@login_required
def fund_agreement_edit(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    if not can_post(request, fund):
        raise NotPermitted("Only the pool manager records variations")
    now = Current(fund, selectors.current_version(fund), selectors.agreement_of(fund))
    do = request.POST.get("do", "")
    if request.method == "GET":
        return _edit(request, now, _first_form(now))
    if do in YAML_STEPS or (not do and "text" in request.POST):
        return _yaml(request, now, do)
    form = read(request.POST, partners=now.agreement.partner_codes, agreed=now.agreement)
    if do in ("add-scheme", "change"):
        return _edit(request, now, with_another_row(form) if do == "add-scheme" else form)
    built = build_variation(form, now.agreement, now.names)
    varied = validate(built, now.names)
    changes = compare(now.agreement, varied) if varied else Changes()
    if varied is not None and not changes and not built.steps:
        add(built.errors, SUMMARY, NOTHING)
    if varied is None or built.errors:
        return _edit(request, now, form, built.errors, status=400)
    if do == "confirm" and form.version == str(now.version.number):
        return _record(request, now, dump_agreement(varied), form.reason.strip(), form=form)
    shown = {"reason": form.reason.strip(), "variation": _when(form) if built.varied else None}
    return _confirm(request, now, changes, form.version, "", **shown)


def _first_form(now: Current) -> Form:
    """The agreement as it stands; new contributions from next month, agreed today."""
    form = from_agreement(now.agreement, agreed=True)
    form.version = str(now.version.number)
    today = date.today()
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    effective = max(following, now.agreement.start)
    if effective < now.agreement.end:  # the year is not over: else the dates are for people
        form.effective, form.agreed_on = _written(effective), _written(today)
    return form


def _written(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _when(form: Form) -> dict[str, Any]:
    return {
        "effective": parse_date(form.effective),
        "agreed_on": parse_date(form.agreed_on),
        "agreed_by": form.agreed_by.strip(),
    }


def _edit(
    request: SignedInRequest,
    now: Current,
    form: Form,
    errors: Errors | None = None,
    *,
    status: int = 200,
    yaml: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form (and, folded away unless ``yaml`` gives its text, note and problems, the
    YAML route)."""
    yaml = yaml or {}
    names = now.names
    context = {
        "fund": now.fund,
        "agreement": now.agreement,
        "host": names.get(now.agreement.host, now.agreement.host),
        "year": year_label(now.agreement.financial_year),
        "form": form_fields(
            form, errors or {}, names=names, kept=kept_clauses(now.agreement.schemes, names)
        ),
        "version": form.version or str(now.version.number),
        "text": yaml.get("text", now.version.text),
        "note": yaml.get("note", ""),
        "errors": yaml.get("errors", []),
        "yaml_open": bool(yaml),
    }
    return render(request, EDIT_PAGE, context, status=status)


def _confirm(
    request: SignedInRequest,
    now: Current,
    changes: Changes,
    version: str,
    suffix: str,
    **shown: Any,
) -> HttpResponse:
    """What the variation changes, to confirm or change; everything typed goes with it.
    ``version``: the one it was made against (if not the current one, it says so)."""
    carried = [(k, v) for k, values in request.POST.lists() if k not in NOT_CARRIED for v in values]
    stale = now.version if version and version != str(now.version.number) else None
    context = {
        "fund": now.fund,
        "agreement": now.agreement,
        "next_number": now.version.number + 1,
        "year": year_label(now.agreement.financial_year),
        "changes": changes_in_words(changes, now.names),
        "carried": carried,
        "version": now.version.number,
        "confirm": f"confirm{suffix}",
        "change": f"change{suffix}",
        "stale": stale,
        **shown,
    }
    return render(request, CONFIRM_PAGE, context)


def _record(
    request: SignedInRequest, now: Current, text: str, note: str, form: Form | None = None
) -> HttpResponse:
    try:
        version = actions.record_variation(by=request.user, fund=now.fund, text=text, note=note)
    except ValidationError as refused:
        if form is None:
            return _edit(
                request,
                now,
                _first_form(now),
                status=400,
                yaml=_yaml_typed(request, refused.messages),
            )
        return _edit(request, now, form, {SUMMARY: refused.messages}, status=400)
    messages.success(
        request, f"The variation is recorded as version {version.number} of the agreement."
    )
    return redirect("fund", code=now.fund.code)


def _yaml_typed(request: SignedInRequest, errors: list[str] | None = None) -> dict[str, Any]:
    return {
        "text": request.POST.get("text", ""),
        "note": request.POST.get("note", ""),
        "errors": errors or [],
    }


def _yaml(request: SignedInRequest, now: Current, do: str) -> HttpResponse:
    """The YAML route: check, show the changes, confirm (a post that names no step, as
    scripts and older pages send, is a confirmation)."""
    text, note = request.POST.get("text", ""), request.POST.get("note", "").strip()
    if do == "change-yaml":
        return _edit(request, now, _first_form(now), yaml=_yaml_typed(request))
    varied, problems = _yaml_problems(text, note)
    changes = compare(now.agreement, varied) if varied else Changes()
    if varied is not None and not changes and do == "review-yaml":
        problems.append(NOTHING)
    if problems:
        typed = _yaml_typed(request, problems)
        return _edit(request, now, _first_form(now), status=400, yaml=typed)
    version = request.POST.get("version", "")
    if do == "review-yaml" or (version and version != str(now.version.number)):
        return _confirm(request, now, changes, version, "-yaml", reason=note)
    return _record(request, now, text, note[:300])


def _yaml_problems(text: str, note: str) -> tuple[Agreement | None, list[str]]:
    """The agreement in ``text`` and every problem with it and the note, in the library's
    words (the action judges the same text the same way)."""
    problems = [] if note else [NO_REASON]
    try:
        return load_agreement(text, source="agreement.yaml"), problems
    except AgreementError as error:
        return None, problems + [str(p) for p in error.problems]
