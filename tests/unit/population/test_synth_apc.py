"""The synthetic admitted patient care reads like a SUS extract: national codes, every
diagnosis and procedure position filled without gaps, dated procedures, specialties, and
transfers between hospitals that ``population.cips`` joins into one stay."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import yaml

from onebudget.population import schema
from onebudget.population.synth import codes, terminal
from onebudget.population.synth.coding import diagnoses, specialties
from onebudget.population.synth.generate import SynthConfig, generate
from onebudget.population.synth.people import People
from onebudget.population.synth.procedures import procedures
from onebudget.population.synth.spells import Spells

DEFINITIONS = Path(__file__).resolve().parents[3] / "src/onebudget/definitions"
APC_CODES = (DEFINITIONS / "sus/apc.yaml").read_text()
SPEC = yaml.safe_load(APC_CODES)
DAY = np.timedelta64(1, "D")


class Apc:
    """The generated table as arrays, with each row's person's date of death."""

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        self.tables, self.table = tables, tables["apc_spells"]
        persons = tables["persons"]
        index = pc.index_in(self.table.column("person_id"), persons.column("person_id"))
        self.person = index.to_numpy()
        dod = persons.column("date_of_death").to_numpy(zero_copy_only=False)
        self.dod = np.array(dod, dtype="M8[D]")[self.person]

    def text(self, name: str) -> np.ndarray:
        values = pc.cast(self.table.column(name), pa.string()).fill_null("")
        return np.array(values.to_pylist(), dtype=str)

    def dates(self, name: str) -> np.ndarray:
        return np.array(self.table.column(name).to_numpy(zero_copy_only=False), dtype="M8[D]")

    def matrix(self, names: tuple[str, ...]) -> np.ndarray:
        return np.stack([self.text(n) for n in names], axis=1)

    def by_stay(self) -> np.ndarray:
        """Row order by person, admission, discharge and spell, as ``cips`` links them."""
        keys = (
            self.table.column("spell_id").to_numpy(),
            self.dates("disdate"),
            self.dates("admidate"),
            self.person,
        )
        return np.asarray(np.lexsort(keys))


@pytest.fixture(scope="module")
def apc() -> Apc:
    return Apc(generate(SynthConfig(persons=10_000, seed=42)).tables)


@pytest.mark.parametrize(
    "field", ["admimeth", "admisorc", "classpat", "epitype", "dismeth", "disdest"]
)
def test_every_code_is_a_national_one(apc: Apc, field: str) -> None:
    assert set(apc.text(field)) <= set(SPEC["fields"][field]["values"])


@pytest.mark.parametrize("form", ["diagnosis", "procedure", "specialty"])
def test_clinical_codes_have_their_form(apc: Apc, form: str) -> None:
    rule = SPEC["forms"][form]
    columns = rule["columns"]
    wanted = (columns,) if isinstance(columns, str) else tuple(columns)
    names = [n for n in apc.table.column_names if n.startswith(wanted)]
    pattern = re.compile(rule["pattern"])
    found = {c for name in names for c in apc.text(name) if c}
    assert len(found) >= 10
    assert not {c for c in found if not pattern.match(c)}


@pytest.mark.parametrize("names", [schema.DIAGNOSES, schema.PROCEDURES])
def test_positions_are_filled_without_gaps(apc: Apc, names: tuple[str, ...]) -> None:
    filled = apc.matrix(names) != ""
    assert (filled[:, :-1] >= filled[:, 1:]).all()  # position n only if n - 1
    assert filled[:, 2].any()  # and some have three or more


def test_procedure_dates_lie_within_the_spell_exactly_where_a_code_is(apc: Apc) -> None:
    coded = apc.matrix(schema.PROCEDURES) != ""
    when = np.stack([apc.dates(n) for n in schema.PROCEDURE_DATES], axis=1)
    assert (coded == ~np.isnat(when)).all()
    start, end = apc.dates("admidate")[:, None], apc.dates("disdate")[:, None]
    assert ((when >= start) & (when <= end))[coded].all()


def test_planned_admissions_have_the_operation_they_are_for(apc: Apc) -> None:
    planned = np.char.startswith(apc.text("admimeth"), "1")
    primary, first = apc.text("diag_4_01"), apc.text("opertn_4_01")
    expected = np.array([codes.ELECTIVE_PROCEDURES[d][0] for d in primary[planned]])
    assert (first[planned] == expected).all()
    day_case = planned & (apc.text("classpat") == "2") & (primary != "Z511")
    assert (apc.text("opertn_4_02")[day_case] == "").all()


def test_dismeth_4_exactly_when_the_patient_died(apc: Apc) -> None:
    assert ((apc.text("dismeth") == "4") == (apc.text("disdest") == "79")).all()
    assert (apc.text("dismeth") == "2").any()


def test_no_spell_overlaps_another_and_none_follows_death(apc: Apc) -> None:
    o = apc.by_stay()
    person, start, end = apc.person[o], apc.dates("admidate")[o], apc.dates("disdate")[o]
    same = person[1:] == person[:-1]
    assert (start[1:][same] >= end[:-1][same]).all()
    died = apc.text("disdest")[o][:-1] == "79"
    assert not (same & died).any()
    dod = apc.dod[o]
    assert (np.isnat(dod) | (end <= dod)).all()


def test_every_discharge_to_another_hospital_is_followed_by_the_transfer_in(apc: Apc) -> None:
    o = apc.by_stay()
    out = np.flatnonzero(apc.text("disdest")[o] == "51")
    assert len(out) >= 20
    first, then = o[out], o[out + 1]
    assert (apc.person[then] == apc.person[first]).all()
    gap = apc.dates("admidate")[then] - apc.dates("disdate")[first]
    assert ((gap == 0 * DAY) | (gap == DAY)).all()
    assert (apc.text("admisorc")[then] == "51").all()
    assert (apc.text("admimeth")[then] == "2B").all()
    assert (apc.text("procode3")[then] != apc.text("procode3")[first]).all()
    cips = apc.table.column("cips_id").to_numpy()
    assert (cips[then] == cips[first]).all()
    assert not apc.table.column("cips_first").to_numpy()[then].any()
    transfers_in = apc.text("admimeth") == "2B"
    assert transfers_in.sum() == len(out)


def test_falls_code_their_cause_in_positions_2_to_6(apc: Apc) -> None:
    secondary = apc.matrix(schema.DIAGNOSES[1:])
    is_fall = np.char.startswith(secondary, "W")
    falls = is_fall.any(axis=1)
    assert falls.sum() >= 50
    position = is_fall[falls].argmax(axis=1) + 2
    assert position.max() <= 6
    assert (position > 2).sum() >= 10


def test_residents_of_care_homes_are_admitted_from_them(apc: Apc) -> None:
    source = apc.text("admisorc")
    assert {"19", "29", "51"} <= set(source)
    from_home = np.flatnonzero(np.isin(source, ["54", "65", "85"]))
    assert len(from_home) >= 10
    cld = apc.tables["asc_cld"]
    home = pc.is_in(
        cld.column("Service_Type"),
        pa.array(["Long term support: Residential care", "Long term support: Nursing care"]),
    ).to_numpy(zero_copy_only=False)
    who = cld.column("person_id").to_numpy(zero_copy_only=False)[home]
    start = np.array(cld.column("Event_Start_Date").to_numpy(zero_copy_only=False), "M8[D]")[home]
    end = np.array(cld.column("Event_End_Date").to_numpy(zero_copy_only=False), "M8[D]")[home]
    ids = apc.table.column("person_id").to_numpy(zero_copy_only=False)
    admitted = apc.dates("admidate")
    for row in from_home:
        day = admitted[row]
        placed = (who == ids[row]) & (start < day) & (np.isnat(end) | (end >= day))
        assert placed.any(), row


def _spells(primary: list[str], n: int, method: str = "21") -> Spells:
    rows = n * len(primary)
    coded = np.full((rows, 20), "", dtype="<U4")
    coded[:, 0] = np.repeat(primary, n)
    admitted = np.full(rows, np.datetime64("2024-03-01", "D"))
    return Spells(
        np.arange(rows),
        admitted,
        admitted + 5 * DAY,
        np.full(rows, method),
        np.ones(rows, dtype=np.int8),
        np.full(rows, "19"),
        coded,
        np.zeros(rows, dtype=np.int64),
        np.full(rows, -1),
        np.full(rows, -1),
    )


def test_heart_failure_and_chest_pain_spells_have_their_share_of_cardiac_procedures() -> None:
    spells = _spells(["I500", "I110", "J81X", "R074", "I209"], 2000)
    ops, _ = procedures(spells, np.random.default_rng(1))
    primary = spells.diagnoses[:, 0]
    failure = np.isin(primary, ["I500", "I110", "J81X"])
    cardiac = np.isin(ops[:, 0], ["K601", "K611", "K571"])
    assert 0.05 <= cardiac[failure].mean() <= 0.10
    angiography = ops[~failure, 0] == "K634"
    assert 0.12 <= angiography.mean() <= 0.18
    assert (ops[failure, 0] == "U201").any()


def test_specialties_follow_the_diagnosis_and_age() -> None:
    primary = np.array(["F101", "S720", "J189", "J189", "R55X", "R55X", "C509", "H259"])
    ages = np.array([40, 80, 5, 50, 80, 40, 60, 70])
    main, treatment = specialties(primary, ages)
    assert list(main) == ["710", "110", "420", "340", "430", "300", "100", "130"]
    assert list(treatment) == ["710", "110", "420", "340", "430", "300", "103", "130"]


def test_diagnoses_are_the_conditions_shuffled_with_the_cause_among_them() -> None:
    n = 3000
    people = People(
        sex=np.ones(n, dtype=np.int8),
        dob=np.full(n, np.datetime64("1940-01-01", "D")),
        dod=np.full(n, np.datetime64("NaT", "D")),
        lsoa=np.zeros(n, dtype=np.int64),
        decile=np.ones(n, dtype=np.int8),
        practice=np.zeros(n, dtype=np.int64),
        conditions={name: np.ones(n, dtype=bool) for name in codes.CONDITION_CODES},
        frailty=np.zeros(n, dtype=np.int8),
    )
    who = np.arange(n)
    when = np.full(n, np.datetime64("2024-01-01", "D"))
    found = diagnoses(
        people, who, when, np.full(n, "I509"), np.full(n, "W19X"), np.random.default_rng(2)
    )
    assert found.shape == (n, 20)
    assert ((found[:, 1:] == "I509").sum(axis=1) == 0).all()  # the primary is not repeated
    position = (found == "W19X").argmax(axis=1) + 1
    assert set(position) == {2, 3, 4, 5, 6}
    assert len({tuple(row) for row in found[:50, 1:4]}) > 10  # a shuffled order


def _acsc_primaries() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The primary diagnosis prefixes the chronic ACSC indicator counts: on their own, and
    only under a condition (no procedure, or a secondary COPD)."""
    path = DEFINITIONS / "indicators/chronic-acsc-admissions.yaml"
    rules = yaml.safe_load(path.read_text())["numerator"]["count"]["where"][-1]["any"]
    alone = tuple(rules[0]["starts_with"])
    conditional = tuple(p for rule in rules[1:] for p in rule["all"][0]["starts_with"])
    return alone, conditional


def test_acsc_diagnoses_drawn_are_the_ones_the_indicator_counts_and_no_others() -> None:
    alone, conditional = _acsc_primaries()
    drawn = {c for options in codes.ACSC_DIAGNOSES.values() for c in options}
    assert {c for c in drawn if not c.startswith(alone + conditional)} == set()
    assert "I489" in drawn
    acute = set(codes.ACUTE_DIAGNOSES) | set(codes.FALL_INJURIES)
    assert {c for c in acute if c.startswith(alone + conditional)} == set()


def test_about_two_in_five_deaths_are_in_hospital_at_the_end_of_an_emergency_stay(
    apc: Apc,
) -> None:
    persons = apc.tables["persons"]
    dod = np.array(persons.column("date_of_death").to_numpy(zero_copy_only=False), "M8[D]")
    died = apc.text("dismeth") == "4"
    assert (apc.dates("disdate")[died] == apc.dod[died]).all()
    assert np.char.startswith(apc.text("admimeth")[died], "2").mean() > 0.95
    assert len(set(apc.person[died])) == died.sum()  # a person dies once
    share = died.sum() / (~np.isnat(dod)).sum()
    assert 0.3 <= share <= 0.5
    stay = (apc.dates("disdate") - apc.dates("admidate"))[died].astype(int)
    assert 6 <= stay.mean() <= 14


def test_a_stay_going_on_when_the_terminal_admission_would_begin_ends_in_death() -> None:
    spells = _spells(["J189", "J189", "J189"], 1)  # persons 0-2: 1 to 6 March
    dying = _spells(["I509", "I509", "I509"], 1)
    dying.person = np.array([0, 1, 3])  # 0 in hospital then, 1 discharged before, 3 none
    dying.admidate = np.array(["2024-03-04", "2024-03-09", "2024-03-10"], dtype="M8[D]")
    dying.disdate = np.array(["2024-03-12", "2024-03-15", "2024-03-11"], dtype="M8[D]")
    dying.disdest = np.full(3, "79")
    found = terminal.end_in_hospital(spells, dying)
    rows = sorted(
        zip(
            found.person,
            found.admidate.astype(str),
            found.disdate.astype(str),
            found.disdest,
            strict=True,
        )
    )
    assert rows == [
        (0, "2024-03-01", "2024-03-12", "79"),
        (1, "2024-03-01", "2024-03-06", "19"),
        (1, "2024-03-09", "2024-03-15", "79"),
        (2, "2024-03-01", "2024-03-06", "19"),
        (3, "2024-03-10", "2024-03-11", "79"),
    ]
