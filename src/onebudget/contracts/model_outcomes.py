"""The contract file's outcome-based, alliance and prime-provider mechanisms, as frozen models.

Each follows its engine's terms (``outcome_terms``, ``alliance``, ``prime``) field for field;
``outcome_contracts`` turns them into those terms and works them, so no rule is written twice.
Amounts a year (an outcome contract's value, an alliance budget, a prime's block) are split
into the period's instalment as a block is; every other amount is the period's: a floor and a
cap, a saving's baseline cost, a member's cap, a fixed subcontract.

An outcome-based contract names its indicators by the outcomes engine's indicator ids (the
file names in ``definitions/indicators``, read as files: engines never import each other),
and its results come in the period's inputs by the same ids. A prime's own payment, and a
subcontract's when it has one, is one of the one-provider mechanisms (``block``,
``activity``, ``capitation``, ``aligned_payment``), nested under ``kind``: the nested union
holds only those four, so a prime paid by an alliance, or a nested prime, is refused by
pydantic as an unknown ``kind`` at its own path.

Loaded by ``model`` into its ``Mechanism`` union, part way down, once the field types it
uses are defined: so import ``model`` (or anything that imports it) before this module.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from onebudget.contracts.fields import LineName, Number, OdsCode, Percent, Pounds, Strict
from onebudget.contracts.mechanisms import Activity, AlignedPayment, Block, Capitation

Polarity = Literal["higher is better", "lower is better"]


@cache
def indicator_ids() -> frozenset[str]:
    """The ids of the indicator definitions shipped with the library: their file names."""
    folder = resources.files("onebudget") / "definitions" / "indicators"
    return frozenset(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def _indicator(text: str) -> str:
    if text not in indicator_ids():
        raise ValueError("an indicator id of the outcomes engine, e.g. falls-65-plus")
    return text


IndicatorId = Annotated[str, AfterValidator(_indicator)]


class Linear(Strict):
    """Nothing at the baseline, the pot at the target; ``stretch_percent`` more at the
    stretch."""

    kind: Literal["linear"]
    stretch_percent: Number = Decimal(0)  # of the pot, past the target


class Threshold(Strict):
    at: Number
    percent: Number  # of the pot


class Stepped(Strict):
    """The furthest threshold reached pays its percentage of the pot."""

    kind: Literal["stepped"]
    thresholds: tuple[Threshold, ...] = Field(min_length=1)


class OutcomeIndicator(Strict):
    indicator: IndicatorId
    weight: Number = Decimal(1)
    baseline: Number
    target: Number
    stretch: Number | None = None
    polarity: Polarity
    gradient: Annotated[Linear | Stepped, Field(discriminator="kind")] = Linear(kind="linear")
    significant: bool = False  # paid only if the 95% interval excludes the baseline


class PerUnitOutcome(Strict):
    """A price per unit of improvement on the baseline; ``outcome`` names its result line."""

    outcome: LineName
    baseline: Number
    price: Pounds
    polarity: Polarity
    significant: bool = False


class Saving(Strict):
    baseline_cost: Pounds  # the period's
    share_percent: Percent
    minimum_rate_percent: Percent = Decimal(0)
    basis: Literal["whole saving", "above the rate"] = "whole saving"


class OutcomeBased(Strict):
    """A share of the value at risk, earned by indicators, per-unit outcomes and a saving."""

    kind: Literal["outcome_based"]
    annual: Pounds  # the contract's value a year; the period's is its instalment
    at_risk_percent: Percent
    indicators: tuple[OutcomeIndicator, ...] = ()
    per_unit: tuple[PerUnitOutcome, ...] = ()
    saving: Saving | None = None
    floor: Pounds | None = None  # on the period's outcome payment
    cap: Pounds | None = None


class AllianceMember(Strict):
    provider: OdsCode
    gain_percent: Percent
    pain_percent: Percent | None = None  # the gain share, unless stated
    max_gain: Pounds | None = None  # in a period
    max_loss: Pounds | None = None


class Alliance(Strict):
    """The members share the gain or pain against the alliance budget."""

    kind: Literal["alliance"]
    budget: Pounds  # a year; the period's is its instalment
    members: tuple[AllianceMember, ...] = Field(min_length=1)
    excess: Literal["redistribute", "commissioner"] = "redistribute"


# A prime's or subcontractor's own payment: one of the one-provider kinds only
OneProvider = Annotated[Block | Activity | Capitation | AlignedPayment, Field(discriminator="kind")]


class SubcontractTerms(Strict):
    """Exactly one of a fixed sum in the period, a share of the prime's payment, or the
    subcontract's own mechanism (``load.check`` names a subcontract with none or several)."""

    provider: OdsCode
    fixed: Pounds | None = None
    share_percent: Percent | None = None
    mechanism: OneProvider | None = None
    fee_percent: Percent | None = None  # the prime's fee on it; the contract's, unless stated


class PrimeProvider(Strict):
    """The commissioner pays the prime by its own mechanism; the prime pays on."""

    kind: Literal["prime_provider"]
    prime: OdsCode
    prime_mechanism: OneProvider
    fee_percent: Percent = Decimal(0)
    subcontracts: tuple[SubcontractTerms, ...] = ()
