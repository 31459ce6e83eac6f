"""The Release 2 values the synthetic CLD writes, held as small integer codes while built.

Every label here is spelled exactly as on the Release 2 defined lists
(``definitions/cld/release-2.yaml``), so DHSC's ASCOF code, which matches values exactly,
finds every row; a test checks each against the lists. Working in codes keeps the monthly
simulation in whole-array numpy and lets a step change an event's outcome after the fact.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Strs = npt.NDArray[np.str_]


class Labels:
    """Some values of one defined list, each with a code (its position); -1 is no value."""

    def __init__(self, *values: str) -> None:
        self.values = values
        self._codes = {v: i for i, v in enumerate(values)}

    def __getitem__(self, value: str) -> int:
        return self._codes[value]

    def codes(self, values: Iterable[str]) -> Ints:
        return np.array([self._codes[v] for v in values], dtype=np.int64)

    def text(self, codes: Ints) -> Strs:
        """The labels of ``codes``, '' where there is none (-1)."""
        labels = np.array([*self.values, ""])
        return labels[np.where(codes < 0, len(self.values), codes)]


CLIENT = Labels("Service user", "Unpaid carer")
EVENT = Labels("Request", "Assessment", "Service", "Review")
OUTCOME = Labels(
    "Progress to reablement/ST-Max",
    "Progress to assessment, review or reassessment",
    "Progress to support planning or services",
    "Continuation of support or services",
    "Admitted to hospital",
    "NFA: Responsibility moved to another local authority",
    "NFA: Referral to NHS services or NHS funded social care",
    "NFA: Self-funded client or under 12wk disregard",
    "NFA: Information and advice or signposting",
    "NFA: Referral to other service within the local authority",
    "NFA: Support declined",
    "NFA: Deceased",
    "NFA: Support ended as planned",
    "NFA: Support ended for other reason",
    "NFA: No services offered for other reason",
)
ROUTE = Labels(
    "Discharge from hospital",
    "Community or other route",
    "Diversion from hospital services",
    "Self-funder with depleted funds",
    "Planned entry (transition)",
)
ASSESSMENT = Labels("Short term assessment", "Long term assessment", "Financial assessment")
MECHANISM = Labels("Direct payment", "CASSR managed personal budget", "CASSR commissioned support")
FREQUENCY = Labels("Weekly", "Hourly", "One-off")
FUNDING = Labels("council", "joint", "nhs_chc")  # OneBudget's own field, not a CLD list
ACCOMMODATION = Labels(
    "Owner occupier or shared ownership scheme",
    "Tenant: Local authority or other social housing provider",
    "Tenant: Private landlord",
    "Settled mainstream housing with family or friends",
    "Supported accommodation, supported lodgings or supported group home",
    "Shared Lives scheme",
    "Approved premises for offenders released from prison or under probation supervision",
    "Sheltered housing, extra care housing or other sheltered housing",
    "Mobile accommodation for Gypsy, Roma and Traveller communities",
    "Rough sleeper or squatting",
    "Night shelter, emergency hostel or direct access hostel",
    "Refuge",
    "Placed in temporary accommodation by the council (inc. homelessness resettlement)",
    "Staying with family or friends as a short term guest",
    "Registered care home",
    "Registered nursing home",
    "Other temporary accommodation",
    "Unknown",
)
SUPPORT_REASON = Labels(
    "Physical support: Access and mobility only",
    "Physical support: Personal care support",
    "Sensory support: Support for visual impairment",
    "Sensory support: Support for hearing impairment",
    "Sensory support: Support for dual impairment",
    "Support with memory and cognition",
    "Learning disability support",
    "Mental health support",
    "Social support: Substance misuse support",
    "Social support: Asylum seeker support",
    "Social support: Support for social isolation or other",
    "Social support: Support to unpaid carer",
)

# How an episode of support ends, when it ends other than by death or a change of setting.
NO_FURTHER_AFTER_ST_MAX = {
    "NFA: Support ended as planned": 0.85,
    "NFA: Information and advice or signposting": 0.08,
    "NFA: Support declined": 0.04,
    "NFA: Support ended for other reason": 0.03,
}
NO_SERVICE_AFTER_REQUEST = {
    "NFA: Information and advice or signposting": 0.55,
    "NFA: No services offered for other reason": 0.15,
    "NFA: Referral to other service within the local authority": 0.1,
    "NFA: Referral to NHS services or NHS funded social care": 0.05,
    "NFA: Self-funded client or under 12wk disregard": 0.08,
    "NFA: Support declined": 0.07,
}
LONG_TERM_SUPPORT_ENDED = {
    "NFA: Support ended as planned": 0.45,
    "NFA: Support ended for other reason": 0.2,
    "NFA: Responsibility moved to another local authority": 0.1,
    "NFA: Self-funded client or under 12wk disregard": 0.1,
    "NFA: Referral to NHS services or NHS funded social care": 0.15,
}
DECLINED = "NFA: Support declined"
