"""In-year monitoring of a pooled fund: instalments, budget profiles, variance and forecast.

The budget to date follows each scheme's profile (even, or twelve agreed weights for
services that spend more in winter); the forecast outturn is the latest forecast the
pool manager recorded, or else the actual to date plus the budget still to come. The
forecast settles like the year-end, so each partner sees its likely share early.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from onebudget.funds.agreement import Agreement
from onebudget.funds.settlement import Outturn, Settlement, settle
from onebudget.money import ZERO, allocate
from onebudget.periods import month_start


@dataclass(frozen=True)
class MonthlyFigure:
    """One scheme's (and, for aligned budgets, one partner's) actual for one month."""

    scheme: str
    month: int  # 1 = April ... 12 = March
    actual: Decimal
    partner: str | None = None
    forecast_outturn: Decimal | None = None  # for the whole year, made that month


def latest_month(figures: Sequence[MonthlyFigure]) -> int:
    """The last month (1 = April) with actuals reported, 0 before any: where the position
    is read to unless a month is chosen."""
    return max((f.month for f in figures), default=0)


@dataclass(frozen=True)
class SchemePosition:
    scheme: str
    annual_budget: Decimal
    budget_to_date: Decimal
    actual_to_date: Decimal
    forecast_outturn: Decimal

    @property
    def variance_to_date(self) -> Decimal:
        return self.actual_to_date - self.budget_to_date

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast_outturn - self.annual_budget


def instalment_dates(agreement: Agreement) -> list[date]:
    y = agreement.financial_year
    months = {"monthly": range(12), "quarterly": range(0, 12, 3), "annual": range(1)}
    return [month_start(y, m + 1) for m in months[agreement.instalments]]


def instalments(agreement: Agreement, scheme: str, partner: str) -> list[tuple[date, Decimal]]:
    """When a partner pays its contribution in: evenly over the schedule, and each variation
    evenly over the instalments from its effective date (the last one if none is left)."""
    dates = instalment_dates(agreement)
    base = agreement.scheme(scheme).contributions.get(partner, ZERO)
    amounts = allocate(base, [1] * len(dates))
    for v in agreement.variations:
        if (v.scheme, v.partner) == (scheme, partner):
            later = [i for i, d in enumerate(dates) if d >= v.effective] or [len(dates) - 1]
            for i, part in zip(later, allocate(v.change, [1] * len(later)), strict=True):
                amounts[i] += part
    return list(zip(dates, amounts, strict=True))


def budget_profile(agreement: Agreement, scheme: str) -> list[Decimal]:
    """The scheme's budget month by month (April first), adding up to its annual budget."""
    total = sum(agreement.contributions(scheme).values(), ZERO)
    profile = agreement.scheme(scheme).profile
    return allocate(total, [1] * 12 if profile == "even" else list(profile))


def quarter_actuals(
    agreement: Agreement, figures: Sequence[MonthlyFigure], quarters: int
) -> dict[str, tuple[Decimal, ...]]:
    """Each scheme's actual spend in each of the year's first ``quarters`` quarters (Q1,
    April to June, first): its actual to date at each quarter's end (``positions``) less that
    at the end of the quarter before, so the quarters add up to the year to date exactly."""
    ends = [positions(agreement, figures, 3 * q) for q in range(quarters + 1)]
    return {
        s.code: tuple(after[i].actual_to_date - before[i].actual_to_date
                      for before, after in pairwise(ends))
        for i, s in enumerate(agreement.schemes)
    }  # fmt: skip


def positions(
    agreement: Agreement, figures: Sequence[MonthlyFigure], to_month: int
) -> list[SchemePosition]:
    out = []
    for s in agreement.schemes:
        mine = [f for f in figures if f.scheme == s.code and f.month <= to_month]
        profile = budget_profile(agreement, s.code)
        actual = sum((f.actual for f in mine), ZERO)
        forecasts = sorted(
            (f.month, f.forecast_outturn) for f in mine if f.forecast_outturn is not None
        )
        aligned = s.budget == "aligned"
        if forecasts and not aligned:
            forecast = forecasts[-1][1]
        else:
            forecast = actual + sum(profile[to_month:], ZERO)
        out.append(
            SchemePosition(
                s.code, sum(profile, ZERO), sum(profile[:to_month], ZERO), actual, forecast
            )
        )
    return out


def forecast_settlement(
    agreement: Agreement, figures: Sequence[MonthlyFigure], to_month: int
) -> Settlement:
    """The year-end settlement the forecast outturn would give."""
    by_scheme = {p.scheme: p for p in positions(agreement, figures, to_month)}
    pooled = {
        s.code: by_scheme[s.code].forecast_outturn
        for s in agreement.schemes
        if s.budget == "pooled"
    }
    aligned = {
        s.code: _aligned_forecast(agreement, s.code, figures, to_month)
        for s in agreement.schemes
        if s.budget == "aligned"
    }
    return settle(agreement, Outturn(pooled, aligned))


def _aligned_forecast(
    agreement: Agreement, scheme: str, figures: Sequence[MonthlyFigure], to_month: int
) -> dict[str, Decimal]:
    """Each partner's aligned spend to date plus its budget for the months still to come."""
    out = {}
    for partner, budget in agreement.contributions(scheme).items():
        mine = [f for f in figures if (f.scheme, f.partner) == (scheme, partner)]
        spent = sum((f.actual for f in mine if f.month <= to_month), ZERO)
        out[partner] = spent + sum(allocate(budget, [1] * 12)[to_month:], ZERO)
    return out


def year_end_outturn(
    agreement: Agreement, figures: Sequence[MonthlyFigure], nil: Collection[str] = ()
) -> Outturn:
    """Twelve months of actuals as the year's outturn. A pooled scheme with no figures is
    missing (``settle`` refuses it), never a silent zero, unless it is declared ``nil``."""
    pooled_codes = {s.code for s in agreement.schemes if s.budget == "pooled"}
    pooled = {c: ZERO for c in pooled_codes if c in nil}
    aligned: dict[str, dict[str, Decimal]] = {
        s.code: {} for s in agreement.schemes if s.budget == "aligned"
    }
    for f in figures:
        if f.scheme in pooled_codes:
            pooled[f.scheme] = pooled.get(f.scheme, ZERO) + f.actual
        elif f.scheme in aligned and f.partner is not None:
            aligned[f.scheme][f.partner] = aligned[f.scheme].get(f.partner, ZERO) + f.actual
    return Outturn(pooled, aligned)
