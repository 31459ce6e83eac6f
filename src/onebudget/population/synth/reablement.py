"""Reablement (ST-Max) episodes and what follows them, labelled the way ASCOF reads them.

An episode starts within a week of its request (three days of a hospital discharge) and lasts
one to six weeks. Its outcome is decided by what happens next, as DHSC's ASCOF 2A method
looks for it: an emergency admission during the episode ends it ("Admitted to hospital");
death during it or within 7 days is "NFA: Deceased"; long-term support starting within 7 days
of the end is "Progress to support planning or services" (a care home for some of those
reabled after hospital, community support for others); otherwise a no-further-request
outcome, after which no care-home admission is drawn for 91 days.

Two running targets keep the labels on the published shares: of people 65+ reabled after
hospital, the share still at home 91 days after discharge (ASCOF 2D's older measure); and of
the other episodes, the share followed by long-term support, which gives the share with no
further request. Each batch's chances are set from the totals so far, so the whole window
lands on the target and no episode's label contradicts what follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.care_settings import COMMISSIONED, admit, start_community
from onebudget.population.synth.care_state import DAY, Sim
from onebudget.population.synth.cld import KIND, NO_DATE, add_services
from onebudget.population.synth.cld_values import (
    ASSESSMENT,
    EVENT,
    NO_FURTHER_AFTER_ST_MAX,
    OUTCOME,
)
from onebudget.population.synth.events import pick
from onebudget.population.synth.spells import KEY, Spells

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
PLANNING = OUTCOME["Progress to support planning or services"]
FOLLOW_UP_DAYS = 91


class Admissions:
    """Each person's emergency admission dates, to find one during an episode."""

    def __init__(self, spells: Spells) -> None:
        order = np.lexsort((spells.admidate, spells.person))
        self.dates = spells.admidate[order]
        self.keys = spells.person[order] * KEY + self.dates.astype(np.int64)

    def first_after(self, who: Ints, after: Dates, until: Dates) -> Dates:
        """The first admission of each person after ``after`` and by ``until``, or none."""
        if not len(self.keys):
            return np.full(len(who), NO_DATE)
        i = np.searchsorted(self.keys, who * KEY + after.astype(np.int64), side="right")
        j = np.minimum(i, len(self.keys) - 1)
        found = (i < len(self.keys)) & (self.keys[j] // KEY == who) & (self.dates[j] <= until)
        return np.where(found, self.dates[j], NO_DATE)


@dataclass
class Tally:
    """Running totals behind the two targets."""

    followed: int = 0  # episodes of people 65+ after a hospital discharge
    alive: int = 0  # of them alive 91 days after the discharge
    moved: int = 0  # of those, moved into a care home
    episodes: int = 0
    counted: int = 0  # episodes of people alive and not admitted to hospital
    supported: int = 0  # of them followed by long-term support

    def completed(self, prior: float = 0.92, weight: int = 50) -> float:
        """The share of episodes not cut short by death or a hospital admission so far,
        starting from ``prior`` as if from ``weight`` episodes."""
        return (self.counted + prior * weight) / (self.episodes + weight)


class Reablement:
    def __init__(self, sim: Sim, spells: Spells) -> None:
        self.sim, self.admissions, self.tally = sim, Admissions(spells), Tally()

    def episodes(self, who: Ints, asked: Dates, route: Ints, followed: Bools) -> None:
        """Requests that lead to reablement, their episodes and what follows."""
        sim = self.sim
        request = sim.store.add(
            who,
            asked,
            asked,
            event=EVENT["Request"],
            route=route,
            outcome=OUTCOME["Progress to reablement/ST-Max"],
        )
        lag = np.where(followed, sim.rng.integers(0, 4, len(who)), sim.rng.integers(0, 8, len(who)))
        start = asked + lag.astype("m8[D]")
        dead = ~sim.alive_after(who, start)
        sim.store.set("outcome", request[dead], OUTCOME["NFA: Deceased"])
        ok = ~dead & (start < sim.window.end)
        self._episodes(who[ok], asked[ok], start[ok], followed[ok])

    def _episodes(self, who: Ints, asked: Dates, start: Dates, followed: Bools) -> None:
        sim = self.sim
        planned: Dates = start + sim.rng.integers(7, 43, len(who)).astype("m8[D]")
        kind = np.full(len(who), KIND["reablement"])
        rows = add_services(sim.store, sim.rates, sim.rng, who, start, kind, mechanism=COMMISSIONED)
        sim.state.wait(who, planned + 8 * DAY)
        end, hospital, died = self._cut_short(who, start, planned)
        outcome = np.where(died, OUTCOME["NFA: Deceased"], OUTCOME["Admitted to hospital"])
        sim.store.set("end", rows, end)
        sim.store.set("outcome", rows, outcome)
        dod = sim.people.dod[who]
        alive = np.isnat(dod) | (dod > asked + FOLLOW_UP_DAYS * DAY)
        self.tally.episodes += len(who)
        self.tally.followed += int(followed.sum())
        self.tally.alive += int((followed & alive).sum())
        rest = ~died & ~hospital
        self._after(who[rest], rows[rest], start[rest], end[rest], followed[rest], alive[rest])

    def _cut_short(self, who: Ints, start: Dates, end: Dates) -> tuple[Dates, Bools, Bools]:
        """Episodes that end early: at an emergency admission during them, or at death
        (death within 7 days of the end also makes the outcome "NFA: Deceased")."""
        admitted = self.admissions.first_after(who, start, end)
        hospital = ~np.isnat(admitted)
        end = np.asarray(np.where(hospital, admitted, end), dtype="M8[D]")
        dod = self.sim.people.dod[who]
        died = ~np.isnat(dod) & (dod <= end + 7 * DAY)
        end = np.asarray(np.where(died, np.minimum(end, dod), end), dtype="M8[D]")
        return end, hospital, np.asarray(died, dtype=np.bool_)

    def _to_care_home(self, followed: Bools, alive: Bools) -> Bools:
        """Of those reabled after hospital, enough into a care home that the share at home
        91 days after discharge is the published one."""
        t, target = self.tally, self.sim.care.at_home_91
        candidates = followed & alive
        needed = t.alive - target * t.followed - t.moved
        chance = float(np.clip(needed / max(int(candidates.sum()), 1), 0.0, 1.0))
        moving = followed & (self.sim.rng.random(len(followed)) < chance)
        t.moved += int((moving & alive).sum())
        return moving

    def _to_support(self, care_home: Bools) -> Bools:
        """Of the rest, enough into community support that the share of episodes followed
        by long-term support is the one that gives the published no-further-request share."""
        t, n = self.tally, len(care_home)
        needed = self.sim.care.followed_by_service * (t.counted + n) - t.supported
        needed -= int(care_home.sum())
        chance = float(np.clip(needed / max(n - int(care_home.sum()), 1), 0.0, 1.0))
        support = ~care_home & (self.sim.rng.random(n) < chance)
        t.counted += n
        t.supported += int(care_home.sum() + support.sum())
        return support

    def _after(
        self, who: Ints, rows: Ints, start: Dates, end: Dates, followed: Bools, alive: Bools
    ) -> None:
        sim = self.sim
        # no care home within 91 days of an earlier episode's no-further-request outcome
        resting = sim.state.quiet_until[who] > end
        care_home = self._to_care_home(followed & ~resting, alive)
        support = self._to_support(care_home)
        then = end + sim.rng.integers(1, 8, len(who)).astype("m8[D]")
        onward = (care_home | support) & (then < sim.window.end)
        self._assessed(who[onward], start[onward], end[onward])
        admit(sim, who[onward & care_home], then[onward & care_home])
        start_community(sim, who[onward & support], then[onward & support])
        done = ~(care_home | support)
        labels = OUTCOME.codes(pick(sim.rng, len(who), NO_FURTHER_AFTER_ST_MAX))
        sim.store.set("outcome", rows, np.where(done, labels, PLANNING))
        quiet = end[done] + (FOLLOW_UP_DAYS + 1) * DAY
        sim.state.quiet_until[who[done]] = np.maximum(sim.state.quiet_until[who[done]], quiet)

    def _assessed(self, who: Ints, start: Dates, end: Dates) -> None:
        """A long-term assessment in the episode's last days, before the support."""
        began = np.maximum(start, end - self.sim.rng.integers(3, 11, len(who)).astype("m8[D]"))
        self.sim.store.add(
            who,
            began,
            end,
            event=EVENT["Assessment"],
            assessment=ASSESSMENT["Long term assessment"],
            outcome=PLANNING,
        )
