"""A Better Care Fund return: a plan's quarter (Q1 to Q4) or year end as it happened.

The national returns ask, for the year to date, what was spent against the plan, how each
metric is doing against its trajectory, and whether each national condition is still met.
This module puts those together from plain data, so the CLI and the service give the same
return: the plan and its framework year; each fund scheme's actual spend by quarter, which
the caller takes from the pooled fund through the funds engine (engines do not import each
other, so the funds engine's own figures come in as ``FundSpend``); and metric progress as
``MetricProgress`` (the figure, where it came from, and the narrative the user wrote).

Money is exact pence: a scheme's year to date is the sum of its quarters, the return's
totals are the sums of its schemes, and a plan scheme with no spend shows £0.00. Spend on a
fund scheme that is not a scheme of the plan is kept as a row and named as a problem, never
dropped, so the totals are still the fund's totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from onebudget.bcf.checks import balances
from onebudget.bcf.framework import Framework
from onebudget.bcf.plan import Plan, Quarter, Scheme
from onebudget.bcf.to_fund import financial_year, scheme_code
from onebudget.figures import pounds
from onebudget.io.problems import Problem
from onebudget.money import ZERO
from onebudget.periods import month_end, month_start

Period = Literal["Q1", "Q2", "Q3", "Q4", "year-end"]
QUARTERS: tuple[Quarter, ...] = ("Q1", "Q2", "Q3", "Q4")  # the BCF year from April
PERIODS: tuple[Period, ...] = ("Q1", "Q2", "Q3", "Q4", "year-end")
Source = Literal["from data", "entered"]
SOURCES: tuple[Source, ...] = ("from data", "entered")
NOT_IN_PLAN = "Fund schemes not in the plan"


def quarters_of(period: Period) -> tuple[Quarter, ...]:
    """The quarters a return covers, Q1 first: the year to date (all four at the year end)."""
    return QUARTERS if period == "year-end" else QUARTERS[: QUARTERS.index(period) + 1]


@dataclass(frozen=True)
class FundSpend:
    """A fund scheme's actual spend in each quarter, Q1 first, as the funds engine gives it
    (quarters after the return's may be left out: they are not read)."""

    code: str
    name: str
    quarters: tuple[Decimal, ...]


@dataclass(frozen=True)
class MetricProgress:
    """One metric's figure for one quarter, as the caller has it: ``source`` says whether
    the actual came from data or was entered by hand; ``on_track`` is the caller's judgement
    (None: not judged); the narrative is the user's own words."""

    metric: str
    quarter: Quarter
    planned: Decimal | None
    actual: Decimal | None
    source: Source
    on_track: bool | None = None
    challenges: str = ""
    achievements: str = ""
    support_needs: str = ""


@dataclass(frozen=True, kw_only=True)
class Spent:
    """Planned for the year, and actual spend in each quarter of the return."""

    planned: Decimal
    quarters: tuple[Decimal, ...]

    @property
    def in_quarter(self) -> Decimal:
        return self.quarters[-1]

    @property
    def to_date(self) -> Decimal:
        return sum(self.quarters, ZERO)

    @property
    def variance(self) -> Decimal:
        """Year to date less planned for the year: negative is still to spend (or, at the
        year end, underspent), positive is over the plan."""
        return self.to_date - self.planned


@dataclass(frozen=True, kw_only=True)
class SchemeSpend(Spent):
    code: str  # the fund's scheme code, BCF-<id>
    name: str
    scheme_id: str | None  # None: a fund scheme the plan does not have
    scheme_type: str = ""
    commissioner: str = ""
    provider: str = ""
    source: str = ""  # the stream that funds it


@dataclass(frozen=True, kw_only=True)
class StreamSpend(Spent):
    """A source of funding: its allocation (income), and the spend of its schemes."""

    id: str
    name: str
    contributor: str
    income: Decimal


@dataclass(frozen=True)
class ConditionReturn:
    id: str
    wording: str
    confirmed: bool
    note: str


@dataclass(frozen=True)
class MetricReturn:
    metric: str
    name: str
    unit: str
    quarter: Quarter
    planned: Decimal | None
    progress: MetricProgress | None  # None: nothing given for the quarter


@dataclass(frozen=True)
class Return:
    plan: Plan
    framework: Framework
    period: Period
    fund: str | None  # the Section 75 agreement's id, when known
    schemes: tuple[SchemeSpend, ...]
    streams: tuple[StreamSpend, ...]
    total: Spent
    conditions: tuple[ConditionReturn, ...]
    metrics: tuple[MetricReturn, ...]
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def quarters(self) -> tuple[Quarter, ...]:
        return quarters_of(self.period)

    def dates(self) -> tuple[date, date, date]:
        """The first day of the year, of the return's quarter, and its last day."""
        year, n = financial_year(self.plan.year), len(self.quarters)
        return month_start(year, 1), month_start(year, 3 * n - 2), month_end(year, 3 * n)

    def title(self) -> str:
        """``Quarter 2 2025/26`` or ``Year end 2025/26``."""
        which = "Year end" if self.period == "year-end" else f"Quarter {self.period[1]}"
        return f"{which} {self.plan.year}"


def build_return(
    plan: Plan,
    framework: Framework,
    period: Period,
    spend: Sequence[FundSpend],
    progress: Sequence[MetricProgress] = (),
    *,
    fund: str | None = None,
) -> Return:
    """The return for ``period``: every problem in the inputs named, nothing left out."""
    n = len(quarters_of(period))
    schemes, problems, notes = _schemes(plan, spend, n)
    metrics, metric_problems = _metrics(plan, framework, period, progress)
    conditions, condition_notes = _conditions(plan, framework)
    quarters = tuple(sum((s.quarters[i] for s in schemes), ZERO) for i in range(n))
    total = Spent(planned=sum((s.planned for s in schemes), ZERO), quarters=quarters)
    return Return(
        plan,
        framework,
        period,
        fund,
        schemes,
        _streams(plan, framework, schemes, n),
        total,
        conditions,
        metrics,
        (*problems, *metric_problems),
        (*notes, *condition_notes),
    )


def _first(quarters: tuple[Decimal, ...], n: int) -> tuple[Decimal, ...]:
    """The return's quarters of a scheme's spend: later ones unread, missing ones £0.00."""
    return (*quarters[:n], *(ZERO,) * (n - len(quarters[:n])))


def _schemes(
    plan: Plan, spend: Sequence[FundSpend], n: int
) -> tuple[tuple[SchemeSpend, ...], list[Problem], list[str]]:
    """One row per plan scheme, then one per fund scheme with spend that the plan lacks."""
    by_code: dict[str, FundSpend] = {}
    problems: list[Problem] = []
    for f in spend:
        if f.code in by_code:
            problems.append(Problem(path=f"actuals.{f.code}", value=f.code, rule="given twice"))
        by_code.setdefault(f.code, f)
    rows = [_planned(s, by_code.pop(scheme_code(s.id), None), n) for s in plan.schemes]
    notes = []
    for f in by_code.values():
        quarters = _first(f.quarters, n)
        if not any(quarters):
            notes.append(f"fund scheme {f.name} ({f.code}) is not in the plan; it has no spend")
            continue
        row = SchemeSpend(code=f.code, name=f.name, scheme_id=None, planned=ZERO, quarters=quarters)
        rule = (
            f"{pounds(row.to_date)} spent to date on {f.name}, which is not a scheme of the "
            f"plan: add it to the plan, or correct the actuals"
        )
        problems.append(Problem(path=f"actuals.{f.code}", value=f.code, rule=rule))
        rows.append(row)
    return tuple(rows), problems, notes


def _planned(s: Scheme, found: FundSpend | None, n: int) -> SchemeSpend:
    return SchemeSpend(
        code=scheme_code(s.id),
        name=s.name,
        scheme_id=s.id,
        scheme_type=s.scheme_type,
        commissioner=s.commissioner,
        provider=s.provider,
        source=s.source,
        planned=s.spend,
        quarters=_first(found.quarters, n) if found else (ZERO,) * n,
    )


def _streams(
    plan: Plan, framework: Framework, schemes: Sequence[SchemeSpend], n: int
) -> tuple[StreamSpend, ...]:
    """Each source of funding in the framework's order, and the spend not in the plan."""
    names = {s.id: (s.name, s.contributor) for s in framework.streams}
    out = []
    for b in balances(plan, framework):
        mine = [s for s in schemes if s.scheme_id is not None and s.source == b.stream]
        name, contributor = names.get(b.stream, (b.stream, ""))
        out.append(_stream(b.stream, name, contributor, b.allocation, mine, n))
    unplanned = [s for s in schemes if s.scheme_id is None]
    if unplanned:
        out.append(_stream("", NOT_IN_PLAN, "", ZERO, unplanned, n))
    return tuple(out)


def _stream(
    id: str, name: str, contributor: str, income: Decimal, mine: list[SchemeSpend], n: int
) -> StreamSpend:
    quarters = tuple(sum((s.quarters[i] for s in mine), ZERO) for i in range(n))
    planned = sum((s.planned for s in mine), ZERO)
    return StreamSpend(
        id=id, name=name, contributor=contributor, income=income, planned=planned, quarters=quarters
    )


def _conditions(plan: Plan, framework: Framework) -> tuple[tuple[ConditionReturn, ...], list[str]]:
    """Each national condition of the year, then any other the plan confirms."""
    wording = {c.id: c.wording for c in framework.national_conditions.items or ()}
    ids = [*wording, *(c for c in plan.conditions if c not in wording)]
    rows = []
    for c in ids:
        given = plan.conditions.get(c)
        confirmed, note = (given.confirmed, given.note) if given else (False, "")
        rows.append(ConditionReturn(c, wording.get(c, ""), confirmed, note))
    missing = framework.national_conditions.missing
    notes = [] if missing is None else [f"national conditions of {framework.year}: {missing}"]
    return tuple(rows), notes


def _metrics(
    plan: Plan, framework: Framework, period: Period, progress: Sequence[MetricProgress]
) -> tuple[tuple[MetricReturn, ...], list[Problem]]:
    """Each metric of the year (and of the plan) for each quarter of the return."""
    named = {m.id: (m.name, m.unit) for m in framework.metrics.items or ()}
    known = [*named, *(m for m in plan.metrics if m not in named)]
    given, problems = _progress(progress, known, period)
    rows = []
    for m in known:
        name, unit = named.get(m, (m, ""))
        for q in quarters_of(period):
            p = given.get((m, q))
            planned = p.planned if p and p.planned is not None else plan.metrics.get(m, {}).get(q)
            rows.append(MetricReturn(m, name, unit, q, planned, p))
    return tuple(rows), problems


def _progress(
    progress: Sequence[MetricProgress], known: list[str], period: Period
) -> tuple[dict[tuple[str, str], MetricProgress], list[Problem]]:
    """The progress given, by metric and quarter, and a problem for each entry refused."""
    given: dict[tuple[str, str], MetricProgress] = {}
    problems = []
    for p in progress:
        found = _refused(p, known, quarters_of(period), given)
        if found is None:
            given[(p.metric, p.quarter)] = p
        else:
            problems.append(found)
    return given, problems


def _refused(
    p: MetricProgress,
    known: list[str],
    covered: tuple[Quarter, ...],
    given: dict[tuple[str, str], MetricProgress],
) -> Problem | None:
    """Why an entry of progress cannot be used, at its place (None if it can)."""
    path = f"metrics.{p.metric}.{p.quarter}"
    if p.metric not in known:
        rule = f"not a metric of the year or the plan: {', '.join(known)}"
        return Problem(path=f"metrics.{p.metric}", value=p.metric, rule=rule)
    if p.quarter not in covered:
        rule = f"after the return's quarter: the return reports {', '.join(covered)}"
        return Problem(path=path, value=p.quarter, rule=rule)
    if (p.metric, p.quarter) in given:
        return Problem(path=path, value=None, rule="given twice for the same quarter")
    if p.source not in SOURCES:
        return Problem(path=f"{path}.source", value=p.source, rule=" or ".join(SOURCES))
    for name in ("planned", "actual"):
        value = getattr(p, name)
        if value is not None and value < 0:
            return Problem(path=f"{path}.{name}", value=value, rule="0 or more")
    return None
