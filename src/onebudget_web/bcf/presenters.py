"""Plain data for the Better Care Fund pages: money as money, names before codes, each
problem at a place a commissioner recognises (scheme S03's spend, not ``schemes.2.spend``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onebudget.bcf.checks import balances, commissioned, pounds
from onebudget.bcf.framework import Framework
from onebudget.bcf.plan import QUARTERS, Plan
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


@dataclass(frozen=True)
class MetricRow:
    name: str
    unit: str
    planned: tuple[str, ...]


def metric_rows(plan: Plan, year: Framework | None) -> list[MetricRow]:
    items = (year.metrics.items or ()) if year else ()
    known = [(m.id, m.name, m.unit) for m in items]
    known += [(k, k, "") for k in plan.metrics if k not in {m.id for m in items}]
    return [
        MetricRow(name, unit, tuple(_figure(_planned(plan, mid, q)) for q in QUARTERS))
        for mid, name, unit in known
    ]


def _planned(plan: Plan, metric: str, quarter: str) -> Decimal | None:
    by_quarter = plan.metrics.get(metric, {})
    return next((v for q, v in by_quarter.items() if q == quarter), None)


def _figure(value: Decimal | None) -> str:
    return "Not planned" if value is None else f"{value:,}"


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
