"""Reads of Better Care Fund plans. A plan is seen by the partners of its place: callers find
the place through the user's scope first (``places.selectors.get_place_for``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import QuerySet
from django.http import Http404

from onebudget.bcf.capacity import capacity_gaps
from onebudget.bcf.checks import check_plan, notes
from onebudget.bcf.framework import Framework, FrameworkError, framework
from onebudget.bcf.plan import Plan, lines, load_plan, with_lines
from onebudget.bcf.to_fund import is_gap
from onebudget.bcf.workflow import Stage, Step, Taken, is_read_only, stage
from onebudget.io.problems import Problem
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.places.models import Place


def plans_of(place: Place) -> QuerySet[BcfPlan]:
    return place.bcf_plans.all()


def get_plan(place: Place, year_slug: str) -> BcfPlan:
    """The place's plan for ``2025-26``, or 404."""
    found = place.bcf_plans.filter(year=year_slug.replace("-", "/")).first()
    if found is None:
        raise Http404("No such plan for this place")
    return found


def latest_version(plan: BcfPlan) -> PlanVersion:
    """Every plan is created with its first version."""
    return plan.versions.latest("number")


def signed_off_version(plan: BcfPlan) -> PlanVersion | None:
    """The latest version the board signed off: the plan in force."""
    return plan.versions.filter(steps__step="signed_off").order_by("-number").first()


@lru_cache(maxsize=64)
def plan_from(text: str) -> Plan:
    """A version's plan, read once per process (a version's text never changes)."""
    return load_plan(text, source="the saved plan")


def steps_of(version: PlanVersion) -> list[Taken]:
    found = version.steps.select_related("organisation")
    return [Taken(Step(s.step), s.organisation.code) for s in found]


def partner_codes(plan: Plan) -> tuple[str, str]:
    return (plan.partners.council.code, plan.partners.icb.code)


@dataclass(frozen=True)
class Checked:
    """A version's plan, its year's framework and what the checks found: ``problems`` block
    agreement; ``gaps`` name figures the definitions lack (not checked, not blocking)."""

    plan: Plan
    framework: Framework | None
    problems: tuple[Problem, ...]
    gaps: tuple[Problem, ...]
    notes: tuple[str, ...]


def checked(version: PlanVersion) -> Checked:
    """The checks of ``onebudget bcf check``, each problem at its line of the saved YAML."""
    plan = plan_from(version.text)
    try:
        year = framework(plan.year)
    except FrameworkError as error:
        return Checked(plan, None, tuple(error.problems), (), ())
    found = with_lines(check_plan(plan, year), lines(version.text))
    blocking = tuple(p for p in found if not is_gap(p, year))
    gaps = tuple(p for p in found if is_gap(p, year))
    short = {str(g) for g in capacity_gaps(plan)}  # shown on the capacity page instead
    said = tuple(n for n in notes(plan, year) if n not in short)
    return Checked(plan, year, blocking, gaps, said)


def stage_of(version: PlanVersion) -> Stage:
    return stage(partner_codes(plan_from(version.text)), steps_of(version))


def read_only(version: PlanVersion) -> bool:
    return is_read_only(partner_codes(plan_from(version.text)), steps_of(version))
