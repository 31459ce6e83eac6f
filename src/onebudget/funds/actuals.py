"""Importing a pooled fund's monthly actuals and forecasts from CSV or XLSX.

Columns (others are ignored): ``scheme_code``, ``month`` (``yyyy-mm``), ``actual``, and
``partner_code`` (required for aligned schemes) and ``forecast_outturn`` (optional). A
monitoring return that spans several years may carry ``financial_year`` (``2025/26``): rows
of other years are left out. Every problem is reported with file, row, column, value and
rule, and nothing is returned unless the whole file is good.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from onebudget.funds.agreement import Agreement
from onebudget.funds.monitoring import MonthlyFigure
from onebudget.io.problems import ImportProblem
from onebudget.io.tables import RawTable, read_table
from onebudget.money import FRACTION_OF_A_PENNY, TOO_LARGE, MoneyError, exact
from onebudget.periods import period_of, year_label

REQUIRED = ("scheme_code", "month", "actual")


class ActualsError(ValueError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_actuals(path: Path, agreement: Agreement) -> list[MonthlyFigure]:
    return parse_actuals(read_table(path), agreement)


def parse_actuals(table: RawTable, agreement: Agreement) -> list[MonthlyFigure]:
    problems: list[ImportProblem] = []
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        rule = f"the header must name {', '.join(REQUIRED)}"
        raise ActualsError([ImportProblem(table.source, 1, ", ".join(missing), "", rule)])
    year = year_label(agreement.financial_year)
    figures: list[MonthlyFigure] = []
    seen: dict[tuple[str, int, str | None], int] = {}
    for line, cells in table.rows:
        row = dict(zip(table.header, cells, strict=True))
        if row.get("financial_year", year) != year:
            continue
        found = _figure(table.source, line, row, agreement, problems)
        if found is None:
            continue
        key = (found.scheme, found.month, found.partner)
        if key in seen:
            rule = f"the same scheme, month and partner as row {seen[key]}"
            problems.append(ImportProblem(table.source, line, "scheme_code", found.scheme, rule))
        seen.setdefault(key, line)
        figures.append(found)
    if problems:
        raise ActualsError(problems)
    return figures


def _figure(
    source: str, line: int, row: dict[str, str], agreement: Agreement, problems: list[ImportProblem]
) -> MonthlyFigure | None:
    before = len(problems)

    def bad(column: str, rule: str) -> None:
        problems.append(ImportProblem(source, line, column, row.get(column, ""), rule))

    schemes = {s.code: s for s in agreement.schemes}
    scheme = schemes.get(row["scheme_code"])
    if scheme is None:
        bad("scheme_code", f"a scheme of {agreement.id}: {', '.join(schemes)}")
    month = _month(row["month"], agreement)
    if month is None:
        bad("month", f"yyyy-mm within {agreement.financial_year}/{agreement.financial_year + 1}")
    partner = row.get("partner_code") or None
    if scheme is not None and scheme.budget == "aligned" and partner not in agreement.partner_codes:
        bad("partner_code", "an aligned scheme's spend names a partner of the agreement")
    actual = _money(row["actual"], "actual", bad)
    forecast = (
        _money(row["forecast_outturn"], "forecast_outturn", bad)
        if row.get("forecast_outturn")
        else None
    )
    if len(problems) > before or scheme is None or month is None or actual is None:
        return None
    kept_partner = partner if scheme.budget == "aligned" else None
    return MonthlyFigure(scheme.code, month, actual, kept_partner, forecast)


def _month(text: str, agreement: Agreement) -> int | None:
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        return None
    index = period_of(month)
    expected = agreement.financial_year + (1 if month < 4 else 0)
    return index if 1 <= month <= 12 and year == expected else None


def _money(text: str, column: str, bad: Callable[[str, str], None]) -> Decimal | None:
    """The amount in a cell, by the money constructor; its rule named if it is not one."""
    try:
        return exact(text)
    except MoneyError as error:
        if error.rule == TOO_LARGE:
            bad(column, TOO_LARGE)
        else:
            rule = "whole pence" if error.rule == FRACTION_OF_A_PENNY else "an amount in pounds"
            bad(column, f"{rule}, e.g. 1234.56")
        return None
