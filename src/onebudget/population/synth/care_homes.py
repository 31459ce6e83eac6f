"""Permanent care-home admissions from the community, month by month.

Admissions are drawn at the published rate (less those that follow reablement after a
hospital stay, drawn with the reablement) only among people who can be admitted: adults not
already in a care home, not in reablement, and not within 91 days of a reablement episode
that ended with no further request (ASCOF would then call that episode a failure). Someone
in community support has a review first, and their package ends the day before; someone
new to the council makes a request and is assessed first. Those requests count among the
month's requests, so ``admissions`` returns them by age for the request draw to allow for.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.care_settings import admit, review
from onebudget.population.synth.care_state import COMMUNITY, DAY, NONE, Month, Sim
from onebudget.population.synth.cld_values import ASSESSMENT, EVENT, OUTCOME, ROUTE
from onebudget.population.synth.events import draw_among
from onebudget.population.synth.social_care_model import CARE_HOME_65_SHAPE

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Dates = npt.NDArray[np.datetime64]
PLANNING = OUTCOME["Progress to support planning or services"]


def eligible_for_care_home(sim: Sim, month: Month) -> npt.NDArray[np.bool_]:
    s = sim.state
    return np.asarray(
        (month.days > 0)
        & (month.ages >= 18)
        & (s.setting <= COMMUNITY)
        & (s.busy_until <= month.start)
        & (s.quiet_until <= month.start),
        dtype=np.bool_,
    )


def admissions(sim: Sim, month: Month) -> Floats:
    """This month's admissions from the community; the requests they brought, by age."""
    base = sim.care.by_age("care_home_direct", CARE_HOME_65_SHAPE)
    expected = sim.expected(month, base, "care_home_admission")
    eligible = eligible_for_care_home(sim, month)
    who = np.flatnonzero(draw_among(sim.rng, expected, eligible, month.ages))
    day = month.day_in(who, sim.rng)
    supported = sim.state.setting[who] == COMMUNITY
    began = sim.service_start(who)
    day = np.where(supported, np.maximum(day, began + DAY), day)
    ok = sim.alive_after(who, day) & (day < sim.window.end)
    who, day, supported = who[ok], day[ok], supported[ok]
    lead = np.minimum(sim.rng.integers(1, 15, len(who)), (day - began[ok]).astype(np.int64))
    review(sim, who[supported], day[supported] - lead[supported].astype("m8[D]"), PLANNING)
    new = sim.state.setting[who] == NONE
    _asked_first(sim, who[new], day[new])
    admit(sim, who, day)
    return np.bincount(month.ages[who[new]], minlength=month.ages.max(initial=0) + 1).astype(
        np.float64
    )


def _asked_first(sim: Sim, who: Ints, day: Dates) -> None:
    """A request 7 to 30 days before the admission (not before the window opens), then a
    long-term assessment that ends the day before it."""
    asked = np.maximum(day - sim.rng.integers(7, 31, len(who)).astype("m8[D]"), sim.window.start)
    asked = np.minimum(asked, day)
    store = sim.store
    store.add(
        who,
        asked,
        asked,
        event=EVENT["Request"],
        route=ROUTE["Community or other route"],
        outcome=OUTCOME["Progress to assessment, review or reassessment"],
    )
    assessed = asked + ((day - asked).astype(np.int64) // 3).astype("m8[D]")
    store.add(
        who,
        assessed,
        np.maximum(day - DAY, assessed),
        event=EVENT["Assessment"],
        assessment=ASSESSMENT["Long term assessment"],
        outcome=PLANNING,
    )
