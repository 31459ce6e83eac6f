"""A contract's statements: working out a period's, posting them to the fund, one provider's
statement (printable, and as a workbook), and a dispute of one of its lines and its answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onebudget.money import ZERO
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.contracts import actions, presenters, selectors, statement_actions
from onebudget_web.contracts.models import PeriodStatement, ProviderContract
from onebudget_web.contracts.statement_actions import InputsFile
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.core.error_summary import problem, problems
from onebudget_web.core.refused import said_of
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for

MAX_UPLOAD = 5 * 1024 * 1024


def _contract(request: SignedInRequest, slug: str, contract: int) -> tuple[Place, ProviderContract]:
    place = get_place_for(request.user, slug)
    return place, selectors.get_contract_for(request.user, place, contract)


@require_http_methods(["GET", "POST"])
@login_required
def contract_statements_new(request: SignedInRequest, slug: str, contract: int) -> HttpResponse:
    """Work out a period's statements from the period's figures (YAML, CSV or XLSX)."""
    place, kept = _contract(request, slug, contract)
    terms = selectors.contract_from(selectors.latest_version(kept).text)
    said: list[str] = []
    if request.method == "POST":
        try:
            actions.commissioner_for(request.user, place, actions.commissioner_codes(terms))
            found = statement_actions.work_statements(
                by=request.user, contract=kept, period=request.POST.get("period", ""),
                sent=_inputs(request),
            )  # fmt: skip
        except ValidationError as error:
            said = said_of(error)
        else:
            messages.success(
                request,
                f"The statements for {presenters.period_words(found[0].period)} are worked out.",
            )
            return redirect("place_contract", slug=place.slug, contract=kept.pk)
    context = {
        "place": place,
        "kept": kept,
        "contract": presenters.summary(kept, terms),
        "can_work": actions.may_commission(request.user, place, actions.commissioner_codes(terms)),
        "said": said,
        "summary": [problem(m, "inputs-file") for m in said],
        "period": request.POST.get("period", ""),
    }
    return render(request, "contracts/work.html", context, status=400 if said else 200)


def _inputs(request: SignedInRequest) -> InputsFile:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(["Choose the file of the period's figures (.yaml, .csv or .xlsx)"])
    if (upload.size or 0) > MAX_UPLOAD:
        raise ValidationError([f"{upload.name}: larger than 5 MB; a period's figures are smaller"])
    return InputsFile(name=upload.name or "inputs.yaml", content=upload.read())


@require_POST
@login_required
def contract_statements_post(
    request: SignedInRequest, slug: str, contract: int, period: str
) -> HttpResponse:
    """Post the period's statements to the ledger of the fund that pays the contract."""
    place, kept = _contract(request, slug, contract)
    try:
        new = statement_actions.post_statements(by=request.user, contract=kept, period=period)
    except ValidationError as error:
        for m in said_of(error):
            messages.error(request, m)
    else:
        words = presenters.period_words(period)
        messages.success(request, f"{new} payments for {words} posted to the fund's ledger.")
    return redirect("place_contract", slug=place.slug, contract=kept.pk)


def _statement(
    request: SignedInRequest, slug: str, contract: int, period: str, provider: str
) -> tuple[Place, ProviderContract, PeriodStatement]:
    place, kept = _contract(request, slug, contract)
    return place, kept, selectors.get_statement_for(request.user, kept, period, provider)


@require_GET
@login_required
def contract_statement(
    request: SignedInRequest, slug: str, contract: int, period: str, provider: str
) -> HttpResponse:
    place, kept, statement = _statement(request, slug, contract, period, provider)
    return render(
        request, "contracts/statement.html", _statement_context(request, place, kept, statement)
    )


def _statement_context(
    request: SignedInRequest, place: Place, kept: ProviderContract, statement: PeriodStatement
) -> dict[str, Any]:
    terms = selectors.contract_from(statement.version.text)
    disputes = statement.disputes.select_related("raised_by", "organisation", "decision")
    return {
        "place": place,
        "kept": kept,
        "contract": presenters.summary(kept, terms),
        "statement": statement,
        "words": presenters.period_words(statement.period),
        "lines": presenters.statement_lines(statement),
        "posted": statement.ledger_key in selectors.posted_keys(kept) or statement.total == ZERO,
        "disputes": list(disputes),
        "can_dispute": selectors.is_provider_of(request.user, statement),
        "can_decide": actions.may_commission(
            request.user, place, actions.commissioner_codes(terms)
        ),
    }


@require_GET
@login_required
def contract_statement_file(
    request: SignedInRequest, slug: str, contract: int, period: str, provider: str
) -> HttpResponse:
    """The statement as a workbook: its lines and its total, as the CLI's ``--out`` writes."""
    _, kept, statement = _statement(request, slug, contract, period, provider)
    rows = [
        {"Line": line["what"], "Figures used": "; ".join(f"{k}: {v}" for k, v in line["inputs"]),
         "Rule": line["rule"], "Amount (£)": line["amount"]}
        for line in presenters.statement_lines(statement)
    ]  # fmt: skip
    rows.append({"Line": "Total", "Figures used": "", "Rule": "the sum of the lines",
                 "Amount (£)": statement.total})  # fmt: skip
    name = f"{kept.code}-{statement.period}-{statement.provider_code}.xlsx"
    return xlsx_response(name, {"Statement": rows})


@require_http_methods(["GET", "POST"])
@login_required
def contract_dispute(
    request: SignedInRequest, slug: str, contract: int, period: str, provider: str
) -> HttpResponse:
    """The provider disputes one line of its statement, saying why."""
    place, kept, statement = _statement(request, slug, contract, period, provider)
    errors: dict[str, list[str]] = {}
    step = request.POST.get("step", request.GET.get("line", ""))
    if request.method == "POST":
        try:
            statement_actions.raise_dispute(
                by=request.user, statement=statement, step=int(step) if step.isdigit() else -1,
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except ValidationError as error:
            errors = _by_field(error)
        else:
            messages.success(request, "Your dispute is recorded. The commissioner will answer it.")
            return _back_to(statement)
    context = _statement_context(request, place, kept, statement) | {
        "errors": errors,
        "summary": problems(errors, {"step": "step-0"}),
        "step": step,
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "contracts/dispute.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def contract_dispute_decide(
    request: SignedInRequest, slug: str, contract: int, period: str, provider: str, pk: int
) -> HttpResponse:
    """The commissioner upholds the dispute or not, saying why."""
    place, kept, statement = _statement(request, slug, contract, period, provider)
    dispute = selectors.get_dispute_for(request.user, statement, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answer = request.POST.get("upheld")
        try:
            statement_actions.decide_dispute(
                by=request.user, dispute=dispute,
                upheld={"yes": True, "no": False}.get(answer or ""),
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except ValidationError as error:
            errors = _by_field(error)
        else:
            messages.success(request, "Your decision is recorded and shown to the provider.")
            return _back_to(statement)
    context = _statement_context(request, place, kept, statement) | {
        "dispute": dispute,
        "line": presenters.statement_lines(statement)[dispute.step],
        "errors": errors,
        "summary": problems(errors, {"upheld": "upheld-yes"}),
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "contracts/decide.html", context, status=400 if errors else 200)


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"reason": error.messages}


def _back_to(statement: PeriodStatement) -> HttpResponse:
    contract = statement.contract
    return redirect(
        "contract_statement", slug=contract.place.slug, contract=contract.pk,
        period=statement.period, provider=statement.provider_code,
    )  # fmt: skip
