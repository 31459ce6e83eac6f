"""Spec: a Better Care Fund return worked by hand.

A small plan of three schemes (£21,000.00 in all) and its pooled fund, with actual spend in
April, May, June, July and September 2025 (and October, after the Quarter 2 return):

=========  ==========  ========  ========  ===========  ===========
scheme     planned     Q1        Q2        to date      variance
=========  ==========  ========  ========  ===========  ===========
BCF-A01    12,000.00   3,000.30  3,000.30     6,000.60   -5,999.40
BCF-A02     6,000.00     500.05  1,499.95     2,000.00   -4,000.00
BCF-A03     3,000.00       0.00      0.00         0.00   -3,000.00
total      21,000.00   3,500.35  4,500.25     8,000.60  -12,999.40
=========  ==========  ========  ========  ===========  ===========

A01: 1,000.10 (April) + 2,000.20 (May) = 3,000.30 in Q1, 3,000.30 (July) in Q2.
A02: 500.05 (June) in Q1, 1,499.95 (September) in Q2. A03 spent nothing: £0.00, not left out.
The spend reaches the return through the funds engine (``monitoring.positions``, as the CLI
takes it), and the year to date agrees with the fund's ledger once the actuals are posted.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from python_calamine import CalamineWorkbook

from onebudget.bcf.framework import framework
from onebudget.bcf.plan import Plan
from onebudget.bcf.returns import MetricProgress, Return, build_return
from onebudget.bcf.returns_workbook import COLUMNS, COVER, EXPENDITURE, POUNDS, return_to_workbook
from onebudget.cli.bcf_return import quarterly_spend
from onebudget.funds.accounts import parse
from onebudget.funds.agreement import Agreement
from onebudget.funds.books import spent
from onebudget.funds.journal import actual_transactions
from onebudget.funds.ledger import Ledger
from onebudget.funds.monitoring import MonthlyFigure
from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio

YEAR = framework("2025/26")
COUNCIL, ICB = "E06099001", "QZZ"
SCHEMES = [  # id, name, stream, planned
    ("A01", "Home first", "nhs_minimum", "12000.00"),
    ("A02", "Carers' support", "la_better_care_grant", "6000.00"),
    ("A03", "Adaptations", "dfg", "3000.00"),
]
ACTUALS = [  # scheme, month (1 = April), actual
    ("BCF-A01", 1, "1000.10"),
    ("BCF-A01", 2, "2000.20"),
    ("BCF-A02", 3, "500.05"),
    ("BCF-A01", 4, "3000.30"),
    ("BCF-A02", 6, "1499.95"),
    ("BCF-A01", 7, "999.99"),  # October: Quarter 3
]


def plan() -> Plan:
    data: dict[str, Any] = {
        "hwb": {"code": COUNCIL, "name": "Eastmere"},
        "year": "2025/26",
        "partners": {
            "council": {"code": COUNCIL, "name": "Eastmere Council"},
            "icb": {"code": ICB, "name": "NHS Eastmere ICB"},
        },
        "allocations": {
            "nhs_minimum": "12000.00",
            "la_better_care_grant": "6000.00",
            "dfg": "3000.00",
        },
        "schemes": [
            {
                "id": i,
                "name": n,
                "scheme_type": "Care",
                "commissioner": "council",
                "provider": "Eastmere Council",
                "source": s,
                "spend": p,
            }
            for i, n, s, p in SCHEMES
        ],
        "metrics": {"discharge_delays": {"Q1": "1.8", "Q2": "1.7", "Q3": "1.9", "Q4": "1.6"}},
        "conditions": {"NC1": {"confirmed": True}, "NC2": {"confirmed": False, "note": "at board"}},
    }
    return Plan.model_validate(data)


def agreement(extra: tuple[tuple[str, str], ...] = ()) -> Agreement:
    """The fund as ``bcf fund`` builds it, and any other schemes the partners added."""
    schemes = [(f"BCF-{i}", n) for i, n, _, _ in SCHEMES] + list(extra)
    data = {
        "id": "BCF-EASTMERE-2025-26",
        "name": "Eastmere Better Care Fund pooled budget 2025/26",
        "financial_year": 2025,
        "host": COUNCIL,
        "pool_manager": "Head of Integrated Care",
        "partners": [{"code": COUNCIL, "name": "Eastmere Council"}, {"code": ICB, "name": "ICB"}],
        "schemes": [
            {"code": c, "name": n, "contributions": {COUNCIL: "1000.00"}} for c, n in schemes
        ],
    }
    return load_agreement(yamlio.dump(data))


def figures(rows: list[tuple[str, int, str]] = ACTUALS) -> list[MonthlyFigure]:
    return [MonthlyFigure(s, m, Decimal(a)) for s, m, a in rows]


def made(period: Any = "Q2", fund: Agreement | None = None, **kw: Any) -> Return:
    fund = fund or agreement()
    n = {"Q1": 1, "Q2": 2, "Q3": 3}.get(period, 4)
    spend = quarterly_spend(fund, kw.pop("rows", figures()), n)
    return build_return(plan(), YEAR, period, spend, fund=fund.id, **kw)


def pence(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


def test_the_quarter_2_return_worked_by_hand() -> None:
    ret = made()
    rows = {s.code: s for s in ret.schemes}
    assert list(rows) == ["BCF-A01", "BCF-A02", "BCF-A03"]
    a01, a02, a03 = rows.values()
    assert a01.quarters == pence("3000.30", "3000.30")
    assert (a01.in_quarter, a01.to_date, a01.variance) == pence("3000.30", "6000.60", "-5999.40")
    assert a02.quarters == pence("500.05", "1499.95")
    assert (a02.to_date, a02.variance) == pence("2000.00", "-4000.00")
    assert (a03.quarters, a03.to_date, a03.variance) == (
        pence("0.00", "0.00"),
        *pence("0.00", "-3000.00"),
    )
    assert (ret.total.planned, *ret.total.quarters) == pence("21000.00", "3500.35", "4500.25")
    assert (ret.total.to_date, ret.total.variance) == pence("8000.60", "-12999.40")
    assert ret.problems == ()


def test_totals_add_up_to_the_penny() -> None:
    for period in ("Q1", "Q2", "Q3", "Q4", "year-end"):
        ret = made(period)
        assert sum((s.to_date for s in ret.schemes), Decimal(0)) == ret.total.to_date
        assert sum(ret.total.quarters, Decimal(0)) == ret.total.to_date
        assert sum((s.to_date for s in ret.streams), Decimal(0)) == ret.total.to_date
        assert len(ret.total.quarters) == len(ret.quarters)
    assert made("Q3").total.to_date == Decimal("9000.59")  # October's 999.99 counts from Q3


def test_the_year_to_date_agrees_with_the_funds_ledger() -> None:
    fund = agreement()
    ledger = Ledger()
    assert ledger.post_all(actual_transactions(fund, figures())) == []
    accounts = {parse(a): v for a, v in ledger.balances().items()}
    ret = made("year-end", fund)
    for s in ret.schemes:
        assert s.to_date == spent(accounts, s.code)


def test_spend_on_a_fund_scheme_not_in_the_plan_is_a_named_problem_never_dropped() -> None:
    fund = agreement(extra=(("BCF-Z99", "Winter pressures"), ("BCF-Z98", "Unused")))
    ret = made("Q2", fund, rows=figures([*ACTUALS, ("BCF-Z99", 5, "250.00")]))
    [problem] = ret.problems
    assert problem.value == "BCF-Z99"
    assert "£250.00 spent to date on Winter pressures" in problem.rule
    assert "not a scheme of the plan" in problem.rule
    z99 = ret.schemes[-1]
    assert (z99.code, z99.scheme_id, z99.to_date, z99.planned) == (
        "BCF-Z99",
        None,
        *pence("250.00", "0.00"),
    )
    assert ret.total.to_date == Decimal("8250.60")  # kept in the totals
    assert ret.streams[-1].to_date == Decimal("250.00")
    assert any("BCF-Z98" in note and "no spend" in note for note in ret.notes)


def test_conditions_each_of_the_year_confirmed_or_not_with_its_note() -> None:
    ret = made()
    found = {c.id: (c.confirmed, c.note) for c in ret.conditions}
    assert found == {"NC1": (True, ""), "NC2": (False, "at board"), "NC3": (False, "")}
    assert ret.conditions[0].wording == "Plans to be jointly agreed"


def test_metric_progress_is_reported_with_the_plans_trajectory() -> None:
    entered = MetricProgress(
        "discharge_delays", "Q2", None, Decimal("1.6"), "entered", True, "", "Fewer delays", ""
    )
    ret = made(progress=[entered])
    row = next(m for m in ret.metrics if (m.metric, m.quarter) == ("discharge_delays", "Q2"))
    assert row.planned == Decimal("1.7")
    assert row.progress == entered
    quarters = {m.quarter for m in ret.metrics}
    assert quarters == {"Q1", "Q2"}  # the year to date, never a later quarter
    assert {m.metric for m in ret.metrics} == {m.id for m in YEAR.metrics.items or ()}


def test_metric_progress_that_cannot_be_used_is_named() -> None:
    bad = [
        MetricProgress("made_up", "Q1", None, Decimal(1), "entered"),
        MetricProgress("discharge_delays", "Q3", None, Decimal(1), "entered"),
        MetricProgress("discharge_delays", "Q1", None, Decimal(-1), "entered"),
        MetricProgress("discharge_delays", "Q2", None, Decimal(1), "guessed"),  # type: ignore[arg-type]
    ]
    ret = made(progress=bad)
    assert [(p.path, p.value) for p in ret.problems] == [
        ("metrics.made_up", "made_up"),
        ("metrics.discharge_delays.Q3", "Q3"),
        ("metrics.discharge_delays.Q1.actual", Decimal(-1)),
        ("metrics.discharge_delays.Q2.source", "guessed"),
    ]


def test_the_workbook_states_the_period_and_shows_money_in_pounds() -> None:
    data = return_to_workbook(made())
    assert data == return_to_workbook(made())  # fixed dates: the same bytes every time
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == list(COLUMNS)
    cover = dict(book.get_sheet_by_name(COVER).to_python()[1:])
    assert cover["Return"] == "Better Care Fund return, Quarter 2 2025/26"
    assert cover["Year to date"] == "1 April 2025 to 30 September 2025"
    assert cover["Quarter"] == "Q2: 1 July 2025 to 30 September 2025"
    assert cover["Section 75 pooled budget agreement"] == "BCF-EASTMERE-2025-26"
    header, first, *_ = book.get_sheet_by_name(EXPENDITURE).to_python()
    assert header[:3] == ["Scheme name", "Scheme ID", "Fund scheme code"]  # names first
    assert first[:3] == ["Home first", "A01", "BCF-A01"]
    assert first[header.index("Year to date (£)")] == 6000.6  # a number, not text
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        styles = parts.read("xl/styles.xml").decode()
        sheet = parts.read("xl/worksheets/sheet4.xml").decode()
    assert f'formatCode="{POUNDS}"' in styles
    money_style = re.search(r'<c r="N2" s="(\d+)"', sheet)
    assert money_style is not None
    assert money_style.group(1) != "0"  # the year to date carries the £ format


def test_year_end_reports_all_four_quarters() -> None:
    ret = made("year-end")
    assert ret.title() == "Year end 2025/26"
    assert ret.total.quarters == pence("3500.35", "4500.25", "999.99", "0.00")
    assert ret.total.variance == Decimal("-11999.41")
