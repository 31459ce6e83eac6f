"""The contract form: a contract's details written by a person, saved as the YAML the rest
of the service and the CLI read (a new version through ``actions.record_contract``, so the
library checks it exactly as it checks an uploaded file).

The form writes what every contract has: its id and name, commissioners, term, value,
frequency and the pooled fund that pays it, and for a new contract one provider paid a
block sum. A contract that pays another way (activity, capitation, aligned payment,
outcomes, an alliance, a prime provider) is uploaded as YAML; the form then edits its
details and keeps its payment mechanism as it is. Each problem the library finds is shown
beside the field its path belongs to.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict

from onebudget.contracts.model import Contract
from onebudget.io import yamlio
from onebudget_web.bcf.dates import read_date
from onebudget_web.contracts.selectors import COMMISSIONING
from onebudget_web.core.refused import by_field
from onebudget_web.places.models import Place

# Where a problem at a path of the contract file is shown: the field holding it
FIELD_OF = {
    "id": "id", "name": "name", "commissioners": "commissioners", "providers": "provider",
    "term.start": "start", "term.end": "end", "term": "end", "annual_value": "annual_value",
    "periods": "periods", "funding.fund": "fund", "funding.scheme": "scheme",
    "funding": "scheme", "mechanism": "annual_value",
}  # fmt: skip
DATES = ("start", "end")
ORDER = ("id", "name", "commissioners", "provider", "start", "end", "annual_value", "periods",
         "fund", "scheme")  # fmt: skip


def commissioning_partners(place: Place) -> list[tuple[str, str]]:
    """The place's councils and ICBs that may commission a contract: (code, name)."""
    found = place.partners.filter(kind__in=COMMISSIONING).order_by("name")
    return [(o.code, o.name) for o in found]


def initial(contract: Contract | None) -> dict[str, Any]:
    """The form's fields (named as the template reads them, ``start_day`` for the box
    ``start-day``): empty for a new contract, else the latest version's."""
    if contract is None:
        return {"periods": "quarterly", "commissioners": []}
    fields: dict[str, Any] = {
        "id": contract.id, "name": contract.name, "annual_value": f"{contract.annual_value:.2f}",
        "commissioners": [c.code for c in contract.commissioners], "periods": contract.periods,
        "fund": contract.funding.fund if contract.funding else "",
        "scheme": contract.funding.scheme if contract.funding else "",
    }  # fmt: skip
    for name in DATES:
        day: date = getattr(contract.term, name)
        fields |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    return fields


def read(
    sent: QueryDict, place: Place, contract: Contract | None
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The contract's data from the form (``contract``: the version it edits, whose
    providers and mechanism it keeps), or the problems the form itself can see."""
    errors: dict[str, list[str]] = {}
    names = dict(commissioning_partners(place))
    term = {}
    for name in DATES:
        day, said = read_date(*(str(sent.get(f"{name}-{p}", "")) for p in ("day", "month", "year")))
        if said:
            errors[name] = said
        term[name] = day
    value = _pounds(str(sent.get("annual_value", "")), errors)
    chosen = [c for c in sent.getlist("commissioners") if c in names]
    if not chosen:
        errors["commissioners"] = ["Choose who commissions the contract"]
    if errors:
        return None, errors
    data: dict[str, Any] = {
        "id": contract.id if contract else str(sent.get("id", "")).strip(),
        "name": str(sent.get("name", "")).strip(),
        "commissioners": [{"code": c, "name": names[c]} for c in chosen],
        "providers": _providers(sent, contract),
        "term": term,
        "annual_value": value,
    }
    fund, scheme = str(sent.get("fund", "")).strip(), str(sent.get("scheme", "")).strip()
    if fund or scheme:
        data["funding"] = {"fund": fund, "scheme": scheme}
    data["periods"] = str(sent.get("periods", ""))
    data["mechanism"] = _mechanism(contract, value)
    return data, {}


def _pounds(text: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        found = Decimal(text.replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        errors["annual_value"] = ["Enter the contract's value a year in pounds, like 120000.00"]
        return None
    if not found.is_finite() or found != found.quantize(Decimal("0.01")) or found < 0:
        errors["annual_value"] = ["Enter the value in pounds and pence, 0 or more"]
        return None
    return found


def _providers(sent: QueryDict, contract: Contract | None) -> list[dict[str, str]]:
    if contract is not None:
        return [p.model_dump() for p in contract.providers]
    code = str(sent.get("provider_code", "")).strip().upper()
    return [{"code": code, "name": str(sent.get("provider_name", "")).strip()}]


def _mechanism(contract: Contract | None, value: Decimal | None) -> dict[str, Any]:
    """A new contract pays its value as a block; an edited one keeps its mechanism (a block's
    annual sum follows the value)."""
    if contract is None or contract.mechanism.kind == "block":
        return {"kind": "block", "annual": value}
    return contract.mechanism.model_dump(exclude_none=True)


def as_yaml(data: dict[str, Any]) -> str:
    return yamlio.dump(data)


def placed(problems: list[Any]) -> dict[str, list[str]]:
    """The library's problems with the form's file, each beside its field."""
    return by_field(problems, FIELD_OF, "name")


def as_sent(sent: QueryDict) -> dict[str, Any]:
    """What the person sent, to show in the form again (named as ``initial`` names them)."""
    fields: dict[str, Any] = {k.replace("-", "_"): v for k, v in sent.dict().items()}
    return fields | {"commissioners": sent.getlist("commissioners")}


def in_order(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The errors in the order of the fields on the page, for the summary above them."""
    return {
        k: errors[k] for k in sorted(errors, key=lambda k: ORDER.index(k) if k in ORDER else 99)
    }
