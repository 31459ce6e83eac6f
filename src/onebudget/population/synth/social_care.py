"""Adult social care in Client Level Data (CLD) Release 2: requests, assessments, reviews,
reablement, long-term support and unpaid carers, as a council's extract would show them.

The place is simulated month by month (``care_state``). People already in long-term
support when the window opens carry a service that began before it. Each month community
packages end or change, care-home residents move to nursing care, people are admitted to
care homes, and new clients make requests, some on the day of an emergency discharge; each
request leads to reablement, long-term support or no services. Unpaid carers of people
supported at home are added at the end, then everything is closed at death and at the
window's end, reviewed and labelled with the person's accommodation at the time.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.care_finish import finish
from onebudget.population.synth.care_homes import admissions
from onebudget.population.synth.care_people import care_attributes
from onebudget.population.synth.care_requests import Requests
from onebudget.population.synth.care_settings import (
    in_support_at_start,
    package_changes,
    transfers,
)
from onebudget.population.synth.care_state import Sim, months
from onebudget.population.synth.carers import carers
from onebudget.population.synth.cells import CellModel
from onebudget.population.synth.cld import CldStore
from onebudget.population.synth.people import People
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.social_care_model import social_care_model
from onebudget.population.synth.spells import Spells
from onebudget.population.synth.window import Window


class SocialCare:
    """The simulated events and the rows of them an extract shows."""

    def __init__(self, store: CldStore, keep: npt.NDArray[np.bool_]) -> None:
        self.store, self.keep = store, keep

    def columns(self) -> dict[str, np.ndarray]:
        return self.store.columns(self.keep)


def social_care(
    people: People,
    emergency: Spells,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    rng: np.random.Generator,
) -> SocialCare:
    care = social_care_model(rates)
    sim = Sim(people, window, rates, model, care, rng, care_attributes(people, window, rng))
    in_support_at_start(sim)
    requests = Requests(sim, emergency)
    for month in months(people, window):
        package_changes(sim, month)
        transfers(sim, month)
        given = admissions(sim, month)
        requests.month(month, given)
    carers(sim)
    return SocialCare(sim.store, finish(sim))
