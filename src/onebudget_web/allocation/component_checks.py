"""One component row of the budget form: its share or amount, the need it follows, and its
deprivation weight, area cost adjustments and age groups, each checked as a form checks
what was typed (filled in, a number, in range), with the problem beside its field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from onebudget.allocation.shares import Part
from onebudget.money import MoneyError, exact
from onebudget_web.allocation.budget_form import NEEDS, AgeRow, Row
from onebudget_web.allocation.models import AllocationPlace

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+", re.ASCII)
WEIGHTS = Decimal(10_000)  # the engine's bounds on a weight (``budget.Weight``)
PEOPLE = Decimal(10**9)


@dataclass
class Checked:
    """Field id -> its problems, in the order of the page; the configuration once none."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    config: dict[str, Any] | None = None
    rows: list[int] = field(default_factory=list)  # the form row of each component
    names: dict[int, str] = field(default_factory=dict)  # saved place id -> name

    def add(self, at: str, message: str) -> None:
        self.errors.setdefault(at, []).append(message)

    def count(self) -> int:
        return sum(len(m) for m in self.errors.values())


def number(text: str, *, percent: bool = False) -> Decimal | None:
    """``1,234.5`` (or ``12.5%`` where a percentage is asked) as a Decimal, else None."""
    cleaned = text.strip().removesuffix("%").strip() if percent else text.strip()
    if len(cleaned) > 30 or not _NUMBER.fullmatch(cleaned):
        return None
    return Decimal(cleaned.replace(",", ""))


def money(text: str, what: str, checked: Checked, at: str) -> Decimal | None:
    """An amount in pounds, whole pence, more than nothing; or a problem beside ``at``."""
    try:
        found = exact(text)
    except MoneyError as error:
        rule = "" if error.rule.startswith("not written") else f" ({error.rule})"
        checked.add(at, f"Enter {what} as an amount of money, like £1,234,567{rule}")
        return None
    if found <= 0:
        checked.add(at, f"{what[0].upper()}{what[1:]} must be more than £0")
        return None
    return found


def component(
    row: Row, key: str, chosen: list[AllocationPlace], checked: Checked, *, twice: bool
) -> tuple[Part, dict[str, Any]] | None:
    """The row's part of the budget and its need formula, or None (its problems added)."""
    before = checked.count()
    name = row.name.strip()
    if not name:
        checked.add(f"{key}-name", "Enter a name for the component, such as Core NHS services")
    elif twice:
        checked.add(f"{key}-name", f"Give each component its own name: {name} is used twice")
    label = name or "the component"
    part = _part(row, key, label, checked)
    spec: dict[str, Any] = {}
    if row.need not in NEEDS:
        checked.add(f"{key}-need", f"Choose the need {label} follows")
    elif row.need in ("registered", "by_age"):
        spec["population"] = row.need
    else:
        spec["index"] = row.need
    spec |= _deprivation(row, key, label, checked) | _costs(row, key, label, chosen, checked)
    spec |= _ages(row, key, label, chosen, checked)
    return (part, spec) if part is not None and checked.count() == before else None


def _part(row: Row, key: str, label: str, checked: Checked) -> Part | None:
    share, amount = row.share.strip(), row.amount.strip()
    if share and amount:
        checked.add(f"{key}-share", f"Enter a share or an amount for {label}, not both")
        return None
    if not (share or amount):
        checked.add(f"{key}-share", f"Enter {label}'s share of the budget, or its amount")
        return None
    if amount:
        found = money(amount, f"{label}'s amount", checked, f"{key}-amount")
        return None if found is None else Part(amount=found)
    percent = number(share, percent=True)
    if percent is None or not 0 < percent <= 100:
        checked.add(
            f"{key}-share", f"Enter {label}'s share as a percentage above 0 and up to 100, like 85%"
        )
        return None
    return Part(share=percent / 100)


def _deprivation(row: Row, key: str, label: str, checked: Checked) -> dict[str, Decimal]:
    if not row.deprivation.strip():
        return {}
    found = number(row.deprivation)
    if found is None or abs(found) > WEIGHTS:
        checked.add(
            f"{key}-deprivation",
            f"Enter {label}'s deprivation weight as a number, like 0.5, or leave it empty",
        )
        return {}
    return {"deprivation_weight": found} if found else {}


def _costs(
    row: Row, key: str, label: str, chosen: list[AllocationPlace], checked: Checked
) -> dict[str, dict[str, Decimal]]:
    costs = {}
    for s in chosen:
        text = row.costs.get(s.pk, "").strip()
        if not text:
            continue
        found = number(text)
        if found is None or not 0 <= found <= WEIGHTS:
            checked.add(
                f"{key}-cost-{s.pk}",
                f"Enter {s.name}'s area cost adjustment for {label} as a number, like 1.02, "
                "or leave it empty",
            )
        else:
            costs[s.name] = found
    return {"area_cost": costs} if costs else {}


def _ages(
    row: Row, key: str, label: str, chosen: list[AllocationPlace], checked: Checked
) -> dict[str, Any]:
    given = [(j, a) for j, a in enumerate(row.ages) if not a.blank()]
    if row.need != "by_age":
        if given:
            checked.add(
                f"{key}-age{given[0][0]}-group",
                f"Age groups are only for a component that follows population by age group: "
                f"choose that for {label}, or clear its age groups",
            )
        return {}
    if not given:
        checked.add(f"{key}-age0-group", f"Enter {label}'s age groups, their weights and people")
        return {}
    weights: dict[str, Decimal] = {}
    people: dict[str, dict[str, Decimal]] = {s.name: {} for s in chosen}
    for j, age in given:
        group = _age(age, f"{key}-age{j}", list(weights), checked)
        weight = _weight(age, f"{key}-age{j}", group, checked)
        for s in chosen:
            count = _people(age, f"{key}-age{j}", group, s, checked)
            if group and count is not None:
                people[s.name][group] = count
        if group and weight is not None:
            weights[group] = weight
    return {"age_weights": weights, "population_by_age": people}


def _age(age: AgeRow, at: str, seen: list[str], checked: Checked) -> str:
    group = age.group.strip()
    if not group:
        checked.add(f"{at}-group", "Enter the age group, like 65-84")
    elif group in seen:
        checked.add(f"{at}-group", f"Give each age group once: {group} is there twice")
        return ""
    return group


def _weight(age: AgeRow, at: str, group: str, checked: Checked) -> Decimal | None:
    found = number(age.weight)
    if found is None or not 0 <= found <= WEIGHTS:
        people = f"people aged {group}" if group else "this age group"
        checked.add(f"{at}-weight", f"Enter the weight of {people} as a number, like 4")
        return None
    return found


def _people(
    age: AgeRow, at: str, group: str, place: AllocationPlace, checked: Checked
) -> Decimal | None:
    found = number(age.people.get(place.pk, ""))
    if found is None or not 0 <= found <= PEOPLE:
        aged = f"aged {group}" if group else "in this age group"
        checked.add(
            f"{at}-people-{place.pk}",
            f"Enter the number of people {aged} in {place.name}, like 52,000",
        )
        return None
    return found
