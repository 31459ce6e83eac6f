"""The budget form's state: what a person typed, as text, read from the form sent or from
the latest budget (to change it). ``budget_checks`` turns it into the budget configuration
the YAML would be; nothing here judges it.

Field names: ``total``, ``place`` (ticked saved places, by id), ``baseline-<id>``,
``floor``, ``cap``, ``rows`` and for each component row ``c<i>-name``, ``-share`` (%),
``-amount`` (£), ``-need``, ``-deprivation``, ``-cost-<id>``, ``-ages`` and for each of its
age groups ``c<i>-age<j>-group``, ``-weight``, ``-people-<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict

from onebudget import figures
from onebudget.allocation.budget import BudgetConfig, ComponentSpec
from onebudget.allocation.places import choose
from onebudget.allocation.populations import INDICES
from onebudget_web.allocation.models import AllocationPlace

MAX_ROWS, MAX_AGES = 20, 12
START_ROWS, START_AGES = 3, 3
# What a component's need follows: one of the nine indices, or a population
NEEDS = {
    **{i: f"{'General and acute (G&A)' if i == 'G&A' else i} need index" for i in INDICES},
    "registered": "Registered population",
    "by_age": "Population by age group (weights and people below)",
}


@dataclass
class AgeRow:
    group: str = ""
    weight: str = ""
    people: dict[int, str] = field(default_factory=dict)  # by saved place

    def blank(self) -> bool:
        return not (self.group.strip() or self.weight.strip() or _any(self.people))


@dataclass
class Row:
    """One component: a share (%) or an amount (£), the need it follows, and optionally a
    deprivation weight, area cost adjustments and age groups."""

    name: str = ""
    share: str = ""
    amount: str = ""
    need: str = ""
    deprivation: str = ""
    costs: dict[int, str] = field(default_factory=dict)  # by saved place
    ages: list[AgeRow] = field(default_factory=list)

    def blank(self) -> bool:
        typed = (self.name, self.share, self.amount, self.need, self.deprivation)
        return not (any(t.strip() for t in typed) or _any(self.costs)) and all(
            a.blank() for a in self.ages
        )


@dataclass
class BudgetForm:
    total: str = ""
    places: list[int] = field(default_factory=list)  # ticked saved places
    baselines: dict[int, str] = field(default_factory=dict)
    floor: str = ""
    cap: str = ""
    rows: list[Row] = field(default_factory=list)

    def padded(self) -> BudgetForm:
        """At least one empty component row to fill in, and age groups to fill in."""
        if not self.rows or not self.rows[-1].blank():
            self.rows.append(Row())
        for row in self.rows:
            if len(row.ages) < START_AGES:
                row.ages += [AgeRow() for _ in range(START_AGES - len(row.ages))]
        return self


def _any(values: dict[int, str]) -> bool:
    return any(v.strip() for v in values.values())


def _count(data: QueryDict, name: str, most: int) -> int:
    text = data.get(name, "")
    return min(int(text), most) if text.isdigit() else 0


def read(data: QueryDict, saved: list[AllocationPlace]) -> BudgetForm:
    """The form as sent; ids not among the place's saved places are left out."""
    ids = [s.pk for s in saved]
    ticked = set(data.getlist("place"))
    return BudgetForm(
        total=data.get("total", ""),
        places=[i for i in ids if str(i) in ticked],
        baselines={i: data.get(f"baseline-{i}", "") for i in ids},
        floor=data.get("floor", ""),
        cap=data.get("cap", ""),
        rows=[_row(data, f"c{n}", ids) for n in range(_count(data, "rows", MAX_ROWS))],
    )


def _row(data: QueryDict, key: str, ids: list[int]) -> Row:
    ages = [
        AgeRow(
            group=data.get(f"{key}-age{j}-group", ""),
            weight=data.get(f"{key}-age{j}-weight", ""),
            people={i: data.get(f"{key}-age{j}-people-{i}", "") for i in ids},
        )
        for j in range(_count(data, f"{key}-ages", MAX_AGES))
    ]
    return Row(
        name=data.get(f"{key}-name", ""),
        share=data.get(f"{key}-share", ""),
        amount=data.get(f"{key}-amount", ""),
        need=data.get(f"{key}-need", ""),
        deprivation=data.get(f"{key}-deprivation", ""),
        costs={i: data.get(f"{key}-cost-{i}", "") for i in ids},
        ages=ages,
    )


def add(form: BudgetForm, what: str) -> BudgetForm:
    """ "Add another component" (``component``) or another age group (``age-<row>``)."""
    kind, _, at = what.partition("-")
    if kind == "component" and len(form.rows) < MAX_ROWS:
        form.rows.append(Row())
    elif kind == "age" and at.isdigit() and int(at) < len(form.rows):
        ages = form.rows[int(at)].ages
        if len(ages) < MAX_AGES:
            ages.append(AgeRow())
    return form


def percent_text(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}"


def from_config(config: BudgetConfig, saved: list[AllocationPlace]) -> tuple[BudgetForm, list[str]]:
    """The saved budget in the form, to change it, and what the form cannot show of it: a
    place that is not a saved place of the same ICB and year."""
    same = {s.name: s for s in saved if (s.year, s.icb) == (config.year, config.icb)}
    missing = [n for n in config.places if n not in same]
    ids = {n: same[n].pk for n in config.places if n in same}
    baseline = config.baseline or {}
    form = BudgetForm(
        total=figures.pounds(config.budget),
        places=list(ids.values()),
        baselines={ids[n]: figures.pounds(v) for n, v in baseline.items() if n in ids},
        floor=percent_text(config.pace.floor) if config.pace else "",
        cap=percent_text(config.pace.cap) if config.pace and config.pace.cap is not None else "",
        rows=[_row_of(c, config.budget, ids) for c in config.components],
    )
    return form, _notes(config, same, missing)


def _notes(config: BudgetConfig, same: dict[str, AllocationPlace], missing: list[str]) -> list[str]:
    """What the form leaves out of the latest budget, or takes from the saved places instead."""
    notes = [
        f"{n} is in the latest budget but is not a saved place of this ICB and year, so the "
        "form leaves it out. Save it with the place builder, or change the budget with YAML."
        for n in missing
    ]
    for name, spec in config.places.items():
        found, _ = choose(config.year, config.icb, name, spec.choice())
        if name in same and found and set(found.practices) != set(same[name].practices):
            notes.append(
                f"{name} in the latest budget is not the same practices as the saved place "
                f"{name}: the form uses the saved place's {len(same[name].practices)}."
            )
    return notes


def _row_of(c: ComponentSpec, budget: Decimal, ids: dict[str, int]) -> Row:
    share, amount = _share_or_amount(c.share, budget)
    groups = list(c.age_weights)
    return Row(
        name=c.name,
        share=share,
        amount=amount,
        need=c.index or c.population or "",
        deprivation=f"{c.deprivation_weight.normalize():f}" if c.deprivation_weight else "",
        costs={ids[n]: f"{v.normalize():f}" for n, v in c.area_cost.items() if n in ids},
        ages=[
            AgeRow(
                group=g,
                weight=f"{c.age_weights[g].normalize():f}",
                people={
                    ids[n]: figures.number(by_age[g])
                    for n, by_age in c.population_by_age.items()
                    if n in ids and g in by_age
                },
            )
            for g in groups
        ],
    )


def _share_or_amount(share: Decimal, budget: Decimal) -> tuple[str, str]:
    """A share made from an amount (more than four decimal places of a per cent) is shown as
    the amount it was; any other as a percentage."""
    percent = share * 100
    if percent == percent.quantize(Decimal("0.0001")):
        return percent_text(share), ""
    return "", figures.pounds((share * budget).quantize(Decimal("0.01")))
