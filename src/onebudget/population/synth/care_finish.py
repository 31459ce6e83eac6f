"""The last pass over the simulated events: what an extract taken at the window's end shows.

Anything still running at a death ends on the date of death ("NFA: Deceased"); anything
still running when the window closes is open (no end date, no outcome yet), as in a real
extract. Long-term services have planned yearly reviews. Every event then gets the person's
primary support reason and their accommodation on the event's start date: a registered care
or nursing home while in a placement, otherwise their home.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.care_state import DAY, Sim
from onebudget.population.synth.cld import KIND, LONG_TERM, NO_DATE
from onebudget.population.synth.cld_values import (
    ACCOMMODATION,
    CLIENT,
    EVENT,
    OUTCOME,
    SUPPORT_REASON,
)
from onebudget.population.synth.spells import KEY

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
FAR = np.datetime64("9999-12-31", "D")
CARER_REASON = SUPPORT_REASON["Social support: Support to unpaid carer"]


def finish(sim: Sim) -> Bools:
    """Close, review and label every event; the rows an extract at the window's end has."""
    _close_at_death(sim)
    _planned_reviews(sim)
    _open_at_window_end(sim)
    _accommodation(sim)
    store = sim.store
    carer = store["client"] == CLIENT["Unpaid carer"]
    reason = sim.who.reason[store["person"]]
    store.set("reason", np.arange(store.size), np.where(carer, CARER_REASON, reason))
    dod = sim.people.dod[store["person"]]
    before = np.isnat(dod) | (store["start"] <= dod)
    return np.asarray(before & (store["start"] < sim.window.end), dtype=np.bool_)


def _close_at_death(sim: Sim) -> None:
    store = sim.store
    dod = sim.people.dod[store["person"]]
    end = store["end"]
    running = ~np.isnat(dod) & (store["start"] <= dod) & (np.isnat(end) | (end > dod))
    rows = np.flatnonzero(running)
    store.set("end", rows, dod[rows])
    store.set("outcome", rows, OUTCOME["NFA: Deceased"])


def _open_at_window_end(sim: Sim) -> None:
    store = sim.store
    rows = np.flatnonzero(~np.isnat(store["end"]) & (store["end"] >= sim.window.end))
    store.set("end", rows, NO_DATE)
    store.set("outcome", rows, -1)


def _planned_reviews(sim: Sim) -> None:
    """A review of each long-term service about every year it runs, in the window."""
    store, window = sim.store, sim.window
    rows = np.flatnonzero(np.isin(store["kind"], LONG_TERM))
    start, end = store["start"][rows], store["end"][rows]
    dod = sim.people.dod[store["person"][rows]]
    stop = np.minimum(np.where(np.isnat(end), FAR, end), window.end - DAY)
    stop = np.minimum(stop, np.where(np.isnat(dod), FAR, dod))
    first = start + sim.rng.integers(330, 400, len(rows)).astype("m8[D]")
    count = np.maximum((stop - first).astype(np.int64) // 365 + 1, 0)
    service = np.repeat(np.arange(len(rows)), count)
    k = np.arange(len(service)) - np.repeat(np.cumsum(count) - count, count)
    day = first[service] + (365 * k).astype("m8[D]")
    keep = day >= window.start
    who = store["person"][rows][service][keep]
    store.add(
        who,
        day[keep],
        day[keep],
        event=EVENT["Review"],
        outcome=OUTCOME["Continuation of support or services"],
    )


def _accommodation(sim: Sim) -> None:
    """Each event's accommodation: the care home the person is in on its start date, else
    their home (an unpaid carer's own)."""
    store = sim.store
    person, start = store["person"], store["start"]
    carer = store["client"] == CLIENT["Unpaid carer"]
    status = np.where(carer, sim.who.carer_home[person], sim.who.home[person])
    placed = np.flatnonzero(np.isin(store["kind"], [KIND["residential"], KIND["nursing"]]))
    if len(placed):
        order = placed[np.lexsort((start[placed], person[placed]))]
        keys = person[order] * KEY + start[order].astype(np.int64)
        i = np.searchsorted(keys, person * KEY + start.astype(np.int64), side="right") - 1
        hit = order[np.maximum(i, 0)]
        ends = np.where(np.isnat(store["end"][hit]), FAR, store["end"][hit])
        inside = (i >= 0) & (person[hit] == person) & (ends >= start) & ~carer
        nursing = store["kind"][hit] == KIND["nursing"]
        home = np.where(
            nursing, ACCOMMODATION["Registered nursing home"], ACCOMMODATION["Registered care home"]
        )
        status = np.where(inside, home, status)
    store.set("accommodation", np.arange(store.size), status)
