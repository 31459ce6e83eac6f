"""A plan changed after sign-off: the new plan version as variations of the fund's agreement.

The agreement built from version N has already taken instalments by the time version N+1 is
agreed, so a changed amount is never written over the amount signed: each partner's change
to each scheme is one variation (the agreement's schema: id, effective, scheme, partner,
change, agreed_by, agreed_on, reason), which the funds engine spreads over the instalments
left. The variations are returned as plain data, like the agreement itself; the caller adds
them and validates the whole with ``load_agreement``, whose rules (notice for a reduction or
withdrawal, no scheme varied to nothing) still apply.

What a variation cannot say is a problem, not a guess: a scheme new in version N+1 (a new
scheme is agreed with its contributions, by a new version of the agreement), another year or
other partners, and the problems that keep version N+1 from being an agreed plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from onebudget.bcf.checks import check_plan
from onebudget.bcf.framework import Framework
from onebudget.bcf.plan import Plan
from onebudget.bcf.to_fund import financial_year, is_gap, scheme_contributions
from onebudget.io.problems import Problem
from onebudget.money import ZERO, exact

REASON = "Better Care Fund plan varied after sign-off"


@dataclass(frozen=True)
class Varied:
    """The variations that take the agreement to the new plan version, or the problems."""

    variations: tuple[dict[str, Any], ...] = ()
    problems: tuple[Problem, ...] = ()


def current(agreement: Mapping[str, Any]) -> dict[str, dict[str, Decimal]]:
    """Each scheme's contributions by partner for the year, with every variation so far."""
    found = {
        s["code"]: {p: exact(v) for p, v in s["contributions"].items()}
        for s in agreement["schemes"]
    }
    for v in agreement.get("variations", ()):
        partners = found.setdefault(v["scheme"], {})
        partners[v["partner"]] = partners.get(v["partner"], ZERO) + exact(v["change"])
    return found


def mismatches(agreement: Mapping[str, Any], plan: Plan) -> list[Problem]:
    """A plan version of another year or other partners is not a variation of this fund."""
    found = []
    year = financial_year(plan.year)
    if agreement["financial_year"] != year:
        rule = f"the agreement's year {agreement['financial_year']}: a new year is a new agreement"
        found.append(Problem(path="year", value=plan.year, rule=rule))
    partners = sorted(p["code"] for p in agreement["partners"])
    codes = sorted([plan.partners.council.code, plan.partners.icb.code])
    if partners != codes:
        rule = f"the agreement's partners {partners}: other partners are a new agreement"
        found.append(Problem(path="partners", value=codes, rule=rule))
    return found


def changes(
    before: Mapping[str, Mapping[str, Decimal]], after: Mapping[str, Mapping[str, Decimal]]
) -> list[tuple[str, str, Decimal]]:
    """(scheme, partner, change) taking every scheme of ``before`` to ``after``: a scheme or
    partner not in ``after`` goes to nothing. In the agreement's order of schemes, then
    partners as they first appear."""
    steps = []
    for scheme, now in before.items():
        wanted = after.get(scheme, {})
        for partner in [*now, *(p for p in wanted if p not in now)]:
            change = wanted.get(partner, ZERO) - now.get(partner, ZERO)
            if change:
                steps.append((scheme, partner, change))
    return steps


def vary(
    agreement: Mapping[str, Any],
    plan: Plan,
    framework: Framework,
    *,
    effective: date,
    agreed_by: Sequence[str],
    agreed_on: date,
    reason: str = REASON,
) -> Varied:
    """The variations from the agreement (as data, valid by ``load_agreement``) to plan
    ``plan``'s next version, each effective and agreed on the dates given."""
    problems = [p for p in check_plan(plan, framework) if not is_gap(p, framework)]
    problems += mismatches(agreement, plan)
    before = current(agreement)
    after = scheme_contributions(plan, framework)
    problems += [
        Problem(
            path="schemes",
            value=code,
            rule="a scheme new in this plan version is agreed with its contributions in a new "
            "version of the agreement, not by a variation",
        )
        for code in after
        if code not in before
    ]
    if problems:
        return Varied((), tuple(problems))
    steps = changes(before, after)
    ids = variation_ids(agreement, len(steps))
    return Varied(
        tuple(
            {
                "id": vid,
                "effective": effective,
                "scheme": scheme,
                "partner": partner,
                "change": change,
                "agreed_by": list(agreed_by),
                "agreed_on": agreed_on,
                "reason": reason,
            }
            for vid, (scheme, partner, change) in zip(ids, steps, strict=True)
        )
    )


def variation_ids(agreement: Mapping[str, Any], count: int) -> list[str]:
    """``count`` ids V1, V2... after those the agreement has, skipping any already used."""
    used = {str(v["id"]) for v in agreement.get("variations", ())}
    found: list[str] = []
    n = len(used)
    while len(found) < count:
        n += 1
        if f"V{n}" not in used:
            found.append(f"V{n}")
    return found


def varied(agreement: Mapping[str, Any], result: Varied) -> dict[str, Any]:
    """The agreement with the variations added after those it has."""
    return {**agreement, "variations": [*agreement.get("variations", ()), *result.variations]}
