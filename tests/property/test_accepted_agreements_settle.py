"""Property: whatever ``fund check`` accepts, ``fund settle`` settles.

Agreements are generated as a careless or hostile author would write them (negative and
fractional amounts, percentages, text where numbers go, ``own`` nested inside other rules,
variations that withdraw every penny, negative reserves, unknown keys) and read through the
same loader as ``fund check``. An agreement it accepts must settle for any outturn, forecast
at any quarter and profile its budget, with every split adding up: never an exception from
deep inside the arithmetic. Before issue 12, a tiered rule whose remainder was ``own`` and a
variation withdrawing a scheme's whole contribution passed the check and crashed the
settlement.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.funds.agreement import Agreement, AgreementError
from onebudget.funds.monitoring import (
    MonthlyFigure,
    budget_profile,
    forecast_settlement,
    instalments,
)
from onebudget.funds.settlement import Outturn, settle
from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from onebudget.money import ZERO

PARTNERS = ("A", "B", "C")
who = st.sampled_from(PARTNERS)


# Values as a careful author writes them...
pounds = st.integers(1, 10**7).map(lambda p: Decimal(p) / 100)
percents = st.integers(0, 100).map(Decimal)
GOOD_RULES = st.one_of(
    st.just({"rule": "pro_rata"}),
    st.sampled_from(["scheme", "fund"]).map(lambda b: {"rule": "pro_rata", "basis": b}),
    st.just({"rule": "host"}),
    percents.map(lambda x: {"rule": "fixed", "shares": {"A": x, "B": 100 - x}}),
)
# ...and as a careless or hostile one does: negatives, fractions of a penny, text, nesting
BAD_NUMBERS = st.one_of(
    st.integers(-500, -1).map(lambda p: Decimal(p) / 100),
    st.decimals(-(10**6), 10**6, places=3),
    st.sampled_from(["fifty", "10%", "1e400", "", None, True, [1]]),
)
BAD_RULES = st.one_of(
    st.just({"rule": "own"}),
    st.just({"rule": "pro_rata", "basis": "place"}),
    st.just({"rule": "pro_rata", "excess-to": "A"}),
    st.fixed_dictionaries(
        {"rule": st.just("fixed"), "shares": st.dictionaries(who, st.integers(-5, 150))}
    ),
)


class Values:
    """The strategies for one document: careless numbers, careless rules, or both."""

    def __init__(self, numbers: bool, rules: bool) -> None:
        self.numbers = st.one_of(pounds, BAD_NUMBERS) if numbers else pounds
        percent = st.decimals(0, 300, places=2)
        percent = st.one_of(percent, st.decimals(-1, 100, places=7)) if numbers else percent
        basis = st.sampled_from(["scheme", "fund", "x"] if rules else ["scheme", "fund"])
        self.caps = st.one_of(
            st.just("contribution"),
            self.numbers,
            st.fixed_dictionaries({"percent": percent}, optional={"of": basis}),
        )
        self.base = st.one_of(GOOD_RULES, BAD_RULES) if rules else GOOD_RULES

    def rules(self) -> st.SearchStrategy[Any]:
        return st.recursive(
            self.base,
            lambda inner: st.one_of(
                st.fixed_dictionaries(
                    {
                        "rule": st.just("capped"),
                        "of": inner,
                        "caps": st.dictionaries(who, self.caps, min_size=1),
                    },
                    optional={"excess_to": st.one_of(who, st.just("joint decision"))},
                ),
                st.fixed_dictionaries(
                    {"rule": st.just("tiered"), "first": self.numbers, "partner": who},
                    optional={"then": inner},
                ),
            ),
            max_leaves=3,
        )


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    v = Values(numbers=draw(st.booleans()), rules=draw(st.booleans()))
    schemes = []
    for i in range(draw(st.integers(1, 3))):
        scheme: dict[str, Any] = {
            "code": f"S{i}",
            "name": f"Scheme {i}",
            "contributions": draw(st.dictionaries(who, v.numbers, min_size=1, max_size=3)),
            "overspend": draw(v.rules()),
        }
        if draw(st.booleans()):
            scheme["underspend"] = {"treatment": "return", "rule": draw(v.rules())}
        if i > 0 and draw(st.booleans()):
            scheme |= {"budget": "aligned", "overspend": {"rule": "own"}}
        schemes.append(scheme)
    return {
        "id": "S75-FUZZ",
        "name": "Generated",
        "financial_year": 2025,
        "host": draw(who),
        "pool_manager": "Pool manager",
        "partners": [{"code": p, "name": p} for p in PARTNERS],
        "cascade": draw(st.booleans()),
        "risk_reserve": draw(st.dictionaries(who, v.numbers, max_size=2)),
        "schemes": schemes,
        "variations": draw(st.lists(variations(schemes, v), max_size=2))
        + draw(withdrawals(schemes)),
    }


@st.composite
def withdrawals(draw: st.DrawFn, schemes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sometimes a partner withdraws the whole of its contribution to a scheme."""
    out = []
    for s in schemes:
        for partner, put_in in s["contributions"].items():
            if isinstance(put_in, Decimal) and put_in > 0 and draw(st.integers(0, 3)) == 0:
                out.append(
                    {
                        "id": f"W-{s['code']}-{partner}",
                        "effective": draw(st.dates(date(2025, 4, 1), date(2026, 3, 31))),
                        "scheme": s["code"],
                        "partner": partner,
                        "change": -put_in,
                        "agreed_by": ["Both"],
                        "agreed_on": date(2024, 1, 1),
                    }
                )
    return out


def variations(schemes: list[dict[str, Any]], v: Values) -> st.SearchStrategy[dict[str, Any]]:
    """A variation: an increase, or a reduction (withdrawals included) with notice given."""
    change = st.one_of(v.numbers, pounds.map(lambda x: -x))
    return st.fixed_dictionaries(
        {
            "id": st.just("V"),
            "effective": st.dates(date(2025, 4, 1), date(2026, 3, 31)),
            "scheme": st.sampled_from([s["code"] for s in schemes]),
            "partner": who,
            "change": change,
            "agreed_by": st.just(["Both"]),
            "agreed_on": st.just(date(2024, 1, 1)),
        }
    )


def accepted(document: dict[str, Any]) -> Agreement | None:
    try:
        return load_agreement(yamlio.dump(document), source="generated.yaml")
    except AgreementError as error:
        if not error.problems:
            raise AssertionError("refused with no problem named") from None
        return None


def spend(draw: Any) -> Decimal:
    return Decimal(draw(st.integers(0, 2 * 10**9))) / 100


WITHDRAWN = {
    "id": "S75-FUZZ",
    "name": "Every penny withdrawn",
    "financial_year": 2025,
    "host": "A",
    "pool_manager": "Pool manager",
    "partners": [{"code": "A", "name": "A"}, {"code": "B", "name": "B"}],
    "schemes": [{"code": "S0", "name": "S", "contributions": {"A": "100.00"}}],
    "variations": [
        {
            "id": "V",
            "effective": date(2025, 6, 1),
            "scheme": "S0",
            "partner": "A",
            "change": "-100.00",
            "agreed_by": ["Both"],
            "agreed_on": date(2024, 1, 1),
        }
    ],
}
TIERED_OWN = WITHDRAWN | {
    "variations": [],
    "schemes": [
        {
            "code": "S0",
            "name": "S",
            "contributions": {"A": "100.00", "B": "50.00"},
            "overspend": {
                "rule": "tiered",
                "first": "10.00",
                "partner": "B",
                "then": {"rule": "own"},
            },
        }
    ],
}


@settings(
    max_examples=int(os.environ.get("FUND_EXAMPLES", "1500")) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(document=documents(), data=st.data())
def test_an_agreement_that_passes_the_check_settles(
    document: dict[str, Any], data: st.DataObject
) -> None:
    agreement = accepted(document)
    if agreement is None:
        return
    draw = data.draw
    pooled = {s.code: spend(draw) for s in agreement.schemes if s.budget == "pooled"}
    aligned = {
        s.code: {p: spend(draw) for p in draw(st.sets(who))}
        for s in agreement.schemes
        if s.budget == "aligned"
    }
    result = settle(agreement, Outturn(pooled, aligned))
    for s in result.schemes:
        assert s.cascade + s.reserve + s.overspend.total - s.underspend.total == s.variance
        for share in [*s.overspend.shares.values(), *s.underspend.returned.values()]:
            assert share == share.quantize(Decimal("0.01"))
    figures = [MonthlyFigure(code, 1, amount) for code, amount in pooled.items()]
    for quarter in (1, 4):
        forecast_settlement(agreement, figures, 3 * quarter)
    for s in agreement.schemes:
        assert sum(budget_profile(agreement, s.code), ZERO) == sum(
            agreement.contributions(s.code).values(), ZERO
        )
        for partner in agreement.contributions(s.code):
            paid = sum((a for _, a in instalments(agreement, s.code, partner)), ZERO)
            assert paid == agreement.contributions(s.code)[partner]


@pytest.mark.parametrize(
    ("document", "rule"),
    [
        (WITHDRAWN, "keeps contributions after its variations"),
        (TIERED_OWN, "never within a rule"),
    ],
    ids=["withdrawn", "tiered-own"],
)
def test_the_two_agreements_that_used_to_crash_the_settlement_are_refused(
    document: dict[str, Any], rule: str
) -> None:
    """Each used to pass the check and then fail inside ``settle``."""
    with pytest.raises(AgreementError) as refused:
        load_agreement(yamlio.dump(document), source="generated.yaml")
    assert any(rule in p.rule for p in refused.value.problems), refused.value.problems
