"""Spec (issue 18): a place's population projected by cohort component, worked by hand.

A tiny place in 2025: 1,000 women aged 30, 50 men aged 99 and 20 men aged 100 and over.
Women die at 10% a year at 30 and 20% at 31; men at 50% a year at 99 and over; babies not
at all. Each woman aged 15–44 has 0.06 children a year, 105 boys for every 100 girls.

- 2026: women aged 31: 1,000 × 0.9 = 900. Men aged 100+: (50 + 20) × 0.5 = 35 (those
  reaching 100 join the 100-and-over). Children aged 0: 0.06 × 1,000 = 60, of whom
  60 × 100/205 girls and 60 × 105/205 boys.
- 2027: women aged 32: 900 × 0.8 = 720. Men aged 100+: 35 × 0.5 = 17.5. Last year's babies
  are aged 1; children aged 0: 0.06 × 900 = 54 (54 × 100/205 girls, 54 × 105/205 boys).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from onebudget.io.tables import read_table
from onebudget.population.reference import england_population
from onebudget.population.synth.rates import national_rates
from onebudget.scenarios.config import ScenarioConfig
from onebudget.scenarios.model import AGE_BANDS, SEXES
from onebudget.scenarios.projection import (
    Growth,
    Population,
    Projection,
    Rates,
    age_one_year,
    band_growth,
    band_totals,
    births,
    cumulative,
    national_projection_rates,
    population_from_bands,
    project,
)
from onebudget.scenarios.report import planning_rows
from onebudget.scenarios.snpp import SnppError, parse_snpp_tables, read_snpp

F, M = SEXES.index("female"), SEXES.index("male")
WORKING, OLDEST = AGE_BANDS.index("18-64"), AGE_BANDS.index("85+")


def tiny_place() -> tuple[Population, Rates]:
    persons = np.zeros((2, 101))
    persons[F, 30], persons[M, 99], persons[M, 100] = 1000, 50, 20
    mortality = np.zeros((2, 101))
    mortality[F, 30], mortality[F, 31], mortality[M, 99:] = 0.1, 0.2, 0.5
    return Population(2025, persons), Rates(mortality, fertility=0.06, boys_per_girl=1.05)


def test_one_and_two_years_of_ageing_worked_by_hand() -> None:
    population, rates = tiny_place()
    projection = project(population, 2, rates)
    assert projection.start_year == 2025
    assert projection.years == 2
    year1, year2 = projection.persons[1], projection.persons[2]
    expected1 = {(F, 31): 900, (M, 100): 35, (F, 0): 60 * 100 / 205, (M, 0): 60 * 105 / 205}
    expected2 = {(F, 32): 720, (M, 100): 17.5, (F, 0): 54 * 100 / 205, (M, 0): 54 * 105 / 205}
    expected2 |= {(F, 1): 60 * 100 / 205, (M, 1): 60 * 105 / 205}
    for year, expected in ((year1, expected1), (year2, expected2)):
        assert np.count_nonzero(year) == len(expected)
        for cell, count in expected.items():
            assert year[cell] == pytest.approx(count, rel=1e-12)


def test_the_hundred_and_over_accumulate() -> None:
    persons = np.zeros((2, 101))
    persons[M, 98], persons[M, 99], persons[M, 100] = 7, 10, 5
    no_deaths = Rates(np.zeros((2, 101)), fertility=0, boys_per_girl=1.05)
    projection = project(Population(2025, persons), 3, no_deaths)
    assert list(projection.persons[:, M, 100]) == [5, 15, 22, 22]
    assert projection.persons.sum(axis=(1, 2)).tolist() == [22, 22, 22, 22]


def test_births_go_to_age_zero_split_by_the_sex_ratio() -> None:
    persons = np.zeros((2, 101))
    persons[F, 14], persons[F, 15], persons[F, 44], persons[F, 45], persons[M, 30] = 9, 1, 1, 9, 9
    rates = Rates(np.zeros((2, 101)), fertility=0.5, boys_per_girl=1.05)
    # only the women aged 15 and 44 count: 0.5 × 2 = 1 child, 100/205 a girl
    assert births(persons, rates).tolist() == pytest.approx([100 / 205, 105 / 205], rel=1e-12)
    after = age_one_year(persons, rates)
    assert after[:, 0].tolist() == pytest.approx([100 / 205, 105 / 205], rel=1e-12)


def test_band_growth_is_each_band_and_sex_against_the_start_year() -> None:
    population, rates = tiny_place()
    growth = band_growth(project(population, 2, rates))
    assert growth.shape == (3, len(AGE_BANDS), len(SEXES))
    assert (growth[0] == 1).all()
    assert growth[1:, WORKING, F].tolist() == pytest.approx([0.9, 0.72])
    assert growth[1:, OLDEST, M].tolist() == pytest.approx([0.5, 0.25])
    # a band with nobody in 2025 (girls aged 0-17) stays at 1: it has no activity to grow
    assert growth[:, AGE_BANDS.index("0-17"), F].tolist() == [1, 1, 1]


def test_national_mortality_gives_englands_crude_death_rate() -> None:
    """The generator's guarantee: on England's mid-2023 age structure the national rates
    give deaths 2024 / mid-2023 population (531,954 / 57,690,323)."""
    rates, national = national_projection_rates(), national_rates()
    england = Population(2023, england_population().T)
    after = project(england, 1, rates).persons[1]
    born = births(england.persons, rates).sum()
    deaths = england.persons.sum() + born - after.sum()
    crude = national.figure("population", "deaths") / national.figure(
        "population", "mid_year_total"
    )
    assert deaths / england.persons.sum() == pytest.approx(crude, rel=1e-12)
    assert deaths == pytest.approx(531_954, rel=1e-9)


def test_national_births_are_englands_persons_aged_zero() -> None:
    """The generator's births (persons aged 0 per person, split as England's are) and ours
    agree on England: fertility is England's aged 0 per woman aged 15-44."""
    rates, england = national_projection_rates(), england_population().T
    assert births(england, rates) == pytest.approx(england[:, 0], rel=1e-12)
    assert 1.04 < rates.boys_per_girl < 1.06  # the usual figure is about 105 boys per 100 girls


def test_a_population_from_band_counts_keeps_the_bands() -> None:
    counts = np.array([[200, 210], [600, 590], [90, 80], [60, 40], [30, 10]], dtype=float)
    population = population_from_bands(counts, 2025)
    assert band_totals(population.persons) == pytest.approx(counts, rel=1e-12)
    england = england_population().T
    # within a band, England's shape: aged 86 against aged 85 as in England
    ratio = population.persons[F, 86] / population.persons[F, 85]
    assert ratio == pytest.approx(england[F, 86] / england[F, 85], rel=1e-12)


def test_a_later_window_of_a_projection() -> None:
    population, rates = tiny_place()
    projection = project(population, 2, rates)
    later = projection.since(2026, 1)
    assert later.start_year == 2026
    assert (later.persons == projection.persons[1:]).all()
    with pytest.raises(ValueError, match="outside 2025–2027"):
        projection.since(2026, 2)


def test_rates_and_populations_are_checked() -> None:
    with pytest.raises(ValueError, match="at most 1"):
        Rates(np.full((2, 101), 1.5), fertility=0, boys_per_girl=1)
    with pytest.raises(ValueError, match="not negative"):
        Population(2025, np.full((2, 101), -1.0))
    with pytest.raises(ValueError, match="shape"):
        Population(2025, np.zeros((101, 2)))


def test_growth_and_inflation_as_ranges() -> None:
    growth = Growth.model_validate(
        {
            "non_demographic": {"triangular": [0.0, 0.01, 0.02]},
            "by_pod": {"bed_day": -0.02},
            "inflation": {"triangular": [0.015, 0.025, 0.04]},
        }
    )
    assert growth.for_pod("outpatient").central == 0.01
    assert growth.for_pod("bed_day").central == -0.02
    assert growth.by_every_pod()["care_home_week"] == growth.non_demographic
    assert growth.inflation.central == 0.025
    with pytest.raises(ValidationError, match="unknown points of delivery"):
        Growth.model_validate({"by_pod": {"beds": 0.01}, "inflation": 0.02})
    with pytest.raises(ValidationError, match="above -1"):
        Growth.model_validate({"inflation": {"uniform": [-1, 0.02]}})


def test_cumulative_multipliers_worked_by_hand() -> None:
    same_each_year = cumulative(np.array([0.1, 0.0]), 2)
    assert same_each_year == pytest.approx(np.array([[1, 1.1, 1.21], [1, 1, 1]]), rel=1e-12)
    by_year = cumulative(np.array([[0.1, -0.5, 1.0]]), 3)
    assert by_year == pytest.approx(np.array([[1, 1.1, 0.55, 1.1]]), rel=1e-12)
    with pytest.raises(ValueError, match="above -1"):
        cumulative(np.array([-1.0]), 1)


HEADER = "AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2022,2023,2024"
AGES = [str(a) for a in range(90)] + ["90 and over"]


def count(sex: int, age: int, year: int) -> float:
    return 1000 * sex + 10 * age + year + 0.25


def snpp_lines(area: str = "E06000001", sexes: tuple[str, str] = ("females", "males")) -> list[str]:
    lines = []
    for sex, written in enumerate(sexes):
        for age, group in enumerate(AGES):
            counts = ",".join(str(count(sex, age, y)) for y in range(3))
            lines.append(f"{area},Hartlepool,Population,{written},{group},{counts}")
    return lines


def test_an_ons_style_file_is_read_back_exactly(tmp_path: Path) -> None:
    others = [
        "E06000001,Hartlepool,Population,persons,All ages,1,2,3",
        "E06000001,Hartlepool,Population,persons,0,1,2,3",
        "E06000001,Hartlepool,Births,females,0,1,2,3",
        *snpp_lines("E06000002"),
    ]
    path = tmp_path / "snpp.csv"
    path.write_text("\n".join([HEADER, *others, *snpp_lines()]) + "\n", encoding="utf-8")
    projection = read_snpp(path, "e06000001")
    assert projection.start_year == 2022
    assert projection.years == 2
    for sex in (F, M):
        for year in range(3):
            ages = projection.persons[year, sex]
            assert ages[:90].tolist() == [count(sex, a, year) for a in range(90)]
            assert ages[90:].sum() == pytest.approx(count(sex, 90, year), rel=1e-12)
            band = sum(count(sex, a, year) for a in range(85, 91))
            bands = band_totals(projection.persons[year])
            assert bands[OLDEST, sex] == pytest.approx(band, rel=1e-12)


def test_header_case_and_ons_sex_codes_are_tolerated(tmp_path: Path) -> None:
    header = "area code,Area_Name,sex,age group,2022,2023,2024"
    lines = [line.replace(",Population", "") for line in snpp_lines(sexes=("2", "1"))]
    path = tmp_path / "snpp.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    projection = read_snpp(path, "E06000001")
    assert projection.persons[1, F, 40] == count(F, 40, 1)
    assert projection.persons[2, M, 7] == count(M, 7, 2)


def test_a_bad_file_names_every_problem(tmp_path: Path) -> None:
    lines = snpp_lines()
    lines[3] = "E06000001,Hartlepool,Population,women,3,1,2,3"  # unknown sex: females 3 missing
    lines[95] = "E06000001,Hartlepool,Population,males,ninety,1,2,3"  # males 4 missing
    lines[96] = "E06000001,Hartlepool,Population,males,5,1,-2,x"
    lines[97] = "E06000001,Hartlepool,Population,males,5,1,2,3"  # twice; males 6 missing
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    with pytest.raises(SnppError) as raised:
        read_snpp(path, "E06000001")
    sex_rule = "females, males, 2 (female) or 1 (male); persons rows are left out"
    age_rule = "a whole age 0 to 89, or 90 and over"
    count_rule = "a number of persons, not negative"
    twice = "one row for each sex and age; row 98 has this one"
    missing = "no {} of these ages for area E06000001: each age 0 to 89 and 90 and over"
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in raised.value.problems] == [
        ("bad.csv", 5, "SEX", "women", sex_rule),
        ("bad.csv", 97, "AGE_GROUP", "ninety", age_rule),
        ("bad.csv", 98, "2023", "-2", count_rule),
        ("bad.csv", 98, "2024", "x", count_rule),
        ("bad.csv", 99, "AGE_GROUP", "5", twice),
        ("bad.csv", 1, "AGE_GROUP", "3", missing.format("females")),
        ("bad.csv", 1, "AGE_GROUP", "4, 6", missing.format("males")),
    ]


def test_ons_file_for_each_sex_reads_as_one(tmp_path: Path) -> None:
    """ONS publishes a file for each sex: the two read together are the one file."""
    lines = snpp_lines()
    paths = {}
    for name, part in (("females.csv", lines[:91]), ("males.csv", lines[91:])):
        paths[name] = tmp_path / name
        paths[name].write_text("\n".join([HEADER, *part]) + "\n", encoding="utf-8")
    both = parse_snpp_tables([read_table(p) for p in paths.values()], "E06000001")
    assert np.array_equal(both.persons, snpp_projection(tmp_path, lines).persons)
    assert both.source.endswith("females.csv, males.csv, area E06000001")


def test_files_for_each_sex_must_agree(tmp_path: Path) -> None:
    """Other years in the second file, or an age given in both, is named by file and row."""
    lines = snpp_lines()
    first, second = tmp_path / "females.csv", tmp_path / "males.csv"
    first.write_text("\n".join([HEADER, *lines[:91], lines[100]]) + "\n", encoding="utf-8")
    second.write_text("\n".join([HEADER, *lines[91:]]) + "\n", encoding="utf-8")
    with pytest.raises(SnppError) as raised:
        parse_snpp_tables([read_table(first), read_table(second)], "E06000001")
    assert [(p.file, p.row, p.rule) for p in raised.value.problems] == [
        ("males.csv", 11, "one row for each sex and age; females.csv, row 93 has this one")
    ]
    first.write_text("\n".join([HEADER, *lines[:91]]) + "\n", encoding="utf-8")
    later = HEADER.replace("2022,2023,2024", "2023,2024,2025")
    second.write_text("\n".join([later, *lines[91:]]) + "\n", encoding="utf-8")
    with pytest.raises(SnppError) as raised:
        parse_snpp_tables([read_table(first), read_table(second)], "E06000001")
    assert [(p.file, p.column, p.value, p.rule) for p in raised.value.problems] == [
        ("males.csv", "(years)", "2023-2025", "the same years as the first file: 2022 to 2024"),
        ("females.csv, males.csv", "AGE_GROUP", "0-90 and over",
         "no males of these ages for area E06000001: each age 0 to 89 and 90 and over"),
    ]  # fmt: skip


def snpp_projection(folder: Path, lines: list[str]) -> Projection:
    path = folder / "one.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return read_snpp(path, "E06000001")


def test_a_bad_header_or_a_missing_area_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("AREA_CODE,SEX,AGE,2022,2024\nE06000001,females,0,1,2\n", encoding="utf-8")
    with pytest.raises(SnppError) as raised:
        read_snpp(path, "E06000001")
    assert [(p.row, p.column, p.value) for p in raised.value.problems] == [
        (1, "AGE_GROUP", ""),
        (1, "2024", "2024"),
    ]
    path.write_text("\n".join([HEADER, *snpp_lines()]) + "\n", encoding="utf-8")
    with pytest.raises(SnppError) as raised:
        read_snpp(path, "E09000001")
    assert [(p.row, p.column, p.value) for p in raised.value.problems] == [
        (1, "AREA_CODE", "E09000001")
    ]


def test_a_projection_keeps_its_source() -> None:
    population, rates = tiny_place()
    assert project(population, 1, rates).source == "cohort-component, no migration"
    assert isinstance(project(population, 0, rates), Projection)


def test_the_scenarios_own_assumptions_lead_its_assumptions_sheet() -> None:
    """Population, growth beyond it (with a point of delivery's own) and inflation, as the
    file gives them, each with where it comes from."""
    config = ScenarioConfig.model_validate({
        "name": "x", "baseline_year": 2024,
        "growth": {"non_demographic": {"triangular": [0, 0.01, 0.02]},
                   "by_pod": {"home_care_hour": 0.03}, "inflation": 0.025},
        "population": {"snpp": "snpp.csv", "area": "E06000001"},
    })  # fmt: skip
    rows = [(r["Assumption"], r["Value"], r["Source"]) for r in planning_rows(config)]
    assert rows == [
        ("population", "ONS subnational population projection, area E06000001",
         "ONS, the file snpp.csv"),
        ("growth in demand a year beyond population change", "triangular 0 to 0.02 (mode 0.01)",
         "the scenario's own planning assumption"),
        ("growth a year beyond population change: home care hours", "0.03",
         "the scenario's own planning assumption"),
        ("inflation in costs a year", "0.025", "the scenario's own planning assumption"),
    ]  # fmt: skip
    national = planning_rows(config.model_copy(update={"population": "national"}))
    assert national[0]["Value"].startswith("the place's own people, aged on each year")
