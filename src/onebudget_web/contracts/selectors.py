"""Reads of a place's provider contracts, scoped to who is asking.

The commissioning partners of a place (its council and integrated care board) see every
contract of the place and every statement. A provider sees only the contracts that name it,
and of those only its own statements: a member of an alliance does not see what another
member was paid, nor a subcontractor the prime's own payment. Callers find the place through
the user's scope first (``places.selectors.get_place_for``).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django.db.models import QuerySet
from django.http import Http404

from onebudget.contracts.load import load_contract
from onebudget.contracts.model import Contract, Party, Step
from onebudget.contracts.statement import Statement
from onebudget.organisations import OrganisationKind
from onebudget_web.accounts.models import Organisation
from onebudget_web.accounts.selectors import Viewer, visible_organisation_ids
from onebudget_web.contracts.models import (
    ContractVersion,
    Dispute,
    PeriodStatement,
    ProviderContract,
)
from onebudget_web.places.models import Place

COMMISSIONING = (OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.ICB)


def my_organisations(user: Viewer) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=visible_organisation_ids(user))


def commissions_in(user: Viewer, place: Place) -> bool:
    """Whether the user works for a commissioning partner of the place (council or ICB)."""
    return place.partners.filter(
        id__in=visible_organisation_ids(user), kind__in=COMMISSIONING
    ).exists()


def contracts_for(user: Viewer, place: Place) -> QuerySet[ProviderContract]:
    if commissions_in(user, place):
        return place.contracts.all()
    codes = my_organisations(user).values_list("code", flat=True)
    return place.contracts.filter(parties__side="provider", parties__code__in=codes).distinct()


def get_contract_for(user: Viewer, place: Place, pk: int) -> ProviderContract:
    found = contracts_for(user, place).filter(pk=pk).first()
    if found is None:
        raise Http404("No such contract")
    return found


def statements_for(user: Viewer, contract: ProviderContract) -> QuerySet[PeriodStatement]:
    found = contract.statements.select_related("worked_by")
    if commissions_in(user, contract.place):
        return found
    return found.filter(provider_code__in=my_organisations(user).values_list("code", flat=True))


def get_statement_for(
    user: Viewer, contract: ProviderContract, period: str, provider: str
) -> PeriodStatement:
    found = statements_for(user, contract).filter(period=period, provider_code=provider).first()
    if found is None:
        raise Http404("No such statement")
    return found


def get_dispute_for(user: Viewer, statement: PeriodStatement, pk: int) -> Dispute:
    """A dispute of a statement the user may already see."""
    found = statement.disputes.filter(pk=pk).first()
    if found is None:
        raise Http404("No such dispute")
    return found


def latest_version(contract: ProviderContract) -> ContractVersion:
    """Every contract is created with its first version."""
    return contract.versions.latest("number")


@lru_cache(maxsize=64)
def contract_from(text: str) -> Contract:
    """A version's contract, read once per process (a version's text never changes)."""
    return load_contract(text, source="the saved contract")


def as_statement(kept: PeriodStatement) -> Statement:
    """A kept statement as the library's, as it was worked out (its steps from its data)."""
    data = kept.data
    steps = tuple(
        Step(s["what"], dict(s["inputs"]), s["rule"], Decimal(s["amount"])) for s in data["steps"]
    )
    provider = Party(code=kept.provider_code, name=kept.provider_name)
    return Statement(
        kept.contract.code, data["contract_name"], kept.period, provider,
        tuple(data["commissioners"]), steps,
    )  # fmt: skip


def posted_keys(contract: ProviderContract) -> set[str]:
    """The ledger keys of the contract's payments already in its fund's ledger."""
    if contract.fund is None:
        return set()
    keys = contract.statements.exclude(ledger_key="").values_list("ledger_key", flat=True)
    return set(contract.fund.transactions.filter(key__in=keys).values_list("key", flat=True))


def is_provider_of(user: Viewer, statement: PeriodStatement) -> bool:
    """Whether the user works for the provider the statement pays (who may dispute it)."""
    return my_organisations(user).filter(code=statement.provider_code).exists()
