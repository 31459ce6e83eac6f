"""Spec (issue 18, item 6): who pays, who gains. On the tiny place of ``test_engine`` the
council pays for falls prevention (£2,200 in year 1, £4,800 in year 2) and the ICB's acute
budget saves the same. Funding follows the gain, so the ICB pays it all: £2,200 moves from
the council's budgets to the ICB's in year 1. The first year, written as a pooled scheme,
is accepted by the pooled-fund engine as part of an agreement, and settles."""

from __future__ import annotations

from decimal import Decimal

from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from onebudget.scenarios.engine import Payer, simulate
from onebudget.scenarios.model import Uncertain
from onebudget.scenarios.shift import proposed_scheme, shifts
from tests.spec.scenarios.test_engine import falls_prevention, scenario, tiny_place

PARTNERS = ("council", "icb")
CODES = {"council": "E06099001", "icb": "QZZ"}


def test_the_partner_who_gains_pays_and_the_scheme_is_an_agreements() -> None:
    once = simulate(tiny_place(), scenario(falls_prevention(), runs=1))
    found = shifts(once, {"falls-prevention": "council"}, PARTNERS)
    first, second = found
    assert first.borne == {"council": Decimal("2200.00"), "icb": Decimal("0.00")}
    assert first.saved == {"council": Decimal("0.00"), "icb": Decimal("2200.00")}
    assert first.share == {"council": Decimal("0.00"), "icb": Decimal("2200.00")}
    assert first.moved == {"council": Decimal("-2200.00"), "icb": Decimal("2200.00")}
    assert second.share["icb"] == Decimal("4800.00")
    scheme = proposed_scheme(first, "SHIFT", "Falls prevention, funded by the gain", CODES)
    agreement = yamlio.dump(
        {
            "id": "S75-FERN-2026",
            "name": "Fernmouth pooled fund 2026/27",
            "financial_year": 2026,
            "host": "E06099001",
            "pool_manager": "Pat Pool",
            "partners": [
                {"code": "E06099001", "name": "Fernmouth Council"},
                {"code": "QZZ", "name": "NHS Fernmouth ICB"},
            ],
            "schemes": [scheme],
        }
    )
    loaded = load_agreement(agreement, source="agreement.yaml")
    assert loaded.contributions("SHIFT") == {
        "E06099001": Decimal("0.00"),
        "QZZ": Decimal("2200.00"),
    }


def test_where_nothing_is_saved_each_partner_pays_what_it_bears() -> None:
    none = (("emergency_admission", Uncertain(point=0.0), Payer("icb", "acute")),)
    nothing = falls_prevention(effects=none)
    once = simulate(tiny_place(), scenario(nothing, runs=1))
    (first, _) = shifts(once, {"falls-prevention": "council"}, PARTNERS)
    assert first.share == first.borne
    assert first.moved == {"council": Decimal("0.00"), "icb": Decimal("0.00")}
