"""Where the place builder opens: a real place on its own ICB with its council area's
practices ticked; a place with no real ICB on the stand-in, saying so at the top.

A partner is the place's ICB when its code is an ICB in the year's GP-practice weighted
populations. The demo's places are synthetic (their ICB, QZZ, is in no published file),
so their allocation pages use real practices in their stead, and say which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import QueryDict

from onebudget import demo
from onebudget.allocation.geography import Area
from onebudget.allocation.places import Choice, areas, choose, icb_practices, icbs
from onebudget.allocation.populations import YEARS
from onebudget_web.places.models import Place

# The stand-in for a place with no real ICB: NHS West Yorkshire ICB, because NHS England's
# own worked example of place-based allocation (the default place of its tool, four
# Kirklees practices) is there, and so is the example budget shipped with OneBudget, so the
# demo's figures can be checked against the published tool.
STAND_IN_ICB = "QWO"
KINDS = {"council": "councils", "pcn": "pcns", "lad": "districts"}


@dataclass(frozen=True)
class Home:
    """The ICB a place's allocation opens on, and why."""

    icb: Area
    own: bool  # a partner of the place is this ICB
    notice: str | None  # what the page says at the top when it is a stand-in


def home(place: Place, year: str) -> Home:
    by_code = {a.code: a for a in icbs(year)}
    codes = place.partners.values_list("code", flat=True)
    own = next((by_code[c] for c in codes if c in by_code), None)
    if own is not None:
        return Home(own, True, None)
    stand_in = by_code[STAND_IN_ICB]
    return Home(stand_in, False, stand_in_notice(place, stand_in.name, year))


def stand_in_notice(place: Place, icb_name: str, year: str) -> str:
    if place.slug in {p.slug for p in demo.PLACES}:
        return (
            f"{place.name} is a synthetic place made for the demo. Its money and people are "
            f"made up, so allocation here uses the real practices of {icb_name} as a stand-in."
        )
    return (
        f"None of {place.name}'s partners is an integrated care board in the GP practice "
        f"figures for {year}, so allocation here starts from the practices of {icb_name} as "
        "a stand-in. Choose the integrated care board you need below."
    )


def area_start(place: Place, year: str, icb: str) -> tuple[str, Area | None]:
    """The place's own council area (its GSS code) among the ICB's councils or districts,
    as the builder's "pick" kind, to tick its practices when the builder opens."""
    found = areas(year, icb)
    for kind, listed in (("council", found["councils"]), ("lad", found["districts"])):
        for area in listed:
            if place.gss_code and area.code == place.gss_code:
                return kind, area
    return "", None


@dataclass(frozen=True)
class Opening:
    """The builder's year, ICB and area picked, from the query or the form sent; on first
    opening (none of them given), the place's own ICB and council area."""

    year: str
    icb: str
    home: Home
    kind: str
    code: str
    starts_on: Area | None


def opening(place: Place, data: QueryDict) -> Opening:
    wanted = data.get("year")
    year = wanted if wanted in YEARS else YEARS[-1]
    start = home(place, year)
    icb = data.get("icb", "")
    icb = icb if icb in {a.code for a in icbs(year)} else start.icb.code
    kind, _, code = data.get("pick", "").partition(":")
    if start.own and not {"pick", "practices", "icb"} & set(data):
        kind, area = area_start(place, year, icb)
        return Opening(year, icb, start, kind, area.code if area else "", area)
    return Opening(year, icb, start, kind, code, None)


def builder_context(place: Place, data: QueryDict) -> dict[str, Any]:
    """The builder page: the ICB's practices, those picked or sent ticked, and the map."""
    o = opening(place, data)
    chosen = set(data.getlist("practices"))
    if o.kind in KINDS and o.code:
        picked, _ = choose(o.year, o.icb, "picked", Choice(**{KINDS[o.kind]: (o.code,)}))
        chosen |= set(picked.practices if picked else ())
    members = icb_practices(o.year, o.icb)
    return {
        "place": place,
        "years": YEARS,
        "year": o.year,
        "icb": o.icb,
        "icb_name": next(a.name for a in icbs(o.year) if a.code == o.icb),
        "icbs": icbs(o.year),
        "notice": o.home.notice,
        "starts_on": o.starts_on,
        "areas": areas(o.year, o.icb),
        "by": o.kind,
        "code": o.code,
        "name": data.get("name", ""),
        "practices": [{"p": p, "checked": p.code in chosen} for p in members],
        "ticked": sum(1 for p in members if p.code in chosen),
        "points": [
            {"code": p.code, "name": p.name, "lat": p.latitude, "lon": p.longitude} for p in members
        ],
        "tiles": settings.ONEBUDGET_MAP_TILES,
        "attribution": settings.ONEBUDGET_MAP_ATTRIBUTION,
        "errors": [],
        "field_errors": {},
    }
