"""Writes to Better Care Fund plans: each checks permission, runs in one transaction and is
audited. Whether a step may be taken is the library's rule (``onebudget.bcf.workflow``); the
plan's problems are the library's checks, the same as ``onebudget bcf check``.

Who does what: a commissioner of the council or the ICB records a version (YAML or the
workbook); each partner's finance lead agrees it; a council commissioner records the Health
and Wellbeing Board's sign-off (the named person and the date of the decision); a
commissioner of either partner records NHS England's assurance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from onebudget.bcf.framework import FrameworkError, framework
from onebudget.bcf.plan import Plan, PlanError, dump_plan, load_plan
from onebudget.bcf.workbook_read import plan_from_workbook
from onebudget.bcf.workflow import Step, may_agree, may_assure, may_sign_off
from onebudget.io.problems import Problem
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission, visible_organisation_ids
from onebudget_web.audit.log import record
from onebudget_web.bcf import selectors
from onebudget_web.bcf.models import BcfPlan, PlanStep, PlanVersion
from onebudget_web.core.refused import RefusedError
from onebudget_web.places.models import Place

NAMED_PERSON = "Enter the name and role of the person who recorded the board's decision"


@dataclass(frozen=True)
class PlanFile:
    """What a person sent: the plan's YAML text, or its workbook's bytes."""

    name: str
    text: str | None = None
    workbook: bytes | None = None


def read_file(sent: PlanFile) -> tuple[Plan, str]:
    """The plan and the YAML to keep: a YAML file as sent, a workbook written out as YAML."""
    if sent.workbook is not None:
        found = plan_from_workbook(sent.workbook, source=sent.name)
        if found.plan is None:
            raise RefusedError(list(found.problems))
        return found.plan, dump_plan(found.plan)
    try:
        return load_plan(sent.text or "", source=sent.name), sent.text or ""
    except PlanError as error:
        raise RefusedError(list(error.problems)) from None


def commissioning_partner(by: User, place: Place, among: tuple[str, ...] = ()) -> Organisation:
    """The user's partner in the place (among ``among``'s codes, if given) that may
    commission, or refusal."""
    partners = place.partners.filter(id__in=visible_organisation_ids(by)).order_by("name")
    for organisation in partners:
        if among and organisation.code not in among:
            continue
        if has_permission(by, organisation, Permission.COMMISSION):
            return organisation
    raise NotPermitted(f"Writing the Better Care Fund plan for {place.name} needs a commissioner")


def may_write(by: User, place: Place) -> bool:
    try:
        commissioning_partner(by, place)
    except NotPermitted:
        return False
    return True


def _fits_place(plan: Plan, place: Place) -> list[Problem]:
    """The plan's board and partners must be the place's own."""
    found = []
    if place.gss_code and plan.hwb.code != place.gss_code:
        rule = f"this plan is for another Health and Wellbeing Board than {place.name}'s"
        found.append(Problem(path="hwb.code", value=plan.hwb.code, rule=rule))
    codes = set(place.partners.values_list("code", flat=True))
    for role, code in (("council", plan.partners.council.code), ("icb", plan.partners.icb.code)):
        if code not in codes:
            rule = f"not a partner of {place.name}"
            found.append(Problem(path=f"partners.{role}.code", value=code, rule=rule))
    try:
        framework(plan.year)
    except FrameworkError as error:
        found += error.problems
    return found


@transaction.atomic
def record_version(*, by: User, place: Place, sent: PlanFile, note: str = "") -> PlanVersion:
    """A new version of the place's plan for the file's year (a first version creates it).
    A plan with problems is kept (it is being written and the page says what is left); a
    file that is not a plan, or a plan for another place, is refused with every problem."""
    commissioning_partner(by, place)  # a refusal before the file is read
    plan, text = read_file(sent)
    acting = commissioning_partner(by, place, selectors.partner_codes(plan))
    problems = _fits_place(plan, place)
    if problems:
        raise RefusedError(problems)
    bcf_plan, _ = BcfPlan.objects.select_for_update().get_or_create(place=place, year=plan.year)
    last = bcf_plan.versions.order_by("-number").first()
    number = 1 if last is None else last.number + 1
    version = PlanVersion.objects.create(
        plan=bcf_plan, number=number, text=text, source=sent.name[:200], note=note[:300],
        recorded_by=by,
    )  # fmt: skip
    detail = {"place": place.slug, "year": plan.year, "version": number, "source": sent.name}
    record(by=by, action="bcf.version_recorded", obj=version, organisation=acting, detail=detail)
    return version


def _step(
    *, by: User, version: PlanVersion, step: Step, organisation: Organisation, **fields: object
) -> PlanStep:
    taken = PlanStep.objects.create(
        version=version, step=step.value, organisation=organisation, recorded_by=by, **fields
    )
    detail = {"plan": str(version.plan), "version": version.number, **_plain(fields)}
    record(by=by, action=f"bcf.{step.value}", obj=taken, organisation=organisation, detail=detail)
    return taken


def _plain(fields: dict[str, object]) -> dict[str, str]:
    return {k: str(v) for k, v in fields.items() if v not in ("", None)}


def _refuse(reasons: list[str]) -> None:
    if reasons:
        raise ValidationError(reasons)


@transaction.atomic
def agree(*, by: User, version: PlanVersion, organisation: Organisation) -> PlanStep:
    """One partner's finance lead agrees the version (only a plan without problems)."""
    if not has_permission(by, organisation, Permission.APPROVE_SETTLEMENT):
        raise NotPermitted(f"Agreeing the plan needs a finance role at {organisation.code}")
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    found = selectors.checked(version)
    partners = selectors.partner_codes(found.plan)
    steps = selectors.steps_of(version)
    _refuse(may_agree(partners, steps, organisation.code, len(found.problems)))
    return _step(
        by=by, version=version, step=Step.AGREED, organisation=organisation,
        decided_on=timezone.localdate(),
    )  # fmt: skip


def _council(version: PlanVersion) -> Organisation:
    plan = selectors.plan_from(version.text)
    return Organisation.objects.get(code=plan.partners.council.code)


@transaction.atomic
def sign_off(
    *, by: User, version: PlanVersion, named_person: str, decided_on: date, note: str = ""
) -> PlanStep:
    """The Health and Wellbeing Board's sign-off, recorded by a council commissioner with
    the person who made the decision known and its date."""
    council = _council(version)
    if not has_permission(by, council, Permission.COMMISSION):
        raise NotPermitted(f"Recording the board's sign-off needs a commissioner at {council.code}")
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    partners = selectors.partner_codes(selectors.plan_from(version.text))
    reasons = {
        "form": may_sign_off(
            partners, selectors.steps_of(version), decided_on, timezone.localdate()
        ),
        "named_person": [] if named_person.strip() else [NAMED_PERSON],
    }
    if any(reasons.values()):
        raise ValidationError({k: v for k, v in reasons.items() if v})
    return _step(
        by=by, version=version, step=Step.SIGNED_OFF, organisation=council,
        named_person=named_person.strip(), decided_on=decided_on, note=note,
    )  # fmt: skip


@transaction.atomic
def assure(*, by: User, version: PlanVersion, assured_on: date, note: str = "") -> PlanStep:
    """NHS England's assurance of a signed-off version, recorded by a partner's commissioner."""
    plan = selectors.plan_from(version.text)
    acting = commissioning_partner(by, version.plan.place, selectors.partner_codes(plan))
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    partners = selectors.partner_codes(plan)
    _refuse(may_assure(partners, selectors.steps_of(version), assured_on, timezone.localdate()))
    return _step(
        by=by, version=version, step=Step.ASSURED, organisation=acting,
        decided_on=assured_on, note=note,
    )  # fmt: skip
