"""Population segmentation (Bridges to Health) with whole-person health and care cost.

Everyone alive at some time in a period is placed in one of eight segments: the highest
that applies, from healthy (1) to frailty and dementia (8). Their costs in the period are
added up across hospital, A&E, outpatient, community and social care records: events by
their date, long-term services pro rata for the days they ran in the period.

The segment rules are modelled from the linked data's fields (the published segmentation
names the segments, not rules for these datasets), so each rule is stated here in words:

1. Healthy: none of the below.
2. Maternal and infant health: under one year old in the period, or a maternity admission
   (ICD-10 chapter O).
3. Acutely ill: an emergency admission in the period.
4. Long-term conditions: any condition on a QOF register.
5. Disability: long-term social care for learning disability or physical support, under 65.
6. Incurable cancer: cancer, and death in the period or the year after it.
7. Organ failure: heart failure; COPD with moderate or severe frailty; CKD with severe
   frailty.
8. Frailty and dementia: dementia, or moderate or severe frailty.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from onebudget.money import from_pence
from onebudget.outcomes import disclosure
from onebudget.outcomes.calendar import Period
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.engines.sql import SqlCompiler, periods_cte
from onebudget.outcomes.engines.sql_expressions import literal
from onebudget.outcomes.model import Spend, Total
from onebudget.population.schema import CONDITIONS

SEGMENTS = {
    1: "Healthy",
    2: "Maternal and infant health",
    3: "Acutely ill",
    4: "Long-term conditions",
    5: "Disability",
    6: "Incurable cancer",
    7: "Organ failure",
    8: "Frailty and dementia",
}
LTCS = CONDITIONS  # every condition on a QOF register in the linked data
DISABILITY_REASONS = ("Learning disability support", "Physical support: Personal care support")


def whole_person_cost() -> tuple[Spend, ...]:
    """The costed records of the whole-person cost indicator: one definition of a person's
    health and care cost, used by the indicator and by the segments."""
    numerator = indicators()["whole-person-cost"].numerator
    return numerator.parts if isinstance(numerator, Total) else (numerator,)  # type: ignore[return-value]


def segmentation_sql(periods: Sequence[Period]) -> str:
    return f"""
{segmented_ctes(periods)}
SELECT period, segment, count(*) AS people, sum(pence) AS pence FROM segmented GROUP BY ALL
"""


def segmented_ctes(periods: Sequence[Period]) -> str:
    """``WITH`` the periods, each person alive in each (``people``) and their segment and
    whole-person cost (``segmented``): the segmentation, for other queries to build on."""
    costs = SqlCompiler().person_spend(whole_person_cost())
    any_ltc = " OR ".join(f"p.ltc_{c}" for c in LTCS)
    reasons = ", ".join(literal(r) for r in DISABILITY_REASONS)
    age = (
        "(year(per.start) - year(p.date_of_birth) - CASE WHEN month(per.start) * 100 + "
        "day(per.start) < month(p.date_of_birth) * 100 + day(p.date_of_birth) THEN 1 ELSE 0 END)"
    )
    return f"""WITH {periods_cte(periods)},
people AS (
  SELECT per.label AS period, per.start, per.stop, p.* FROM t_persons p JOIN periods per
    ON p.date_of_birth < per.stop AND (p.date_of_death IS NULL OR p.date_of_death >= per.start)),
acute AS (SELECT DISTINCT per.label AS period, a.person_id FROM t_apc_spells a JOIN periods per
    ON a.admidate >= per.start AND a.admidate < per.stop WHERE a.admimeth LIKE '2%'),
maternity AS (SELECT DISTINCT per.label AS period, a.person_id FROM t_apc_spells a
    JOIN periods per ON a.admidate >= per.start AND a.admidate < per.stop
    WHERE a.diag_4_01 LIKE 'O%'),
disabled AS (SELECT DISTINCT per.label AS period, c.person_id FROM t_asc_cld c JOIN periods per
    ON c.Event_Start_Date < per.stop AND (c.Event_End_Date IS NULL OR c.Event_End_Date >= per.start)
    WHERE c.Service_Type LIKE 'Long term support:%' AND c.Primary_Support_Reason IN ({reasons})),
costs AS (SELECT period, person_id, sum(pence) AS pence FROM ({costs}) GROUP BY ALL),
segmented AS (
  SELECT p.period, p.person_id, coalesce(k.pence, 0) AS pence,
    CASE
      WHEN p.ltc_dementia OR p.frailty IN ('moderate', 'severe') THEN 8
      WHEN p.ltc_heart_failure OR (p.ltc_copd AND p.frailty IN ('moderate', 'severe'))
           OR (p.ltc_ckd AND p.frailty = 'severe') THEN 7
      WHEN p.ltc_cancer AND p.date_of_death IS NOT NULL
           AND p.date_of_death < p.stop + 365 THEN 6
      WHEN d.person_id IS NOT NULL AND {age.replace("per.", "p.")} < 65 THEN 5
      WHEN {any_ltc} THEN 4
      WHEN a.person_id IS NOT NULL THEN 3
      WHEN m.person_id IS NOT NULL OR p.date_of_birth >= p.start - 365 THEN 2
      ELSE 1
    END AS segment
  FROM people p
  LEFT JOIN acute a ON a.period = p.period AND a.person_id = p.person_id
  LEFT JOIN maternity m ON m.period = p.period AND m.person_id = p.person_id
  LEFT JOIN disabled d ON d.period = p.period AND d.person_id = p.person_id
  LEFT JOIN costs k ON k.period = p.period AND k.person_id = p.person_id)"""


def segment_table(
    rows: Sequence[tuple[Any, ...]], waiver: disclosure.Waiver | None = None
) -> disclosure.StatTable:
    """People and whole-person cost by period and segment, with totals, disclosure-controlled.

    ``rows`` are (period, segment, people, cost in whole pence).

    Cost is an amount (a total row's is the sum of its published segments', so a suppressed
    segment's cost is never the total less the others); cost per head is recomputed from the
    published cost and the published (rounded) count of people, so dividing one by the other
    gives back only the published count. Both are suppressed with the count they are built on.
    The segments add up to everyone, a count published elsewhere, so a segment is suppressed
    beside a suppressed one where that count would pin it (``suppression.complementary``).
    """
    data: list[dict[str, Any]] = []
    totals: dict[str, list[Any]] = {}
    for period, segment, people, pence in sorted(rows, key=lambda r: (str(r[0]), r[1])):
        cost = from_pence(int(pence))
        data.append(
            {
                "period": str(period),
                "segment": SEGMENTS[int(segment)],
                "people": int(people),
                "cost": cost,
                "cost_per_head": (cost / people).quantize(Decimal("0.01")),
            }
        )
        total = totals.setdefault(str(period), [0, Decimal("0.00")])
        total[0] += int(people)
        total[1] += cost
    for period, (people, cost) in totals.items():
        data.append(
            {
                "period": period,
                "segment": disclosure.TOTAL,
                "people": people,
                "cost": cost,
                "cost_per_head": (cost / people).quantize(Decimal("0.01")),
            }
        )
    derived = {
        "cost": disclosure.Derived("amount", on="people"),
        "cost_per_head": disclosure.Derived("per_head", on="people", amount="cost"),
    }
    table = disclosure.StatTable(
        ("period", "segment"), ("people",), derived, tuple(data), partitions=("segment",)
    )
    return disclosure.waived(table, waiver) if waiver else disclosure.apply(table)


def segmentation(
    con: Any, periods: Sequence[Period], waiver: disclosure.Waiver | None = None
) -> disclosure.StatTable:
    """Segments for each period, from tables registered on a DuckDB connection as t_<name>."""
    return segment_table(con.execute(segmentation_sql(periods)).fetchall(), waiver)
