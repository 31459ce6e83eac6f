"""A provider contract as data: parties, term, value, funding, periods and how it pays.

The payment mechanism is a union discriminated on ``kind``; each kind is a frozen model here
and a pure engine in its own module (``block``, ``activity``, ``capitation``, ``aligned``).
A new kind is one line in ``Mechanism`` and one in ``statement.ENGINES``. Shapes and values
are checked by pydantic; the rules between fields (a term that ends before it starts, bands
out of order, a floor above the cap) by ``load.check``, so each is named at its own path.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field

from onebudget.contracts.fields import (
    CommissionerCode,
    Id,
    Name,
    OdsCode,
    Pounds,
    Step,
    Strict,
    figure,
    number,
    printable,
)
from onebudget.contracts.mechanisms import (
    Activity,
    ActivityLine,
    AlignedLine,
    AlignedPayment,
    Band,
    Block,
    Capitation,
    Segment,
)
from onebudget.contracts.model_outcomes import Alliance, OutcomeBased, PrimeProvider
from onebudget.contracts.periods import Frequency
from onebudget.figures import pounds

__all__ = [
    "ONE_PROVIDER",
    "Activity",
    "ActivityLine",
    "AlignedLine",
    "AlignedPayment",
    "Alliance",
    "Band",
    "Block",
    "Capitation",
    "Commissioner",
    "Contract",
    "Funding",
    "Mechanism",
    "OutcomeBased",
    "Party",
    "PrimeProvider",
    "Segment",
    "Step",
    "Term",
    "figure",
    "number",
    "pounds",
]  # fmt: skip


class Party(Strict):
    code: OdsCode
    name: Name


class Commissioner(Strict):
    code: CommissionerCode
    name: Name


class Term(Strict):
    start: date
    end: date  # the last day of the contract


class Funding(Strict):
    """The pooled fund (its agreement's id) and scheme whose money pays the contract."""

    fund: Id
    scheme: Annotated[str, Field(min_length=1, max_length=40), AfterValidator(printable)]


Mechanism = Annotated[
    Block | Activity | Capitation | AlignedPayment | OutcomeBased | Alliance | PrimeProvider,
    Field(discriminator="kind"),
]
ONE_PROVIDER = frozenset({"block", "activity", "capitation", "aligned_payment"})


class Contract(Strict):
    id: Id
    name: Name
    commissioners: tuple[Commissioner, ...] = Field(min_length=1)
    providers: tuple[Party, ...] = Field(min_length=1)
    term: Term
    annual_value: Pounds
    funding: Funding | None = None
    periods: Frequency
    mechanism: Mechanism
