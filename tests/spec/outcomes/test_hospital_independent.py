"""Spec: the hospital indicators agree exactly with an independent implementation written
here from the specifications' rules (Fingertips 22401, CCG OIS 2.6 as transcribed, the
Compendium's 30-day readmissions, BCF emergency admissions 65+ and discharge to usual place
of residence, as each definition's notes read them), on synthetic places of three sizes and
seeds. It links provider spells into continuous inpatient spells itself, with window
functions over the raw spells (never the derived ``cips_`` columns), and shares no code
with the compiler or ``population.cips``."""

# ruff: noqa: S608 (the test's own SQL, built from constants)
from __future__ import annotations

from typing import Any

import duckdb
import pytest

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.outcomes.engines.memory import MemoryEngine
from onebudget.population.synth.generate import SynthConfig, generate
from tests.spec.outcomes.conftest import parts

YEARS = [Period.financial_year(2023), Period.financial_year(2024)]
PLACES = [(15_000, 21), (30_000, 22), (45_000, 23)]
SECONDARY = [f"diag_4_{i:02d}" for i in range(2, 21)]
ALL_DIAGNOSES = ["diag_4_01", *SECONDARY]
PROCEDURES = [f"opertn_4_{i:02d}" for i in range(1, 25)]


def _any(columns: list[str], pattern: str) -> str:
    return (
        "("
        + " OR ".join(f"coalesce(regexp_matches({c}, '{pattern}'), false)" for c in columns)
        + ")"
    )


CAUSE = (
    "coalesce("
    + ", ".join(f"CASE WHEN regexp_matches({c}, '^[VWXY]') THEN {c} END" for c in SECONDARY)
    + ")"
)
CANCER_OR_MATERNITY = (
    f"(diag_4_01 LIKE 'O%' OR mainspef IN ('501', '560') OR {_any(ALL_DIAGNOSES, '^(C|Z51[12])')}"
    f" OR {_any(PROCEDURES, '^X7[0-4]')})"
)
MENTAL_HEALTH = (
    "('700','710','711','712','713','715','720','721','722','723','724','725','726','727','730')"
)

# Provider spells linked into continuous inpatient spells: the next spell of a person joins
# the stay when admitted no more than 3 days after a live discharge with a transfer recorded.
STAYS = """
CREATE TEMP TABLE linked AS
WITH ordered AS (
  SELECT *,
    lag(person_id) OVER w AS p_person, lag(disdate) OVER w AS p_dis,
    lag(disdest) OVER w AS p_dest, lag(dismeth) OVER w AS p_meth, lag(classpat) OVER w AS p_class
  FROM apc_spells
  WINDOW w AS (ORDER BY person_id, admidate, disdate NULLS LAST, spell_id)),
flagged AS (
  SELECT *, CASE WHEN p_person = person_id AND p_dis IS NOT NULL
      AND datediff('day', p_dis, admidate) <= 3
      AND (p_dest IN ('51','52','53') OR admisorc IN ('51','52','53') OR admimeth IN ('2B','81'))
      AND coalesce(p_dest, '') <> '79' AND coalesce(p_meth, '') <> '4'
      AND classpat NOT IN (3, 4) AND p_class NOT IN (3, 4) THEN 0 ELSE 1 END AS starts
  FROM ordered)
SELECT *, sum(starts) OVER (ORDER BY person_id, admidate, disdate NULLS LAST, spell_id
                             ROWS UNBOUNDED PRECEDING) AS stay
FROM flagged
"""
STAY = """
CREATE TEMP TABLE stays AS
SELECT l.stay, any_value(l.person_id) AS person_id,
  min(l.admidate) AS admitted, arg_max(l.disdate, l.admidate) AS discharged,
  arg_min(l.admimeth, l.admidate) AS method, arg_min(l.classpat, l.admidate) AS first_class,
  arg_min(l.mainspef, l.admidate) AS first_specialty,
  arg_min(l.diag_4_01, l.admidate) AS first_diagnosis,
  arg_max(l.disdest, l.admidate) AS destination, arg_max(l.dismeth, l.admidate) AS how,
  arg_max(l.classpat, l.admidate) AS last_class,
  bool_or({cancer}) AS cancer_or_maternity,
  arg_min({first_cancer}, l.admidate) AS first_cancer
FROM linked l GROUP BY l.stay
"""
AGE = """(date_diff('year', p.date_of_birth, {day}) - CASE
          WHEN strftime(p.date_of_birth, '%m%d') > strftime({day}, '%m%d') THEN 1 ELSE 0 END)"""

FALLS = f"""
SELECT count(*) FROM apc_spells a JOIN persons p USING (person_id)
WHERE a.admidate BETWEEN $start AND $end AND a.admimeth LIKE '2%' AND a.classpat NOT IN (2,3,4)
  AND regexp_matches(a.diag_4_01, '^[ST]') AND regexp_matches({CAUSE}, '^W(0|1[0-9])')
  AND {AGE.format(day="a.admidate")} >= 65
"""
ACSC = f"""
SELECT count(*) FROM apc_spells
WHERE admidate BETWEEN $start AND $end AND admimeth LIKE '2%' AND admimeth <> '2B'
  AND admisorc NOT IN ('51','52','53') AND classpat NOT IN (2,3,4) AND (
    regexp_matches(diag_4_01,
                   '^(B18[01]|E1[0-4]|D50[189]|D5[12]|F0[0-3]|G4[01]|I48|J41[018]|J4[2-7])')
    OR (regexp_matches(diag_4_01, '^(I110|I130|I50|J81|I10|I119)')
        AND NOT {_any(PROCEDURES, "^(K[0-4]|K5[02567]|K6[01]|K6[6-9]|K7[134])")})
    OR (regexp_matches(diag_4_01, '^I2[05]') AND NOT {_any(PROCEDURES, "^([A-W]|X[0-5])")})
    OR (diag_4_01 LIKE 'J20%' AND {_any(SECONDARY, "^J4[1-47]")}))
"""
READMISSIONS = f"""
WITH indexed AS (
  SELECT * FROM stays WHERE discharged BETWEEN $start AND $end
    AND how NOT IN ('4','5') AND destination <> '79' AND last_class NOT IN (2,3,4)
    AND NOT cancer_or_maternity),
back AS (
  SELECT * FROM stays WHERE method LIKE '2%' AND first_class NOT IN (3,4)
    AND first_specialty NOT IN ('501','560') AND first_specialty NOT IN {MENTAL_HEALTH}
    AND NOT first_cancer)
SELECT count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM back b WHERE b.person_id = i.person_id
           AND b.admitted BETWEEN i.discharged AND i.discharged + 29
           AND b.admitted > i.admitted)),
       count(*)
FROM indexed i
"""
OLDER = f"""
SELECT count(*) FROM stays s JOIN persons p USING (person_id)
WHERE s.admitted BETWEEN $start AND $end AND s.method LIKE '2%'
  AND {AGE.format(day="s.admitted")} >= 65
"""
HOME = """
SELECT count(*) FILTER (WHERE destination = '19'), count(*) FROM stays
WHERE discharged BETWEEN $start AND $end AND method LIKE '2%'
  AND destination NOT IN ('79','98','99') AND how NOT IN ('4','5')
"""

# ASCOF 2D in the steps of DHSC's Create_ASCOF_2D.sql (commit 69fe2e4).
TWO_D = """
WITH person AS (
  SELECT person_id, date_of_death, make_date(year(date_of_birth), month(date_of_birth), 1) AS birth
  FROM persons),
cld AS (
  SELECT c.*, coalesce(c.Event_End_Date, DATE '9999-01-01') AS e
  FROM asc_cld c JOIN person p USING (person_id)
  WHERE lower(c.Client_Type) = 'service user'
    AND (p.date_of_death >= $start OR p.date_of_death IS NULL)
    AND (c.Event_End_Date >= c.Event_Start_Date OR c.Event_End_Date IS NULL)),
lts AS (SELECT * FROM cld WHERE lower(Service_Type) LIKE 'long%'),
reablement AS (
  SELECT * FROM cld WHERE lower(Event_Type) = 'service'
    AND lower(Service_Type) = 'short term support: st-max'
    AND lower(Service_Component) = 'reablement'),
grouped AS (
  SELECT person_id, Event_Start_Date AS s, e, Event_Reference,
    max(e) OVER (PARTITION BY person_id ORDER BY Event_Start_Date, e, Event_Reference DESC
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
  FROM reablement),
numbered AS (
  SELECT *, sum(CASE WHEN datediff('day', previous_end, s) <= 7 THEN 0 ELSE 1 END)
    OVER (ORDER BY person_id, s, e, Event_Reference DESC ROWS UNBOUNDED PRECEDING) AS cluster
  FROM grouped),
clusters AS (SELECT cluster, any_value(person_id) AS person_id, min(s) AS cs
             FROM numbered GROUP BY cluster),
discharges AS (
  SELECT a.spell_id, a.person_id, a.admidate, a.disdate
  FROM apc_spells a JOIN person p USING (person_id)
  WHERE floor(datediff('day', p.birth, a.disdate) / 365.25) >= 65
    AND a.admimeth NOT IN ('31', '32', '82', '83') AND a.dismeth NOT IN ('4', '5')
    AND a.disdest NOT IN ('49', '50', '51', '52', '79', '87', '88')
    AND a.tretspef NOT IN ('199', '223', '290', '291', '331', '344', '345', '346', '424',
                           '499', '501', '504', '560', '660', '661', '662', '840', '920')
    AND a.tretspef NOT LIKE '65%' AND a.tretspef NOT LIKE '7%'
    AND a.admidate < a.disdate AND a.disdate BETWEEN $start AND $end
    AND NOT EXISTS (
      SELECT 1 FROM lts b WHERE b.person_id = a.person_id
        AND lower(b.Service_Type) IN ('long term support: nursing care',
            'long term support: residential care', 'long term support: prison')
        AND a.admidate BETWEEN b.Event_Start_Date AND b.e)),
linked AS (
  SELECT c.cluster, c.person_id, c.cs, max(d.disdate) AS dis
  FROM clusters c JOIN discharges d ON d.person_id = c.person_id
    AND d.disdate BETWEEN c.cs - 7 AND c.cs + 3 AND d.admidate <= c.cs
  GROUP BY c.cluster, c.person_id, c.cs),
readmissions AS (
  SELECT person_id, admidate FROM apc_spells
  WHERE admidate < disdate AND admimeth NOT LIKE '1%' AND classpat NOT IN (3, 4)
    AND dismeth <> '5' AND admidate >= $start),
outcomes AS (
  SELECT l.*,
    EXISTS (SELECT 1 FROM readmissions r WHERE r.person_id = l.person_id
            AND r.admidate > l.cs AND r.admidate > l.dis AND r.admidate <= l.dis + 84) AS back,
    EXISTS (SELECT 1 FROM person p WHERE p.person_id = l.person_id
            AND p.date_of_death BETWEEN l.dis AND l.dis + 84) AS died,
    EXISTS (SELECT 1 FROM lts c WHERE c.person_id = l.person_id
            AND lower(c.Service_Type) IN ('long term support: residential care',
                                          'long term support: nursing care')
            AND c.Event_Start_Date BETWEEN l.dis AND l.dis + 84) AS placed
  FROM linked l)
SELECT count(*) FILTER (WHERE NOT (back OR died OR placed)), count(*),
       (SELECT count(*) FROM discharges)
FROM outcomes
"""


def independent(tables: dict[str, Any], period: Period) -> dict[str, int]:
    con = duckdb.connect()
    con.register(
        "apc_spells",
        tables["apc_spells"].drop_columns(
            ["cips_id", "cips_first", "cips_last", "cips_admidate", "cips_disdate"]
        ),
    )
    con.register("persons", tables["persons"])
    con.register("asc_cld", tables["asc_cld"])
    con.execute(STAYS)
    first_cancer = (
        f"(l.diag_4_01 LIKE 'O%' OR {_any(ALL_DIAGNOSES, '^(C|Z51[12])')}"
        f" OR {_any(PROCEDURES, '^X7[0-4]')})"
    )
    con.execute(STAY.format(cancer=CANCER_OR_MATERNITY, first_cancer=first_cancer))
    bounds = {"start": period.start, "end": period.last_day}
    readmitted, discharged = con.execute(READMISSIONS, bounds).fetchone()
    home, left = con.execute(HOME, bounds).fetchone()
    stayed, reabled, discharges = con.execute(TWO_D, bounds).fetchone()
    return {
        "falls-65-plus": con.execute(FALLS, bounds).fetchone()[0],
        "chronic-acsc-admissions": con.execute(ACSC, bounds).fetchone()[0],
        "emergency-readmissions-30-days": readmitted,
        "emergency-readmissions-30-days/": discharged,
        "emergency-admissions-65-plus": con.execute(OLDER, bounds).fetchone()[0],
        "discharge-usual-residence": home,
        "discharge-usual-residence/": left,
        "reablement-at-home-91-days": stayed,
        "reablement-at-home-91-days/": reabled,
        "reablement-after-discharge": reabled,
        "reablement-after-discharge/": discharges,
    }


# Each indicator, and whether the independent SQL counts its denominator too (a population
# denominator is the engines' own, checked elsewhere).
COMPARED = {
    "falls-65-plus": False,
    "chronic-acsc-admissions": False,
    "emergency-readmissions-30-days": True,
    "emergency-admissions-65-plus": False,
    "discharge-usual-residence": True,
    "reablement-at-home-91-days": True,
    "reablement-after-discharge": True,
}


def ours(engine: Any, period: Period) -> dict[str, int]:
    found = {}
    for name, with_denominator in COMPARED.items():
        found[name], denominator = parts(engine, name, period)
        if with_denominator:
            found[name + "/"] = denominator
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("persons", "seed"), PLACES)
def test_hospital_indicators_agree_with_an_independent_implementation(
    persons: int, seed: int
) -> None:
    tables = generate(SynthConfig(persons=persons, seed=seed)).tables
    engines = [DuckDBEngine(tables)]
    if persons == PLACES[0][0]:
        engines.append(MemoryEngine({k: v.to_pylist() for k, v in tables.items()}))
    for period in YEARS:
        expected = independent(tables, period)
        assert expected["emergency-readmissions-30-days"] > 0, "the place has readmissions"
        assert expected["chronic-acsc-admissions"] > 0, "and ACSC admissions"
        assert expected["reablement-at-home-91-days/"] > 0, "and reablement after discharge"
        for engine in engines:
            assert ours(engine, period) == expected, (engine.name, period.label)
