"""Setting up a fund, and recording a variation, from a form over the agreement; the YAML
stays as a second route, for import and export. Both build the agreement text and end in
the same actions (``create_fund``, ``record_variation``): one write path. A variation is
shown as what it changes, scheme by scheme, and recorded only once confirmed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onebudget.funds.renewal import next_year
from onebudget.funds.validation import dump_agreement
from onebudget.organisations import OrganisationKind
from onebudget.periods import year_label
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import Organisation
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.core.uploads import upload_text
from onebudget_web.funds import actions, selectors
from onebudget_web.funds.agreement_build import Errors, add, build_new
from onebudget_web.funds.agreement_forms import Form, Row, from_agreement, read, with_another_row
from onebudget_web.funds.agreement_presenters import form_fields, kept_clauses
from onebudget_web.funds.agreement_problems import SUMMARY, validate
from onebudget_web.funds.models import Fund
from onebudget_web.places.models import Place

AGREEMENT_LIMIT = 1024 * 1024  # what the YAML reader reads
NEW_PAGE = "funds/new_fund.html"
FUND_PARTNERS = (OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.ICB)

__all__ = ["place_new_fund"]


@require_http_methods(["GET", "POST"])
@login_required
def place_new_fund(request: SignedInRequest, slug: str) -> HttpResponse:
    """Set up a pooled fund for a place: from the form (blank, or started from one of the
    place's funds, moved on a year), or from an agreement file (YAML)."""
    from onebudget_web.places.selectors import get_place_for

    place = get_place_for(request.user, slug)
    allowed = [
        o for o in _partners(place) if has_permission(request.user, o, Permission.POST_TO_POOL)
    ]
    if not allowed:
        raise NotPermitted("Setting up a fund is for the host partner's pool manager")
    if request.method == "POST" and _yaml_posted(request):
        return _from_yaml(request, place, allowed)
    if request.method == "GET":
        form = _first_form(request, place, allowed)
        return _page(request, place, form)
    return _from_form(request, place)


def _partners(place: Place) -> list[Organisation]:
    return list(place.partners.order_by("name"))


def _yaml_posted(request: SignedInRequest) -> bool:
    """The YAML route: its own button, or a file or text posted with no step named."""
    do = request.POST.get("do", "")
    return do == "yaml" or (not do and ("text" in request.POST or "file" in request.FILES))


def _from_form(request: SignedInRequest, place: Place) -> HttpResponse:
    partners = {o.code: o.name for o in _partners(place)}
    form = read(request.POST, partners=list(partners))
    start = _start(request, place, form.start)
    do = request.POST.get("do", "")
    if do == "add-scheme":
        return _page(request, place, with_another_row(form), start=start)
    if do == "partners":  # the form again, for the partners now ticked
        return _page(request, place, form, start=start)
    built = build_new(form, next_year(selectors.agreement_of(start)) if start else None, partners)
    agreement = validate(built, partners)
    if agreement is None or built.errors:
        return _page(request, place, form, built.errors, start=start, status=400)
    try:
        fund = actions.create_fund(by=request.user, place=place, text=dump_agreement(agreement))
    except ValidationError as refused:
        return _page(request, place, form, _refused(refused), start=start, status=400)
    messages.success(request, f"{fund.name} is set up for {year_label(fund.financial_year)}.")
    return redirect("fund", code=fund.code)


def _refused(refused: ValidationError) -> Errors:
    """The action's refusal: a reference in use beside its field, the rest in the summary."""
    errors: Errors = {}
    for message in refused.messages:
        if message.startswith("id:"):
            add(errors, "reference", "A fund with this reference exists already: enter another")
        else:
            add(errors, SUMMARY, message)
    return errors


def _start(request: SignedInRequest, place: Place, code: str) -> Fund | None:
    """The place's fund a new one starts from (one the user can see), if any."""
    if not code:
        return None
    found = selectors.funds_for(request.user).filter(place=place, code=code).first()
    if found is None:
        raise Http404("No such fund to start from")
    return found


def _first_form(request: SignedInRequest, place: Place, allowed: list[Organisation]) -> Form:
    """The form as first shown: a copy of the fund chosen to start from, moved on a year,
    or a blank one for this financial year with the council and the ICB ticked."""
    start = _start(request, place, request.GET.get("start", ""))
    if start is not None:
        form = from_agreement(next_year(selectors.agreement_of(start)), agreed=False)
        form.start = start.code
        return form
    return _blank(place, allowed)


def _blank(place: Place, allowed: list[Organisation]) -> Form:
    today = date.today()
    return Form(
        partners=[o.code for o in _partners(place) if o.kind in FUND_PARTNERS],
        year=str(today.year if today.month >= 4 else today.year - 1),
        host=allowed[0].code,
        rows=[Row()],
    )


def _page(
    request: SignedInRequest,
    place: Place,
    form: Form,
    errors: Errors | None = None,
    *,
    start: Fund | None = None,
    status: int = 200,
    yaml: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page: the form, the funds to start from, and (folded away unless ``yaml`` says
    what was posted and its problems) the YAML route."""
    yaml = yaml or {}
    fields = _fields(form, errors or {}, _partners(place), start)
    context = {
        "place": place,
        "form": fields,
        "start": start,
        "start_code": form.start,
        "year": year_label(int(form.year)) if form.year.isdigit() else "the year",
        "starts": _starts(request, place),
        "text": yaml.get("text", ""),
        "errors": yaml.get("errors", []),
        "yaml_open": bool(yaml),
    }
    return render(request, NEW_PAGE, context, status=status)


def _fields(
    form: Form, errors: Errors, partners: list[Organisation], start: Fund | None
) -> dict[str, Any]:
    names = {o.code: o.name for o in partners}
    base = next_year(selectors.agreement_of(start)) if start else None
    return form_fields(
        form,
        errors,
        names=names,
        kept=kept_clauses(base.schemes, names) if base else {},
        years=_years(form.year),
        hosts=[(o.code, o.name) for o in partners],
    )


def _years(chosen: str) -> list[int]:
    """This financial year, two before and two after, and the one chosen."""
    today = date.today()
    now = today.year if today.month >= 4 else today.year - 1
    years = set(range(now - 2, now + 3))
    if chosen.isdigit() and 2000 <= int(chosen) <= 2100:
        years.add(int(chosen))
    return sorted(years)


def _starts(request: SignedInRequest, place: Place) -> list[dict[str, str]]:
    """The place's funds to start from, latest year first."""
    funds = selectors.funds_for(request.user).filter(place=place).order_by("-financial_year")
    return [{"code": f.code, "text": f"Start from {_named(f)}"} for f in funds[:5]]


def _named(fund: Fund) -> str:
    """The fund's name, with its year unless the name says it."""
    year = year_label(fund.financial_year)
    return fund.name if year in fund.name else f"{fund.name} ({year})"


def _from_yaml(request: SignedInRequest, place: Place, allowed: list[Organisation]) -> HttpResponse:
    upload = request.FILES.get("file")
    text = request.POST.get("text", "")
    try:
        if upload is not None:
            text = upload_text(upload, what="an agreement (YAML)", limit=AGREEMENT_LIMIT)
        fund = actions.create_fund(
            by=request.user,
            place=place,
            text=text,
            source=(upload.name if upload else None) or "agreement.yaml",
        )
    except ValidationError as refused:
        form = _blank(place, allowed)
        posted = {"text": text, "errors": refused.messages}
        return _page(request, place, form, status=400, yaml=posted)
    messages.success(request, f"{fund.name} is set up.")
    return redirect("fund", code=fund.code)
