"""Better Care Fund plans in the JSON API: read-only, through the same scoped selectors and
the same checks as the pages. Money is text with two decimal places (a JSON number would be
a float); a metric's planned values are text too (exact decimals)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from onebudget.bcf.plan import QUARTERS
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.bcf import selectors
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.places.selectors import get_place_for

router = Router(tags=["Better Care Fund"])


class Problem(Schema):
    detail: str


class PlanSummaryOut(Schema):
    year: str
    version: int
    stage: str
    fund: str | None


class StepOut(Schema):
    step: str
    organisation: str
    named_person: str
    decided_on: str
    recorded_by: str
    recorded_at: str


class PlanProblemOut(Schema):
    path: str
    line: int | None
    rule: str
    shortfall: str | None
    blocks_agreement: bool


class PlanOut(PlanSummaryOut):
    steps: list[StepOut]
    problems: list[PlanProblemOut]
    allocations: dict[str, str]
    schemes: list[dict[str, Any]]
    metrics: dict[str, dict[str, str]]
    conditions: dict[str, bool]


def _summary(plan: BcfPlan, version: PlanVersion) -> dict[str, Any]:
    return {
        "year": plan.year,
        "version": version.number,
        "stage": selectors.stage_of(version).value,
        "fund": plan.fund.code if plan.fund else None,
    }


@router.get(
    "/{slug}/better-care-fund",
    response={200: list[PlanSummaryOut], 401: Problem, 404: Problem},
    summary="A place's Better Care Fund plans: each year's latest version and its stage",
)
def list_bcf_plans(request: SignedInRequest, slug: str) -> list[dict[str, Any]]:
    place = get_place_for(request.user, slug)
    plans = selectors.plans_of(place).select_related("fund")
    return [_summary(p, selectors.latest_version(p)) for p in plans]


@router.get(
    "/{slug}/better-care-fund/{year}",
    response={200: PlanOut, 401: Problem, 404: Problem},
    summary="A year's Better Care Fund plan (latest version): steps, problems, schemes",
)
def get_bcf_plan(request: SignedInRequest, slug: str, year: str) -> dict[str, Any]:
    plan = selectors.get_plan(get_place_for(request.user, slug), year)
    version = selectors.latest_version(plan)
    found = selectors.checked(version)
    steps = version.steps.select_related("organisation", "recorded_by")
    return _summary(plan, version) | {
        "steps": [_step(s) for s in steps],
        "problems": [_problem(p, True) for p in found.problems]
        + [_problem(p, False) for p in found.gaps],
        "allocations": {k: f"{v:.2f}" for k, v in found.plan.allocations.items()},
        "schemes": [
            s.model_dump(mode="json") | {"spend": f"{s.spend:.2f}"} for s in found.plan.schemes
        ],
        "metrics": {
            m: {q: str(v[q]) for q in QUARTERS if q in v} for m, v in found.plan.metrics.items()
        },
        "conditions": {k: c.confirmed for k, c in found.plan.conditions.items()},
    }


def _step(s: Any) -> dict[str, Any]:
    return {
        "step": s.step,
        "organisation": s.organisation.code,
        "named_person": s.named_person,
        "decided_on": s.decided_on.isoformat(),
        "recorded_by": s.recorded_by.get_username(),
        "recorded_at": s.recorded_at.isoformat(),
    }


def _problem(p: Any, blocks: bool) -> dict[str, Any]:
    shortfall = getattr(p, "shortfall", None)
    return {
        "path": p.path,
        "line": p.line,
        "rule": p.rule,
        "shortfall": None if shortfall is None else f"{shortfall:.2f}",
        "blocks_agreement": blocks,
    }
