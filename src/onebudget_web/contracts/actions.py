"""Writes to provider contracts: each checks permission, runs in one transaction and is
audited. What a contract pays is the library's (``onebudget.contracts``): the service keeps
its versions and statements and never works a payment out itself.

Who does what: a commissioner of one of the contract's commissioners records a version and
works out a period's statements; the pool manager of the fund that pays the contract posts
them to its ledger (``funds.posting``, the one way into a ledger); a provider's member
disputes a line of its own statement; a commissioner decides the dispute.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from onebudget.contracts.load import ContractError, load_contract
from onebudget.contracts.model import Contract
from onebudget.funds.payments import Payment, payment_problems
from onebudget.io.problems import Problem
from onebudget.money import ZERO
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission, visible_organisation_ids
from onebudget_web.audit.log import record
from onebudget_web.contracts.models import ContractParty, ContractVersion, ProviderContract
from onebudget_web.core.refused import RefusedError
from onebudget_web.funds.models import Fund
from onebudget_web.funds.selectors import agreement_of
from onebudget_web.places.models import Place


@dataclass(frozen=True)
class ContractFile:
    """What a person sent: the contract's YAML, and the file's name."""

    name: str
    text: str


def commissioner_for(by: User, place: Place, among: tuple[str, ...] = ()) -> Organisation:
    """The user's partner in the place (among ``among``'s codes, if given) that may
    commission, or refusal."""
    partners = place.partners.filter(id__in=visible_organisation_ids(by)).order_by("name")
    for organisation in partners:
        if (not among or organisation.code in among) and has_permission(
            by, organisation, Permission.COMMISSION
        ):
            return organisation
    whose = f" of {', '.join(among)}" if among else f" of a partner of {place.name}"
    raise NotPermitted(f"Commissioning this contract needs a commissioner{whose}")


def may_commission(by: User, place: Place, among: tuple[str, ...] = ()) -> bool:
    try:
        commissioner_for(by, place, among)
    except NotPermitted:
        return False
    return True


def commissioner_codes(contract: Contract) -> tuple[str, ...]:
    return tuple(c.code for c in contract.commissioners)


@transaction.atomic
def record_contract(
    *, by: User, place: Place, sent: ContractFile, note: str = ""
) -> ContractVersion:
    """A new version of the contract with the file's id (a first version creates it), or
    refusal with every problem: in the file, in its parties, or in the fund that pays it."""
    commissioner_for(by, place)  # a refusal before the file is read
    try:
        contract = load_contract(sent.text, source=sent.name)
    except ContractError as error:
        raise RefusedError(list(error.problems)) from None
    acting = commissioner_for(by, place, commissioner_codes(contract))
    fund, problems = _paying_fund(place, contract)
    if problems:
        raise RefusedError(problems)
    found, _ = ProviderContract.objects.select_for_update().get_or_create(
        place=place, code=contract.id, defaults={"fund": fund}
    )
    last = found.versions.order_by("-number").first()
    if last is not None and last.text == sent.text:
        raise ValidationError(
            [f"{sent.name}: the same as version {last.number}: nothing to record"]
        )
    number = 1 if last is None else last.number + 1
    version = ContractVersion.objects.create(
        contract=found, number=number, text=sent.text, source=sent.name[:200], note=note[:300],
        recorded_by=by,
    )  # fmt: skip
    if found.fund_id != (fund.pk if fund else None):
        ProviderContract.objects.filter(pk=found.pk).update(fund=fund)
    _parties(found, contract)
    detail = {"place": place.slug, "contract": contract.id, "version": number, "source": sent.name}
    record(
        by=by, action="contract.version_recorded", obj=version, organisation=acting, detail=detail
    )
    return version


def _parties(found: ProviderContract, contract: Contract) -> None:
    for side, codes in (
        ("commissioner", commissioner_codes(contract)),
        ("provider", tuple(p.code for p in contract.providers)),
    ):
        for code in codes:
            ContractParty.objects.get_or_create(contract=found, code=code, side=side)


def _paying_fund(place: Place, contract: Contract) -> tuple[Fund | None, list[Problem]]:
    """The place's fund the contract's funding names, and any reason it cannot pay from it
    (the fund's own rule for a payment: ``funds.payments.payment_problems``)."""
    problems = [
        Problem(path="commissioners", value=code, rule=f"a partner of {place.name}")
        for code in commissioner_codes(contract)
        if not place.partners.filter(code=code).exists()
    ]
    if contract.funding is None:
        return None, problems
    fund = place.funds.filter(code=slugify(contract.funding.fund)).first()
    if fund is None:
        rule = f"the id of one of {place.name}'s pooled funds"
        return None, [
            *problems,
            Problem(path="funding.fund", value=contract.funding.fund, rule=rule),
        ]
    agreement = agreement_of(fund)
    probe = Payment(
        key="(funding)", on=agreement.start, scheme=contract.funding.scheme, amount=ZERO,
        description="", payer=contract.commissioners[0].code,
    )  # fmt: skip
    for p in payment_problems(agreement, probe):
        field = {"scheme": "funding.scheme", "payer": "commissioners[0].code"}.get(
            p.path.rsplit(".", 1)[-1], "funding"
        )
        problems.append(Problem(path=field, value=p.value, rule=p.rule))
    return fund, problems
