"""A place's activity by cell, the baseline of its scenarios (issue 18): for one period,
the people in each Bridges to Health segment × age band × sex (the segmentation's rules,
``segments.segmented_ctes``) and their activity at each point of delivery.

How each point of delivery is counted, from the linked data (events by their date in the
period; long-term services pro rata for the days they ran in it):

- emergency and elective admissions: admitted care spells by admission method (2x, 1x);
- bed days: those spells' days from admission to discharge (a spell still open at the end
  of the data counts to the period's end);
- A&E attendances; outpatient attendances (attended, code 5); community contacts;
- care home weeks: long-term residential and nursing care, days in the period ÷ 7;
- home care hours: home support's planned hours a week × its weeks in the period;
- reablement episodes: short-term support to maximise independence (ST-Max) starting in it.

These are person-level counts by cell, for the scenario engine to multiply: they are never
shown as they are. A scenario is modelled on ``rounded`` cells (each figure to the nearest
5, the disclosure rules' rounding), so no figure it publishes (a total, a cost, a rate per
100,000) can be worked back to an unrounded count (ADR 0025).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.segments import segmented_ctes
from onebudget.outcomes.suppression import ROUND_TO

PODS = (
    "emergency_admission", "elective_admission", "bed_day", "ae_attendance", "outpatient",
    "community_contact", "care_home_week", "home_care_hour", "reablement_case",
)  # fmt: skip
CARE_HOMES = ("Long term support: Nursing care", "Long term support: Residential care")
HOME_CARE = "Home support or domiciliary care"
REABLEMENT = "Short term support: ST-Max"


def _overlap_days(start: str, end: str) -> str:
    """Days of a service from ``start`` to ``end`` (open: the period's end) in the period."""
    return (
        f"greatest(date_diff('day', greatest({start}, per.start), "
        f"least(coalesce({end} + 1, per.stop), per.stop)), 0)"
    )


def cells_sql(period: Period) -> str:
    age = (
        "(year(per.start) - year(p.date_of_birth) - CASE WHEN month(per.start) * 100 + "
        "day(per.start) < month(p.date_of_birth) * 100 + day(p.date_of_birth) THEN 1 ELSE 0 END)"
    )
    events = " UNION ALL ".join(_events())
    return f"""{segmented_ctes([period])},
events AS ({events}),
per_person AS (SELECT person_id, pod, sum(units) AS units FROM events GROUP BY ALL),
who AS (
  SELECT g.person_id, g.segment, CASE WHEN p.sex = 2 THEN 'female' ELSE 'male' END AS sex,
    CASE WHEN {age} < 18 THEN '0-17' WHEN {age} < 65 THEN '18-64' WHEN {age} < 75 THEN '65-74'
         WHEN {age} < 85 THEN '75-84' ELSE '85+' END AS age_band
  FROM segmented g JOIN t_persons p USING (person_id) CROSS JOIN periods per)
SELECT w.segment, w.age_band, w.sex, count(DISTINCT w.person_id) AS people,
  {", ".join(f"coalesce(sum(u.units) FILTER (WHERE u.pod = '{pod}'), 0) AS {pod}" for pod in PODS)}
FROM who w LEFT JOIN per_person u USING (person_id)
GROUP BY ALL ORDER BY ALL
"""


def _events() -> list[str]:
    within = "{d} >= per.start AND {d} < per.stop"
    apc = f"FROM t_apc_spells a JOIN periods per ON {within.format(d='a.admidate')}"
    cld = "FROM t_asc_cld c JOIN periods per ON c.Event_Start_Date < per.stop AND " \
        "(c.Event_End_Date IS NULL OR c.Event_End_Date >= per.start)"  # fmt: skip
    stay = "greatest(date_diff('day', a.admidate, coalesce(a.disdate, per.stop)), 0)"
    return [
        f"SELECT a.person_id, 'emergency_admission' AS pod, 1.0 AS units {apc} "
        "WHERE a.admimeth LIKE '2%'",
        f"SELECT a.person_id, 'elective_admission', 1.0 {apc} WHERE a.admimeth LIKE '1%'",
        f"SELECT a.person_id, 'bed_day', {stay} * 1.0 {apc}",
        "SELECT e.person_id, 'ae_attendance', 1.0 FROM t_ae_attendances e JOIN periods per "
        f"ON {within.format(d='e.arrival_date')}",
        "SELECT o.person_id, 'outpatient', 1.0 FROM t_op_appointments o JOIN periods per "
        f"ON {within.format(d='o.apptdate')} WHERE o.attended = '5'",
        "SELECT k.person_id, 'community_contact', 1.0 FROM t_community_contacts k JOIN periods "
        f"per ON {within.format(d='k.contact_date')}",
        f"SELECT c.person_id, 'care_home_week', "
        f"{_overlap_days('c.Event_Start_Date', 'c.Event_End_Date')} / 7.0 {cld} "
        f"WHERE c.Service_Type IN ('{CARE_HOMES[0]}', '{CARE_HOMES[1]}')",
        f"SELECT c.person_id, 'home_care_hour', coalesce(c.Planned_units_per_week, 0) * "
        f"{_overlap_days('c.Event_Start_Date', 'c.Event_End_Date')} / 7.0 {cld} "
        f"WHERE c.Service_Component = '{HOME_CARE}'",
        f"SELECT c.person_id, 'reablement_case', 1.0 {cld} WHERE c.Service_Type = "
        f"'{REABLEMENT}' AND c.Event_Start_Date >= per.start",
    ]


def cells(con: Any, period: Period) -> list[dict[str, Any]]:
    """Each cell's people and activity in the period, from tables registered on a DuckDB
    connection as t_<name> (segment as its number, 1 to 8)."""
    result = con.execute(cells_sql(period))
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def rounded(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cells with their people and each POD's activity rounded half up to the nearest
    ``ROUND_TO`` (5). Small counts are rounded, not suppressed: no cell is published, and
    suppressing each small one would drop a rare POD's activity from the model altogether."""
    return [
        row | {k: ROUND_TO * math.floor(float(row[k]) / ROUND_TO + 0.5) for k in ("people", *PODS)}
        for row in rows
    ]


def totals(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """The place's people and each POD's activity: the cells added up."""
    found = {"people": float(sum(r["people"] for r in rows))}
    return found | {pod: float(sum(r[pod] for r in rows)) for pod in PODS}


def population_by_age(con: Any, on: date) -> list[tuple[str, int, int]]:
    """(sex, age, people) alive on ``on`` (ages 100 and over as 100): the start of a
    projection by cohort-component ageing."""
    age = (
        f"(year(DATE '{on}') - year(date_of_birth) - CASE WHEN {on.month * 100 + on.day} < "
        "month(date_of_birth) * 100 + day(date_of_birth) THEN 1 ELSE 0 END)"
    )
    rows = con.execute(
        f"SELECT CASE WHEN sex = 2 THEN 'female' ELSE 'male' END, least({age}, 100), count(*) "
        f"FROM t_persons WHERE date_of_birth <= DATE '{on}' AND (date_of_death IS NULL OR "
        f"date_of_death > DATE '{on}') GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    return [(str(s), int(a), int(n)) for s, a, n in rows]
