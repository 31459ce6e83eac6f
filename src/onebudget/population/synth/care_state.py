"""The state of a place's adult social care as it is simulated month by month.

Each month every person is in one setting (none, community support, a residential or a
nursing home) with at most one open long-term service, and may be busy (in reablement, or
between a request and the support it led to). Drawing each month's events only for the
people they can happen to is what keeps the data possible: no second care-home admission
for a resident, no request from someone already supported, no reablement on top of
reablement. ``draw_among`` then raises the rates of those eligible so that the national
rates still hold for everyone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.care_people import CareAttributes
from onebudget.population.synth.cells import CellModel
from onebudget.population.synth.cld import NO_DATE, CldStore
from onebudget.population.synth.people import People, exposure_correction, relative_risk
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.social_care_model import SocialCareModel
from onebudget.population.synth.window import Window

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
NONE, COMMUNITY, RESIDENTIAL, NURSING = 0, 1, 2, 3
LONG_AGO = np.datetime64("1900-01-01", "D")
DAY = np.timedelta64(1, "D")
YEAR_DAYS = 365.25


@dataclass
class CareState:
    setting: Ints  # NONE, COMMUNITY, RESIDENTIAL or NURSING
    service: Ints  # row of the open long-term service in the store, or -1
    busy_until: Dates  # no new request from the person before this day
    quiet_until: Dates  # no care-home admission before this day (after a no-further-request)

    @classmethod
    def empty(cls, n: int) -> CareState:
        return cls(
            np.zeros(n, dtype=np.int64),
            np.full(n, -1, dtype=np.int64),
            np.full(n, LONG_AGO),
            np.full(n, LONG_AGO),
        )

    def enter(self, who: Ints, setting: int | Ints, rows: Ints, start: Dates) -> None:
        """``who`` are in ``setting`` with service ``rows`` from ``start`` (busy till then)."""
        self.setting[who] = setting
        self.service[who] = rows
        self.wait(who, start)

    def leave(self, who: Ints) -> None:
        self.setting[who] = NONE
        self.service[who] = -1

    def wait(self, who: Ints, until: Dates) -> None:
        self.busy_until[who] = np.maximum(self.busy_until[who], until)


@dataclass(frozen=True)
class Month:
    """One month of the window and each person's days alive in it."""

    start: np.datetime64
    end: np.datetime64  # the first day of the next month
    first: Dates  # each person's first day alive in the month
    days: Ints  # days alive in the month (0 if not born or dead)
    ages: Ints  # age at the start of the calendar year, as the published rates are by age

    def day_in(self, who: Ints, rng: np.random.Generator) -> Dates:
        """A day each of ``who`` is alive in the month, at random."""
        offset = np.floor(rng.random(len(who)) * self.days[who]).astype(np.int64)
        return np.asarray(self.first[who] + offset.astype("m8[D]"), dtype="M8[D]")


def months(people: People, window: Window) -> Iterator[Month]:
    first_month = window.start.astype("M8[M]")
    for i in range(int((window.end.astype("M8[M]") - first_month).astype(np.int64))):
        start = (first_month + i).astype("M8[D]")
        end = (first_month + i + 1).astype("M8[D]")
        first = np.maximum(people.dob, start)
        alive_until = np.where(np.isnat(people.dod), end, np.minimum(people.dod, end))
        days = np.clip((alive_until - first).astype(np.int64), 0, None)
        year_start = start.astype("M8[Y]").astype("M8[D]")
        yield Month(start, end, first, days, people.age_at(year_start))


@dataclass
class Sim:
    """Everything a step of the simulation reads and writes."""

    people: People
    window: Window
    rates: NationalRates
    model: CellModel
    care: SocialCareModel
    rng: np.random.Generator
    who: CareAttributes
    store: CldStore = field(default_factory=CldStore)
    state: CareState = field(init=False)
    _risk: dict[tuple[str, int], Floats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.state = CareState.empty(self.people.count)

    def risk(self, outcome: str, month: Month) -> Floats:
        """Each person's relative risk of ``outcome`` in the month's calendar year, with the
        correction for the exposure people likely to die lose (see ``people``)."""
        year = int(month.start.astype("M8[Y]").astype(np.int64)) + 1970
        if (outcome, year) not in self._risk:
            ages = self.people.age_at(np.datetime64(f"{year}-01-01", "D"))
            risk = relative_risk(self.people, ages, self.rates.risk(outcome), self.model)
            risk *= exposure_correction(self.people, ages, self.rates, self.model)
            self._risk[(outcome, year)] = risk
        return self._risk[(outcome, year)]

    def expected(self, month: Month, base_by_age: Floats, outcome: str) -> Floats:
        """Each person's expected events in the month at ``base_by_age`` a year."""
        rate = base_by_age[month.ages] * self.risk(outcome, month)
        return np.asarray(rate * month.days / YEAR_DAYS, dtype=np.float64)

    def alive_on(self, who: Ints, day: Dates) -> Bools:
        """Alive on ``day`` (dying that day counts: the event happened before the death)."""
        dod = self.people.dod[who]
        return np.asarray(np.isnat(dod) | (day <= dod), dtype=np.bool_)

    def alive_after(self, who: Ints, day: Dates) -> Bools:
        """Alive after ``day`` begins: a service may start on it and run at least a day."""
        dod = self.people.dod[who]
        return np.asarray(np.isnat(dod) | (day < dod), dtype=np.bool_)

    def service_start(self, who: Ints) -> Dates:
        """When each person's open long-term service began (no date if none)."""
        rows = self.state.service[who]
        if not self.store.size:
            return np.full(len(who), NO_DATE)
        began = self.store["start"][np.maximum(rows, 0)]
        return np.where(rows >= 0, began, NO_DATE)

    def older(self, who: Ints, day: Dates) -> Bools:
        return np.asarray(self.people.ages_on(who, day) >= 65, dtype=np.bool_)
