"""A place's provider contracts: the list, one contract with its statements by period, its
YAML, and recording a version. Thin: the selectors scope, the actions write, the presenters
shape."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onebudget.contracts.model import Contract
from onebudget.roles import Permission
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.contracts import actions, forms, presenters, selectors
from onebudget_web.contracts.actions import ContractFile
from onebudget_web.contracts.models import ContractVersion, ProviderContract
from onebudget_web.core.error_summary import problem, problems
from onebudget_web.core.refused import RefusedError, said_of
from onebudget_web.core.uploads import chosen_yaml
from onebudget_web.funds.selectors import agreement_of
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for

MAX_UPLOAD = 1024 * 1024


@require_GET
@login_required
def place_contracts(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    found = selectors.contracts_for(request.user, place).prefetch_related("versions")
    rows = [
        presenters.summary(c, selectors.contract_from(selectors.latest_version(c).text))
        for c in found.select_related("fund")
    ]
    context = {
        "place": place,
        "contracts": rows,
        "sees_all": selectors.commissions_in(request.user, place),
        "can_record": actions.may_commission(request.user, place),
    }
    return render(request, "contracts/contracts.html", context)


@require_GET
@login_required
def place_contract(request: SignedInRequest, slug: str, contract: int) -> HttpResponse:
    place = get_place_for(request.user, slug)
    kept = selectors.get_contract_for(request.user, place, contract)
    version = selectors.latest_version(kept)
    terms = selectors.contract_from(version.text)
    seen = list(selectors.statements_for(request.user, kept))
    context = {
        "place": place,
        "kept": kept,
        "contract": presenters.summary(kept, terms),
        "version": version,
        "versions": kept.versions.select_related("recorded_by"),
        "periods": presenters.by_period(seen, selectors.posted_keys(kept)),
        "can_work": actions.may_commission(request.user, place, actions.commissioner_codes(terms)),
        "can_post": kept.fund is not None
        and has_permission(request.user, kept.fund.host, Permission.POST_TO_POOL),
    }
    return render(request, "contracts/contract.html", context)


@require_GET
@login_required
def place_contract_file(
    request: SignedInRequest, slug: str, contract: int, number: int
) -> HttpResponse:
    """A version as YAML, as recorded: to edit and record again, or to check with the CLI."""
    place = get_place_for(request.user, slug)
    kept = selectors.get_contract_for(request.user, place, contract)
    version = kept.versions.filter(number=number).first()
    if version is None:
        return HttpResponse("No such version", status=404, content_type="text/plain")
    response = HttpResponse(version.text, content_type="application/yaml; charset=utf-8")
    name = f"{kept.code}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def place_contract_record(request: SignedInRequest, slug: str) -> HttpResponse:
    """A contract's first version, or its next, from its YAML file."""
    place = get_place_for(request.user, slug)
    said: list[str] = []
    if request.method == "POST":
        try:
            actions.commissioner_for(request.user, place)  # refused before reading
            version = actions.record_contract(
                by=request.user, place=place, sent=_sent(request),
                note=request.POST.get("note", "").strip(),
            )  # fmt: skip
        except ValidationError as error:
            said = said_of(error)
        else:
            messages.success(request, f"Version {version.number} of the contract recorded.")
            return redirect("place_contract", slug=place.slug, contract=version.contract.pk)
    context = {
        "place": place,
        "can_record": actions.may_commission(request.user, place),
        "said": said,
        "summary": [problem(m, "contract-file") for m in said],
    }
    return render(request, "contracts/record.html", context, status=400 if said else 200)


def _sent(request: SignedInRequest) -> ContractFile:
    return ContractFile(*chosen_yaml(request, what="contract", limit=MAX_UPLOAD))


@require_http_methods(["GET", "POST"])
@login_required
def place_contract_write(request: SignedInRequest, slug: str) -> HttpResponse:
    """A new contract written in the form (a block payment; other kinds are uploaded)."""
    place = get_place_for(request.user, slug)
    return _contract_form(request, place, None)


@require_http_methods(["GET", "POST"])
@login_required
def place_contract_edit(request: SignedInRequest, slug: str, contract: int) -> HttpResponse:
    """The contract's details changed in the form, saved as its next version."""
    place = get_place_for(request.user, slug)
    kept = selectors.get_contract_for(request.user, place, contract)
    return _contract_form(request, place, kept)


def _contract_form(
    request: SignedInRequest, place: Place, kept: ProviderContract | None
) -> HttpResponse:
    terms = selectors.contract_from(selectors.latest_version(kept).text) if kept else None
    errors: dict[str, list[str]] = {}
    fields = forms.initial(terms)
    if request.method == "POST":
        fields = forms.as_sent(request.POST)
        try:
            version = _save(request, place, terms)
        except ValidationError as error:
            errors = _errors_of(error)
        else:
            messages.success(request, f"Version {version.number} of the contract recorded.")
            return redirect("place_contract", slug=place.slug, contract=version.contract.pk)
    among = actions.commissioner_codes(terms) if terms else ()
    context = {
        "place": place,
        "kept": kept,
        "terms": terms,
        "fields": fields,
        "errors": errors,
        "summary": problems(forms.in_order(errors), {f: f"{f}-day" for f in forms.DATES}),
        "partners": forms.commissioning_partners(place),
        "funds": [(agreement_of(f).id, f.name) for f in place.funds.order_by("name")],
        "can_write": actions.may_commission(request.user, place, among),
    }
    return render(request, "contracts/form.html", context, status=400 if errors else 200)


def _save(request: SignedInRequest, place: Place, terms: Contract | None) -> ContractVersion:
    among = actions.commissioner_codes(terms) if terms else ()
    actions.commissioner_for(request.user, place, among)  # refused before reading
    data, errors = forms.read(request.POST, place, terms)
    if data is None:
        raise ValidationError(errors)
    name = "the form" if terms is None else f"the form (from version of {terms.id})"
    sent = ContractFile(name=name, text=forms.as_yaml(data))
    note = request.POST.get("note", "").strip() or "Written in the form"
    return actions.record_contract(by=request.user, place=place, sent=sent, note=note)


def _errors_of(error: ValidationError) -> dict[str, list[str]]:
    if isinstance(error, RefusedError):
        return forms.placed(error.problems)
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"name": list(error.messages)}
