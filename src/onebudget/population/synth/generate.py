"""``generate``: a whole synthetic place, every table, from a size, a seed and some years.

Each part of the data draws from its own child of the seed, so the same seed always gives
the same data, and changing one part of the generator leaves the others' draws alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from onebudget.population import schema
from onebudget.population.synth import (
    ambulatory,
    coding,
    discharge_ready,
    hospital,
    people,
    place,
    tables,
    transfers,
)
from onebudget.population.synth.cells import cell_model
from onebudget.population.synth.rates import NationalRates, national_rates
from onebudget.population.synth.social_care import social_care
from onebudget.population.synth.window import Window

Progress = Callable[[str], None]
STEPS = (
    "place",
    "people",
    "deaths",
    "hospital",
    "a&e",
    "outpatients",
    "community",
    "social care",
    "tables",
)


@dataclass(frozen=True)
class SynthConfig:
    persons: int
    seed: int
    first_year: int = 2023
    last_year: int = 2025
    like: str | None = None
    name: str = "Synthetic place"
    council_code: str = "E06099001"
    icb_code: str = "QZZ"
    council_name: str | None = None
    icb_name: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.persons <= 20_000_000:
            raise ValueError(f"persons {self.persons}: give between 1 and 20,000,000")


@dataclass
class SynthData:
    config: SynthConfig
    place: place.SynthPlace
    tables: dict[str, pa.Table] = field(default_factory=dict)


def generate(
    config: SynthConfig, *, rates: NationalRates | None = None, progress: Progress | None = None
) -> SynthData:
    rates = rates or national_rates()
    say = progress or (lambda step: None)
    model = cell_model(rates)
    window = Window(config.first_year, config.last_year)
    # A new part draws from a new child: the first children are the same however many are
    # spawned, so the older parts' draws (and every figure calibrated on them) stay as they were.
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(config.seed).spawn(14)]
    say("place")
    where = (
        place.like(config.like, config.persons, rng[0])
        if config.like
        else place.national_place(
            config.persons,
            rng[0],
            name=config.name,
            council_code=config.council_code,
            icb_code=config.icb_code,
        )
    )
    say("people")
    start = people.starting_population(config.persons, where, window, model, rng[1])
    born = people.births(config.persons, where, window, model, rng[2])
    everyone = people.combine(start, born)
    say("deaths")
    people.assign_deaths(everyone, window, rates, model, rng[3])
    say("hospital")
    emergency = hospital.emergency_spells(everyone, window, rates, model, rng[4])
    elective = hospital.elective_spells(everyone, window, rates, model, rng[5])
    stays = hospital.concat([emergency, elective])
    say("a&e")
    ae = ambulatory.ae_attendances(everyone, emergency, window, rates, model, rng[6])
    say("outpatients")
    op = ambulatory.outpatient_appointments(everyone, window, rates, model, rng[7])
    say("community")
    community = ambulatory.community_contacts(everyone, window, rates, model, rng[8])
    say("social care")
    cld = social_care(everyone, emergency, window, rates, model, rng[9]).columns()
    say("tables")
    spells = transfers.split(stays, everyone, rates, rng[12])
    coded = coding.code(spells, everyone, coding.CareHomes(cld), rng[12])
    ready = discharge_ready.ready_dates(spells, everyone, rng[13])
    ids = tables.pseudonyms(everyone.count, rng[10])
    data = SynthData(config, where)
    data.tables = {
        "persons": tables.persons_table(everyone, where, ids),
        "apc_spells": tables.apc_table(spells, coded, where, ids, ready),
        "ae_attendances": tables.activity_table(
            schema.AE, ae, ids, {"procode3": where.acute_trust_code}
        ),
        "op_appointments": tables.activity_table(
            schema.OP, op, ids, {"procode3": where.acute_trust_code}
        ),
        "community_contacts": tables.activity_table(
            schema.COMMUNITY, community, ids, {"provider_code": where.community_trust_code}
        ),
        "asc_cld": tables.cld_table(cld, everyone, where, ids, rng[11]),
    }
    return data
