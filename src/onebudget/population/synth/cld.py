"""Rows of the adult social care Client Level Data (CLD) table, built up event by event."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.cells import CellModel
from onebudget.population.synth.events import Draws, pick
from onebudget.population.synth.people import People
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.social_care_model import SocialCareModel
from onebudget.population.synth.window import Window

Ints = npt.NDArray[np.int64]
Dates = npt.NDArray[np.datetime64]
NO_DATE = np.datetime64("NaT", "D")

# Service component -> (CLD service type, unit-cost item, cost frequency, funding mix)
SERVICES: dict[str, tuple[str, str, str, dict[str, float]]] = {
    "Nursing Care": (
        "Long Term Support: Nursing Care",
        "nursing_home_week",
        "Weekly",
        {"council": 0.6, "joint": 0.25, "nhs_chc": 0.15},
    ),
    "Residential Care": (
        "Long Term Support: Residential Care",
        "residential_home_week",
        "Weekly",
        {"council": 0.9, "joint": 0.1},
    ),
    "Home Care": (
        "Long Term Support: Community",
        "home_care_hour",
        "Hourly",
        {"council": 0.85, "joint": 0.1, "nhs_chc": 0.05},
    ),
    "Supported Living": (
        "Long Term Support: Community",
        "supported_living_week",
        "Weekly",
        {"council": 0.8, "joint": 0.2},
    ),
    "Direct Payment": (
        "Long Term Support: Community",
        "direct_payment_week",
        "Weekly",
        {"council": 0.9, "joint": 0.1},
    ),
    "Reablement": (
        "Short Term Support: ST-Max",
        "reablement_case",
        "One-off",
        {"council": 0.7, "joint": 0.3},
    ),
}
IN_SUPPORT_OLDER = {
    "Nursing Care": 0.15,
    "Residential Care": 0.25,
    "Home Care": 0.46,
    "Direct Payment": 0.14,
}
IN_SUPPORT_WORKING_AGE = {
    "Supported Living": 0.3,
    "Direct Payment": 0.37,
    "Home Care": 0.2,
    "Residential Care": 0.13,
}
TEXT_COLUMNS = (
    "Event_Type",
    "Event_Outcome",
    "Request_Route_of_Access",
    "Assessment_Type",
    "Service_Type",
    "Service_Component",
    "Delivery_Mechanism",
    "Cost_Frequency_Unit_Type",
    "Funding_Source",
)


class CldBuilder:
    """Collects CLD events as column arrays; ``columns()`` returns them sorted by date."""

    def __init__(
        self,
        people: People,
        window: Window,
        rates: NationalRates,
        model: CellModel,
        care: SocialCareModel,
        rng: np.random.Generator,
    ) -> None:
        self.people, self.window, self.rates, self.care = people, window, rates, care
        self.model, self.rng = model, rng
        self.parts: list[dict[str, np.ndarray]] = []

    def _add(self, who: Ints, start: Dates, end: Dates, **text: np.ndarray | str) -> None:
        n = len(who)
        part: dict[str, np.ndarray] = {
            "person": who,
            "Event_Start_Date": start,
            "Event_End_Date": end,
        }
        for name in TEXT_COLUMNS:
            value = text.get(name, "")
            part[name] = np.full(n, value) if isinstance(value, str) else value
        for name in ("unit_cost_pence", "units_per_week_tenths"):
            part[name] = np.asarray(text.get(name, np.full(n, -1)), dtype=np.int64)
        self.parts.append(part)

    def requests(
        self, requests: Draws, from_hospital: npt.NDArray[np.bool_], outcomes: npt.NDArray[np.str_]
    ) -> None:
        route = np.where(from_hospital, "Discharge from Hospital", "Community")
        self._add(
            requests.person,
            requests.date,
            requests.date,
            Event_Type="Request",
            Event_Outcome=outcomes,
            Request_Route_of_Access=route,
        )

    def assessments(self, requests: Draws, outcomes: npt.NDArray[np.str_]) -> None:
        assessed = (outcomes == "Long Term Support") | (outcomes == "Short Term Support (ST-Max)")
        who, asked = requests.person[assessed], requests.date[assessed]
        start = asked + self.rng.integers(1, 11, size=len(who)).astype("m8[D]")
        end = start + self.rng.integers(0, 15, size=len(who)).astype("m8[D]")
        self._add(
            who,
            start,
            end,
            Event_Type="Assessment",
            Assessment_Type="Needs Assessment",
            Event_Outcome="Eligible needs identified",
        )

    def reablement(
        self, who: Ints, start: Dates, end: Dates, outcome: npt.NDArray[np.str_]
    ) -> None:
        self._services(who, start, end, np.full(len(who), "Reablement"), outcome=outcome)

    def long_term_services(
        self, who: Ints, start: Dates, ages: Ints, *, prevalent: bool = False
    ) -> None:
        older = ages >= 65
        dp_older, dp_working = self.care.dp_share_older, self.care.dp_share_working_age
        mix_older = (
            IN_SUPPORT_OLDER
            if prevalent
            else {"Home Care": 1 - dp_older * 1.4, "Direct Payment": dp_older * 1.4}
        )
        mix_working = (
            IN_SUPPORT_WORKING_AGE
            if prevalent
            else {
                "Supported Living": 0.25,
                "Direct Payment": dp_working * 1.1,
                "Home Care": 0.75 - dp_working * 1.1,
            }
        )
        component = np.where(
            older, pick(self.rng, len(who), mix_older), pick(self.rng, len(who), mix_working)
        )
        self._services(who, start, self._ends(who), component)

    def care_home_admissions(self, who: Ints, start: Dates) -> None:
        nursing = self.rates.figure("social_care", "nursing_share_of_care_home_admissions_65_plus")
        component = np.where(
            self.rng.random(len(who)) < nursing, "Nursing Care", "Residential Care"
        )
        self._services(who, start, self._ends(who), component)

    def _ends(self, who: Ints) -> Dates:
        dod = self.people.dod[who]
        return np.where(~np.isnat(dod) & (dod < self.window.end), dod, NO_DATE)

    def _services(
        self,
        who: Ints,
        start: Dates,
        end: Dates,
        component: npt.NDArray[np.str_],
        outcome: np.ndarray | str = "",
    ) -> None:
        n = len(who)
        cost = np.zeros(n, dtype=np.int64)
        units = np.full(n, 10, dtype=np.int64)  # tenths of a unit a week
        service_type = np.full(n, "", dtype=object)
        frequency = np.full(n, "", dtype=object)
        funding = np.full(n, "", dtype=object)
        for name, (stype, item, freq, mix) in SERVICES.items():
            rows = component == name
            service_type[rows], frequency[rows] = stype, freq
            cost[rows] = int(self.rates.cost(item) * 100)
            funding[rows] = pick(self.rng, int(rows.sum()), mix)
        hourly = component == "Home Care"
        units[hourly] = self.rng.integers(40, 251, size=int(hourly.sum()))
        mechanism = np.where(
            component == "Direct Payment", "Direct Payment", "CASSR Managed Personal Budget"
        )
        self._add(
            who,
            start,
            end,
            Event_Type="Service",
            Event_Outcome=outcome,
            Service_Type=service_type.astype(str),
            Service_Component=component,
            Delivery_Mechanism=mechanism,
            Cost_Frequency_Unit_Type=frequency.astype(str),
            Funding_Source=funding.astype(str),
            unit_cost_pence=cost,
            units_per_week_tenths=np.where(frequency == "One-off", -1, units),
        )

    def columns(self) -> dict[str, np.ndarray]:
        table = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        start = table["Event_Start_Date"]
        order = np.lexsort((table["Event_Type"], table["person"], start))
        return {k: v[order] for k, v in table.items()}
