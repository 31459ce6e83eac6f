"""The synthetic CLD and hospital spells are shaped like a real council's Release 2 extract:
every value on the defined lists, one bed and one care home at a time, nothing after death,
reablement outcomes that agree with what follows, carers linked to the people they care for."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from onebudget.population.checks import check_extract
from onebudget.population.defined_lists import defined_lists
from onebudget.population.synth.generate import SynthConfig, SynthData, generate

DAY = np.timedelta64(1, "D")
CARE_HOMES = ("Long term support: Residential care", "Long term support: Nursing care")
ST_MAX = "Short term support: ST-Max"
NFA_LABELS = {v for v in defined_lists(2).fields["Event_Outcome"].values if v.startswith("NFA")}


@pytest.fixture(scope="module")
def data() -> SynthData:
    return generate(SynthConfig(persons=30_000, seed=2026))


def dates(table: pa.Table, name: str) -> np.ndarray:
    return np.array(table.column(name).to_numpy(zero_copy_only=False), dtype="M8[D]")


def strings(table: pa.Table, name: str) -> np.ndarray:
    return np.array(table.column(name).fill_null("").to_pylist(), dtype=str)


class Rows:
    """The CLD rows with each person's date of death."""

    def __init__(self, data: SynthData) -> None:
        cld, persons = data.tables["asc_cld"], data.tables["persons"]
        self.table = cld
        index = pc.index_in(cld.column("person_id"), persons.column("person_id")).to_numpy()
        self.person = index
        self.dod = dates(persons, "date_of_death")[index]
        self.start, self.end = dates(cld, "Event_Start_Date"), dates(cld, "Event_End_Date")

    def __getitem__(self, name: str) -> np.ndarray:
        return strings(self.table, name)

    def services(self, *types: str) -> np.ndarray:
        return (self["Event_Type"] == "Service") & np.isin(self["Service_Type"], types)


@pytest.fixture(scope="module")
def rows(data: SynthData) -> Rows:
    return Rows(data)


def overlaps(person: np.ndarray, start: np.ndarray, end: np.ndarray) -> int:
    """Pairs of one person's intervals where each starts before the other ends (an open end
    never ends); starting on the day the other ends is not an overlap."""
    end = np.where(np.isnat(end), np.datetime64("9999-12-31"), end)
    by_person: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(person):
        by_person[int(p)].append(i)
    found = 0
    for rows in by_person.values():
        for a in rows:
            found += sum(1 for b in rows if b > a and start[b] < end[a] and start[a] < end[b])
    return found


def test_every_value_is_spelled_as_on_the_release_2_lists(rows: Rows) -> None:
    for name, defined in defined_lists(2).fields.items():
        values = set(rows[name]) - {""}
        assert values, name
        assert {v for v in values if defined.canonical(v) != v} == set(), name


def test_the_extract_checks_find_nothing(data: SynthData) -> None:
    report = check_extract(data.tables)
    assert report.findings == (), [f.rule for f in report.findings]


def test_no_overlapping_hospital_spells_and_none_after_death(data: SynthData) -> None:
    spells, persons = data.tables["apc_spells"], data.tables["persons"]
    index = pc.index_in(spells.column("person_id"), persons.column("person_id")).to_numpy()
    admitted, discharged = dates(spells, "admidate"), dates(spells, "disdate")
    assert overlaps(index, admitted, discharged) == 0
    dod = dates(persons, "date_of_death")[index]
    assert not (admitted > dod).any()
    assert not (discharged > dod).any()
    died = strings(spells, "disdest") == "79"
    assert (discharged[died] == dod[died]).all()
    assert np.bincount(index[died]).max(initial=0) <= 1


def test_one_care_home_placement_at_a_time(rows: Rows) -> None:
    placed = rows.services(*CARE_HOMES)
    assert placed.sum() > 50
    assert overlaps(rows.person[placed], rows.start[placed], rows.end[placed]) == 0


def test_community_support_ends_before_a_care_home_admission(rows: Rows) -> None:
    long_term = rows.services("Long term support: Community", *CARE_HOMES)
    assert overlaps(rows.person[long_term], rows.start[long_term], rows.end[long_term]) == 0


def test_no_overlapping_reablement(rows: Rows) -> None:
    st = rows.services(ST_MAX)
    assert overlaps(rows.person[st], rows.start[st], rows.end[st]) == 0


def test_nothing_starts_after_death_and_services_end_at_it(rows: Rows) -> None:
    died = ~np.isnat(rows.dod)
    assert not (died & (rows.start > rows.dod)).any()
    services = rows["Event_Type"] == "Service"
    assert not (died & services & (np.isnat(rows.end) | (rows.end > rows.dod))).any()
    assert (
        rows["Event_Outcome"][died & services & (rows.end == rows.dod)] == "NFA: Deceased"
    ).all()


def test_services_start_change_and_end(rows: Rows) -> None:
    community = rows.services("Long term support: Community")
    ended = community & ~np.isnat(rows.end) & (np.isnat(rows.dod) | (rows.end < rows.dod))
    outcomes = set(rows["Event_Outcome"][ended])
    assert "Continuation of support or services" in outcomes  # replaced or moved to a home
    assert "NFA: Support ended as planned" in outcomes
    assert (rows["Event_Type"] == "Review").any()


def _later(rows: Rows, chosen: np.ndarray) -> dict[int, list[int]]:
    by_person: dict[int, list[int]] = defaultdict(list)
    for i in np.flatnonzero(chosen):
        by_person[int(rows.person[i])].append(int(i))
    return by_person


def test_reablement_outcomes_agree_with_what_follows(rows: Rows) -> None:
    st = np.flatnonzero(rows.services(ST_MAX) & ~np.isnat(rows.end))
    long_term = _later(rows, rows.services("Long term support: Community", *CARE_HOMES))
    homes = _later(rows, rows.services(*CARE_HOMES))
    assert len(st) > 100
    for i in st:
        p, end, outcome = int(rows.person[i]), rows.end[i], rows["Event_Outcome"][i]
        starts = [rows.start[j] for j in long_term.get(p, [])]
        if any(end < s <= end + 7 * DAY for s in starts):
            assert outcome == "Progress to support planning or services"
        if not np.isnat(rows.dod[i]) and rows.dod[i] <= end + 7 * DAY:
            assert outcome == "NFA: Deceased"
        if outcome in NFA_LABELS - {"NFA: Deceased"}:
            admitted = [rows.start[j] for j in homes.get(p, [])]
            assert not any(end < s <= end + 91 * DAY for s in admitted), i
    # Deaths during reablement are rare (none to five here) and some follow an admission that
    # ended the episode first, so "NFA: Deceased" is checked above wherever a death calls for it.
    assert set(rows["Event_Outcome"][st]) >= {
        "Progress to support planning or services",
        "NFA: Support ended as planned",
    }


def test_new_care_home_admissions_follow_a_request_or_a_review(rows: Rows) -> None:
    placed = np.flatnonzero(
        rows.services(*CARE_HOMES) & (rows.start >= np.datetime64("2023-01-01"))
    )
    before = _later(rows, np.isin(rows["Event_Type"], ["Request", "Review", "Assessment"]))
    for i in placed:
        earlier = [rows.start[j] for j in before.get(int(rows.person[i]), [])]
        assert any(rows.start[i] - 120 * DAY <= s <= rows.start[i] for s in earlier), i


def test_delivery_mechanisms_include_all_three(rows: Rows) -> None:
    community = rows.services("Long term support: Community")
    assert set(rows["Delivery_Mechanism"][community]) == {
        "Direct payment",
        "CASSR managed personal budget",
        "CASSR commissioned support",
    }
    paid = community & (rows["Service_Component"] == "Direct payment")
    assert (rows["Delivery_Mechanism"][paid] == "Direct payment").all()


def test_carers_are_other_adults_linked_to_a_service_user(data: SynthData, rows: Rows) -> None:
    carer = rows["Client_Type"] == "Unpaid carer"
    assert carer.sum() > 50
    users = rows["Client_Type"] == "Service user"
    linked = rows["Adult_1_Linked_Person_ID"]
    assert set(linked[carer]) <= set(rows["LA_Person_Unique_Identifier"][users])
    assert (linked[users] == "").all()
    assert not set(rows.person[carer]) & set(rows.person[users])
    assert (rows["LA_Person_Unique_Identifier"][carer] != linked[carer]).all()
    born = dates(data.tables["persons"], "date_of_birth")[rows.person[carer]]
    assert ((rows.start[carer] - born).astype(np.int64) >= 18 * 365).all()
    carer_services = set(rows["Service_Type"][carer]) - {""}
    assert carer_services == {
        "Unpaid carer support: Direct to unpaid carer",
        "Unpaid carer support: Support involving the person cared-for",
    }
    assert "Direct payment" in set(rows["Delivery_Mechanism"][carer])


def test_accommodation_is_the_care_home_while_in_one(rows: Rows) -> None:
    status = rows["Accommodation_Status"]
    assert (status != "").all()
    residential = rows.services("Long term support: Residential care")
    assert (status[residential] == "Registered care home").all()
    nursing = rows.services("Long term support: Nursing care")
    assert (status[nursing] == "Registered nursing home").all()
    supported = rows.services("Long term support: Community") & (
        rows["Service_Component"] == "Community supported living"
    )
    assert (
        status[supported] == "Supported accommodation, supported lodgings or supported group home"
    ).all()
    assert 0 < (status == "Unknown").mean() < 0.1
