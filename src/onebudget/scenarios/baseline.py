"""A scenario's baseline from a place's cells: the outcomes engine's counts by segment, age
band, sex and point of delivery (``onebudget.outcomes.cells``, passed in as plain rows: the
engines never import each other), priced at national unit costs and paid by the partner
whose budget each point of delivery falls in.

Unit costs are the reviewed national figures the synthetic data are costed with
(``definitions/rates/national.yaml``: PSSRU Unit Costs of Health and Social Care 2024,
prices 2023/24), one item per point of delivery (``UNIT_COST_ITEM``). Choices made here, and
said wherever the figures are shown:

- an emergency admission is priced as a long-stay non-elective spell, an elective one as an
  elective inpatient spell (day cases are not told apart in the cells);
- a bed day carries no price of its own: its cost is in the admission's (counted, so the
  scenarios show beds, but never paid twice);
- an outpatient attendance is priced as a follow-up (most attendances are);
- a care home week is priced as residential care (nursing care costs more).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from onebudget.population.synth.rates import national_rates
from onebudget.scenarios.engine import POD_LIST, Baseline, Payer
from onebudget.scenarios.model import AGE_BANDS, SEGMENTS, SEXES

UNIT_COST_ITEM = {
    "emergency_admission": "non_elective_long_stay",
    "elective_admission": "elective_inpatient",
    "bed_day": None,
    "ae_attendance": "ae_attendance",
    "outpatient": "outpatient_follow_up",
    "community_contact": "community_contact",
    "care_home_week": "residential_home_week",
    "home_care_hour": "home_care_hour",
    "reablement_case": "reablement_case",
}
ICB_ACUTE = Payer("icb", "acute hospital services")
PAYERS = {
    "emergency_admission": ICB_ACUTE,
    "elective_admission": ICB_ACUTE,
    "bed_day": ICB_ACUTE,
    "ae_attendance": ICB_ACUTE,
    "outpatient": ICB_ACUTE,
    "community_contact": Payer("icb", "community health services"),
    "care_home_week": Payer("council", "adult social care"),
    "home_care_hour": Payer("council", "adult social care"),
    "reablement_case": Payer("council", "adult social care"),
}


def unit_costs() -> dict[str, Decimal]:
    """Each point of delivery's national unit cost, in pounds."""
    rates = national_rates()
    return {
        pod: Decimal(0) if item is None else rates.cost(item)
        for pod, item in UNIT_COST_ITEM.items()
    }


def unit_cost_source() -> str:
    rates = national_rates()
    return f"{rates.unit_costs.source} ({rates.unit_costs.status})"


def from_cells(
    rows: Sequence[Mapping[str, Any]],
    year: int,
    costs: Mapping[str, Decimal] | None = None,
    payers: Mapping[str, Payer] | None = None,
) -> Baseline:
    """The baseline of a place whose cells are ``rows`` (segment numbered 1 to 8, age band,
    sex, people and each POD's activity, as ``outcomes.cells.cells`` gives them)."""
    shape = (len(SEGMENTS), len(AGE_BANDS), len(SEXES))
    people, activity = np.zeros(shape), np.zeros((*shape, len(POD_LIST)))
    for row in rows:
        cell = (int(row["segment"]) - 1, AGE_BANDS.index(row["age_band"]), SEXES.index(row["sex"]))
        people[cell] += float(row["people"])
        activity[cell] += [float(row[pod]) for pod in POD_LIST]
    prices = {p: float(v) for p, v in (costs or unit_costs()).items()}
    return Baseline(year, people, activity, prices, dict(payers or PAYERS))
