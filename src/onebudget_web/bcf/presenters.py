"""Plain data for the Better Care Fund pages: money as money, names before codes, each
problem at a place a commissioner recognises (scheme S03's spend, not ``schemes.2.spend``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onebudget.bcf.capacity import capacity_gaps
from onebudget.bcf.checks import balances, commissioned
from onebudget.bcf.framework import Framework
from onebudget.bcf.metrics import MetricsReport, QuarterActual
from onebudget.bcf.plan import MONTHS, Plan
from onebudget.figures import pounds
from onebudget.io.problems import Problem
from onebudget_web.bcf.models import PlanVersion
from onebudget_web.bcf.selectors import Checked

COMMISSIONERS = {"council": "Council", "icb": "ICB", "joint": "Joint"}
STEP_WORDS = {
    "agreed": "Agreed",
    "signed_off": "Signed off by the Health and Wellbeing Board",
    "assured": "Assured",
}


def where(path: str, plan: Plan, year: Framework | None) -> str:
    """A problem's place in words: the scheme, stream, metric or condition it is about."""
    parts = path.split(".")
    if parts[0] == "schemes" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        if index < len(plan.schemes):
            scheme = plan.schemes[index]
            field = " ".join(parts[2:]).replace("_", " ")
            return f"Scheme {scheme.id} ({scheme.name})" + (f": {field}" if field else "")
    if parts[0] in ("allocations", "dfg_passed", "conditions", "metrics") and len(parts) > 1:
        return f"{_heading(parts[0])}: {_name(parts[0], parts[1], year)}"
    if path.startswith("(framework"):
        return "The year's definitions"
    return path.replace("_", " ").replace(".", ": ").capitalize()


def _heading(section: str) -> str:
    return {
        "allocations": "Funding stream",
        "dfg_passed": "Disabled Facilities Grant passed to",
        "conditions": "National condition",
        "metrics": "Metric",
    }[section]


def _name(section: str, key: str, year: Framework | None) -> str:
    if year is None:
        return key
    named: dict[str, str] = {}
    if section == "allocations":
        named = {s.id: s.name for s in year.streams}
    elif section == "conditions":
        named = {c.id: c.id for c in year.national_conditions.items or ()}
    elif section == "metrics":
        named = {m.id: m.name for m in year.metrics.items or ()}
    return named.get(key, key)


def problem_rows(found: Checked) -> list[dict[str, Any]]:
    return [_problem(p, found) for p in found.problems]


def _problem(p: Problem, found: Checked) -> dict[str, Any]:
    shortfall = getattr(p, "shortfall", None)
    return {
        "where": where(p.path, found.plan, found.framework),
        "rule": p.rule,
        "money": None if shortfall is None else _short(shortfall),
        "line": p.line,
    }


def _short(amount: Decimal) -> str:
    return f"{pounds(amount)} short" if amount > 0 else f"{pounds(-amount)} over"


def stream_rows(found: Checked) -> list[dict[str, Any]]:
    if found.framework is None:
        return []
    names = {s.id: s.name for s in found.framework.streams}
    return [
        {
            "name": names.get(b.stream, b.stream),
            "allocation": pounds(b.allocation),
            "planned": pounds(b.planned),
            "unplanned": pounds(b.unplanned),
            "balanced": b.unplanned == 0,
        }
        for b in balances(found.plan, found.framework)
    ]


def scheme_rows(plan: Plan, year: Framework | None) -> list[dict[str, Any]]:
    streams = {s.id: s.name for s in year.streams} if year else {}
    return [
        {
            "id": s.id,
            "name": s.name,
            "type": s.scheme_type + (f": {s.sub_type}" if s.sub_type else ""),
            "commissioner": COMMISSIONERS[s.commissioner],
            "split": ", ".join(f"{k.upper() if k == 'icb' else k.capitalize()} {pounds(v)}"
                               for k, v in commissioned(s).items()) if s.split else "",
            "provider": s.provider,
            "source": streams.get(s.source, s.source),
            "spend": pounds(s.spend),
            "outputs": "; ".join(f"{o.quantity:,} {o.unit}" for o in s.outputs),
            "new": "New" if s.new else "Existing",
        }
        for s in plan.schemes
    ]  # fmt: skip


ON_TRACK = {True: "On track", False: "Not on track", None: "Not assessed"}


def metric_tables(report: MetricsReport | None) -> list[dict[str, Any]]:
    """Each metric with a row per quarter: planned, actual (its 95% interval), where the
    actual came from, and whether it is on track."""
    if report is None:
        return []
    return [
        {
            "name": m.name,
            "unit": m.unit,
            "indicator": m.indicator,
            "quarters": [_quarter_row(q) for q in m.quarters],
        }
        for m in report.metrics
    ]


def _quarter_row(q: QuarterActual) -> dict[str, Any]:
    interval = ""
    if q.lower is not None and q.upper is not None:
        interval = f"{q.lower:,} to {q.upper:,}"
    actual = "[c] suppressed" if q.suppressed else (f"{q.actual:,}" if q.actual is not None else "")
    return {
        "quarter": QUARTER_WORDS[q.quarter],
        "planned": "Not planned" if q.planned is None else f"{q.planned:,}",
        "actual": actual or "Not yet known",
        "interval": interval,
        "source": "From linked data" if q.source == "from data" and actual else (
            "Entered" if q.actual is not None else ""),
        "on_track": ON_TRACK[q.on_track],
        "on_track_value": q.on_track,
    }  # fmt: skip


QUARTER_WORDS = {
    "Q1": "Quarter 1 (April to June)",
    "Q2": "Quarter 2 (July to September)",
    "Q3": "Quarter 3 (October to December)",
    "Q4": "Quarter 4 (January to March)",
}


def condition_rows(plan: Plan, year: Framework | None) -> list[dict[str, Any]]:
    """Each national condition of the year (and any the plan names besides), confirmed or
    not, with the plan's note."""
    listed = [(c.id, c.wording) for c in ((year.national_conditions.items or ()) if year else ())]
    listed += [(k, "") for k in plan.conditions if k not in {i for i, _ in listed}]
    rows = []
    for cid, wording in listed:
        said = plan.conditions.get(cid)
        rows.append({
            "id": cid,
            "wording": wording,
            "confirmed": bool(said and said.confirmed),
            "note": said.note if said else "",
        })  # fmt: skip
    return rows


def step_rows(version: PlanVersion) -> list[dict[str, Any]]:
    return [
        {
            "what": STEP_WORDS[s.step],
            "organisation": s.organisation.name,
            "named_person": s.named_person,
            "decided_on": s.decided_on,
            "recorded_by": s.recorded_by.display_name,
            "recorded_at": s.recorded_at,
            "note": s.note,
        }
        for s in version.steps.select_related("organisation", "recorded_by")
    ]


MONTH_WORDS = dict(
    zip(MONTHS, ("April", "May", "June", "July", "August", "September", "October",
                 "November", "December", "January", "February", "March"), strict=True)
)  # fmt: skip


def capacity_tables(plan: Plan) -> list[dict[str, Any]]:
    """Each line of the capacity and demand plan with a row per month: demand, capacity
    and, where capacity falls short, by how much."""
    tables = []
    for line in plan.capacity_demand:
        demand = {str(k): v for k, v in line.demand.items()}
        capacity = {str(k): v for k, v in line.capacity.items()}
        months = [_month(m, demand.get(m), capacity.get(m)) for m in MONTHS]
        tables.append({"label": line.label, "category": line.category, "unit": line.unit,
                       "months": months})  # fmt: skip
    return tables


def _month(month: str, demand: Decimal | None, capacity: Decimal | None) -> dict[str, Any]:
    short = None
    if demand is not None and capacity is not None and capacity < demand:
        short = f"{demand - capacity:,f}"
    return {
        "month": MONTH_WORDS[month],
        "demand": "Not given" if demand is None else f"{demand:,f}",
        "capacity": "Not given" if capacity is None else f"{capacity:,f}",
        "short": short,
    }


def capacity_shortfalls(plan: Plan) -> list[str]:
    """Each month a line's capacity falls below its demand, in words."""
    return [
        f"{MONTH_WORDS[g.month]}: {g.label}, {g.shortfall:,f} {g.unit} short "
        f"(demand {g.demand:,f}, capacity {g.capacity:,f})"
        for g in capacity_gaps(plan)
    ]
