"""Which council and primary care network each GP practice belongs to, and how deprived its
district is, from the packaged data.

Only the 2022/23 practice file names each practice's PCN and upper-tier council, so later
years take them from it by practice code (a practice opened since has neither). Districts
abolished in April 2023 are followed to their successor council (reviewed data in
``definitions/allocation/successors.yaml``) for councils from 2023/24 and for deprivation,
whose statistics use 2024 boundaries.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from onebudget.io import yamlio
from onebudget.population.reference import council_profiles

_MEMBERSHIP_FILE = "gp_practice_weighted_populations_2022_23.csv"


class _Successor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    districts: list[str]


class _Successors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    version: str
    owner: str
    source: str
    reviewed: date
    review_by: date
    successors: dict[str, _Successor]


@dataclass(frozen=True)
class Area:
    code: str
    name: str


@dataclass(frozen=True)
class Membership:
    """A practice's PCN and council as the 2022/23 file records them."""

    pcn: Area
    district: Area
    council: Area


@cache
def _successors() -> _Successors:
    path = resources.files("onebudget") / "definitions" / "allocation" / "successors.yaml"
    return _Successors.model_validate(yamlio.load(path.read_text(encoding="utf-8")))


@cache
def successor_of() -> dict[str, Area]:
    """Each abolished district's successor council."""
    return {
        district: Area(code, spec.name)
        for code, spec in _successors().successors.items()
        for district in spec.districts
    }


@cache
def memberships() -> dict[str, Membership]:
    """Practice code -> its 2022/23 PCN, district and upper-tier council."""
    text = (resources.files("onebudget") / "data" / _MEMBERSHIP_FILE).read_text("utf-8-sig")
    return {
        r["Practice_Code"]: Membership(
            pcn=Area(r["PCN_Code"], r["PCN_Name"]),
            district=Area(r["LAD21"], r["LTLA21"]),
            council=Area(r["LA21"], r["UTLA21"]),
        )
        for r in csv.DictReader(text.splitlines())
    }


@cache
def district_councils(year: str) -> dict[str, Area]:
    """District code -> the upper-tier council for social care in that allocation year."""
    councils = {m.district.code: m.council for m in memberships().values()}
    if year != "2022/23":
        councils |= successor_of()
    return councils


def deprivation_score(district: str) -> Decimal | None:
    """The district's IMD 2025 average score (followed to its successor), or None if unknown."""
    profiles = council_profiles()
    code = successor_of().get(district, Area(district, "")).code
    if code not in profiles:
        return None
    return Decimal(str(profiles[code].imd_average_score))


@cache
def england_mean_score() -> Decimal:
    """The mean of every council area's IMD 2025 average score: the point of no adjustment."""
    scores = [Decimal(str(p.imd_average_score)) for p in council_profiles().values()]
    return sum(scores, Decimal(0)) / len(scores)
