"""Writes to saved scenarios: each checks permission, runs in one transaction and is audited.

Saving reads the scenario file with the library's own reader (``scenarios.config``, every
problem with its line), models it on the place's latest linked data (``modelling``) and
keeps the file, the data it was modelled on and every figure. Who may: anyone who may
analyse (an analyst, finance lead, commissioner or pool manager) at a commissioning partner
of the place (its council or ICB); the scenario belongs to that organisation. Withdrawing is
for the same roles at the owning organisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from onebudget.io.problems import Problem
from onebudget.roles import NotPermitted, Permission
from onebudget.scenarios.config import ConfigError, ScenarioConfig, load_config
from onebudget.scenarios.interventions import read_interventions
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission, visible_organisation_ids
from onebudget_web.audit.log import record
from onebudget_web.core.refused import RefusedError
from onebudget_web.places.models import Place, PlaceDataset
from onebudget_web.scenarios.modelling import (
    ProjectionFile,
    coverage_problems,
    modelled,
    projection_of,
    proposal,
)
from onebudget_web.scenarios.models import SavedScenario, ScenarioWithdrawal
from onebudget_web.scenarios.selectors import COMMISSIONING


@dataclass(frozen=True)
class ScenarioFile:
    """What a person sent (a file, or the form written out as one): YAML, and its name."""

    name: str
    text: str


def analyst_for(by: User, place: Place) -> Organisation:
    """The user's commissioning partner of the place at which they may analyse (the first
    by name), or refusal."""
    partners = place.partners.filter(
        id__in=visible_organisation_ids(by), kind__in=COMMISSIONING
    ).order_by("name")
    for organisation in partners:
        if has_permission(by, organisation, Permission.ANALYSE):
            return organisation
    raise NotPermitted(
        f"Saving a scenario needs an analyst's, finance or commissioner's role at the council "
        f"or ICB of {place.name}"
    )


def may_save(by: User, place: Place) -> bool:
    try:
        analyst_for(by, place)
    except NotPermitted:
        return False
    return True


def read_scenario(sent: ScenarioFile) -> ScenarioConfig:
    """The file as the library reads it, or refusal with every problem and its line."""
    try:
        return load_config(sent.text, sent.name, set(read_interventions()))
    except ConfigError as error:
        raise RefusedError(list(error.problems)) from None


@transaction.atomic
def save_scenario(
    *, by: User, place: Place, sent: ScenarioFile, projection: Sequence[ProjectionFile] = ()
) -> SavedScenario:
    """Model the scenario on the place's latest data and keep it, or refuse with every
    problem (in the file, in what the data cover, or in the ONS projection files the
    scenario's population names, sent as ``projection``; ``ProjectionRefusedError``)."""
    owner = analyst_for(by, place)  # a refusal before the file is read
    config = read_scenario(sent)
    ons = projection_of(config, projection)
    dataset: PlaceDataset | None = place.datasets.first()
    if dataset is None:
        rule = f"linked data for {place.name}: none is registered"
        raise RefusedError([Problem(path="data", value=None, rule=rule)])
    problems = coverage_problems(config, dataset)
    if problems:
        raise RefusedError(problems)
    found = modelled(config, dataset, ons)  # seconds, so before the place is locked
    Place.objects.select_for_update().filter(pk=place.pk).first()  # one number at a time
    last = SavedScenario.objects.filter(place=place).order_by("-number")
    number = (last.values_list("number", flat=True).first() or 0) + 1
    saved = SavedScenario.objects.create(
        place=place, number=number, owner=owner, name=config.name, text=sent.text,
        source=sent.name[:200], dataset=dataset, results=found.tables,
        proposal=proposal(found.study, place, f"SCN{number}"), saved_by=by,
        projection_source=ons.projection.source[:200] if ons else "",
        projection_rows=ons.rows if ons else "",
    )  # fmt: skip
    detail = {"place": place.slug, "scenario": number, "name": config.name, "source": sent.name}
    if ons:
        detail["projection"] = ons.source
    record(by=by, action="scenario.saved", obj=saved, organisation=owner, detail=detail)
    return saved


@transaction.atomic
def withdraw_scenario(*, by: User, scenario: SavedScenario, reason: str) -> ScenarioWithdrawal:
    """Set a saved scenario aside, with a reason; it is kept and listed as withdrawn."""
    if not has_permission(by, scenario.owner, Permission.ANALYSE):
        raise NotPermitted(f"Withdrawing a scenario needs an analyst's role at {scenario.owner}")
    if ScenarioWithdrawal.objects.filter(scenario=scenario).exists():
        raise ValidationError(["This scenario has already been withdrawn"])
    if not reason.strip():
        raise ValidationError(["Say why the scenario is withdrawn"])
    done = ScenarioWithdrawal.objects.create(
        scenario=scenario, reason=reason.strip()[:300], withdrawn_by=by
    )
    detail = {"place": scenario.place.slug, "scenario": scenario.number, "reason": done.reason}
    record(
        by=by, action="scenario.withdrawn", obj=scenario, organisation=scenario.owner,
        detail=detail,
    )  # fmt: skip
    return done
