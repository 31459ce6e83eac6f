"""Spec: adult social care in 50,000 synthetic people meets the published national figures
(ASC-FR 2023/24 and ASCOF), within four standard errors of sampling, measured on the CLD
Release 2 table the way the published figure is measured (DHSC's ASCOF method for CLD where
it applies). See ``test_synth_calibration`` for how the tolerance is derived."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from onebudget.population.reference import england_population
from onebudget.population.synth.generate import SynthConfig, generate
from onebudget.population.synth.rates import national_rates
from tests.spec.synth_measures import Cld, Measure, YearOne, ratio
from tests.spec.test_synth_calibration import check

RATES = national_rates()
CARE_HOMES = ("Long term support: Residential care", "Long term support: Nursing care")
LONG_TERM = "Long term support: "
COMMUNITY = "Long term support: Community"
ST_MAX = "Short term support: ST-Max"
# ASCOF 2A: the outcomes in its numerator (no further request for ongoing support)
NO_FURTHER = {
    "NFA: Information and advice or signposting",
    "NFA: Support ended as planned",
    "NFA: Responsibility moved to another local authority",
    "NFA: Other",
    "NFA: No services offered for other reason",
    "NFA: Support ended for other reason",
    "NFA: Referral to other service within the local authority",
}
# ASCOF 2E: accommodation in the person's own home or with family ("settled")
SETTLED = {
    "Owner occupier or shared ownership scheme",
    "Tenant: Local authority or other social housing provider",
    "Tenant: Private landlord",
    "Settled mainstream housing with family or friends",
    "Supported accommodation, supported lodgings or supported group home",
    "Shared Lives scheme",
    "Approved premises for offenders released from prison or under probation supervision",
    "Sheltered housing, extra care housing or other sheltered housing",
    "Mobile accommodation for Gypsy, Roma and Traveller communities",
}
Z_POISSON = 4.0
DAY = np.timedelta64(1, "D")


@pytest.fixture(scope="module")
def year() -> YearOne:
    return YearOne(generate(SynthConfig(persons=50_000, seed=7_2026)))


@pytest.fixture(scope="module")
def cld(year: YearOne) -> Cld:
    return Cld(year)


def figure(name: str) -> float:
    return RATES.figure("social_care", name)


def groups(year: YearOne) -> dict[str, np.ndarray]:
    return {"65+": year.in_ages(65, 100), "18-64": year.in_ages(18, 64)}


def in_england(group: str) -> float:
    low, high = (65, 100) if group == "65+" else (18, 64)
    return float(england_population().sum(axis=1)[low : high + 1].sum())


def per_person(year: YearOne, cld: Cld, rows: np.ndarray) -> np.ndarray:
    return np.bincount(cld.person[rows], minlength=len(year.dob))


@pytest.mark.parametrize(
    ("group", "name"), [("65+", "requests_65_plus"), ("18-64", "requests_18_64")]
)
def test_requests_from_new_clients(year: YearOne, cld: Cld, group: str, name: str) -> None:
    asked = (cld["Event_Type"] == "Request") & cld.users()
    asked &= (cld.start >= year.start) & (cld.start < year.end)
    people = groups(year)[group]
    counts = per_person(year, cld, asked)
    check(ratio(counts[people], year.years[people]), figure(name) / in_england(group))


def new_care_home_admissions(cld: Cld) -> np.ndarray:
    """ASCOF 2B/2C: residential or nursing placements with no other placement of the person
    that started earlier and ended fewer than 365 days before (or is still open)."""
    placed = np.flatnonzero(cld.services(*CARE_HOMES))
    new = np.zeros(cld.rows, dtype=bool)
    by_person: dict[int, list[int]] = defaultdict(list)
    for row in placed:
        by_person[int(cld.person[row])].append(int(row))
    for rows in by_person.values():
        for row in rows:
            earlier = [
                r
                for r in rows
                if cld.start[r] < cld.start[row]
                and (np.isnat(cld.end[r]) or (cld.start[row] - cld.end[r]) < 365 * DAY)
            ]
            new[row] = not earlier
    return new


@pytest.mark.parametrize(
    ("group", "name"),
    [
        ("65+", "permanent_care_home_admissions_65_plus_per_100000"),
        ("18-64", "permanent_care_home_admissions_18_64_per_100000"),
    ],
)
def test_new_permanent_admissions_to_care_homes(
    year: YearOne, cld: Cld, group: str, name: str
) -> None:
    admitted = new_care_home_admissions(cld) & (cld.start >= year.start) & (cld.start < year.end)
    people = groups(year)[group]
    counts = np.minimum(per_person(year, cld, admitted), 1)  # each person once, as ASCOF
    measure = ratio(counts[people], year.years[people])
    expected = figure(name) / 100_000
    if group == "18-64":
        # Rare (about 14 per 100,000): with 50,000 people only a handful are expected, so
        # test against the Poisson interval of the expected count instead.
        expected_count = expected * year.years[people].sum()
        assert abs(measure.numerator - expected_count) <= Z_POISSON * np.sqrt(expected_count) + 1
        return
    check(measure, expected)


def _ever_in_long_term_support(year: YearOne, cld: Cld) -> np.ndarray:
    rows = cld.services(LONG_TERM) & (cld.start < year.end)
    rows &= np.isnat(cld.end) | (cld.end >= year.start)
    ever = np.zeros(len(year.dob), dtype=bool)
    ever[cld.person[rows]] = True
    return ever


@pytest.mark.parametrize(
    ("group", "name"),
    [("65+", "long_term_support_in_year_65_plus"), ("18-64", "long_term_support_in_year_18_64")],
)
def test_long_term_support_during_the_year(year: YearOne, cld: Cld, group: str, name: str) -> None:
    people = groups(year)[group]
    ever = _ever_in_long_term_support(year, cld)
    check(ratio(ever[people], np.ones(people.sum())), figure(name) / in_england(group))


def community_clients(year: YearOne, cld: Cld) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ASCOF 3D(1a), (2a): people 18+ in long-term support on 31 March whose highest setting
    is the community; whether each has a direct payment, and a personal budget or one."""
    day = np.datetime64(f"{year.data.config.first_year + 1}-03-31")
    alive = np.isnat(year.dod) | (year.dod >= day)
    open_now = cld.open_on(day) & alive[cld.person] & (cld.ages_on(day) >= 18)
    n = len(year.dob)
    placed = np.zeros(n, dtype=bool)
    placed[cld.person[open_now & cld.services(*CARE_HOMES)]] = True
    rows = open_now & cld.services(COMMUNITY) & ~placed[cld.person]
    mechanism = cld["Delivery_Mechanism"]
    paid = rows & ((mechanism == "Direct payment") | (cld["Service_Component"] == "Direct payment"))
    budget = rows & (mechanism == "CASSR managed personal budget")
    flags = []
    for chosen in (rows, paid, paid | budget):
        flag = np.zeros(n, dtype=bool)
        flag[cld.person[chosen]] = True
        flags.append(flag)
    return flags[0], flags[1], flags[2]


@pytest.mark.parametrize(
    ("low", "high", "name"),
    [(65, 200, "direct_payment_share_65_plus"), (18, 64, "direct_payment_share_18_64")],
)
def test_direct_payments_at_31_march(
    year: YearOne, cld: Cld, low: int, high: int, name: str
) -> None:
    clients, paid, _ = community_clients(year, cld)
    day = np.datetime64(f"{year.data.config.first_year + 1}-03-31")
    age = (day - year.dob.astype("M8[M]").astype("M8[D]")).astype(np.int64) * 4 // 1461
    people = clients & (age >= low) & (age <= high)
    check(ratio(paid[people], np.ones(people.sum())), figure(name))


def test_self_directed_support_and_direct_payments_at_31_march(year: YearOne, cld: Cld) -> None:
    clients, paid, directed = community_clients(year, cld)
    check(ratio(directed[clients], np.ones(clients.sum())), figure("self_directed_support_share"))
    check(ratio(paid[clients], np.ones(clients.sum())), figure("direct_payment_share"))


def test_reablement_episodes_per_person(year: YearOne, cld: Cld) -> None:
    reablement = cld.services(ST_MAX) & (cld.start >= year.start) & (cld.start < year.end)
    counts = per_person(year, cld, reablement)
    people = year.at_start
    expected = figure("reablement_episodes") / RATES.figure("population", "mid_year_total")
    check(ratio(counts[people], year.years[people]), expected)


def _followed_by_long_term_support(cld: Cld, rows: np.ndarray) -> np.ndarray:
    """ASCOF 2A's sequel: a long-term service of the person that starts between the
    episode's start and 7 days after its end, and runs beyond its end."""
    lts = np.flatnonzero(cld.services(LONG_TERM))
    by_person: dict[int, list[int]] = defaultdict(list)
    for r in lts:
        by_person[int(cld.person[r])].append(int(r))
    followed = np.zeros(len(rows), dtype=bool)
    for i, row in enumerate(rows):
        start, end = cld.start[row], cld.end[row]
        for r in by_person.get(int(cld.person[row]), []):
            runs_on = np.isnat(cld.end[r]) or cld.end[r] > end
            followed[i] |= bool(start <= cld.start[r] <= end + 7 * DAY and runs_on)
    return followed


def test_short_term_support_with_no_further_request(year: YearOne, cld: Cld) -> None:
    """ASCOF 2A: of ST-Max episodes ending in the year (with no later one within 7 days, so
    each is its own cluster), the share with no further request; episodes ending in death,
    hospital, a declined offer or an unclassified outcome count in neither part."""
    ended = cld.services(ST_MAX) & (cld.end >= year.start) & (cld.end < year.end)
    rows = np.flatnonzero(ended)
    followed = _followed_by_long_term_support(cld, rows)
    done = np.isin(cld["Event_Outcome"][rows], list(NO_FURTHER)) & ~followed
    counted = done | followed
    n = len(year.dob)
    numerator = np.bincount(cld.person[rows[done]], minlength=n)
    denominator = np.bincount(cld.person[rows[counted]], minlength=n)
    check(ratio(numerator, denominator), figure("short_term_no_further_request_share"))


def test_older_people_at_home_91_days_after_reablement_from_hospital(
    year: YearOne, cld: Cld
) -> None:
    asked = (
        (cld["Event_Type"] == "Request")
        & cld.users()
        & (cld["Request_Route_of_Access"] == "Discharge from hospital")
        & (cld["Event_Outcome"] == "Progress to reablement/ST-Max")
        & (cld.start >= year.start)
        & (cld.start < year.end)
        & (cld.ages_on(year.start) >= 65)
    )
    person, discharged = cld.person[asked], cld.start[asked]
    dod = year.dod[person]
    alive = np.isnat(dod) | (dod > discharged + 91 * DAY)
    placed = cld.services(*CARE_HOMES)
    moved = np.zeros(len(person), dtype=bool)
    for i, (p, d) in enumerate(zip(person, discharged, strict=True)):
        rows = placed & (cld.person == p) & (cld.start >= d) & (cld.start <= d + 91 * DAY)
        moved[i] = rows.any()
    at_home = (alive & ~moved).astype(float)
    measure = ratio(at_home, np.ones(len(at_home)))
    check(
        Measure(measure.value, measure.standard_error, float(len(at_home))),
        figure("reablement_at_home_91_days_share"),
    )


def test_learning_disability_clients_at_home_or_with_family(year: YearOne, cld: Cld) -> None:
    """ASCOF 2E (learning disability): of people 18-64 with learning disability support in
    long-term support in the year, the share whose latest accommodation is settled."""
    active = cld.services(LONG_TERM) & (cld.start < year.end)
    active &= np.isnat(cld.end) | (cld.end >= year.start)
    learning = cld["Primary_Support_Reason"] == "Learning disability support"
    ages = cld.ages_on(year.end - DAY)
    people = np.unique(cld.person[active & learning & (ages >= 18) & (ages <= 64)])
    users = np.flatnonzero(cld.users())
    latest = {}
    for row in users[np.lexsort((cld.start[users], cld.person[users]))]:
        latest[int(cld.person[row])] = cld["Accommodation_Status"][row]
    settled = np.array([latest[int(p)] in SETTLED for p in people], dtype=float)
    check(ratio(settled, np.ones(len(settled))), figure("learning_disability_own_home_share_18_64"))


def carer_support(cld: Cld) -> tuple[np.ndarray, np.ndarray]:
    """ASCOF 3D(1b), (2b): carers with support direct to them by a known mechanism; whether
    their best is a direct payment, and whether it is self-directed."""
    direct = (cld["Client_Type"] == "Unpaid carer") & (
        cld["Service_Type"] == "Unpaid carer support: Direct to unpaid carer"
    )
    mechanism, component = cld["Delivery_Mechanism"], cld["Service_Component"]
    paid = direct & ((mechanism == "Direct payment") | (component == "Direct payment"))
    budget = direct & (mechanism == "CASSR managed personal budget")
    known = paid | budget | (direct & (mechanism == "CASSR commissioned support"))
    carers = np.unique(cld.person[known])
    best_paid = np.isin(carers, cld.person[paid])
    best_directed = np.isin(carers, cld.person[paid | budget])
    return best_paid, best_directed


def test_carers_receiving_direct_payments_and_self_directed_support(cld: Cld) -> None:
    paid, directed = carer_support(cld)
    check(ratio(paid, np.ones(len(paid))), figure("carers_direct_payment_share"))
    assert directed.mean() >= paid.mean()
    expected = figure("carers_self_directed_support_share")
    measure = ratio(directed, np.ones(len(directed)))
    assert abs(measure.value - expected) <= 4 * max(measure.standard_error, 0.01)
