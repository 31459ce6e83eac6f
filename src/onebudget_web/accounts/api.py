from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from onebudget.organisations import OrganisationKind
from onebudget_web.accounts import selectors
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.requests import SignedInRequest

router = Router(tags=["organisations"])


class Problem(Schema):
    detail: str


class OrganisationOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    roles: list[str]


class MembershipOut(Schema):
    organisation_code: str
    organisation_name: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


ERRORS: dict[int, Any] = {401: Problem, 404: Problem}


def organisation_out(user: User, organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        code=organisation.code,
        name=organisation.name,
        kind=organisation.kind,
        kind_label=OrganisationKind(organisation.kind).label,
        roles=sorted(r.value for r in selectors.roles_in(user, organisation)),
    )


@router.get("/me", response={200: MeOut, 401: Problem}, summary="Who am I")
def me(request: SignedInRequest) -> MeOut:
    user = request.user
    memberships = [
        MembershipOut(
            organisation_code=m.organisation.code,
            organisation_name=m.organisation.name,
            role=m.role,
        )
        for m in selectors.memberships_for(user)
    ]
    return MeOut(username=user.get_username(), full_name=user.full_name, memberships=memberships)


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], 401: Problem},
    summary="My organisations",
)
def list_organisations(request: SignedInRequest) -> list[OrganisationOut]:
    return [organisation_out(request.user, o) for o in selectors.organisations_for(request.user)]


@router.get(
    "/organisations/{code}",
    response={200: OrganisationOut, **ERRORS},
    summary="One of my organisations",
)
def get_organisation(request: SignedInRequest, code: str) -> OrganisationOut:
    return organisation_out(request.user, selectors.get_organisation_for(request.user, code))
