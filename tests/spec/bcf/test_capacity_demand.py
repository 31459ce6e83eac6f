"""Spec: the capacity and demand plan for intermediate care, worked by hand on Westvale's two
lines (reablement at home and urgent community response, Apr to Mar).

The shipped 2025/26 framework asks for the plan but lacks its service categories, so the
category rules are shown against a copy with test-only categories (``CATEGORIES``): the
worked plan passes, a month left out and a category not of the year are named problems, and
a month with less capacity than demand is a note with the exact shortfall, never a problem.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from onebudget.bcf import framework as fw
from onebudget.bcf.capacity import capacity_gaps
from onebudget.bcf.checks import check_capacity_demand, check_plan, notes
from onebudget.bcf.plan import MONTHS, PlanError, load_plan, read_plan
from onebudget.bcf.workbook import plan_to_workbook, sheets
from onebudget.bcf.workbook_cells import CellProblem
from onebudget.bcf.workbook_read import plan_from_workbook
from onebudget.io import yamlio
from onebudget.io.excel import workbook_bytes
from tests.spec.bcf.test_plan_checks import COMPLETE, REAL, WORKED, variant, worked

# Test-only categories in place of the 2025/26 list the definitions lack: not published
CATEGORIES = COMPLETE.model_copy(
    update={
        "capacity_and_demand": fw.CapacityAndDemand(
            required=True,
            source="test only",
            categories=fw.CapacityCategories(
                items=(
                    fw.CapacityCategory(id="hospital_discharge", name="Hospital discharge"),
                    fw.CapacityCategory(id="community", name="Community referrals"),
                )
            ),
        )
    }
)


def line(data: dict[str, Any], i: int) -> dict[str, Any]:
    found: dict[str, Any] = data["capacity_demand"][i]
    return found


def test_the_worked_plan_passes_with_and_without_the_years_categories() -> None:
    plan, _ = read_plan(WORKED)
    assert check_plan(plan, CATEGORIES) == []
    assert check_capacity_demand(plan, REAL) == []
    assert capacity_gaps(plan) == []  # 380 and 420 a month meet every month's demand


def test_the_shipped_2025_26_asks_for_the_plan_and_names_its_missing_categories() -> None:
    asked = REAL.capacity_and_demand
    assert asked.required is True
    assert asked.source
    named = {g.path for g in fw.gaps(REAL)}
    assert "capacity_and_demand.categories" in named
    plan, _ = read_plan(WORKED)
    assert any(n.startswith("capacity_and_demand.categories: 2025/26") for n in notes(plan, REAL))


def test_a_month_left_out_is_a_named_problem() -> None:
    plan = variant(lambda d: line(d, 1)["demand"].pop("Jul"))
    (problem,) = check_plan(plan, CATEGORIES)
    assert problem.path == "capacity_demand.1.demand.Jul"
    assert problem.rule == "Urgent community response (community): demand for Jul planned"
    assert [p.path for p in check_capacity_demand(plan, REAL)] == [problem.path]


def test_every_month_of_a_line_left_out_is_named_in_the_years_order() -> None:
    plan = variant(lambda d: line(d, 0).update(capacity={"Apr": 380}))
    paths = [p.path for p in check_plan(plan, CATEGORIES)]
    assert paths == [f"capacity_demand.0.capacity.{m}" for m in MONTHS[1:]]
    assert paths[0] == "capacity_demand.0.capacity.May"
    assert len(paths) == 11


def test_a_category_not_of_the_year_is_a_problem() -> None:
    def change(d: dict[str, Any]) -> None:
        d["capacity_demand"].append({**line(d, 1), "category": "respite", "label": "Respite"})

    (problem,) = check_plan(variant(change), CATEGORIES)
    assert problem.path == "capacity_demand.2.category"
    assert problem.value == "respite"
    assert "['hospital_discharge', 'community']" in problem.rule


def test_a_category_of_the_year_without_a_line_is_a_problem() -> None:
    plan = variant(lambda d: d["capacity_demand"].pop(1))
    (problem,) = check_plan(plan, CATEGORIES)
    assert problem.path == "capacity_demand.community"
    assert problem.rule == "Community referrals: a line by month"


def test_no_plan_at_all_is_a_problem_where_the_year_asks_for_one() -> None:
    plan = variant(lambda d: d.pop("capacity_demand"))
    assert [p.path for p in check_capacity_demand(plan, REAL)] == ["capacity_demand"]
    assert [p.path for p in check_capacity_demand(plan, CATEGORIES)] == [
        "capacity_demand.hospital_discharge",
        "capacity_demand.community",
    ]


def test_capacity_below_demand_is_a_note_with_the_exact_shortfall_not_a_problem() -> None:
    # January: reablement demand 370 people, capacity 369.5 -> 0.5 short; December: urgent
    # community response demand 400, capacity 388 -> 12 short
    def change(d: dict[str, Any]) -> None:
        line(d, 0)["capacity"]["Jan"] = "369.5"
        line(d, 1)["capacity"]["Dec"] = 388

    plan = variant(change)
    assert check_plan(plan, CATEGORIES) == []
    gaps = capacity_gaps(plan)
    assert [(g.line, g.month, g.demand, g.capacity, g.shortfall) for g in gaps] == [
        (0, "Jan", Decimal(370), Decimal("369.5"), Decimal("0.5")),
        (1, "Dec", Decimal(400), Decimal(388), Decimal(12)),
    ]
    assert str(gaps[0]) == (
        "capacity_demand.0.Jan: Reablement at home (pathway 1) (hospital_discharge): "
        "capacity 369.5 below demand 370 people in Jan: 0.5 short"
    )
    assert [n for n in notes(plan, CATEGORIES) if n.startswith("capacity_demand.")] == [
        str(g) for g in gaps
    ]


def test_a_year_whose_requirement_is_not_known_names_the_gap() -> None:
    plan = variant(lambda d: d.update(year="2026/27"))
    (problem,) = check_capacity_demand(plan, fw.framework("2026/27"))
    assert problem.path == "(framework bcf-2026-27).capacity_and_demand"
    assert "not published in the definitions" in problem.rule


def test_a_year_that_does_not_ask_for_it_is_a_note_not_a_problem() -> None:
    year = REAL.model_copy(
        update={"capacity_and_demand": fw.CapacityAndDemand(required=False, source="test")}
    )
    plan = variant(lambda d: d.pop("capacity_demand"))
    assert check_capacity_demand(plan, year) == []
    assert any("capacity and demand plan" in n and "not asked" in n for n in notes(plan, year))


def test_a_badly_shaped_section_gives_every_problem_at_once() -> None:
    def change(d: dict[str, Any]) -> None:
        line(d, 0)["demand"]["Jul"] = -1
        line(d, 0)["capacity"]["Aug"] = "lots"
        line(d, 1)["demand"]["April"] = 5
        line(d, 1)["unit"] = ""

    data = worked()
    change(data)
    with pytest.raises(PlanError) as raised:
        load_plan(yamlio.dump(data), source="bad.yaml")
    found = {p.path: p.rule for p in raised.value.problems}
    assert found["capacity_demand.0.demand.Jul"] == "a count of 0 or more, e.g. 120"
    assert found["capacity_demand.0.capacity.Aug"] == "a count of 0 or more, e.g. 120"
    assert "capacity_demand.1.unit" in found
    assert any(p.startswith("capacity_demand.1.demand.April") for p in found)


def test_a_category_and_service_given_twice_is_a_problem() -> None:
    data = worked()
    data["capacity_demand"].append(dict(data["capacity_demand"][0]))
    with pytest.raises(PlanError) as raised:
        load_plan(yamlio.dump(data))
    (problem,) = raised.value.problems
    assert problem.path == "capacity_demand"
    assert "hospital_discharge: Reablement at home (pathway 1)" in problem.rule


def test_the_sheet_round_trips_and_a_broken_one_gives_problems_at_cells() -> None:
    plan, _ = read_plan(WORKED)
    assert plan_from_workbook(plan_to_workbook(plan)).plan == plan
    book: dict[str, Any] = sheets(plan)
    rows = book["Capacity and demand"]  # row 2: line 0 demand, 3: its capacity, 4 and 5: line 1
    assert [(r["Category"], r["Measure"], r["Jan"]) for r in rows] == [
        ("hospital_discharge", "Demand", 370),
        ("hospital_discharge", "Capacity", 380),
        ("community", "Demand", 410),
        ("community", "Capacity", 420),
    ]
    rows[0]["Jul"] = "-3"
    rows[1]["Measure"] = "Supply"
    rows[3]["Unit"] = "beds"
    read = plan_from_workbook(workbook_bytes(book))
    assert read.plan is None
    found = {(p.row, p.column, p.path) for p in read.problems if isinstance(p, CellProblem)}
    assert found == {
        (2, "Jul", "capacity_demand.0.demand.Jul"),
        (3, "Measure", "(workbook)"),
        (5, "Unit", "capacity_demand.1.unit"),
    }
    assert all(getattr(p, "sheet", None) == "Capacity and demand" for p in read.problems)
