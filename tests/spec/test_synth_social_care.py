"""Spec: adult social care in 50,000 synthetic people meets the published national figures
(ASC-FR 2023/24 and ASCOF), within four standard errors of sampling. See
``test_synth_calibration`` for how the tolerance is derived."""

from __future__ import annotations

import numpy as np
import pytest

from onebudget.population.reference import england_population
from onebudget.population.synth.generate import SynthConfig, generate
from onebudget.population.synth.rates import national_rates
from tests.spec.synth_measures import Measure, YearOne, ratio
from tests.spec.test_synth_calibration import check

RATES = national_rates()
CARE_HOMES = ["Nursing Care", "Residential Care"]
NO_FURTHER = "No Further Request Made/No Services Provided"
Z_POISSON = 4.0


@pytest.fixture(scope="module")
def year() -> YearOne:
    return YearOne(generate(SynthConfig(persons=50_000, seed=7_2026)))


def figure(name: str) -> float:
    return RATES.figure("social_care", name)


def cld(year: YearOne, name: str) -> np.ndarray:
    return year.column("asc_cld", name)


def in_england(group: str) -> float:
    low, high = (65, 100) if group == "65+" else (18, 64)
    return float(england_population().sum(axis=1)[low : high + 1].sum())


def groups(year: YearOne) -> dict[str, np.ndarray]:
    return {"65+": year.in_ages(65, 100), "18-64": year.in_ages(18, 64)}


@pytest.mark.parametrize(
    ("group", "name"), [("65+", "requests_65_plus"), ("18-64", "requests_18_64")]
)
def test_requests_from_new_clients(year: YearOne, group: str, name: str) -> None:
    counts = year.per_person("asc_cld", "Event_Start_Date", cld(year, "Event_Type") == "Request")
    people = groups(year)[group]
    population = year.persons.num_rows  # only to keep the name readable below
    assert population > 0
    low, high = (65, 100) if group == "65+" else (18, 64)
    ons = RATES.figure("population", "mid_year_total")
    from onebudget.population.reference import england_population

    in_group = england_population().sum(axis=1)[low : high + 1].sum()
    assert in_group < ons
    check(ratio(counts[people], year.years[people]), figure(name) / in_group)


@pytest.mark.parametrize(
    ("group", "name"),
    [
        ("65+", "permanent_care_home_admissions_65_plus_per_100000"),
        ("18-64", "permanent_care_home_admissions_18_64_per_100000"),
    ],
)
def test_permanent_admissions_to_care_homes(year: YearOne, group: str, name: str) -> None:
    admitted = np.isin(cld(year, "Service_Component"), CARE_HOMES)
    counts = year.per_person("asc_cld", "Event_Start_Date", admitted)
    people = groups(year)[group]
    measure = ratio(counts[people], year.years[people])
    expected = figure(name) / 100_000
    if group == "18-64":
        # Rare (about 14 per 100,000): with 50,000 people only a handful are expected, so
        # test against the Poisson interval of the expected count instead.
        expected_count = expected * year.years[people].sum()
        assert abs(measure.numerator - expected_count) <= Z_POISSON * np.sqrt(expected_count) + 1
        return
    check(measure, expected)


def _ever_in_long_term_support(year: YearOne, component: list[str] | None = None) -> np.ndarray:
    service_type = cld(year, "Service_Type").astype(str)
    start, end = cld(year, "Event_Start_Date"), cld(year, "Event_End_Date")
    rows = np.char.startswith(service_type, "Long Term") & (start < year.end)
    rows &= np.isnat(end) | (end >= year.start)
    if component is not None:
        rows &= np.isin(cld(year, "Service_Component"), component)
    who = year.person_index("asc_cld")[rows]
    ever = np.zeros(len(year.dob), dtype=bool)
    ever[who] = True
    return ever


@pytest.mark.parametrize(
    ("group", "name"),
    [("65+", "long_term_support_in_year_65_plus"), ("18-64", "long_term_support_in_year_18_64")],
)
def test_long_term_support_during_the_year(year: YearOne, group: str, name: str) -> None:
    from onebudget.population.reference import england_population

    low, high = (65, 100) if group == "65+" else (18, 64)
    people = groups(year)[group]
    in_group = england_population().sum(axis=1)[low : high + 1].sum()
    ever = _ever_in_long_term_support(year)
    check(ratio(ever[people], np.ones(people.sum())), figure(name) / in_group)


@pytest.mark.parametrize(
    ("group", "name"),
    [("65+", "direct_payment_share_65_plus"), ("18-64", "direct_payment_share_18_64")],
)
def test_direct_payments_share_of_long_term_support(year: YearOne, group: str, name: str) -> None:
    people = groups(year)[group]
    ever = _ever_in_long_term_support(year)[people]
    paid = _ever_in_long_term_support(year, ["Direct Payment"])[people]
    check(ratio(paid, ever), figure(name))


def test_reablement_episodes_per_person(year: YearOne) -> None:
    reablement = cld(year, "Service_Component") == "Reablement"
    counts = year.per_person("asc_cld", "Event_Start_Date", reablement)
    people = year.at_start
    expected = figure("reablement_episodes") / RATES.figure("population", "mid_year_total")
    check(ratio(counts[people], year.years[people]), expected)


def test_short_term_support_with_no_further_request(year: YearOne) -> None:
    start = cld(year, "Event_Start_Date")
    rows = (cld(year, "Service_Component") == "Reablement") & (start >= year.start)
    rows &= start < year.end
    who = year.person_index("asc_cld")
    done = np.bincount(
        who[rows & (cld(year, "Event_Outcome") == NO_FURTHER)], minlength=len(year.dob)
    )
    check(
        ratio(done, np.bincount(who[rows], minlength=len(year.dob))),
        figure("short_term_no_further_request_share"),
    )


def test_older_people_at_home_91_days_after_reablement_from_hospital(year: YearOne) -> None:
    start, who = cld(year, "Event_Start_Date"), year.person_index("asc_cld")
    asked = (
        (cld(year, "Event_Type") == "Request")
        & (cld(year, "Request_Route_of_Access") == "Discharge from Hospital")
        & (cld(year, "Event_Outcome") == "Short Term Support (ST-Max)")
        & (start >= year.start)
        & (start < year.end)
    )
    person, discharged = who[asked], start[asked]
    day_91 = discharged + np.timedelta64(91, "D")
    dod = year.dod[person]
    alive = np.isnat(dod) | (dod > day_91)
    care_home = np.isin(cld(year, "Service_Component"), CARE_HOMES)
    moved = np.zeros(len(person), dtype=bool)
    for i, (p, d) in enumerate(zip(person, discharged, strict=True)):
        rows = care_home & (who == p) & (start >= d) & (start <= d + np.timedelta64(91, "D"))
        moved[i] = rows.any()
    at_home = (alive & ~moved).astype(float)
    measure = ratio(at_home, np.ones(len(at_home)))
    check(
        Measure(measure.value, measure.standard_error, float(len(at_home))),
        figure("reablement_at_home_91_days_share"),
    )
