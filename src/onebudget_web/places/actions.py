"""Writes to places and their partnerships, each audited in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from onebudget_web.accounts.models import Organisation
from onebudget_web.audit.log import Actor, actor_label, record
from onebudget_web.places.models import Place, PlaceDataset, PlacePartner


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
