"""A council's CLD prepared as DHSC prepares each submission before computing ASCOF.

DHSC's pipeline (github.com/DataS-DHSC/ASC-CLD-LA-Dashboard, ``Main_tables`` at commit
e6f5749: ``create_FilterToEventsInPeriod_procedure.sql``, ``docs/methodology/
3-data-cleaning.md`` and ``4-deduplication.md``) does three things to a single submission
that change the measures, and this module does the same, counting each:

- an event's end becomes the person's date of death when the death falls between its start
  and end, or after its start while it is still open;
- an event that starts after the person died is dropped (as are rows with no start date);
- repeats of one *unique event* are dropped, keeping one: an event is identified by the
  council, person, event type, start date, client type, the end date (not for services),
  the route of access (requests), the assessment type (assessments), and for services the
  service type, component, delivery mechanism and cost fields (single-submission rules);
  the one kept is the still-open one, else the latest-ending, then the best outcome in the
  CLD guidance's hierarchy, then the last submitted.

Dates of death come from the linked persons table (ONS deaths, as DHSC's enhanced date).
Steps that concern joining several submissions (reference periods, cropping services that
do not reappear) do not apply to one extract.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onebudget.population import schema
from onebudget.population.defined_lists import defined_lists

# The guidance's outcome hierarchy is the order of Release 2's Event_Outcome list, with
# Release 1's "not mapped" third; an empty or unknown outcome ranks last.
NOT_MAPPED = "Release 1 specification only: Not mapped"
SERVICE_KEYS = (
    "Service_Type",
    "Service_Component",
    "Delivery_Mechanism",
    "Unit_Cost",
    "Cost_Frequency_Unit_Type",
    "Planned_units_per_week",
)
PREPARE = """
WITH deaths AS (
  SELECT person_id, max(date_of_death) AS x_dod FROM persons GROUP BY person_id),
dated AS (
  SELECT c.*, d.x_dod, CASE
      WHEN d.x_dod BETWEEN c.Event_Start_Date AND c.Event_End_Date
        OR (d.x_dod > c.Event_Start_Date AND c.Event_End_Date IS NULL) THEN d.x_dod
      ELSE c.Event_End_Date END AS x_end
  FROM cld c LEFT JOIN deaths d ON d.person_id = c.person_id),
kept AS (
  SELECT * FROM dated
  WHERE Event_Start_Date IS NOT NULL AND (x_dod IS NULL OR x_dod >= Event_Start_Date))
SELECT x_row, x_end, row_number() OVER (
    PARTITION BY LA_Code, person_id, Event_Type, Event_Start_Date, Client_Type,
      CASE WHEN lower(Event_Type) <> 'service' THEN x_end END,
      CASE WHEN lower(Event_Type) = 'request' THEN Request_Route_of_Access END,
      CASE WHEN lower(Event_Type) = 'assessment' THEN Assessment_Type END,
      {service_keys}
    ORDER BY x_end IS NULL DESC, x_end DESC, {outcome_rank}, x_row DESC) AS x_n,
  x_dod IS NOT NULL AND x_end IS DISTINCT FROM Event_End_Date AS x_cropped
FROM kept
"""


@dataclass(frozen=True)
class MainTable:
    """The prepared CLD table (same schema, rows in their order) and what changed."""

    table: pa.Table
    ended_at_death: int
    started_after_death: int
    no_start_date: int
    repeats: int

    def notes(self) -> list[str]:
        """What preparing the social care data changed, in plain English."""
        said = [
            (self.ended_at_death, "event", "ended on the person's date of death"),
            (self.started_after_death, "row", "left out: it starts after the person died"),
            (self.no_start_date, "row", "left out: it has no start date"),
            (self.repeats, "row", "left out: it repeats an event (DHSC's rule)"),
        ]
        return [f"{counted(n, 'social care ' + what)} {text}" for n, what, text in said if n]


def counted(n: int, thing: str) -> str:
    """``1 row``, ``2 rows``: a count and what it counts."""
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


def _outcome_rank() -> tuple[str, list[str]]:
    """SQL ranking an outcome by the hierarchy, and the outcomes to bind to it in order."""
    values = list(defined_lists(2).fields["Event_Outcome"].values)
    ranked = [*values[:2], NOT_MAPPED, *values[2:]]
    cases = " ".join(f"WHEN ? THEN {i}" for i, _ in enumerate(ranked, start=1))
    return f"CASE Event_Outcome {cases} ELSE 999 END", ranked


def main_table(cld: pa.Table, persons: pa.Table) -> MainTable:
    """``cld`` (values already in Release 2's spelling) prepared as DHSC's main table."""
    rank, values = _outcome_rank()
    services = ", ".join(
        f"CASE WHEN lower(Event_Type) = 'service' THEN {c} END" for c in SERVICE_KEYS
    )
    sql = PREPARE.format(service_keys=services, outcome_rank=rank)
    rows = pa.array(np.arange(cld.num_rows, dtype=np.int64))
    con = duckdb.connect()
    try:
        con.register("cld", cld.append_column("x_row", rows))
        con.register("persons", persons.select(["person_id", "date_of_death"]))
        found = con.sql(sql, params=values).to_arrow_table()
    finally:
        con.close()
    return _assembled(cld, found)


def _assembled(cld: pa.Table, found: pa.Table) -> MainTable:
    keep = found.filter(pc.equal(found.column("x_n"), 1)).sort_by("x_row")
    table = cld.take(keep.column("x_row"))
    at = table.schema.get_field_index("Event_End_Date")
    table = table.set_column(at, schema.CLD.arrow_schema().field(at), keep.column("x_end"))
    no_start = int(pc.sum(pc.is_null(cld.column("Event_Start_Date"))).as_py() or 0)
    return MainTable(
        table,
        ended_at_death=int(pc.sum(keep.column("x_cropped")).as_py() or 0),
        started_after_death=cld.num_rows - no_start - found.num_rows,
        no_start_date=no_start,
        repeats=found.num_rows - keep.num_rows,
    )
