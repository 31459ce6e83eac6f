"""Properties: any generated plan exported to its workbook imports back as the same plan
(and the same YAML), and a workbook of arbitrary cells never raises: it gives a plan or
problems, each at a sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from onebudget.bcf.plan import Plan, dump_plan
from onebudget.bcf.workbook import COLUMNS, plan_to_workbook, sheets, unwritable
from onebudget.bcf.workbook_cells import CellProblem
from onebudget.bcf.workbook_read import plan_from_workbook
from onebudget.io.excel import workbook_bytes
from tests.property.test_bcf_checks import capacity_lines, plans

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


words = st.text(min_size=1, max_size=12)
numbers = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False)


@st.composite
def fuller(draw: st.DrawFn) -> Plan:
    """Part 1's plans with the fields it leaves out: housing authorities and the DFG passed,
    splits, outputs, sub-types, conditions with notes, last year's figures, every quarter,
    and capacity and demand counts of any precision."""
    data = draw(plans()).model_dump(mode="python")
    codes = draw(st.lists(st.integers(1, 999999), unique=True, max_size=3))
    data["partners"]["housing_authorities"] = [
        {"code": f"E07{c:06d}", "name": draw(words)} for c in codes
    ]
    data["dfg_passed"] = {f"E07{c:06d}": draw(pounds) for c in codes}
    data["asc_last_year"], data["out_of_hospital_minimum"] = draw(pounds), draw(pounds)
    for s in data["schemes"]:
        s["sub_type"] = draw(st.none() | words)
        s["outputs"] = draw(
            st.lists(st.fixed_dictionaries({"quantity": numbers, "unit": words}), max_size=2)
        )
        if draw(st.booleans()):
            share = draw(st.decimals(min_value=0, max_value=100, places=2))
            s.update(commissioner="joint", split={"council": share, "icb": 100 - share})
    data["metrics"] = {"m": {q: draw(numbers) for q in ("Q1", "Q2", "Q3", "Q4")}}
    data["conditions"] = {
        draw(words): {"confirmed": draw(st.booleans()), "note": draw(st.text(max_size=20))}
    }
    data["capacity_demand"] = draw(capacity_lines(numbers))
    return Plan.model_validate(data)


pounds = st.integers(0, 10**11).map(lambda p: Decimal(p) / 100)


@FAST
@given(st.one_of(plans(), fuller()))
def test_a_plan_exported_to_a_workbook_imports_back_the_same(plan: Plan) -> None:
    assume(not unwritable(plan.model_dump(mode="python")))  # U+FFFE/U+FFFF: refused
    read = plan_from_workbook(plan_to_workbook(plan))
    assert read.problems == ()
    assert read.plan == plan
    assert read.plan is not None
    assert dump_plan(read.plan) == dump_plan(plan)


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        ["Yes", "no", "Joint", "Allocation", "DFG passed", "1,234.56", "£5", "Q1", "Demand", "-3"]
    ),
)


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """Sheets named as a plan's or not, with its columns or others, and any cells."""
    names = draw(st.lists(st.sampled_from([*COLUMNS, "Other"]), unique=True, max_size=8))
    book = {}
    for name in names:
        headers = draw(
            st.one_of(st.just(COLUMNS.get(name, ("A",))), st.lists(st.text(max_size=6), max_size=4))
        )
        headers = list(dict.fromkeys(h for h in headers if h and not h.startswith("'")))
        rows = draw(st.lists(st.tuples(*(cells for _ in headers)), max_size=4))
        book[name] = [dict(zip(headers, row, strict=True)) for row in rows]
    return book


@settings(max_examples=60, deadline=None)
@given(workbooks())
def test_arbitrary_cells_give_problems_never_an_exception(book: dict[str, Any]) -> None:
    assume(
        all(
            not isinstance(v, str) or not unwritable(v)
            for rows in book.values()
            for r in rows
            for v in r.values()
        )
    )
    read = plan_from_workbook(workbook_bytes(book))
    if read.plan is None:
        assert read.problems
        assert all(isinstance(p, CellProblem) and p.sheet for p in read.problems)
    else:
        assert read.problems == ()


@settings(max_examples=30, deadline=None)
@given(plans(), st.data())
def test_one_cell_changed_to_anything_gives_a_plan_or_placed_problems(
    plan: Plan, data: st.DataObject
) -> None:
    book: dict[str, list[dict[str, Any]]] = sheets(plan)
    sheet = data.draw(st.sampled_from([s for s, rows in book.items() if rows]))
    row = data.draw(st.sampled_from(book[sheet]))
    row[data.draw(st.sampled_from(sorted(row)))] = data.draw(cells)
    assume(not any(isinstance(v, str) and unwritable(v) for v in row.values()))
    read = plan_from_workbook(workbook_bytes(book))
    assert (read.plan is None) == bool(read.problems)
    assert all(isinstance(p, CellProblem) and p.sheet for p in read.problems)
