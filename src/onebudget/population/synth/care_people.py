"""Who people are to adult social care: their primary support reason, where they live, and
what kind of long-term community support fits them.

A person's primary support reason and home are drawn once, for everyone, so that every
event of theirs says the same, and so that the kind of support follows from them: someone in
supported accommodation has community supported living, someone in a Shared Lives scheme
Shared Lives. The shares are modelled (no national figure by reason and home was found); the
learning disability ones give ASCOF 2E's published share living at home or with family.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.cld import KIND
from onebudget.population.synth.cld_values import ACCOMMODATION, SUPPORT_REASON
from onebudget.population.synth.events import pick
from onebudget.population.synth.people import People
from onebudget.population.synth.window import Window

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
OLDER, LEARNING_DISABILITY, OTHER_WORKING_AGE = 0, 1, 2
REASONS_OLDER = {
    "Physical support: Personal care support": 0.8,
    "Physical support: Access and mobility only": 0.05,
    "Mental health support": 0.06,
    "Learning disability support": 0.02,
    "Sensory support: Support for visual impairment": 0.02,
    "Sensory support: Support for hearing impairment": 0.01,
    "Social support: Support for social isolation or other": 0.04,
}
REASONS_WORKING_AGE = {
    "Learning disability support": 0.44,
    "Mental health support": 0.19,
    "Physical support: Personal care support": 0.24,
    "Physical support: Access and mobility only": 0.04,
    "Sensory support: Support for visual impairment": 0.01,
    "Sensory support: Support for dual impairment": 0.01,
    "Support with memory and cognition": 0.02,
    "Social support: Substance misuse support": 0.02,
    "Social support: Asylum seeker support": 0.01,
    "Social support: Support for social isolation or other": 0.02,
}
HOMES = {
    OLDER: {
        "Owner occupier or shared ownership scheme": 0.52,
        "Tenant: Local authority or other social housing provider": 0.2,
        "Tenant: Private landlord": 0.05,
        "Sheltered housing, extra care housing or other sheltered housing": 0.08,
        "Settled mainstream housing with family or friends": 0.08,
        "Staying with family or friends as a short term guest": 0.01,
        "Other temporary accommodation": 0.01,
        "Unknown": 0.05,
    },
    LEARNING_DISABILITY: {
        "Settled mainstream housing with family or friends": 0.42,
        "Supported accommodation, supported lodgings or supported group home": 0.28,
        "Tenant: Local authority or other social housing provider": 0.12,
        "Shared Lives scheme": 0.05,
        "Tenant: Private landlord": 0.04,
        "Owner occupier or shared ownership scheme": 0.05,
        "Other temporary accommodation": 0.01,
        "Unknown": 0.03,
    },
    OTHER_WORKING_AGE: {
        "Owner occupier or shared ownership scheme": 0.25,
        "Tenant: Local authority or other social housing provider": 0.28,
        "Tenant: Private landlord": 0.14,
        "Settled mainstream housing with family or friends": 0.14,
        "Supported accommodation, supported lodgings or supported group home": 0.06,
        "Placed in temporary accommodation by the council (inc. homelessness resettlement)": 0.02,
        "Night shelter, emergency hostel or direct access hostel": 0.01,
        "Rough sleeper or squatting": 0.01,
        "Refuge": 0.005,
        "Approved premises for offenders released from prison or under probation supervision": 0.01,
        "Mobile accommodation for Gypsy, Roma and Traveller communities": 0.005,
        "Other temporary accommodation": 0.01,
        "Unknown": 0.04,
    },
}
CARER_HOMES = {
    "Owner occupier or shared ownership scheme": 0.6,
    "Tenant: Local authority or other social housing provider": 0.17,
    "Tenant: Private landlord": 0.12,
    "Settled mainstream housing with family or friends": 0.08,
    "Unknown": 0.03,
}
# Of people in long-term support at the start: (residential, nursing) shares by group.
CARE_HOME_AT_START = np.array([(0.25, 0.15), (0.165, 0.01), (0.08, 0.02)])
COMMUNITY_KINDS = {
    OLDER: {"home_support": 0.88, "day_support": 0.12},
    LEARNING_DISABILITY: {"day_support": 0.5, "home_support": 0.5},
    OTHER_WORKING_AGE: {"home_support": 0.8, "day_support": 0.2},
}
SHELTERED = "Sheltered housing, extra care housing or other sheltered housing"
HOME_KINDS = {  # homes that come with their own kind of support
    "Supported accommodation, supported lodgings or supported group home": "supported_living",
    "Shared Lives scheme": "shared_lives",
    SHELTERED: "extra_care",
}


@dataclass(frozen=True)
class CareAttributes:
    reason: Ints  # SUPPORT_REASON code of each person
    home: Ints  # ACCOMMODATION code of each person's home, when not in a care home
    group: Ints  # OLDER, LEARNING_DISABILITY or OTHER_WORKING_AGE (age at the start)
    carer_home: Ints  # ACCOMMODATION code, should the person be an unpaid carer


def _reasons(people: People, older: Bools, rng: np.random.Generator) -> Ints:
    n = people.count
    reason = np.where(
        older,
        SUPPORT_REASON.codes(pick(rng, n, REASONS_OLDER)),
        SUPPORT_REASON.codes(pick(rng, n, REASONS_WORKING_AGE)),
    )
    memory = SUPPORT_REASON["Support with memory and cognition"]
    return np.where(people.conditions["dementia"], memory, reason)


def care_attributes(people: People, window: Window, rng: np.random.Generator) -> CareAttributes:
    older = people.age_at(window.start) >= 65
    reason = _reasons(people, older, rng)
    learning = reason == SUPPORT_REASON["Learning disability support"]
    group = np.where(older, OLDER, np.where(learning, LEARNING_DISABILITY, OTHER_WORKING_AGE))
    home = np.zeros(people.count, dtype=np.int64)
    for g, mix in HOMES.items():
        rows = np.flatnonzero(group == g)
        home[rows] = ACCOMMODATION.codes(pick(rng, len(rows), mix))
    carer_home = ACCOMMODATION.codes(pick(rng, people.count, CARER_HOMES))
    return CareAttributes(reason, home, group.astype(np.int64), carer_home)


def _home_kinds() -> Ints:
    """For each accommodation code, the kind of support that comes with it, or -1."""
    kinds = np.full(len(ACCOMMODATION.values), -1, dtype=np.int64)
    for home, kind in HOME_KINDS.items():
        kinds[ACCOMMODATION[home]] = KIND[kind]
    return kinds


def community_kinds(
    rng: np.random.Generator, group: Ints, home: Ints, direct: Bools, current: Ints | None = None
) -> Ints:
    """The kind of each new community service: a direct payment, the support that comes
    with the home (extra care for 60% in sheltered housing), or home or day support by
    group; with ``current``, home and day support swap so that the kind changes."""
    n = len(group)
    kind = np.zeros(n, dtype=np.int64)
    for g, mix in COMMUNITY_KINDS.items():
        rows = np.flatnonzero(group == g)
        kind[rows] = KIND.codes(pick(rng, len(rows), mix))
    if current is not None:
        home_support, day_support = KIND["home_support"], KIND["day_support"]
        kind = np.where(kind == current, home_support + day_support - kind, kind)
    tied = _home_kinds()[home]
    sheltered = home == ACCOMMODATION[SHELTERED]
    tied = np.where(sheltered & (rng.random(n) >= 0.6), -1, tied)
    kind = np.where(tied >= 0, tied, kind)
    return np.where(direct, KIND["direct_payment"], kind)
