"""Rows of the adult social care Client Level Data (CLD) table, built up event by event.

Events are kept as columns of codes (``cld_values``) in growable arrays, so a later step can
end a service or change an episode's outcome by its row number: a home care package is
written when it starts and closed when the person moves into a care home months later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.cld_values import (
    ACCOMMODATION,
    ASSESSMENT,
    CLIENT,
    EVENT,
    FREQUENCY,
    FUNDING,
    MECHANISM,
    OUTCOME,
    ROUTE,
    SUPPORT_REASON,
    Labels,
)
from onebudget.population.synth.events import pick
from onebudget.population.synth.rates import NationalRates

Ints = npt.NDArray[np.int64]
Dates = npt.NDArray[np.datetime64]
NO_DATE = np.datetime64("NaT", "D")
COUNCIL, JOINT = {"council": 1.0}, {"council": 0.9, "joint": 0.1}


@dataclass(frozen=True)
class Kind:
    """A kind of service: its CLD service type and component, unit cost and who pays."""

    service_type: str
    component: str
    cost: str  # unit cost item in national.yaml
    frequency: str
    funding: dict[str, float]


KINDS: dict[str, Kind] = {
    "nursing": Kind(
        "Long term support: Nursing care",
        "Long term nursing care",
        "nursing_home_week",
        "Weekly",
        {"council": 0.6, "joint": 0.25, "nhs_chc": 0.15},
    ),
    "residential": Kind(
        "Long term support: Residential care",
        "Long term residential care",
        "residential_home_week",
        "Weekly",
        JOINT,
    ),
    "home_support": Kind(
        "Long term support: Community",
        "Home support or domiciliary care",
        "home_care_hour",
        "Hourly",
        {"council": 0.85, "joint": 0.1, "nhs_chc": 0.05},
    ),
    "supported_living": Kind(
        "Long term support: Community",
        "Community supported living",
        "supported_living_week",
        "Weekly",
        {"council": 0.8, "joint": 0.2},
    ),
    "direct_payment": Kind(
        "Long term support: Community", "Direct payment", "direct_payment_week", "Weekly", JOINT
    ),
    "day_support": Kind(
        "Long term support: Community", "Day support", "day_support_week", "Weekly", COUNCIL
    ),
    "extra_care": Kind(
        "Long term support: Community", "Extra care housing", "extra_care_week", "Weekly", JOINT
    ),
    "shared_lives": Kind(
        "Long term support: Community", "Shared Lives", "shared_lives_week", "Weekly", COUNCIL
    ),
    "reablement": Kind(
        "Short term support: ST-Max",
        "Reablement",
        "reablement_case",
        "One-off",
        {"council": 0.7, "joint": 0.3},
    ),
    "carer_direct_payment": Kind(
        "Unpaid carer support: Direct to unpaid carer",
        "Direct payment",
        "carer_payment",
        "One-off",
        COUNCIL,
    ),
    "carer_support": Kind(
        "Unpaid carer support: Direct to unpaid carer",
        "Other unpaid carer support",
        "carer_payment",
        "One-off",
        COUNCIL,
    ),
    "carer_respite": Kind(
        "Unpaid carer support: Support involving the person cared-for",
        "Unpaid carer respite",
        "carer_respite",
        "One-off",
        JOINT,
    ),
    "carer_sitting": Kind(
        "Unpaid carer support: Support involving the person cared-for",
        "Unpaid carer sitting service",
        "carer_respite",
        "One-off",
        COUNCIL,
    ),
}
KIND = Labels(*KINDS)
CARE_HOMES = KIND.codes(["residential", "nursing"])
LONG_TERM = KIND.codes(k for k, v in KINDS.items() if v.service_type.startswith("Long term"))
FIELDS = (
    "person",  # index into People
    "linked",  # the person cared for, for an unpaid carer's events
    "client",
    "event",
    "outcome",
    "route",
    "assessment",
    "kind",
    "mechanism",
    "accommodation",
    "reason",
    "cost_pence",
    "units_tenths",
    "funding",
)
TEXT_COLUMNS: dict[str, tuple[str, Labels]] = {
    "Client_Type": ("client", CLIENT),
    "Primary_Support_Reason": ("reason", SUPPORT_REASON),
    "Accommodation_Status": ("accommodation", ACCOMMODATION),
    "Event_Type": ("event", EVENT),
    "Event_Outcome": ("outcome", OUTCOME),
    "Request_Route_of_Access": ("route", ROUTE),
    "Assessment_Type": ("assessment", ASSESSMENT),
    "Delivery_Mechanism": ("mechanism", MECHANISM),
    "Funding_Source": ("funding", FUNDING),
}


class CldStore:
    """CLD events as growable columns of codes; ``columns()`` gives the table's values."""

    def __init__(self) -> None:
        self.size = 0
        self._ints = {name: np.full(1024, -1, dtype=np.int64) for name in FIELDS}
        self._dates = {name: np.full(1024, NO_DATE) for name in ("start", "end")}

    def __getitem__(self, name: str) -> np.ndarray:
        column = self._ints[name] if name in self._ints else self._dates[name]
        return column[: self.size]

    def set(self, name: str, rows: Ints, values: np.ndarray | int | np.datetime64) -> None:
        self[name][rows] = values

    def add(self, person: Ints, start: Dates, end: Dates | None = None, **codes: object) -> Ints:
        """New rows for ``person`` from ``start`` (and ``end``), with the given codes (an
        array or one value per field; the client is a service user unless given)."""
        n = len(person)
        self._grow(self.size + n)
        rows = np.arange(self.size, self.size + n)
        self.size += n
        self.set("person", rows, person)
        self.set("start", rows, start)
        self.set("end", rows, NO_DATE if end is None else end)
        self.set("client", rows, CLIENT["Service user"])
        for name, value in codes.items():
            self.set(name, rows, np.asarray(value))
        return rows

    def _grow(self, needed: int) -> None:
        capacity = len(self._ints["person"])
        if needed <= capacity:
            return
        more = max(needed, 2 * capacity) - capacity
        for name, column in self._ints.items():
            self._ints[name] = np.concatenate([column, np.full(more, -1, dtype=np.int64)])
        for name, dates in self._dates.items():
            self._dates[name] = np.concatenate([dates, np.full(more, NO_DATE)])

    def columns(self, keep: npt.NDArray[np.bool_] | None = None) -> dict[str, np.ndarray]:
        """The kept rows, sorted by start date, person and event type, as table values."""
        rows = np.flatnonzero(np.ones(self.size, bool) if keep is None else keep)
        rows = rows[np.lexsort((self["event"][rows], self["person"][rows], self["start"][rows]))]
        kind = self["kind"][rows]
        kinds = list(KINDS.values())
        out: dict[str, np.ndarray] = {
            "person": self["person"][rows],
            "linked": self["linked"][rows],
            "Event_Start_Date": self["start"][rows],
            "Event_End_Date": self["end"][rows],
            "Service_Type": Labels(*(k.service_type for k in kinds)).text(kind),
            "Service_Component": Labels(*(k.component for k in kinds)).text(kind),
            "Cost_Frequency_Unit_Type": Labels(*(k.frequency for k in kinds)).text(kind),
            "unit_cost_pence": self["cost_pence"][rows],
            "units_per_week_tenths": self["units_tenths"][rows],
        }
        for column, (field, labels) in TEXT_COLUMNS.items():
            out[column] = labels.text(self[field][rows])
        return out


def add_services(
    store: CldStore,
    rates: NationalRates,
    rng: np.random.Generator,
    who: Ints,
    start: Dates,
    kind: Ints,
    end: Dates | None = None,
    **codes: object,
) -> Ints:
    """New services of the given kinds from ``start`` (to ``end``), costed from the kind's
    unit cost: home support by the hour (4 to 25 hours a week), the rest a week or once."""
    pence = np.array([int(rates.cost(k.cost) * 100) for k in KINDS.values()])
    frequency = FREQUENCY.codes(k.frequency for k in KINDS.values())[kind]
    units = np.where(frequency == FREQUENCY["Hourly"], rng.integers(40, 251, len(who)), 10)
    funding = np.full(len(who), -1, dtype=np.int64)
    for code, spec in enumerate(KINDS.values()):
        rows = np.flatnonzero(kind == code)
        funding[rows] = FUNDING.codes(pick(rng, len(rows), spec.funding))
    return store.add(
        who,
        start,
        end,
        event=EVENT["Service"],
        kind=kind,
        cost_pence=pence[kind],
        units_tenths=np.where(frequency == FREQUENCY["One-off"], -1, units),
        funding=funding,
        **codes,
    )
