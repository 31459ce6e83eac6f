"""A Better Care Fund return as an XLSX workbook, for the finance lead to check and send on,
and as plain data for JSON (``as_data``).

Layout. The national quarterly and year-end templates are published only on the Better
Care Exchange (NHS Futures login), as the plan's template is (``bcf.workbook``). The public
copies we found are older: the 2015-16 and 2016-17 quarterly reporting templates (in Cumbria
County Council's papers, copied on fdocuments.net and vdocuments.net) had a Cover sheet,
Budget arrangements (is there a Section 75 pooled budget), National Conditions, Income and
Expenditure (into and out of the pooled budget over the year), the metrics, and a narrative
tab; and a health and wellbeing board's report on its 2025/26 Quarter 3 return (Brighton &
Hove, 3 March 2026) says that return covers the national conditions, progress on the core
metrics, and spend against the planned expenditure. The 2025/26 sheets' columns are not
public, so the sheets here are numbered and named for those areas in that order, the budget
arrangements are a line of the cover, and each sheet is one table under a bold header row
as in the plan's workbook. The metric columns follow the return's input (on track,
challenges, achievements, support needs), not a published layout.

Money is a number with a £ format (exact text where a spreadsheet cannot show every digit,
as in the plan's workbook), names come before codes, and the cover states the period. The
same return gives the same bytes: the workbook's dates are fixed (``io.excel``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter

from onebudget.bcf.returns import MetricReturn, Return, SchemeSpend, Spent
from onebudget.bcf.workbook import money, number, unwritable
from onebudget.io.excel import FIXED_CREATED, neutralise
from onebudget.io.problems import ProblemsError

COVER, CONDITIONS = "1. Cover", "2. National conditions"
INCOME, EXPENDITURE, METRICS = "3. Income and expenditure", "4. Expenditure", "5. Metrics"
POUNDS = "£#,##0.00;-£#,##0.00"
QUARTER_COLUMNS = ("Q1 (£)", "Q2 (£)", "Q3 (£)", "Q4 (£)")
SPENT_COLUMNS = (
    "Planned for the year (£)",
    *QUARTER_COLUMNS,
    "Spend in the quarter (£)",
    "Year to date (£)",
    "Variance against the year's plan (£)",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    COVER: ("Field", "Value"),
    CONDITIONS: ("National condition", "Condition ID", "Confirmed", "Note"),
    INCOME: ("Source of funding", "Stream ID", "Paid by", "Income planned (£)", *SPENT_COLUMNS),
    EXPENDITURE: (
        "Scheme name",
        "Scheme ID",
        "Fund scheme code",
        "Scheme type",
        "Commissioner",
        "Provider",
        "Source of funding",
        *SPENT_COLUMNS,
    ),
    METRICS: (
        "Metric",
        "Metric ID",
        "Unit",
        "Quarter",
        "Planned",
        "Actual",
        "Source",
        "On track",
        "Challenges",
        "Achievements",
        "Support needs",
    ),
}
TOTAL = "Total"
PARTNERS = {"council": "Council", "icb": "ICB", "joint": "Joint"}
ON_TRACK = {True: "On track", False: "Not on track", None: "Not assessed"}
Row = dict[str, Any]


class ReturnWorkbookError(ProblemsError):
    """Text in a return that a workbook's cell cannot hold."""


def return_to_workbook(ret: Return) -> bytes:
    """The return as an XLSX workbook; ``ReturnWorkbookError`` naming each text too long for
    a cell (or holding U+FFFE/U+FFFF), never cut short."""
    found = sheets(ret)
    texts = {
        s: [{k: v for k, v in r.items() if isinstance(v, str)} for r in found[s]] for s in found
    }
    problems = unwritable(texts)
    if problems:
        raise ReturnWorkbookError("(workbook)", problems)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": FIXED_CREATED, "author": "OneBudget"})
    styles = {
        "bold": book.add_format({"bold": True}),
        "pounds": book.add_format({"num_format": POUNDS}),
        "total": book.add_format({"num_format": POUNDS, "bold": True}),
    }
    for name, rows in found.items():
        _write(book.add_worksheet(name), COLUMNS[name], rows, styles)
    book.close()
    return buffer.getvalue()


def sheets(ret: Return) -> dict[str, list[Row]]:
    """Each sheet's rows, in the order of the return."""
    return {
        COVER: [{"Field": k, "Value": v} for k, v in cover(ret)],
        CONDITIONS: [
            {
                "National condition": c.wording,
                "Condition ID": c.id,
                "Confirmed": "Yes" if c.confirmed else "No",
                "Note": c.note,
            }
            for c in ret.conditions
        ],
        INCOME: [
            *(
                _income(s.name, s.id, PARTNERS.get(s.contributor, ""), s.income, s)
                for s in ret.streams
            ),
            _income(
                TOTAL, "", "", sum((s.income for s in ret.streams), Decimal("0.00")), ret.total
            ),
        ],
        EXPENDITURE: [*(_scheme(ret, s) for s in ret.schemes), _total(ret)],
        METRICS: [_metric(m) for m in ret.metrics],
    }


def cover(ret: Return) -> list[tuple[str, str]]:
    """The return's what, when and whose: names first, then codes."""
    plan, (first, start, end) = ret.plan, ret.dates()
    return [
        ("Return", f"Better Care Fund return, {ret.title()}"),
        ("Year to date", f"{_day(first)} to {_day(end)}"),
        ("Quarter", f"{ret.quarters[-1]}: {_day(start)} to {_day(end)}"),
        ("Health and Wellbeing Board", plan.hwb.name),
        ("Health and Wellbeing Board code", plan.hwb.code),
        ("Council", plan.partners.council.name),
        ("Council code", plan.partners.council.code),
        ("ICB", plan.partners.icb.name),
        ("ICB code", plan.partners.icb.code),
        ("Section 75 pooled budget agreement", ret.fund or "not given"),
        ("Framework", f"{ret.framework.id} (version {ret.framework.version})"),
        *(("Note", note) for note in ret.notes),
    ]


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _spent(ret_quarters: int, s: Spent) -> Row:
    quarters = [*s.quarters, *([None] * (4 - ret_quarters))]
    return {
        "Planned for the year (£)": s.planned,
        **dict(zip(QUARTER_COLUMNS, quarters, strict=True)),
        "Spend in the quarter (£)": s.in_quarter,
        "Year to date (£)": s.to_date,
        "Variance against the year's plan (£)": s.variance,
    }


def _income(name: str, code: str, paid_by: str, income: Decimal, s: Spent) -> Row:
    head = {"Source of funding": name, "Stream ID": code, "Paid by": paid_by}
    return {**head, "Income planned (£)": income, **_spent(len(s.quarters), s)}


def _scheme(ret: Return, s: SchemeSpend) -> Row:
    streams = {x.id: x.name for x in ret.framework.streams}
    return {
        "Scheme name": s.name,
        "Scheme ID": s.scheme_id or "not in the plan",
        "Fund scheme code": s.code,
        "Scheme type": s.scheme_type,
        "Commissioner": PARTNERS.get(s.commissioner, ""),
        "Provider": s.provider,
        "Source of funding": streams.get(s.source, s.source),
        **_spent(len(s.quarters), s),
    }


def _total(ret: Return) -> Row:
    blank = dict.fromkeys(COLUMNS[EXPENDITURE][1:7], "")
    return {"Scheme name": TOTAL, **blank, **_spent(len(ret.quarters), ret.total)}


def _metric(m: MetricReturn) -> Row:
    p = m.progress
    return {
        "Metric": m.name,
        "Metric ID": m.metric,
        "Unit": m.unit,
        "Quarter": m.quarter,
        "Planned": m.planned,
        "Actual": None if p is None else p.actual,
        "Source": "" if p is None else p.source.capitalize(),
        "On track": ON_TRACK[None if p is None else p.on_track],
        "Challenges": "" if p is None else p.challenges,
        "Achievements": "" if p is None else p.achievements,
        "Support needs": "" if p is None else p.support_needs,
    }


def _write(sheet: Any, columns: Sequence[str], rows: list[Row], styles: dict[str, Any]) -> None:
    """One table under a bold header row; money in £, other numbers as numbers."""
    sheet.freeze_panes(1, 0)
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name, styles["bold"])
        sheet.set_column(c, c, max(12, min(len(name) + 2, 40)))
    for r, row in enumerate(rows, start=1):
        style = styles["total"] if row.get(columns[0]) == TOTAL else styles["pounds"]
        for c, name in enumerate(columns):
            _cell(sheet, r, c, row.get(name), style if name.endswith("(£)") else None)


def _cell(sheet: Any, r: int, c: int, value: Any, pounds: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(r, c, None)
    elif isinstance(value, str):
        sheet.write_string(r, c, neutralise(value))
    elif pounds is not None:
        _number(sheet, r, c, money(value), pounds)
    else:
        _number(sheet, r, c, number(value), None)


def _number(sheet: Any, r: int, c: int, value: Decimal | str | None, style: Any) -> None:
    """A number, or its exact digits as text where a spreadsheet would round them."""
    if isinstance(value, Decimal):
        sheet.write_number(r, c, float(value), style)
    else:
        sheet.write_string(r, c, str(value))


def as_data(made: Return) -> dict[str, Any]:
    """The return as JSON's data: money as exact pounds and pence in text."""
    return {
        "return": made.title(),
        "period": made.period,
        "hwb": {"name": made.plan.hwb.name, "code": made.plan.hwb.code},
        "fund": made.fund,
        "schemes": [
            {"name": s.name, "scheme_id": s.scheme_id, "code": s.code, **_money(made, s)}
            for s in made.schemes
        ],
        "streams": [{"name": s.name, "id": s.id, **_money(made, s)} for s in made.streams],
        "total": _money(made, made.total),
        "conditions": [asdict(c) for c in made.conditions],
        "metrics": [_metric_data(m) for m in made.metrics],
        "notes": list(made.notes),
    }


def _pence(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _money(made: Return, s: Spent) -> dict[str, Any]:
    return {
        "planned": _pence(s.planned),
        "quarters": {q: _pence(v) for q, v in zip(made.quarters, s.quarters, strict=True)},
        "in_quarter": _pence(s.in_quarter),
        "to_date": _pence(s.to_date),
        "variance": _pence(s.variance),
    }


def _metric_data(m: MetricReturn) -> dict[str, Any]:
    given = {} if m.progress is None else asdict(m.progress)
    given.pop("planned", None)
    text = {k: str(v) for k, v in given.items() if k == "actual" and v is not None}
    planned = None if m.planned is None else str(m.planned)
    return {"metric": m.metric, "quarter": m.quarter, **given, **text, "planned": planned}
