"""Unpaid carers of people in long-term community support, with their own CLD events.

Some people in community support have an unpaid carer known to the council: an adult of
the place who is not themselves a service user, about their age (a partner) or a generation
younger (a son or daughter). The carer asks for support while the person is supported at
home, is assessed, and may get support direct to them (a direct payment, mostly a one-off,
or a managed or commissioned service, at ASCOF 3D's published carer shares) or support
that involves the person cared for (respite or sitting). Every carer event names the person
cared for in Adult_1_Linked_Person_ID; carer support stops if that person dies.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.care_state import Sim
from onebudget.population.synth.cld import CARE_HOMES, KIND, LONG_TERM, add_services
from onebudget.population.synth.cld_values import (
    ASSESSMENT,
    CLIENT,
    EVENT,
    MECHANISM,
    OUTCOME,
    ROUTE,
)
from onebudget.population.synth.reablement import PLANNING

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
CARER = CLIENT["Unpaid carer"]
ADVICE = OUTCOME["NFA: Information and advice or signposting"]
ENDED = OUTCOME["NFA: Support ended as planned"]
COMMISSIONED = MECHANISM["CASSR commissioned support"]
DIRECT_TO_CARER = 0.8  # of carers' services; the rest involve the person cared for


def carers(sim: Sim) -> None:
    cared, day = _cared_for(sim)
    carer = _find_carers(sim, cared, day)
    found = carer >= 0
    _journeys(sim, carer[found], cared[found], day[found])


def _cared_for(sim: Sim) -> tuple[Ints, Dates]:
    """People whose first community package in the window runs at least 30 days there,
    a share of them, and a day in it when their carer asks."""
    store, window = sim.store, sim.window
    community = np.isin(store["kind"], LONG_TERM) & ~np.isin(store["kind"], CARE_HOMES)
    rows = np.flatnonzero(community & (store["client"] == CLIENT["Service user"]))
    rows = rows[np.lexsort((store["start"][rows], store["person"][rows]))]
    person = store["person"][rows]
    _, first = np.unique(person, return_index=True)
    rows, person = rows[first], person[first]
    dod = sim.people.dod[person]
    end = np.where(np.isnat(store["end"][rows]), window.end, store["end"][rows])
    end = np.minimum(np.minimum(end, window.end), np.where(np.isnat(dod), window.end, dod))
    begin = np.maximum(store["start"][rows], window.start)
    span = (end - begin).astype(np.int64) - 30
    chosen = (span > 0) & (sim.rng.random(len(rows)) < sim.care.carers_per_client)
    offset = np.floor(sim.rng.random(len(rows)) * np.maximum(span, 0)).astype(np.int64)
    return person[chosen], (begin + offset.astype("m8[D]"))[chosen]


def _find_carers(sim: Sim, cared: Ints, day: Dates) -> Ints:
    """An adult of about the right age for each person cared for, alive when asking, not a
    service user and not already a carer; -1 where none was found in a few tries."""
    people = sim.people
    ages = people.age_at(sim.window.start)
    taken = np.zeros(people.count, dtype=np.bool_)
    taken[sim.store["person"]] = True
    order = np.argsort(ages, kind="stable")
    bounds = np.searchsorted(ages[order], np.arange(ages.max(initial=0) + 2))
    carer = np.full(len(cared), -1, dtype=np.int64)
    partner = sim.rng.random(len(cared)) < 0.55
    for _ in range(8):
        todo = np.flatnonzero(carer < 0)
        age = _carer_ages(sim, ages[cared[todo]], partner[todo])
        age = np.clip(age, 18, ages.max(initial=18))
        low, high = bounds[age], bounds[age + 1]
        pick = order[
            np.minimum(low + (sim.rng.random(len(todo)) * (high - low)).astype(int), len(order) - 1)
        ]
        ok = (high > low) & ~taken[pick] & sim.alive_after(pick, day[todo])
        _, first = np.unique(pick[ok], return_index=True)
        chosen = np.flatnonzero(ok)[first]
        carer[todo[chosen]] = pick[chosen]
        taken[pick[chosen]] = True
    return carer


def _carer_ages(sim: Sim, cared_age: Ints, partner: Bools) -> Ints:
    """A partner within five years of the person's age, or a child 22 to 40 years younger
    (a partner where that would be under 18)."""
    n = len(cared_age)
    near = cared_age + sim.rng.integers(-5, 6, n)
    younger = cared_age - sim.rng.integers(22, 41, n)
    return np.asarray(np.where(partner | (younger < 18), near, younger), dtype=np.int64)


def _journeys(sim: Sim, carer: Ints, cared: Ints, day: Dates) -> None:
    """Request, assessment and, for most, a service for each carer."""
    rng, n = sim.rng, len(carer)
    advice = rng.random(n) < 0.15
    asked = np.where(advice, ADVICE, OUTCOME["Progress to assessment, review or reassessment"])
    route = ROUTE["Community or other route"]
    _add(sim, carer, cared, day, day, event=EVENT["Request"], outcome=asked, route=route)
    began = day + rng.integers(1, 15, n).astype("m8[D]")
    ended = began + rng.integers(0, 15, n).astype("m8[D]")
    a = ~advice & sim.alive_on(carer, began) & (began < sim.window.end)
    served = a & (rng.random(n) >= 0.2)
    outcome = np.where(served, PLANNING, ADVICE)[a]
    kind = ASSESSMENT["Long term assessment"]
    _add(
        sim,
        carer[a],
        cared[a],
        began[a],
        ended[a],
        event=EVENT["Assessment"],
        outcome=outcome,
        assessment=kind,
    )
    start = ended + rng.integers(1, 15, n).astype("m8[D]")
    go = served & sim.alive_after(carer, start) & sim.alive_after(cared, start)
    go &= start < sim.window.end
    _services(sim, carer[go], cared[go], start[go])


def _add(sim: Sim, carer: Ints, cared: Ints, start: Dates, end: Dates, **codes: object) -> None:
    sim.store.add(carer, start, end, client=CARER, linked=cared, **codes)


def _mechanisms(sim: Sim, direct: Bools) -> Ints:
    """Support direct to the carer by direct payment, managed personal budget or
    commissioned support at the published carer shares; the rest commissioned."""
    u = sim.rng.random(len(direct))
    dp, pb = sim.care.carer_direct_payment, sim.care.carer_personal_budget
    budget = np.where(u < dp + pb, MECHANISM["CASSR managed personal budget"], COMMISSIONED)
    mechanism = np.where(u < dp, MECHANISM["Direct payment"], budget)
    return np.where(direct, mechanism, COMMISSIONED)


def _services(sim: Sim, carer: Ints, cared: Ints, start: Dates) -> None:
    """Support direct to the carer (a direct payment, once; or a managed or commissioned
    service), or respite or sitting involving the person cared for; ended as planned, or
    when the person cared for dies."""
    rng, n = sim.rng, len(carer)
    direct = rng.random(n) < DIRECT_TO_CARER
    mechanism = _mechanisms(sim, direct)
    paid = mechanism == MECHANISM["Direct payment"]
    involving = np.where(rng.random(n) < 0.5, KIND["carer_respite"], KIND["carer_sitting"])
    kind = np.where(direct, KIND["carer_support"], involving)
    kind = np.where(paid, KIND["carer_direct_payment"], kind)
    end = np.where(paid, start, start + rng.integers(30, 181, n).astype("m8[D]"))
    dod = sim.people.dod[cared]
    lost = ~np.isnat(dod) & (dod < end)
    outcome = np.where(lost, OUTCOME["NFA: Support ended for other reason"], ENDED)
    add_services(
        sim.store,
        sim.rates,
        rng,
        carer,
        start,
        kind,
        np.where(lost, dod, end),
        mechanism=mechanism,
        client=CARER,
        linked=cared,
        outcome=outcome,
    )
