"""Shared records of scenario modelling (issue 18): the cells a place's activity and cost
are counted in, and the uncertain figures every part of a scenario may hold.

A **cell** is a Bridges to Health segment × age band × sex: its people, and for each point
of delivery (``PODS``) its activity a year. Baseline, projection, interventions and the
Monte Carlo engine all work on arrays over these cells, never over people, so a run costs
the same for a place of a thousand people as for a million.

An **uncertain figure** is written in YAML as a number (a point), ``{uniform: [low, high]}``
or ``{triangular: [low, mode, high]}``. Its ``central`` value is what the deterministic run
uses (the point, the mode, or the middle of a uniform range); ``draw`` gives one value per
run from a seeded ``numpy.random.Generator``. A range collapsed to one value draws that value
exactly, so with every range collapsed every run is the deterministic run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

# Bridges to Health segments (Lynn et al. 2007), as onebudget.outcomes.segments names them
SEGMENTS = (
    "Healthy",
    "Maternal and infant health",
    "Acutely ill",
    "Long-term conditions",
    "Disability",
    "Incurable cancer",
    "Organ failure",
    "Frailty and dementia",
)
# Age bands, as onebudget.outcomes.calendar.AGE_BANDS names them
AGE_BANDS = ("0-17", "18-64", "65-74", "75-84", "85+")
SEXES = ("female", "male")
# Points of delivery, each with the unit its activity is counted in
PODS = {
    "emergency_admission": "admissions",
    "elective_admission": "admissions",
    "bed_day": "bed days",
    "ae_attendance": "attendances",
    "outpatient": "attendances",
    "community_contact": "contacts",
    "care_home_week": "weeks of care home placement",
    "home_care_hour": "hours of home care",
    "reablement_case": "reablement episodes",
}

POD_NAMES = {
    "emergency_admission": "emergency admissions",
    "elective_admission": "elective admissions",
    "bed_day": "bed days",
    "ae_attendance": "A&E attendances",
    "outpatient": "outpatient attendances",
    "community_contact": "community contacts",
    "care_home_week": "care home weeks",
    "home_care_hour": "home care hours",
    "reablement_case": "reablement episodes",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _shape(value: Any) -> Any:
    """A bare number is a point; a mapping names its shape."""
    if isinstance(value, int | float | Decimal | str) and not isinstance(value, bool):
        return {"point": value}
    return value


class Uncertain(Strict):
    """One of ``point``, ``uniform`` [low, high] or ``triangular`` [low, mode, high]."""

    point: float | None = None
    uniform: tuple[float, float] | None = None
    triangular: tuple[float, float, float] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Uncertain:
        given = [k for k in ("point", "uniform", "triangular") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "one of: a number, {uniform: [low, high]}, {triangular: [low, mode, high]}"
            )
        bounds = self.uniform or self.triangular or ()
        if list(bounds) != sorted(bounds):
            raise ValueError("low, (mode,) high in order: each at least the one before")
        return self

    @property
    def central(self) -> float:
        if self.point is not None:
            return self.point
        if self.uniform is not None:
            return (self.uniform[0] + self.uniform[1]) / 2
        assert self.triangular is not None  # noqa: S101 (one shape, checked on load)
        return self.triangular[1]

    @property
    def is_point(self) -> bool:
        bounds = self.uniform or self.triangular
        return bounds is None or bounds[0] == bounds[-1]

    def draw(self, rng: np.random.Generator, runs: int) -> np.ndarray:
        """``runs`` values; a point (or a collapsed range) draws nothing from ``rng``."""
        if self.is_point:
            return np.full(runs, self.point if self.point is not None else self.central)
        if self.uniform is not None:
            return rng.uniform(self.uniform[0], self.uniform[1], runs)
        low, mode, high = self.triangular  # type: ignore[misc]
        return rng.triangular(low, mode, high, runs)


Figure = Annotated[Uncertain, BeforeValidator(_shape)]
Share = Annotated[float, Field(ge=0, le=1)]
