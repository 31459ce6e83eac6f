"""Spec: the segmentation query agrees with a plain-Python twin, person by person."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pyarrow as pa
import pytest

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.disclosure import TOTAL
from onebudget.outcomes.segments import DISABILITY_REASONS, LTCS, segment_table, segmentation_sql
from onebudget.population.synth.generate import SynthConfig, generate

PERIOD = Period.calendar_year(2024)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _in(day: date | None) -> bool:
    return day is not None and PERIOD.start <= day < PERIOD.end


def twin(tables: dict[str, pa.Table]) -> dict[tuple[str, int], tuple[int, Decimal]]:
    """The same rules, written again in plain Python over rows."""
    rows = {name: t.to_pylist() for name, t in tables.items()}
    cost: dict[str, Decimal] = {}
    for name, when in (
        ("apc_spells", "admidate"),
        ("ae_attendances", "arrival_date"),
        ("op_appointments", "apptdate"),
        ("community_contacts", "contact_date"),
    ):
        for r in rows[name]:
            if _in(r[when]):
                cost[r["person_id"]] = cost.get(r["person_id"], Decimal(0)) + r["cost"]
    disabled, acute, maternity = set(), set(), set()
    for c in rows["asc_cld"]:
        start, end = c["Event_Start_Date"], c["Event_End_Date"]
        overlaps = start < PERIOD.end and (end is None or end >= PERIOD.start)
        if overlaps and c["Weekly_Cost"] is not None:
            last = min(end + timedelta(days=1) if end else PERIOD.end, PERIOD.end)
            days = (last - max(start, PERIOD.start)).days
            share = (c["Weekly_Cost"] * days / 7).quantize(Decimal("0.01"), ROUND_HALF_UP)
            cost[c["person_id"]] = cost.get(c["person_id"], Decimal(0)) + share
        if _in(start) and c["Cost_Frequency_Unit_Type"] == "One-off":
            cost[c["person_id"]] = cost.get(c["person_id"], Decimal(0)) + c["Unit_Cost"]
        if (
            overlaps
            and (c["Service_Type"] or "").startswith("Long term support:")
            and (c["Primary_Support_Reason"] in DISABILITY_REASONS)
        ):
            disabled.add(c["person_id"])
    for a in rows["apc_spells"]:
        if _in(a["admidate"]) and a["admimeth"].startswith("2"):
            acute.add(a["person_id"])
        if _in(a["admidate"]) and a["diag_4_01"].startswith("O"):
            maternity.add(a["person_id"])
    out: dict[tuple[str, int], tuple[int, Decimal]] = {}
    for p in rows["persons"]:
        died = p["date_of_death"]
        if not (p["date_of_birth"] < PERIOD.end and (died is None or died >= PERIOD.start)):
            continue
        frail, pid = p["frailty"], p["person_id"]
        if p["ltc_dementia"] or frail in ("moderate", "severe"):
            segment = 8
        elif (
            p["ltc_heart_failure"]
            or (p["ltc_copd"] and frail in ("moderate", "severe"))
            or (p["ltc_ckd"] and frail == "severe")
        ):
            segment = 7
        elif p["ltc_cancer"] and died is not None and died < PERIOD.end + timedelta(days=365):
            segment = 6
        elif pid in disabled and _age(p["date_of_birth"], PERIOD.start) < 65:
            segment = 5
        elif any(p[f"ltc_{c}"] for c in LTCS):
            segment = 4
        elif pid in acute:
            segment = 3
        elif pid in maternity or p["date_of_birth"] >= PERIOD.start - timedelta(days=365):
            segment = 2
        else:
            segment = 1
        people, total = out.get(("2024", segment), (0, Decimal(0)))
        out["2024", segment] = (people + 1, total + cost.get(pid, Decimal(0)))
    return out


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return generate(SynthConfig(persons=4000, seed=11)).tables


def test_the_query_and_its_twin_agree(tables: dict[str, pa.Table]) -> None:
    con = duckdb.connect()
    for name, table in tables.items():
        con.register(f"t_{name}", table)
    rows = con.execute(segmentation_sql([PERIOD])).fetchall()
    got = {(str(p), int(s)): (int(n), Decimal(c) / 100) for p, s, n, c in rows}
    assert got == twin(tables)
    assert len(got) == 8  # every segment is present in 4,000 people


def test_the_published_table_is_disclosure_controlled_with_a_total() -> None:
    table = segment_table([("2024", 1, 5000, 350_000_000), ("2024", 6, 5, 4_000_000)])
    healthy, cancer, total = table.rows
    assert (healthy["people"], healthy["cost_per_head"]) == (5000, Decimal("700.00"))
    assert (cancer["people"], cancer["cost"], cancer["cost_per_head"]) == (None, None, None)
    assert (total["segment"], total["people"]) == (TOTAL, 5000)
