from __future__ import annotations

from ninja import Router, Schema

from onebudget_web.accounts.models import User
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.places import selectors
from onebudget_web.places.models import Place

router = Router(tags=["places"])


class Problem(Schema):
    detail: str


class PartnerOut(Schema):
    code: str
    name: str
    kind: str


class PlaceOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    gss_code: str
    partners: list[PartnerOut]


def place_out(user: User, place: Place) -> PlaceOut:
    partners = [
        PartnerOut(code=o.code, name=o.name, kind=o.kind)
        for o, _ in selectors.partners_of(place, user)
    ]
    return PlaceOut(
        slug=place.slug,
        name=place.name,
        kind=place.kind,
        description=place.description,
        gss_code=place.gss_code,
        partners=partners,
    )


@router.get("", response={200: list[PlaceOut], 401: Problem}, summary="My places")
def list_places(request: SignedInRequest) -> list[PlaceOut]:
    return [place_out(request.user, p) for p in selectors.places_for(request.user)]


@router.get(
    "/{slug}", response={200: PlaceOut, 401: Problem, 404: Problem}, summary="One of my places"
)
def get_place(request: SignedInRequest, slug: str) -> PlaceOut:
    return place_out(request.user, selectors.get_place_for(request.user, slug))
