"""Writes to places and their partnerships, each audited in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.targets import parse_target, target_years
from onebudget.periods import year_label
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import Actor, actor_label, record
from onebudget_web.places.models import IndicatorTarget, Place, PlaceDataset, PlacePartner


@transaction.atomic
def create_place(
    *,
    by: Actor,
    name: str,
    kind: str,
    partners: Iterable[Organisation],
    slug: str = "",
    description: str = "",
    gss_code: str = "",
) -> Place:
    slug = slug or slugify(name)
    problems = []
    if kind not in dict(Place.KINDS):
        problems.append(f"{kind!r}: a place is a council area or a group of GP practices")
    if not slug:
        problems.append("the place needs a name")
    elif Place.objects.filter(slug=slug).exists():
        problems.append(f"{slug!r}: a place with this short name already exists")
    partner_list = list(partners)
    if not partner_list:
        problems.append("a place needs at least one partner organisation")
    if problems:
        raise ValidationError(problems)
    place = Place.objects.create(
        slug=slug, name=name, kind=kind, description=description, gss_code=gss_code
    )
    record(by=by, action="place.created", obj=place, detail={"slug": slug, "name": name})
    for organisation in partner_list:
        add_partner(by=by, place=place, organisation=organisation)
    return place


@transaction.atomic
def add_partner(*, by: Actor, place: Place, organisation: Organisation) -> PlacePartner:
    partnership, created = PlacePartner.objects.get_or_create(
        place=place, organisation=organisation
    )
    if created:
        record(
            by=by,
            action="place.partner_added",
            obj=place,
            organisation=organisation,
            detail={"place": place.slug, "organisation": organisation.code},
        )
    return partnership


@transaction.atomic
def register_dataset(
    *, by: Actor, place: Place, path: str, manifest: dict[str, Any]
) -> PlaceDataset:
    """Record a linked dataset written for ``place`` (its manifest says what it holds)."""
    first, last = manifest["years"]
    dataset = PlaceDataset.objects.create(
        place=place,
        label=manifest["place"],
        path=path,
        synthetic=manifest["synthetic"],
        persons_at_start=manifest["persons_at_start"],
        first_year=first,
        last_year=last,
        seed=manifest.get("seed"),
        generator=manifest.get("generator", ""),
        registered_by=actor_label(by),
    )
    record(
        by=by,
        action="place.dataset_registered",
        obj=dataset,
        detail={"place": place.slug, "path": path, "synthetic": dataset.synthetic},
    )
    return dataset


@transaction.atomic
def set_target(
    *, by: User, place: Place, indicator: str, year: int, value: str, note: str = ""
) -> IndicatorTarget:
    """A commissioner of one of the place's partners sets (or changes) the target for a
    financial year (by the year it starts): any year of the place's data, or the next
    (``targets.target_years``), so that year by year they form a trajectory."""
    if not any(has_permission(by, org, Permission.COMMISSION) for org in place.partners.all()):
        raise NotPermitted(f"{by.username} is not a commissioner of a partner of {place.name}")
    problems: dict[str, list[str]] = {}
    known = indicators()
    if indicator not in known:
        problems["indicator"] = [f"{indicator!r} is not an indicator"]
    if year not in _target_years(place):
        problems["year"] = [_year_rule(place)]
    multiplier = known[indicator].spec.multiplier if indicator in known else 1
    amount, rule = parse_target(value, multiplier)
    if amount is None:
        problems["value"] = [f"The target must be {rule}"]
    if problems or amount is None:
        raise ValidationError(problems)
    target, created = IndicatorTarget.objects.update_or_create(
        place=place,
        indicator=indicator,
        year=year,
        defaults={
            "value": amount,
            "note": note.strip()[:300],
            "set_by": actor_label(by),
            "set_at": timezone.now(),
        },
    )
    record(
        by=by,
        action="target.set",
        obj=target,
        detail={
            "place": place.slug,
            "indicator": indicator,
            "year": year,
            "value": str(target.value),
            "new": created,
        },
    )
    return target


def _target_years(place: Place) -> list[int]:
    dataset = place.datasets.first()
    return target_years(dataset.first_year, dataset.last_year) if dataset else []


def _year_rule(place: Place) -> str:
    years = _target_years(place)
    if not years:
        return f"There is no linked data for {place.name}, so no year to set a target for"
    first, last = year_label(years[0]), year_label(years[-1])
    return f"Choose a financial year from {first} to {last}"
