"""The checks of a Better Care Fund plan against its year's framework, as it is written.

Each check is a pure function of the plan and the framework returning problems (never
raising for a bad plan): the place in the file, the value found, the rule, and where money is
short or over, ``shortfall`` in pounds, exact to the penny (negative: an excess). A check
that needs a figure the definitions do not have says so by name instead of guessing.

Rounding: the NHS minimum contribution to adult social care must be at least last year's
figure uplifted by the year's percentage. The uplifted figure is rounded to the penny, half
up, once (``money.D``, the project's one rounding of money). The frameworks state the uplift
as a percentage and do not say how to round it; rounding half up is our choice (ADR 0021),
and it asks for the larger penny when the uplift falls on a half, so a plan that passes here
is never a penny short by the other reading: £1,015.00 with 3.9% requires £1,054.59
(1,054.585 half up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from onebudget.bcf.capacity import capacity_gaps, months_missing
from onebudget.bcf.framework import Framework, gaps
from onebudget.bcf.plan import QUARTERS, Plan, Scheme
from onebudget.figures import pounds
from onebudget.io.problems import Problem
from onebudget.money import ZERO, D, allocate


class PlanProblem(Problem):
    """A problem in a plan; ``shortfall`` is the money short (negative: over), if any."""

    shortfall: Decimal | None = None


@dataclass(frozen=True)
class Balance:
    """One stream: its allocation, what the schemes funded from it plan, and what is left."""

    stream: str
    allocation: Decimal
    planned: Decimal

    @property
    def unplanned(self) -> Decimal:
        """Allocation less planned spend: positive is unplanned, negative is over."""
        return self.allocation - self.planned


def balances(plan: Plan, framework: Framework) -> list[Balance]:
    """Each stream allocated or funding a scheme, in the framework's order."""
    used = set(plan.allocations) | {s.source for s in plan.schemes}
    order = [s for s in framework.stream_ids if s in used] + sorted(
        used - set(framework.stream_ids)
    )
    return [
        Balance(
            stream,
            plan.allocations.get(stream, ZERO),
            sum((s.spend for s in plan.schemes if s.source == stream), ZERO),
        )
        for stream in order
    ]


def check_streams(plan: Plan, framework: Framework) -> list[Problem]:
    """Every pound of every stream planned, and no more."""
    known = set(framework.stream_ids)
    found: list[Problem] = [
        PlanProblem(path=f"allocations.{k}", value=k, rule=_not_a_stream(framework))
        for k in plan.allocations
        if k not in known
    ]
    found += [
        PlanProblem(path=f"schemes.{i}.source", value=s.source, rule=_not_a_stream(framework))
        for i, s in enumerate(plan.schemes)
        if s.source not in known
    ]
    for b in balances(plan, framework):
        if b.unplanned:
            words = "unplanned" if b.unplanned > 0 else "over"
            rule = (
                f"{pounds(abs(b.unplanned))} {words}: allocation {pounds(b.allocation)}, "
                f"schemes funded from {b.stream} plan {pounds(b.planned)}"
            )
            found.append(
                PlanProblem(
                    path=f"allocations.{b.stream}",
                    value=b.planned,
                    rule=rule,
                    shortfall=b.unplanned,
                )
            )
    return found


def _not_a_stream(framework: Framework) -> str:
    return f"a funding stream of {framework.year}: one of {', '.join(framework.stream_ids)}"


def asc_minimum(last_year: Decimal, uplift_percent: Decimal) -> Decimal:
    """Last year's figure uplifted, rounded to the penny half up (see the module's note)."""
    return D(last_year * (1 + uplift_percent / 100))


def _spend(plan: Plan, stream: str, flag: Callable[[Scheme], bool]) -> Decimal:
    return sum((s.spend for s in plan.schemes if s.source == stream and flag(s)), ZERO)


def check_adult_social_care(plan: Plan, framework: Framework) -> list[Problem]:
    """The NHS minimum contribution to adult social care kept at last year's, uplifted."""
    uplift = framework.asc_uplift_percent
    if uplift.value is None:
        what = "the uplift of the NHS minimum contribution to adult social care"
        return [_gap("asc_uplift_percent", framework, what, uplift.missing)]
    if plan.asc_last_year is None:
        rule = "last year's NHS minimum contribution to adult social care, to uplift"
        return [PlanProblem(path="asc_last_year", value=None, rule=rule)]
    required = asc_minimum(plan.asc_last_year, uplift.value)
    nhs = framework.stream("nhs_minimum").id
    planned = _spend(plan, nhs, lambda s: s.adult_social_care)
    if planned >= required:
        return []
    rule = (
        f"{pounds(required - planned)} short: the NHS minimum contribution to adult social "
        f"care is {pounds(plan.asc_last_year)} + {uplift.value}% = {pounds(required)} "
        f"(to the penny, half up); schemes plan {pounds(planned)}"
    )
    return [
        PlanProblem(path="asc_last_year", value=planned, rule=rule, shortfall=required - planned)
    ]


def check_out_of_hospital(plan: Plan, framework: Framework) -> list[Problem]:
    """The minimum NHS-commissioned out-of-hospital spend, where the year sets one."""
    rule_of_year = framework.out_of_hospital
    if rule_of_year.status == "not_in_framework":
        return []  # a note, from ``notes``
    if rule_of_year.status == "missing":
        what = "whether there is a minimum NHS-commissioned out-of-hospital spend"
        return [_gap("out_of_hospital", framework, what, rule_of_year.missing)]
    if plan.out_of_hospital_minimum is None:
        rule = "the area's published minimum NHS-commissioned out-of-hospital spend"
        return [PlanProblem(path="out_of_hospital_minimum", value=None, rule=rule)]
    nhs = framework.stream("nhs_minimum").id
    planned = _spend(plan, nhs, lambda s: s.nhs_out_of_hospital)
    short = plan.out_of_hospital_minimum - planned
    if short <= 0:
        return []
    rule = (
        f"{pounds(short)} short: NHS-commissioned out-of-hospital spend is at least "
        f"{pounds(plan.out_of_hospital_minimum)}; schemes plan {pounds(planned)}"
    )
    return [PlanProblem(path="out_of_hospital_minimum", value=planned, rule=rule, shortfall=short)]


def check_dfg(plan: Plan, framework: Framework) -> list[Problem]:
    """In two-tier areas the Disabled Facilities Grant is passed to the districts in full."""
    districts = {h.code for h in plan.partners.housing_authorities}
    found: list[Problem] = [
        PlanProblem(
            path=f"dfg_passed.{code}",
            value=code,
            rule="a housing authority of the plan (partners.housing_authorities)"
            if districts
            else "a unitary council is its own housing authority: nothing is passed",
        )
        for code in plan.dfg_passed
        if code not in districts
    ]
    if not districts:
        return found
    grant = plan.allocations.get(framework.stream("dfg").id, ZERO)
    passed = sum(plan.dfg_passed.values(), ZERO)
    if passed != grant:
        words = "not passed to the housing authorities" if passed < grant else "passed over"
        rule = (
            f"{pounds(abs(grant - passed))} {words}: the Disabled Facilities Grant of "
            f"{pounds(grant)} is passed in full in a two-tier area; {pounds(passed)} passed"
        )
        found.append(
            PlanProblem(path="dfg_passed", value=passed, rule=rule, shortfall=grant - passed)
        )
    return found


def check_conditions(plan: Plan, framework: Framework) -> list[Problem]:
    """Every national condition of the year confirmed."""
    listed = framework.national_conditions
    found: list[Problem] = []
    if listed.missing is not None:
        what = "the national conditions (in full)"
        found.append(_gap("national_conditions", framework, what, listed.missing))
    ids = [c.id for c in listed.items or ()]
    for c in listed.items or ():
        given = plan.conditions.get(c.id)
        if given is None or not given.confirmed:
            value = None if given is None else given.note or False
            rule = f"national condition {c.id} confirmed: {c.wording}"
            found.append(PlanProblem(path=f"conditions.{c.id}", value=value, rule=rule))
    found += [
        PlanProblem(path=f"conditions.{k}", value=k, rule=f"a national condition: {ids}")
        for k in plan.conditions
        if k not in ids
    ]
    return found


def check_metrics(plan: Plan, framework: Framework) -> list[Problem]:
    """A trajectory for every metric of the year and every quarter."""
    if framework.metrics.items is None:
        return [_gap("metrics", framework, "the metric set", framework.metrics.missing)]
    ids = [m.id for m in framework.metrics.items]
    found: list[Problem] = [
        PlanProblem(path=f"metrics.{m.id}.{q}", value=None, rule=f"{m.name}: {q} planned")
        for m in framework.metrics.items
        for q in QUARTERS
        if q not in plan.metrics.get(m.id, {})
    ]
    found += [
        PlanProblem(path=f"metrics.{k}", value=k, rule=f"a metric of {framework.year}: {ids}")
        for k in plan.metrics
        if k not in ids
    ]
    return found


def check_scheme_types(plan: Plan, framework: Framework) -> list[Problem]:
    """Scheme types and sub-types from the year's taxonomy."""
    if framework.scheme_types.items is None:
        what = "the scheme type taxonomy"
        return [_gap("scheme_types", framework, what, framework.scheme_types.missing)]
    types = {t.name: t.sub_types for t in framework.scheme_types.items}
    found: list[Problem] = []
    for i, s in enumerate(plan.schemes):
        if s.scheme_type not in types:
            rule = f"scheme {s.id}: a scheme type of {framework.year}: {sorted(types)}"
            found.append(
                PlanProblem(path=f"schemes.{i}.scheme_type", value=s.scheme_type, rule=rule)
            )
        elif (s.sub_type or None) not in (types[s.scheme_type] or (None,)):
            subs = list(types[s.scheme_type]) or "none"
            rule = f"scheme {s.id}: a sub-type of {s.scheme_type}: {subs}"
            found.append(PlanProblem(path=f"schemes.{i}.sub_type", value=s.sub_type, rule=rule))
    return found


def check_splits(plan: Plan, framework: Framework) -> list[Problem]:
    """A jointly commissioned scheme's split adds up to 100%."""
    return [
        PlanProblem(
            path=f"schemes.{i}.split",
            value=s.split.council + s.split.icb,
            rule=f"scheme {s.id}: council and ICB shares add up to 100",
        )
        for i, s in enumerate(plan.schemes)
        if s.split is not None and s.split.council + s.split.icb != 100
    ]


def check_capacity_demand(plan: Plan, framework: Framework) -> list[Problem]:
    """Where the year asks for it, the capacity and demand plan for intermediate care: a
    line for every category of the year (where the list is known), each with demand and
    capacity for all twelve months. Capacity below demand is a note (``capacity_gaps``)."""
    asked = framework.capacity_and_demand
    if asked.required is None:
        what = "whether a capacity and demand plan for intermediate care is required"
        return [_gap("capacity_and_demand", framework, what, asked.missing)]
    if not asked.required:
        return []
    found: list[Problem] = [
        PlanProblem(path=path, value=None, rule=f"{label}: {measure} for {month} planned")
        for path, label, measure, month in months_missing(plan)
    ]
    listed = asked.categories.items if asked.categories else None
    if listed is None:  # a named gap (``notes``): the lines are checked, not their categories
        if not plan.capacity_demand:
            rule = "a capacity and demand plan for intermediate care, by month"
            found.append(PlanProblem(path="capacity_demand", value=None, rule=rule))
        return found
    ids = [c.id for c in listed]
    rule = f"a capacity and demand category of {framework.year}: {ids}"
    found += [
        PlanProblem(path=f"capacity_demand.{i}.category", value=line.category, rule=rule)
        for i, line in enumerate(plan.capacity_demand)
        if line.category not in ids
    ]
    given = {line.category for line in plan.capacity_demand}
    return found + [
        PlanProblem(path=f"capacity_demand.{c.id}", value=None, rule=f"{c.name}: a line by month")
        for c in listed
        if c.id not in given
    ]


def commissioned(scheme: Scheme) -> dict[str, Decimal]:
    """What each partner commissions of a scheme, adding up to its spend to the penny."""
    if scheme.split is None:
        return {scheme.commissioner: scheme.spend}
    council, icb = allocate(scheme.spend, [scheme.split.council, scheme.split.icb])
    return {"council": council, "icb": icb}


CHECKS = (
    check_streams,
    check_adult_social_care,
    check_out_of_hospital,
    check_dfg,
    check_conditions,
    check_metrics,
    check_scheme_types,
    check_splits,
    check_capacity_demand,
)


def check_plan(plan: Plan, framework: Framework) -> list[Problem]:
    """Every problem of every check, in the order of ``CHECKS``."""
    return [p for check in CHECKS for p in check(plan, framework)]


def notes(plan: Plan, framework: Framework) -> list[str]:
    """What a reader should know that is not a problem: rules the year does not have,
    figures missing from the definitions that no check needs (or, for the capacity and
    demand categories, that a check makes do without), and each month's capacity gap."""
    found = []
    if framework.out_of_hospital.status == "not_in_framework":
        found.append(
            f"{framework.year}: a minimum NHS-commissioned out-of-hospital spend is not in "
            "this year's framework"
        )
    if framework.capacity_and_demand.required is False:
        found.append(
            f"{framework.year}: a capacity and demand plan for intermediate care is not asked "
            "for in this year's framework"
        )
    blocking = {"asc_uplift_percent", "out_of_hospital", "national_conditions", "metrics"}
    blocking |= {"scheme_types", "capacity_and_demand"}
    found += [str(g) for g in gaps(framework) if g.path not in blocking]
    return found + [str(g) for g in capacity_gaps(plan)]


def _gap(path: str, framework: Framework, what: str, note: str | None) -> Problem:
    why = f" ({note})" if note else ""
    rule = f"{framework.year}: {what} not published in the definitions{why}: not checked"
    return PlanProblem(path=f"(framework {framework.id}).{path}", value=None, rule=rule)
