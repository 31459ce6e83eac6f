"""Spec: ASCOF 2A, 2B, 2C, 2E and 3D(1a, 1b, 2a, 2b) agree exactly with an independent
implementation, written here in DHSC's own style from its published method (the rules of
``ASCOF_measures/Create_ASCOF_2A_2425_Onwards.sql``, ``Create_ASCOF_2B2C_2425_Onwards.sql``,
``Create_ASCOF_2E_2425_Onwards.sql`` with ``Create_personal_details_table.sql``, and
``Create_ASCOF_3D_2425_Onwards.sql``
in github.com/DataS-DHSC/ASC-CLD-LA-Dashboard, commit e6f5749), on synthetic places of
three sizes and seeds. The independent SQL compares text case-insensitively, takes ages as
FLOOR(days / 365.25) from the first of the birth month and treats an open end as
9999-01-01, as DHSC's SQL Server code does; it shares no code with the compiler."""

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

TWO_A = """WITH
hierarchy(outcome, h) AS (VALUES
  ('Progress to reablement/ST-Max', 101), ('Progress to assessment, review or reassessment', 102),
  ('Progress to support planning or services', 104), ('Continuation of support or services', 105),
  ('Admitted to hospital', 6), ('NFA: Responsibility moved to another local authority', 7),
  ('NFA: Referral to NHS services or NHS funded social care', 8),
  ('NFA: Self-funded client or under 12wk disregard', 9),
  ('NFA: Information and advice or signposting', 10),
  ('NFA: Referral to other service within the local authority', 11),
  ('NFA: Support declined', 12), ('NFA: Deceased', 13), ('NFA: Support ended as planned', 14),
  ('NFA: Support ended for other reason', 15), ('NFA: No services offered for other reason', 16),
  ('NFA: Other', 17)),
person AS (
  SELECT person_id, date_of_death AS dod,
         make_date(year(date_of_birth), month(date_of_birth), 1) AS birth
  FROM persons),
build AS (
  SELECT c.person_id, c.Event_Reference AS id, lower(c.Event_Type) AS type,
         lower(c.Service_Type) AS st, c.Service_Type AS st_name, lower(c.Service_Component) AS sc,
         c.Event_Start_Date AS s, coalesce(c.Event_End_Date, DATE '9999-01-01') AS e,
         coalesce(c.Event_Outcome, 'Invalid and not mapped') AS outcome, coalesce(h.h, 999) AS h
  FROM asc_cld c LEFT JOIN hierarchy h ON lower(h.outcome) = lower(c.Event_Outcome)
  WHERE lower(c.Client_Type) = 'service user' AND c.Event_Start_Date IS NOT NULL
    AND (c.Event_End_Date >= c.Event_Start_Date OR c.Event_End_Date IS NULL)),
st_max AS (SELECT * FROM build WHERE type = 'service' AND st = 'short term support: st-max'),
running AS (
  SELECT *, max(e) OVER (PARTITION BY person_id ORDER BY s, e, h, id DESC
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
  FROM st_max),
numbered AS (
  SELECT *, sum(CASE WHEN datediff('day', previous_end, s) <= 7 THEN 0 ELSE 1 END)
            OVER (PARTITION BY person_id ORDER BY s, e, h, id DESC ROWS UNBOUNDED PRECEDING) AS cid
  FROM running),
clusters AS (
  SELECT person_id, cid, min(s) OVER w AS cs, max(e) OVER w AS ce, outcome AS own, h AS own_h,
         row_number() OVER (PARTITION BY person_id, cid ORDER BY e DESC, h, id DESC) AS pick
  FROM numbered WINDOW w AS (PARTITION BY person_id, cid)),
in_year AS (
  SELECT k.*, p.dod FROM clusters k JOIN person p ON p.person_id = k.person_id
  WHERE k.pick = 1 AND k.ce BETWEEN $start AND $end
    AND floor(datediff('day', p.birth, k.ce) / 365.25) >= 18
    AND (p.dod >= k.cs OR p.dod IS NULL)
    AND NOT EXISTS (
      SELECT 1 FROM build b WHERE b.person_id = k.person_id
        AND b.st IN ('long term support: nursing care', 'long term support: residential care',
                     'long term support: community', 'long term support: prison')
        AND b.s < k.cs AND datediff('day', b.e, k.cs) < 91)),
windowed AS (
  SELECT k.person_id, k.cid, b.* EXCLUDE (person_id) FROM in_year k JOIN build b
    ON b.person_id = k.person_id AND b.s >= k.cs AND b.e > k.ce
   AND datediff('day', k.ce, b.s) <= 7),
services AS (
  SELECT person_id, cid,
         CASE WHEN st = 'short term support: other short term'
               AND sc IN ('short term residential care', 'short term nursing care')
              THEN 'Short term support: Residential or Nursing care' ELSE st_name END AS label,
         row_number() OVER (PARTITION BY person_id, cid ORDER BY
           CASE st WHEN 'long term support: nursing care' THEN 1
                   WHEN 'long term support: residential care' THEN 2
                   WHEN 'long term support: community' THEN 3
                   WHEN 'long term support: prison' THEN 4
                   WHEN 'short term support: st-max' THEN 5
                   WHEN 'short term support: ongoing low level' THEN 6
                   WHEN 'short term support: other short term' THEN 7 END,
           CASE WHEN sc IN ('short term residential care', 'short term nursing care')
                THEN 1 ELSE 2 END) AS r
  FROM windowed WHERE st IN ('long term support: nursing care',
    'long term support: residential care', 'long term support: community',
    'long term support: prison', 'short term support: st-max',
    'short term support: ongoing low level', 'short term support: other short term')),
other_events AS (
  SELECT w.person_id, w.cid, w.h FROM windowed w JOIN in_year k USING (person_id, cid)
  WHERE w.type IS NOT NULL AND w.type <> 'service' AND w.outcome <> 'NFA: Support ended as planned'
    AND (k.own_h < 100 OR w.h < 100)),
nested AS (
  SELECT k.person_id, k.cid, b.h,
         row_number() OVER (PARTITION BY k.person_id, k.cid ORDER BY b.e DESC, b.h, b.id DESC) AS r
  FROM in_year k JOIN build b ON b.person_id = k.person_id AND b.s >= k.cs AND b.e > k.cs
   AND b.e <= k.ce AND b.type IN ('assessment', 'review') AND datediff('day', b.e, k.ce) < 14
   AND b.h < 100),
equipment AS (
  SELECT DISTINCT k.person_id, k.cid FROM in_year k JOIN build b ON b.person_id = k.person_id
   AND b.s >= k.cs AND b.e > k.cs AND b.e <= k.ce AND b.type = 'service' AND b.sc = 'equipment'),
decided AS (
  SELECT k.*, v.label,
    least(
      CASE WHEN k.own_h < 100 AND (
             NOT EXISTS (SELECT 1 FROM windowed w
                         WHERE w.person_id = k.person_id AND w.cid = k.cid)
             OR EXISTS (SELECT 1 FROM other_events o
                        WHERE o.person_id = k.person_id AND o.cid = k.cid))
           THEN k.own_h ELSE 999 END,
      coalesce((SELECT min(o.h) FROM other_events o
                WHERE o.person_id = k.person_id AND o.cid = k.cid AND o.h < 100), 999),
      coalesce((SELECT n.h FROM nested n
                WHERE n.person_id = k.person_id AND n.cid = k.cid AND n.r = 1), 999)) AS m,
    q.person_id IS NOT NULL AS has_equipment
  FROM in_year k
  LEFT JOIN services v ON v.person_id = k.person_id AND v.cid = k.cid AND v.r = 1
  LEFT JOIN equipment q ON q.person_id = k.person_id AND q.cid = k.cid),
final AS (
  SELECT CASE
    WHEN datediff('day', d.ce, d.dod) <= 7 THEN 'NFA: Deceased'
    WHEN d.own = 'Admitted to hospital' THEN 'Admitted to hospital'
    WHEN d.label IS NOT NULL THEN d.label
    WHEN d.m < 100 THEN (SELECT outcome FROM hierarchy WHERE h = d.m)
    WHEN d.has_equipment THEN 'Short term support: Ongoing low level'
    ELSE d.own END AS outcome
  FROM decided d)
SELECT
  count(*) FILTER (WHERE outcome IN ('Short term support: Ongoing low level',
    'Short term support: Other short term', 'NFA: Information and advice or signposting',
    'NFA: Support ended as planned', 'NFA: Responsibility moved to another local authority',
    'NFA: Other', 'NFA: No services offered for other reason',
    'NFA: Support ended for other reason',
    'NFA: Referral to other service within the local authority')),
  count(*) FILTER (WHERE outcome IN ('Long term support: Community',
    'Long term support: Nursing care', 'Long term support: Residential care',
    'Long term support: Prison', 'Short term support: Residential or Nursing care',
    'Short term support: Ongoing low level', 'Short term support: Other short term',
    'NFA: Information and advice or signposting', 'NFA: Support ended as planned',
    'NFA: Responsibility moved to another local authority', 'NFA: Other',
    'NFA: No services offered for other reason', 'NFA: Support ended for other reason',
    'NFA: Referral to other service within the local authority'))
FROM final
"""


AT_HOME = """
WITH person AS (
  SELECT person_id, make_date(year(date_of_birth), month(date_of_birth), 1) AS birth
  FROM persons),
statuses AS (
  SELECT person_id, Accommodation_Status AS status, Event_Start_Date AS s,
         coalesce(Event_End_Date, DATE '9999-01-01') AS e,
         CASE WHEN lower(Accommodation_Status) IN (
           'owner occupier or shared ownership scheme',
           'tenant: local authority or other social housing provider',
           'tenant: private landlord', 'settled mainstream housing with family or friends',
           'supported accommodation, supported lodgings or supported group home',
           'shared lives scheme',
           'approved premises for offenders released from prison or under probation supervision',
           'sheltered housing, extra care housing or other sheltered housing',
           'mobile accommodation for gypsy, roma and traveller communities',
           'rough sleeper or squatting', 'night shelter, emergency hostel or direct access hostel',
           'refuge',
           'placed in temporary accommodation by the council (inc. homelessness resettlement)',
           'staying with family or friends as a short term guest',
           'acute hospital or long term healthcare residential facility', 'registered care home',
           'registered nursing home', 'prison, young offenders institution or detention centre',
           'other temporary accommodation') THEN 1 ELSE 0 END AS known
  FROM asc_cld),
latest_status AS (
  SELECT person_id,
         CASE WHEN max(known) = 0 OR count(DISTINCT lower(status)) > 1 THEN 'unknown'
              ELSE lower(min(status)) END AS status
  FROM (SELECT *, dense_rank() OVER (PARTITION BY person_id ORDER BY known DESC, e DESC, s DESC)
          AS rk FROM statuses) WHERE rk = 1 GROUP BY person_id),
services AS (
  SELECT person_id, lower(Service_Type) AS st, lower(Service_Component) AS sc,
         dense_rank() OVER (PARTITION BY person_id ORDER BY
           coalesce(Event_End_Date, DATE '9999-01-01') DESC,
           CASE lower(Service_Type) WHEN 'long term support: nursing care' THEN 1
             WHEN 'long term support: residential care' THEN 2
             WHEN 'long term support: community' THEN 3 WHEN 'long term support: prison' THEN 4
             WHEN 'short term support: st-max' THEN 5
             WHEN 'short term support: ongoing low level' THEN 6
             WHEN 'short term support: other short term' THEN 7 ELSE 99 END,
           CASE WHEN lower(Service_Component) IN ('shared lives', 'community supported living',
             'extra care housing', 'home support or domiciliary care') THEN 0 ELSE 1 END,
           Event_Start_Date DESC) AS rk
  FROM asc_cld WHERE lower(Event_Type) = 'service'),
useful AS (
  SELECT person_id,
    CASE WHEN count(DISTINCT t) = 1 THEN min(t) END AS t,
    CASE WHEN count(DISTINCT c) = 1 THEN min(c) END AS c
  FROM (SELECT person_id,
          CASE WHEN st IN ('long term support: nursing care', 'long term support: residential care',
            'long term support: community', 'long term support: prison',
            'short term support: st-max', 'short term support: ongoing low level',
            'short term support: other short term') THEN st END AS t,
          CASE WHEN sc IN ('shared lives', 'community supported living', 'extra care housing',
            'home support or domiciliary care') THEN sc END AS c
        FROM services WHERE rk = 1)
  GROUP BY person_id),
accommodation AS (
  SELECT l.person_id, CASE
    WHEN l.status <> 'unknown' THEN l.status
    WHEN u.t = 'long term support: nursing care' THEN 'registered nursing home'
    WHEN u.t = 'long term support: residential care' THEN 'registered care home'
    WHEN u.c = 'shared lives' THEN 'shared lives scheme'
    WHEN u.c = 'extra care housing'
      THEN 'sheltered housing, extra care housing or other sheltered housing'
    WHEN u.c = 'community supported living'
      THEN 'supported accommodation, supported lodgings or supported group home'
    WHEN u.t = 'long term support: community' AND u.c = 'home support or domiciliary care'
      THEN 'unknown: presumed at home'
    WHEN u.t = 'long term support: community' AND u.c IS NULL
      THEN 'unknown: presumed in community'
    WHEN u.t = 'long term support: prison'
      THEN 'prison, young offenders institution or detention centre'
    ELSE 'unknown' END AS status
  FROM latest_status l LEFT JOIN useful u ON u.person_id = l.person_id),
clients AS (
  SELECT c.person_id,
         max(least(coalesce(c.Event_End_Date, DATE '9999-01-01'), $end)) AS last_day
  FROM asc_cld c
  WHERE lower(c.Client_Type) = 'service user' AND lower(c.Event_Type) = 'service'
    AND lower(c.Service_Type) IN ('long term support: nursing care',
      'long term support: residential care', 'long term support: community',
      'long term support: prison')
    AND c.Event_Start_Date <= $end
    AND (c.Event_End_Date >= $start OR c.Event_End_Date IS NULL)
  GROUP BY c.person_id),
banded AS (
  SELECT k.person_id, a.status,
         CASE WHEN floor(datediff('day', p.birth, k.last_day) / 365.25) >= 65 THEN '65 and above'
              WHEN floor(datediff('day', p.birth, k.last_day) / 365.25) >= 18 THEN '18 to 64'
         END AS band
  FROM clients k JOIN person p ON p.person_id = k.person_id
  LEFT JOIN accommodation a ON a.person_id = k.person_id)
SELECT band,
  count(*) FILTER (WHERE status IN ('owner occupier or shared ownership scheme',
    'tenant: local authority or other social housing provider', 'tenant: private landlord',
    'settled mainstream housing with family or friends',
    'supported accommodation, supported lodgings or supported group home',
    'shared lives scheme',
    'approved premises for offenders released from prison or under probation supervision',
    'sheltered housing, extra care housing or other sheltered housing',
    'mobile accommodation for gypsy, roma and traveller communities',
    'unknown: presumed at home')),
  count(*)
FROM banded WHERE band IS NOT NULL GROUP BY band
"""

CARERS = """
WITH person AS (
  SELECT person_id, make_date(year(date_of_birth), month(date_of_birth), 1) AS birth
  FROM persons),
events AS (
  SELECT c.person_id, lower(c.Event_Type) AS type, lower(c.Service_Type) AS st,
         lower(c.Delivery_Mechanism) AS dm, lower(c.Service_Component) AS sc,
         lower(coalesce(c.Event_Outcome, 'Invalid and not mapped')) AS outcome,
         floor(datediff('day', p.birth, $end) / 365.25) AS age
  FROM asc_cld c JOIN person p ON p.person_id = c.person_id
  WHERE lower(c.Client_Type) IN ('unpaid carer', 'unpaid carer known by association')
    AND c.Event_Start_Date <= $end
    AND (c.Event_End_Date >= $start OR c.Event_End_Date IS NULL)
    AND ((c.Service_Type IS NULL
          AND lower(c.Event_Outcome) = 'nfa: information and advice or signposting')
      OR lower(c.Service_Type) IN ('unpaid carer support: direct to unpaid carer',
          'unpaid carer support: support involving the person cared-for')
      OR (lower(c.Event_Type) IN ('assessment', 'review') AND c.Service_Type IS NULL))),
support AS (
  SELECT person_id, age, CASE
    WHEN st = 'unpaid carer support: direct to unpaid carer'
         AND (dm = 'direct payment' OR sc = 'direct payment') THEN 1
    WHEN st = 'unpaid carer support: direct to unpaid carer'
         AND dm = 'cassr managed personal budget' AND sc NOT LIKE 'direct payment' THEN 2
    WHEN st = 'unpaid carer support: direct to unpaid carer'
         AND dm = 'cassr commissioned support' AND sc NOT LIKE 'direct payment' THEN 3
    WHEN st = 'unpaid carer support: direct to unpaid carer'
         AND dm NOT IN ('direct payment', 'cassr managed personal budget',
                        'cassr commissioned support') AND sc NOT LIKE 'direct payment' THEN 4
    WHEN st = 'unpaid carer support: direct to unpaid carer'
         AND dm IS NULL AND sc NOT LIKE 'direct payment' THEN 4
    WHEN st = 'unpaid carer support: support involving the person cared-for' THEN 6
    WHEN type IN ('assessment', 'review')
         AND outcome NOT LIKE 'nfa: information and advice or signposting' THEN 6
    WHEN type IN ('assessment', 'review')
         AND outcome = 'nfa: information and advice or signposting' THEN 5
    WHEN type = 'request' THEN 5 END AS h
  FROM events),
best AS (SELECT person_id, min(h) AS h, min(age) AS age FROM support GROUP BY person_id)
SELECT count(*) FILTER (WHERE h IN (1, 2)), count(*) FILTER (WHERE h = 1),
       count(*) FILTER (WHERE h IN (1, 2, 3))
FROM best WHERE age >= 18
"""


def independent(tables: dict[str, Any], period: Period) -> dict[str, int]:
    con = duckdb.connect()
    for name in ("persons", "asc_cld"):
        con.register(name, tables[name])
    bounds = {"start": period.start, "end": period.last_day}
    admitted = dict(con.execute(ADMISSIONS, bounds).fetchall())
    population = dict(con.execute(POPULATION, {"mid": period.mid_year}).fetchall())
    self_directed, direct, community = con.execute(CLIENTS, {"end": period.last_day}).fetchone()
    no_further, short_term = con.execute(TWO_A, bounds).fetchone()
    at_home = {band: (n, d) for band, n, d in con.execute(AT_HOME, bounds).fetchall()}
    young, old = at_home.get("18 to 64", (0, 0)), at_home.get("65 and above", (0, 0))
    carers_sds, carers_dp, carers = con.execute(CARERS, bounds).fetchone()
    return {
        "care-home-admissions-18-64": admitted.get("18 to 64", 0),
        "care-home-admissions-18-64/": population.get("18 to 64", 0),
        "care-home-admissions-65-plus": admitted.get("65 and above", 0),
        "care-home-admissions-65-plus/": population.get("65 and above", 0),
        "self-directed-support": self_directed,
        "self-directed-support/": community,
        "direct-payments": direct,
        "direct-payments/": community,
        "short-term-no-further-request": no_further,
        "short-term-no-further-request/": short_term,
        "long-term-support-at-home-18-64": young[0],
        "long-term-support-at-home-18-64/": young[1],
        "long-term-support-at-home-65-plus": old[0],
        "long-term-support-at-home-65-plus/": old[1],
        "carers-self-directed-support": carers_sds,
        "carers-self-directed-support/": carers,
        "carers-direct-payments": carers_dp,
        "carers-direct-payments/": carers,
    }


def ours(engine: Any, period: Period) -> dict[str, int]:
    found = {}
    for name in (
        "care-home-admissions-18-64",
        "care-home-admissions-65-plus",
        "self-directed-support",
        "direct-payments",
        "short-term-no-further-request",
        "long-term-support-at-home-18-64",
        "long-term-support-at-home-65-plus",
        "carers-self-directed-support",
        "carers-direct-payments",
    ):
        found[name], found[name + "/"] = parts(engine, name, period)
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
