"""The pooled fund from an agreed Better Care Fund plan: the plan as a Section 75 agreement.

One fund scheme per BCF scheme, paid for by the partner that contributes the scheme's
funding stream (the framework year's stream ``contributor``): a jointly commissioned scheme
is still paid for by its stream's contributor, as commissioning is who buys, not who pays.
The agreement is returned as plain data in the agreement's YAML schema, never as the funds
engine's model: engines do not import each other, so the caller (the CLI, the service)
validates it with ``onebudget.funds.validation.load_agreement``.

What the plan does not say is given: the host partner and the pool manager, and the risk
share. The risk-share defaults are the agreement's own plainest ones, an overspend shared
and an underspend returned pro rata to each scheme's contributions, which with one
contributor per scheme means each partner bears its own schemes' variances. They are
defaults, not advice: the partners must agree the clauses they sign (ADR 0021).

Only an agreed plan becomes a fund: a plan with any problem from ``check_plan`` (a stream
not planned to the penny, the adult social care minimum short, a condition not confirmed)
is refused with those problems, except the framework's named gaps (figures the definitions
do not have), which are reported as notes and do not block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from onebudget.bcf.checks import check_plan
from onebudget.bcf.framework import YEAR, Framework
from onebudget.bcf.plan import Plan
from onebudget.figures import pounds
from onebudget.io import yamlio
from onebudget.io.problems import Problem
from onebudget.money import ZERO

PREFIX = "BCF-"
# The agreement's own defaults: pro rata to the scheme's contributions, underspend returned
PRO_RATA: Mapping[str, Any] = {"rule": "pro_rata"}
RETURN: Mapping[str, Any] = {"treatment": "return"}
NOTHING_PLANNED = "a pooled fund needs at least one scheme with planned spend"


@dataclass(frozen=True)
class Built:
    """The agreement as data (``None`` when refused), the problems that refused it, and
    what a reader should know: gaps in the definitions, schemes left out."""

    agreement: dict[str, Any] | None
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def yaml(self) -> str:
        """The agreement as YAML text, as ``fund check`` reads it."""
        return yamlio.dump(self.agreement) if self.agreement is not None else ""


def scheme_code(scheme_id: str) -> str:
    """``S01`` -> ``BCF-S01``: the plan's ids have no colon, and the prefix keeps a code from
    being a word of the fund's chart of accounts (``due``, ``held``), so every id gives a
    usable code, and different ids different codes."""
    return PREFIX + scheme_id


def financial_year(year: str) -> int:
    """``2025/26`` -> 2025, the agreement's year starting 1 April."""
    found = YEAR.fullmatch(year)
    if found is None:
        raise ValueError(f"a plan year is written 2025/26, not {year!r}")
    return int(found.group(1))


def is_gap(problem: Problem, framework: Framework) -> bool:
    """A problem that names a figure the definitions lack, not a fault of the plan."""
    return problem.path.startswith(f"(framework {framework.id}).")


def contributor_codes(plan: Plan, framework: Framework) -> dict[str, str]:
    """Each stream's paying partner, by its code in the plan."""
    codes = {"council": plan.partners.council.code, "icb": plan.partners.icb.code}
    return {s.id: codes[s.contributor] for s in framework.streams}


def scheme_contributions(plan: Plan, framework: Framework) -> dict[str, dict[str, Decimal]]:
    """Each scheme's contribution by partner code, in the plan's order; schemes planning
    nothing are left out (a pooled scheme has contributions)."""
    payer = contributor_codes(plan, framework)
    return {
        scheme_code(s.id): {payer[s.source]: s.spend}
        for s in plan.schemes
        if s.spend > 0 and s.source in payer
    }


def build_agreement(
    plan: Plan,
    framework: Framework,
    *,
    host: str,
    pool_manager: str,
    overspend: Mapping[str, Any] = PRO_RATA,
    underspend: Mapping[str, Any] = RETURN,
) -> Built:
    """The Section 75 agreement for an agreed plan, or the problems that refuse it."""
    found = check_plan(plan, framework)
    notes = [f"{p.path}: {p.rule}" for p in found if is_gap(p, framework)]
    problems = tuple(p for p in found if not is_gap(p, framework))
    if not any(s.spend > 0 for s in plan.schemes):
        problems += (Problem(path="schemes", value=None, rule=NOTHING_PLANNED),)
    if problems:
        return Built(None, problems, tuple(notes))
    notes += [
        f"scheme {s.id} plans {pounds(s.spend)}: a pooled scheme needs contributions, so it "
        "is not in the agreement"
        for s in plan.schemes
        if s.spend == 0
    ]
    payer = contributor_codes(plan, framework)
    data = _head(plan, host, pool_manager)
    data["schemes"] = [
        {
            "code": scheme_code(s.id),
            "name": s.name,
            "budget": "pooled",
            "contributions": {payer[s.source]: s.spend},
            "overspend": dict(overspend),
            "underspend": dict(underspend),
        }
        for s in plan.schemes
        if s.spend > 0
    ]
    return Built(data, (), tuple(notes))


def _head(plan: Plan, host: str, pool_manager: str) -> dict[str, Any]:
    """Everything but the schemes: the notice, instalments and cascade written out as the
    agreement's defaults, so the partners see what they sign."""
    return {
        "id": f"BCF-{plan.hwb.code}-{plan.year.replace('/', '-')}",
        "name": f"{plan.hwb.name} Better Care Fund pooled budget {plan.year}",
        "financial_year": financial_year(plan.year),
        "host": host,
        "pool_manager": pool_manager,
        "partners": [
            {"code": plan.partners.council.code, "name": plan.partners.council.name},
            {"code": plan.partners.icb.code, "name": plan.partners.icb.name},
        ],
        "instalments": "monthly",
        "notice": {"withdrawal_months": 12, "reduction_months": 3},
        "cascade": False,
        "risk_reserve": {},
    }


def by_partner(agreement: Mapping[str, Any]) -> dict[str, Decimal]:
    """Each partner's contributions to the agreement's schemes, before variations."""
    total: dict[str, Decimal] = {}
    for s in agreement["schemes"]:
        for partner, amount in s["contributions"].items():
            total[partner] = total.get(partner, ZERO) + amount
    return total
