"""Who pays, who gains: the shift of money between partners a portfolio implies, written as a
pooled scheme the pooled-fund engine accepts, so a scenario becomes a plan without retyping.

The rule (stated on every output): **funding follows the gain**. Each year the portfolio's
cost is shared between the partners in proportion to the savings each receives (in the
deterministic run), split to the penny; where nothing is saved, each partner pays what it
bears. The shift is a partner's share less what it bears: the ICB, whose acute budget gains
from fewer admissions, pays towards the council's reablement, say.

The scheme is the portfolio's first year as a pooled scheme of a Section 75 agreement
(``code``, ``name``, each partner's contribution): added to next year's agreement, the
agreement's own checks, monitoring and settlement apply to it as to any scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onebudget.money import ZERO, allocate
from onebudget.scenarios.engine import Runs
from onebudget.scenarios.summary import pence

RULE = "funding follows the gain: each year's cost shared in proportion to each partner's saving"


@dataclass(frozen=True)
class YearShift:
    year: int  # 1 = the first year after the baseline
    borne: dict[str, Decimal]  # what each partner's budgets pay for the interventions
    saved: dict[str, Decimal]  # what each partner saves
    share: dict[str, Decimal]  # what each pays once funding follows the gain

    @property
    def moved(self) -> dict[str, Decimal]:
        """Positive: a partner pays more than it bears (it gains); negative: less."""
        return {p: self.share[p] - self.borne.get(p, ZERO) for p in self.share}


def shifts(once: Runs, bearers: Mapping[str, str], partners: tuple[str, ...]) -> list[YearShift]:
    """Each year's shift, from the deterministic run (``once``) and each intervention's
    bearer (its id to "council" or "icb")."""
    years = once.activity.shape[1]
    found = []
    for y in range(1, years):
        borne = dict.fromkeys(partners, ZERO)
        for key, paid in once.intervention_cost.items():
            borne[bearers[key]] += pence(float(paid[0, y]))
        saved = dict.fromkeys(partners, ZERO)
        for (partner, _), amount in once.saving.items():
            saved[partner] += max(pence(float(amount[0, y])), ZERO)
        total = sum(borne.values(), ZERO)
        weights = [saved[p] for p in partners]
        shares = allocate(total, weights) if any(weights) else [borne[p] for p in partners]
        found.append(YearShift(y, borne, saved, dict(zip(partners, shares, strict=True))))
    return found


def proposed_scheme(
    first: YearShift, code: str, name: str, partner_codes: Mapping[str, str]
) -> dict[str, Any]:
    """The portfolio's first year as a pooled scheme (each partner by its code), as an
    agreement file writes one."""
    return {
        "code": code,
        "name": name,
        "budget": "pooled",
        "contributions": {partner_codes[p]: amount for p, amount in first.share.items()},
    }
