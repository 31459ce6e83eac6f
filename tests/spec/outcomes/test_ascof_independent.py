"""Spec: ASCOF 2B, 2C and 3D(1a/2a) agree exactly with an independent implementation,
written here in DHSC's own style from its published method (the rules of
``ASCOF_measures/Create_ASCOF_2B2C_2425_Onwards.sql`` and ``Create_ASCOF_3D_2425_Onwards.sql``
in github.com/DataS-DHSC/ASC-CLD-LA-Dashboard, commit e6f5749), on synthetic places of
three sizes and seeds. The independent SQL compares text case-insensitively, takes ages as
FLOOR(days / 365.25) from the first of the birth month and treats an open end as
9999-01-01, as DHSC's SQL Server code does; it shares no code with the compiler."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.outcomes.engines.memory import MemoryEngine
from onebudget.population.synth.generate import SynthConfig, generate

YEARS = [Period.financial_year(2023), Period.financial_year(2024)]
PLACES = [(15_000, 11), (30_000, 12), (45_000, 13)]

ADMISSIONS = """
WITH person AS (
  SELECT person_id, date_of_death,
         make_date(year(date_of_birth), month(date_of_birth), 1) AS birth
  FROM persons),
build AS (
  SELECT c.person_id, c.Event_Start_Date AS s,
         coalesce(c.Event_End_Date, DATE '9999-01-01') AS e,
         floor(datediff('day', p.birth, c.Event_Start_Date) / 365.25) AS age
  FROM asc_cld c JOIN person p ON p.person_id = c.person_id
  WHERE lower(c.Event_Type) = 'service' AND lower(c.Client_Type) = 'service user'
    AND lower(c.Service_Type) IN ('long term support: residential care',
                                  'long term support: nursing care')
    AND (p.date_of_death >= $start OR p.date_of_death IS NULL)
    AND (c.Service_Component IS NULL OR lower(c.Service_Component) LIKE '%residential%'
         OR lower(c.Service_Component) LIKE '%nursing%')
    AND lower(c.Service_Component) NOT LIKE '%short%'
    AND (c.Event_Outcome IS NULL
         OR lower(c.Event_Outcome) <> lower('NFA: Self-funded client or under 12wk disregard'))),
admitted AS (SELECT DISTINCT person_id, s, age FROM build WHERE s BETWEEN $start AND $end),
new AS (
  SELECT a.* FROM admitted a WHERE NOT EXISTS (
    SELECT 1 FROM build b WHERE b.person_id = a.person_id AND b.s < a.s
      AND datediff('day', b.e, a.s) < 365)),
banded AS (
  SELECT person_id, min(CASE WHEN age BETWEEN 18 AND 64 THEN '18 to 64'
                             WHEN age > 64 THEN '65 and above' END) AS band
  FROM new WHERE age >= 18 GROUP BY person_id)
SELECT band, count(*) FROM banded GROUP BY band
"""

POPULATION = """
SELECT CASE WHEN age BETWEEN 18 AND 64 THEN '18 to 64' ELSE '65 and above' END, count(*)
FROM (SELECT date_diff('year', date_of_birth, $mid)
             - CASE WHEN strftime(date_of_birth, '%m%d') > strftime($mid, '%m%d')
                    THEN 1 ELSE 0 END AS age
      FROM persons WHERE date_of_birth <= $mid
        AND (date_of_death IS NULL OR date_of_death > $mid))
WHERE age >= 18 GROUP BY 1
"""

CLIENTS = """
WITH person AS (
  SELECT person_id, date_of_death,
         make_date(year(date_of_birth), month(date_of_birth), 1) AS birth
  FROM persons),
open_on_last_day AS (
  SELECT c.person_id, lower(c.Service_Type) AS t, lower(c.Service_Component) AS sc,
         lower(c.Delivery_Mechanism) AS dm,
         floor(datediff('day', p.birth, $end) / 365.25) AS age
  FROM asc_cld c JOIN person p ON p.person_id = c.person_id
  WHERE lower(c.Client_Type) = 'service user'
    AND lower(c.Service_Type) IN ('long term support: nursing care',
        'long term support: residential care', 'long term support: community',
        'long term support: prison')
    AND c.Event_Start_Date <= $end
    AND (c.Event_End_Date >= $end OR c.Event_End_Date IS NULL)
    AND (p.date_of_death >= $end OR p.date_of_death IS NULL)),
ranked AS (
  SELECT person_id, age, CASE
    WHEN t = 'long term support: nursing care' THEN 1
    WHEN t = 'long term support: residential care' THEN 2
    WHEN t = 'long term support: community' AND (sc = 'direct payment' OR dm = 'direct payment')
      THEN 3
    WHEN t = 'long term support: community' AND dm = 'cassr managed personal budget' THEN 4
    WHEN t = 'long term support: community' AND dm = 'cassr commissioned support' THEN 5
    WHEN t = 'long term support: community' THEN 6
    WHEN t = 'long term support: prison' AND dm = 'cassr managed personal budget' THEN 7
    WHEN t = 'long term support: prison' AND dm = 'cassr commissioned support' THEN 8
    ELSE 9 END AS r
  FROM open_on_last_day),
top AS (SELECT person_id, min(r) AS r, min(age) AS age FROM ranked GROUP BY person_id)
SELECT count(*) FILTER (WHERE r IN (3, 4)), count(*) FILTER (WHERE r = 3),
       count(*) FILTER (WHERE r BETWEEN 3 AND 6)
FROM top WHERE age >= 18
"""


def independent(tables: dict[str, Any], period: Period) -> dict[str, int]:
    con = duckdb.connect()
    for name in ("persons", "asc_cld"):
        con.register(name, tables[name])
    bounds = {"start": period.start, "end": period.last_day}
    admitted = dict(con.execute(ADMISSIONS, bounds).fetchall())
    population = dict(con.execute(POPULATION, {"mid": period.mid_year}).fetchall())
    self_directed, direct, community = con.execute(CLIENTS, {"end": period.last_day}).fetchone()
    return {
        "care-home-admissions-18-64": admitted.get("18 to 64", 0),
        "care-home-admissions-18-64/": population.get("18 to 64", 0),
        "care-home-admissions-65-plus": admitted.get("65 and above", 0),
        "care-home-admissions-65-plus/": population.get("65 and above", 0),
        "self-directed-support": self_directed,
        "self-directed-support/": community,
        "direct-payments": direct,
        "direct-payments/": community,
    }


def ours(engine: Any, period: Period) -> dict[str, int]:
    found = {}
    for name in (
        "care-home-admissions-18-64",
        "care-home-admissions-65-plus",
        "self-directed-support",
        "direct-payments",
    ):
        indicator = indicators()[name]
        for part, suffix in (("numerator", ""), ("denominator", "/")):
            values = engine.evaluate(getattr(indicator, part), [period], [])
            found[name + suffix] = values.get((period.label,), 0)
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("persons", "seed"), PLACES)
def test_ascof_agrees_with_an_independent_implementation(persons: int, seed: int) -> None:
    tables = generate(SynthConfig(persons=persons, seed=seed)).tables
    engines = [DuckDBEngine(tables)]
    if persons == PLACES[0][0]:
        engines.append(MemoryEngine({k: v.to_pylist() for k, v in tables.items()}))
    for period in YEARS:
        expected = independent(tables, period)
        assert expected["self-directed-support/"] > 0, "the place has community clients"
        for engine in engines:
            assert ours(engine, period) == expected, (engine.name, period.label)
