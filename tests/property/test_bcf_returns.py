"""Properties of a Better Care Fund return over generated spend: each scheme's year to date
is its own months' actuals to the quarter's end, the schemes add up to the total and the
quarters to the year to date, to the penny; and the workbook, read back, holds the same
figures (and the same bytes for the same return)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from onebudget.bcf.framework import framework
from onebudget.bcf.plan import Plan
from onebudget.bcf.returns import PERIODS, Period, Return, build_return, quarters_of
from onebudget.bcf.returns_workbook import COLUMNS, EXPENDITURE, SPENT_COLUMNS, return_to_workbook
from onebudget.cli.bcf_return import quarterly_spend
from onebudget.funds.monitoring import MonthlyFigure
from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from onebudget.io.tables import cell_text
from onebudget.money import ZERO

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YEAR = framework("2025/26")
STREAMS = ("nhs_minimum", "la_better_care_grant", "dfg", "additional_icb")
pennies = st.integers(-(10**8), 10**11).map(lambda p: Decimal(p) / 100)
planned = st.integers(0, 10**11).map(lambda p: Decimal(p) / 100)


@st.composite
def funds(draw: st.DrawFn) -> tuple[Plan, Any, list[MonthlyFigure], Period]:
    """A plan of one to four schemes, its fund, a year of monthly actuals and a period."""
    n = draw(st.integers(1, 4))
    schemes = [
        {
            "id": f"S{i}",
            "name": f"Scheme {i}",
            "scheme_type": "Care",
            "commissioner": "icb",
            "provider": "P",
            "source": draw(st.sampled_from(STREAMS)),
            "spend": draw(planned),
        }
        for i in range(n)
    ]
    plan = Plan.model_validate(
        {
            "hwb": {"code": "E06099001", "name": "Eastmere"},
            "year": "2025/26",
            "partners": {
                "council": {"code": "E06099001", "name": "C"},
                "icb": {"code": "QZZ", "name": "I"},
            },
            "allocations": {},
            "schemes": schemes,
        }
    )
    fund = load_agreement(
        yamlio.dump(
            {
                "id": "F",
                "name": "F",
                "financial_year": 2025,
                "host": "QZZ",
                "pool_manager": "M",
                "partners": [{"code": "QZZ", "name": "I"}, {"code": "E06099001", "name": "C"}],
                "schemes": [
                    {"code": f"BCF-{s['id']}", "name": s["name"], "contributions": {"QZZ": "1.00"}}
                    for s in schemes
                ],
            }
        )
    )
    months = draw(st.dictionaries(st.tuples(st.integers(0, n - 1), st.integers(1, 12)), pennies))
    figures = [MonthlyFigure(f"BCF-S{i}", m, v) for (i, m), v in months.items()]
    return plan, fund, figures, draw(st.sampled_from(PERIODS))


def returned(plan: Plan, fund: Any, figures: list[MonthlyFigure], period: Period) -> Return:
    spend = quarterly_spend(fund, figures, len(quarters_of(period)))
    return build_return(plan, YEAR, period, spend, fund=fund.id)


@FAST
@given(funds())
def test_schemes_add_up_to_the_total_and_quarters_to_the_year_to_date(
    made: tuple[Plan, Any, list[MonthlyFigure], Period],
) -> None:
    plan, _, figures, period = made
    ret = returned(*made)
    last_month = 3 * len(quarters_of(period))
    for s in ret.schemes:
        mine = (f.actual for f in figures if f.scheme == s.code and f.month <= last_month)
        assert s.to_date == sum(mine, ZERO)
        assert s.variance == s.to_date - s.planned
    assert sum((s.to_date for s in ret.schemes), ZERO) == ret.total.to_date
    assert sum(ret.total.quarters, ZERO) == ret.total.to_date
    for i, q in enumerate(ret.total.quarters):
        assert sum((s.quarters[i] for s in ret.schemes), ZERO) == q
    assert sum((s.to_date for s in ret.streams), ZERO) == ret.total.to_date
    assert ret.total.planned == sum((s.spend for s in plan.schemes), ZERO)


def read_back(data: bytes, sheet: str) -> list[dict[str, str]]:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, (cell_text(v) for v in row), strict=True)) for row in rows[1:]]


@FAST
@given(funds())
def test_the_workbook_read_back_gives_the_same_figures(
    made: tuple[Plan, Any, list[MonthlyFigure], Period],
) -> None:
    ret = returned(*made)
    data = return_to_workbook(ret)
    assert data == return_to_workbook(ret)  # the same bytes for the same return
    rows = read_back(data, EXPENDITURE)
    assert list(rows[0]) == list(COLUMNS[EXPENDITURE])
    expected = [*ret.schemes, ret.total]
    assert len(rows) == len(expected)
    for row, s in zip(rows, expected, strict=True):
        quarters = [*s.quarters, *[None] * (4 - len(s.quarters))]
        figures = [s.planned, *quarters, s.in_quarter, s.to_date, s.variance]
        for column, figure in zip(SPENT_COLUMNS, figures, strict=True):
            got = None if row[column] == "" else Decimal(row[column])
            assert got == figure, (column, row[column], figure)
