"""The pooled fund from a signed-off Better Care Fund plan, and its variation when a later
version is signed off. The agreement is the library's (``bcf.to_fund``, ``bcf.fund_variation``)
and the fund is created or varied through the funds actions, so the host's pool manager sets
it up as any fund is set up, and its ledger, monitoring and settlement are a fund's own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from onebudget.bcf.framework import framework
from onebudget.bcf.fund_variation import varied, vary
from onebudget.bcf.to_fund import build_agreement
from onebudget.funds.validation import notice_ends
from onebudget.io import yamlio
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import record
from onebudget_web.bcf import selectors
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.core.refused import RefusedError
from onebudget_web.funds import actions as funds
from onebudget_web.funds.models import Fund
from onebudget_web.funds.selectors import agreement_of


def _may_post(by: User, plan: BcfPlan, host: str) -> None:
    """Setting up or varying the fund is for a pool manager of its host, a partner."""
    organisation = plan.place.partners.filter(code=host).first()
    if organisation is None or not has_permission(by, organisation, Permission.POST_TO_POOL):
        raise NotPermitted(f"Setting up the plan's pooled fund needs a pool manager at {host}")


def _signed(plan: BcfPlan) -> PlanVersion:
    version = selectors.signed_off_version(plan)
    if version is None:
        raise ValidationError(["The pooled fund is built from a plan the board has signed off"])
    return version


@transaction.atomic
def build_fund(*, by: User, plan: BcfPlan, host: str, pool_manager: str) -> Fund:
    """The Section 75 pooled fund of the signed-off plan (once; later versions vary it)."""
    _may_post(by, plan, host)  # a refusal before anything else is said
    plan = BcfPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.fund_id is not None:
        raise ValidationError(["The plan's pooled fund has already been set up"])
    version = _signed(plan)
    found = selectors.plan_from(version.text)
    built = build_agreement(found, framework(found.year), host=host, pool_manager=pool_manager)
    if built.agreement is None:
        raise RefusedError(list(built.problems))
    fund = funds.create_fund(by=by, place=plan.place, text=built.yaml(), source=str(version))
    plan.fund, plan.fund_from = fund, version
    plan.save(update_fields=["fund", "fund_from"])
    detail = {"plan": str(plan), "version": version.number, "fund": fund.code}
    record(by=by, action="bcf.fund_built", obj=plan, organisation=fund.host, detail=detail)
    return fund


def needs_variation(plan: BcfPlan) -> bool:
    """Whether a version signed off after the fund was built has not yet varied it."""
    version = selectors.signed_off_version(plan)
    return plan.fund_id is not None and version is not None and version.pk != plan.fund_from_id


@transaction.atomic
def vary_fund(*, by: User, plan: BcfPlan) -> Fund:
    """The fund's agreement varied to the latest signed-off version: one variation for each
    partner's change to each scheme, agreed by both partners on the board's decision day and
    effective as early as the agreement's notice of a reduction allows (never before the
    year starts); a change the year's end leaves no time for is refused by the agreement."""
    if plan.fund is not None:
        _may_post(by, plan, plan.fund.host.code)
    plan = BcfPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.fund is None or not needs_variation(plan):
        raise ValidationError(["There is no signed-off change to the plan to vary the fund by"])
    version = _signed(plan)
    found = selectors.plan_from(version.text)
    signed_on = version.steps.get(step="signed_off").decided_on
    signed = agreement_of(plan.fund)
    effective = max(signed.start, notice_ends(signed_on, signed.notice.reduction_months))
    agreement = signed.model_dump(mode="python")
    result = vary(
        agreement, found, framework(found.year), effective=effective,
        agreed_by=list(selectors.partner_codes(found)), agreed_on=signed_on,
    )  # fmt: skip
    if result.problems:
        raise RefusedError(list(result.problems))
    note = f"Better Care Fund plan version {version.number}, signed off {signed_on:%-d %B %Y}"
    text = yamlio.dump(varied(agreement, result))
    funds.record_variation(by=by, fund=plan.fund, text=text, note=note)
    plan.fund_from = version
    plan.save(update_fields=["fund_from"])
    return plan.fund
