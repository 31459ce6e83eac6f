"""Importing a pooled fund's monthly actuals and forecasts from CSV or XLSX.

Columns (others are ignored): ``scheme_code``, ``month`` (``yyyy-mm``), ``actual``, and
``partner_code`` (required for aligned schemes) and ``forecast_outturn`` (optional). A
monitoring return that spans several years may carry ``financial_year`` (``2025/26``,
``2025-26`` or ``2025/2026``): rows of other years are left out, each named with its row
and year, so every row is either used or accounted for. Every problem is reported with file,
row, column, value and rule, and nothing is returned unless the whole file is good.

At the year end every pooled scheme, and every partner of an aligned scheme with a budget,
must have actuals: a scheme with no rows is a problem unless it is declared nil (it spent
nothing), never a silent zero (``missing_actuals``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from onebudget.funds.agreement import Agreement
from onebudget.funds.monitoring import MonthlyFigure
from onebudget.io.problems import ImportProblem, Problem
from onebudget.io.tables import RawTable, read_table
from onebudget.money import FRACTION_OF_A_PENNY, LARGEST_WHOLE, TOO_LARGE, ZERO, MoneyError, exact
from onebudget.periods import YEAR_WRITTEN, parse_year, period_of, year_label

REQUIRED = ("scheme_code", "month", "actual")


class ActualsError(ValueError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Actuals:
    """A file's figures for the agreement's year, and the rows left out (another year's),
    each with its row number and the reason."""

    figures: tuple[MonthlyFigure, ...]
    left_out: tuple[ImportProblem, ...] = ()


def read_actuals(path: Path, agreement: Agreement) -> Actuals:
    return parse_actuals(read_table(path), agreement)


def parse_actuals(table: RawTable, agreement: Agreement) -> Actuals:
    problems: list[ImportProblem] = []
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        rule = f"the header must name {', '.join(REQUIRED)}"
        raise ActualsError([ImportProblem(table.source, 1, ", ".join(missing), "", rule)])
    figures: list[MonthlyFigure] = []
    rows: list[int] = []
    left_out: list[ImportProblem] = []
    seen: dict[tuple[str, int, str | None], int] = {}
    for line, cells in table.rows:
        row = dict(zip(table.header, cells, strict=True))
        other = _other_year(table.source, line, row, agreement, problems)
        if other is not None:
            left_out.append(other)
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
        rows.append(line)
    problems += _beyond_a_whole(table.source, list(zip(rows, figures, strict=True)))
    if problems:
        raise ActualsError(problems)
    return Actuals(tuple(figures), tuple(left_out))


YEAR_RULE = (
    f"the year's actuals and forecasts add up to more than £{LARGEST_WHOLE:,} (half of what "
    "OneBudget holds, so that a variance can be held too)"
)


def _beyond_a_whole(source: str, figures: list[tuple[int, MonthlyFigure]]) -> list[ImportProblem]:
    """The row at which the year's figures, added up regardless of sign, pass what a whole
    may hold (no row if they never do)."""
    total = ZERO
    for line, f in figures:
        total += abs(f.actual) + abs(f.forecast_outturn or ZERO)
        if total > LARGEST_WHOLE:
            return [ImportProblem(source, line, "actual", str(f.actual), YEAR_RULE)]
    return []


def _other_year(
    source: str, line: int, row: dict[str, str], agreement: Agreement, problems: list[ImportProblem]
) -> ImportProblem | None:
    """The row's reason for being left out if it is another year's; a year that cannot be
    read is a problem (it might be this year's, written another way)."""
    if "financial_year" not in row:
        return None
    text = row["financial_year"]
    found = parse_year(text)
    if found is None:
        problems.append(ImportProblem(source, line, "financial_year", text, YEAR_WRITTEN))
        return None
    if found == agreement.financial_year:
        return None
    ours = year_label(agreement.financial_year)
    rule = f"{year_label(found)}, not the agreement's year {ours}: left out"
    return ImportProblem(source, line, "financial_year", text, rule)


def left_out_in_words(left_out: Iterable[ImportProblem]) -> list[str]:
    """Rows left out, a line per year with its rows as ranges: "actuals.csv: 12 rows of
    2024/25 left out, not the agreement's year 2025/26: rows 2-13"."""
    by_year: dict[str, list[ImportProblem]] = {}
    for p in left_out:
        by_year.setdefault(p.rule, []).append(p)
    lines = []
    for rule, rows in by_year.items():
        numbers = _ranges([p.row for p in rows])
        year, _, why = rule.partition(", ")
        n = len(rows)
        counted = f"{n} row{'s' if n > 1 else ''} of {year}"
        lines.append(
            f"{rows[0].file}: {counted} left out, {why.removesuffix(': left out')}: {numbers}"
        )
    return lines


def _ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7] -> "rows 2-4, 7"."""
    spans: list[list[int]] = []
    for r in sorted(rows):
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    words = [f"{a}-{b}" if b > a else str(a) for a, b in spans]
    return ("rows " if len(rows) > 1 else "row ") + ", ".join(words)


def unreported(agreement: Agreement, reported: Iterable[tuple[str, str | None]]) -> list[str]:
    """The schemes (``scheme``) and aligned budgets (``scheme:partner``) with no actuals in
    ``reported``, which holds ``(scheme, partner)``, partner ``None`` for pooled spend."""
    have = set(reported)
    out = []
    for s in agreement.schemes:
        if s.budget == "pooled":
            out += [] if (s.code, None) in have else [s.code]
            continue
        budgets = agreement.contributions(s.code)
        out += [f"{s.code}:{p}" for p in sorted(budgets) if budgets[p] and (s.code, p) not in have]
    return out


def missing_actuals(
    agreement: Agreement, reported: Iterable[tuple[str, str | None]], nil: Collection[str] = ()
) -> list[Problem]:
    """Year-end: every scheme, and every partner with an aligned budget, has actuals or is
    declared nil (spent nothing): by the scheme's code, or ``scheme:partner`` for one
    partner of an aligned scheme. Each one missing is a problem, never a silent zero."""
    paths = {s.code: f"schemes.{i}" for i, s in enumerate(agreement.schemes)}
    problems = []
    for name in unreported(agreement, reported):
        scheme, _, partner = name.partition(":")
        if scheme in nil or name in nil:
            continue
        whose = f" by {partner}" if partner else ""
        rule = f"no actuals{whose} for the year: give them, or declare it nil if it spent nothing"
        problems.append(Problem(path=paths[scheme], value=name, rule=rule))
    unknown = sorted(set(nil) - _nil_names(agreement))
    problems += [Problem(path="nil", value=n, rule=NIL_NAMES) for n in unknown]
    return problems


NIL_NAMES = "a scheme of the agreement, or scheme:partner for an aligned scheme"


def _nil_names(agreement: Agreement) -> set[str]:
    names = {s.code for s in agreement.schemes}
    for s in agreement.schemes:
        if s.budget == "aligned":
            names |= {f"{s.code}:{p}" for p in agreement.contributions(s.code)}
    return names


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
