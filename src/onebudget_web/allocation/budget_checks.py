"""The budget form's text turned into the budget configuration the YAML would be, or every
problem with it, each beside its field in GOV.UK's words ("Enter the total budget...").

Only what a form must ask (is it filled in, is it a number, are the parts of one budget)
is checked here; whether the budget allocates is the library's to say, through the same
action the YAML goes through, and its problems come back to their fields (``placed``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onebudget import figures
from onebudget.allocation.shares import Part, covered, shares_of
from onebudget.io.problems import Problem
from onebudget.money import MoneyError, exact
from onebudget_web.allocation import wording
from onebudget_web.allocation.budget_form import BudgetForm, Row
from onebudget_web.allocation.component_checks import Checked, component, money, number
from onebudget_web.allocation.models import AllocationPlace


def check(form: BudgetForm, saved: list[AllocationPlace]) -> Checked:
    """Every problem with the form, or the configuration it makes."""
    checked = Checked(names={s.pk: s.name for s in saved})
    total = None
    if not form.total.strip():
        checked.add("total", "Enter the total budget, like £100,000,000")
    else:
        total = money(form.total, "the total budget", checked, "total")
    chosen = _places(form, saved, checked)
    baseline, pace = _pace(form, chosen, checked)
    rows, specs = _components(form, chosen, checked)
    if total is not None and rows and len(specs) == len(rows):
        _adds_up(total, [part for part, _ in specs], rows, checked)
    if checked.errors or total is None or not chosen:
        return checked
    shares = shares_of(total, [part for part, _ in specs])
    checked.config = {
        "year": chosen[0].year,
        "budget": total,
        "icb": chosen[0].icb,
        "places": {s.name: {"practices": list(s.practices)} for s in chosen},
        "components": [
            {"name": r.name.strip(), "share": share, **spec}
            for (_, r), share, (_, spec) in zip(rows, shares, specs, strict=True)
        ],
    }
    if baseline:
        checked.config |= {"baseline": baseline, "pace": pace}
    return checked


def _components(
    form: BudgetForm, chosen: list[AllocationPlace], checked: Checked
) -> tuple[list[tuple[int, Row]], list[tuple[Part, dict[str, Any]]]]:
    """The rows filled in (a blank one is left out), and the part and formula of each that
    has no problem."""
    rows = [(i, r) for i, r in enumerate(form.rows) if not r.blank()]
    if not rows:
        checked.add("c0-name", "Enter at least one component: its name, share and need")
    names = [r.name.strip() for _, r in rows]
    specs = []
    for i, row in rows:
        twice = bool(row.name.strip()) and names.count(row.name.strip()) > 1
        found = component(row, f"c{i}", chosen, checked, twice=twice)
        checked.rows.append(i)
        if found is not None:
            specs.append(found)
    return rows, specs


def _places(
    form: BudgetForm, saved: list[AllocationPlace], checked: Checked
) -> list[AllocationPlace]:
    chosen = [s for s in saved if s.pk in form.places]
    if not chosen:
        first = saved[0].pk if saved else 0
        checked.add(f"place-{first}", "Select the places to share the budget between")
        return []
    kinds = {(s.icb, s.year) for s in chosen}
    if len(kinds) > 1:
        listed = "; ".join(f"{s.name}: {s.icb}, {s.year}" for s in chosen)
        checked.add(
            f"place-{chosen[0].pk}",
            f"Select places of one integrated care board and one year (you selected {listed})",
        )
        return []
    return chosen


def _pace(
    form: BudgetForm, chosen: list[AllocationPlace], checked: Checked
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Each place's baseline and the pace of change: all or none of them."""
    given = {s.pk: form.baselines.get(s.pk, "").strip() for s in chosen}
    floor, cap = form.floor.strip(), form.cap.strip()
    if not any(given.values()):
        if floor or cap:
            checked.add("floor", "Enter a baseline for each place, or leave the growth empty")
        return {}, {}
    baseline = {}
    for s in chosen:
        at = f"baseline-{s.pk}"
        if not given[s.pk]:
            checked.add(at, f"Enter a baseline for {s.name}, or leave every baseline empty")
        elif (found := _baseline(given[s.pk], s.name, checked, at)) is not None:
            baseline[s.name] = found
    pace = {"floor": _growth(floor, "minimum", checked, "floor")}
    if cap:
        pace["cap"] = _growth(cap, "maximum", checked, "cap")
    return baseline, {k: v for k, v in pace.items() if v is not None}


def _baseline(text: str, name: str, checked: Checked, at: str) -> Decimal | None:
    try:
        found = exact(text)
    except MoneyError:
        checked.add(at, f"Enter {name}'s baseline as an amount of money, like £1,234,567")
        return None
    if found < 0:
        checked.add(at, f"{name}'s baseline must be £0 or more")
        return None
    return found


def _growth(text: str, which: str, checked: Checked, at: str) -> Decimal | None:
    if not text:
        checked.add(at, f"Enter the {which} growth each year, like 1.5%")
        return None
    found = number(text, percent=True)
    if found is None or not -100 <= found <= 100:
        checked.add(at, f"Enter the {which} growth as a percentage from -100% to 100%, like 1.5%")
        return None
    return found / 100


def _adds_up(
    total: Decimal, parts: list[Part], rows: list[tuple[int, Row]], checked: Checked
) -> None:
    """The components' shares and amounts come to the whole budget, no more, no less."""
    found = covered(total, parts)
    if found == total:
        return
    first = rows[0][0]
    row = rows[0][1]
    at = f"c{first}-share" if row.share.strip() or not row.amount.strip() else f"c{first}-amount"
    checked.add(
        at,
        f"The components come to {figures.pounds(found.quantize(Decimal('0.01')))} "
        f"({figures.percent(found / total, 2)} of the budget), not the total budget of "
        f"{figures.pounds(total)}: change their shares or amounts so that they add up to it",
    )


def placed(problems: list[Problem], checked: Checked, form: BudgetForm) -> dict[str, list[str]]:
    """The library's problems with the budget the form made, each beside its field."""
    by_name = {name: pk for pk, name in checked.names.items()}
    out: dict[str, list[str]] = {}
    for p in problems:
        at = _field_of(p.path, checked.rows, by_name, form)
        out.setdefault(at, []).append(wording.plainly(p))
    return out


def _field_of(path: str, rows: list[int], by_name: dict[str, int], form: BudgetForm) -> str:
    head, _, rest = path.partition(".")
    key, _, more = rest.partition(".")
    if head == "places" and key in by_name:
        return f"place-{by_name[key]}"
    if head == "components" and key.isdigit() and int(key) < len(rows):
        row = f"c{rows[int(key)]}"
        sub = more.partition(".")[0]
        fields = {"share": "share", "deprivation_weight": "deprivation", "name": "name"}
        return f"{row}-{fields.get(sub, 'need')}"
    if head == "baseline" and form.places:
        return f"baseline-{form.places[0]}"
    return {"pace": "floor"}.get(head, "total")
